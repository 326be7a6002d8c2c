package com.tekst.outlook.store;

import com.tekst.outlook.Connection;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionStatus;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.mailbox.AppliedRestriction;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.mailbox.ScopeMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@link OutlookStore} in memory, for tests and demos. Thread-safe (one lock; every method is atomic). Its state is
 * lost when the process ends.
 */
public final class InMemoryOutlookStore implements OutlookStore {
    private final Object lock = new Object();
    private final Map<ConnectionId, Connection> connections = new HashMap<>();
    private final Map<String, ConsentNonce> nonces = new HashMap<>();
    private final Map<ConnectionId, Map<MailboxId, MailboxRecord>> mailboxes = new HashMap<>();
    private final Map<ConnectionId, ScopeMode> scopeModes = new HashMap<>();
    private final Map<FolderKey, FolderCheckpoint> checkpoints = new HashMap<>();
    private final Map<FolderKey, BackfillCursor> cursors = new HashMap<>();
    private final Map<FolderKey, Map<String, Instant>> synced = new HashMap<>();
    private final Map<ConnectionId, AppliedRestriction> restrictions = new HashMap<>();
    private final Map<FolderKey, Map<FolderEvent, List<Instant>>> events = new HashMap<>();

    @Override
    public void saveConnection(Connection connection) {
        Objects.requireNonNull(connection, "connection");
        synchronized (lock) {
            connections.put(connection.id(), connection);
        }
    }

    @Override
    public Optional<Connection> findConnection(ConnectionId id) {
        synchronized (lock) {
            return Optional.ofNullable(connections.get(id));
        }
    }

    @Override
    public List<Connection> listConnections() {
        synchronized (lock) {
            List<Connection> all = new ArrayList<>(connections.values());
            all.sort(Comparator.comparing(c -> c.id().value()));
            return List.copyOf(all);
        }
    }

    @Override
    public boolean deleteConnection(ConnectionId id) {
        synchronized (lock) {
            boolean existed = connections.remove(id) != null;
            mailboxes.remove(id);
            scopeModes.remove(id);
            checkpoints.keySet().removeIf(k -> k.connection().equals(id));
            cursors.keySet().removeIf(k -> k.connection().equals(id));
            synced.keySet().removeIf(k -> k.connection().equals(id));
            events.keySet().removeIf(k -> k.connection().equals(id));
            restrictions.remove(id);
            nonces.values().removeIf(n -> n.connection().equals(id));
            return existed;
        }
    }

    @Override
    public boolean updateConnectionStatus(ConnectionId id, ConnectionStatus expected, ConnectionStatus next) {
        Objects.requireNonNull(next, "next");
        synchronized (lock) {
            Connection current = connections.get(id);
            if (current == null || current.status() != expected) {
                return false;
            }
            connections.put(id, current.withStatus(next));
            return true;
        }
    }

    @Override
    public void saveConsentNonce(ConsentNonce nonce) {
        Objects.requireNonNull(nonce, "nonce");
        synchronized (lock) {
            if (nonces.putIfAbsent(nonce.digest(), nonce) != null) {
                throw new IllegalStateException("a consent nonce with this digest already exists");
            }
        }
    }

    @Override
    public Optional<ConsentNonce> consumeConsentNonce(String digest) {
        synchronized (lock) {
            return Optional.ofNullable(nonces.remove(digest));
        }
    }

    @Override
    public int purgeExpiredConsentNonces(Instant now) {
        synchronized (lock) {
            int before = nonces.size();
            nonces.values().removeIf(n -> n.expiresAt().isBefore(now));
            return before - nonces.size();
        }
    }

    @Override
    public void saveMailbox(MailboxRecord mailbox) {
        Objects.requireNonNull(mailbox, "mailbox");
        synchronized (lock) {
            mailboxes.computeIfAbsent(mailbox.connection(), k -> new HashMap<>()).put(mailbox.mailboxId(), mailbox);
        }
    }

    @Override
    public Optional<MailboxRecord> findMailbox(ConnectionId connection, MailboxId mailboxId) {
        synchronized (lock) {
            return Optional.ofNullable(mailboxes.getOrDefault(connection, Map.of()).get(mailboxId));
        }
    }

    @Override
    public List<MailboxRecord> findMailboxesByName(ConnectionId connection, MailboxAddress name) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(name, "name");
        synchronized (lock) {
            List<MailboxRecord> found = new ArrayList<>();
            for (MailboxRecord m : mailboxes.getOrDefault(connection, Map.of()).values()) {
                if (m.answersTo(name)) {
                    found.add(m);
                }
            }
            found.sort(Comparator.comparing((MailboxRecord m) -> m.address().value())
                    .thenComparing(MailboxRecord::mailboxId));
            return List.copyOf(found);
        }
    }

    @Override
    public ScopeMode findScopeMode(ConnectionId connection) {
        Objects.requireNonNull(connection, "connection");
        synchronized (lock) {
            return scopeModes.getOrDefault(connection, ScopeMode.RESTRICTED);
        }
    }

    @Override
    public void saveScopeMode(ConnectionId connection, ScopeMode mode) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(mode, "mode");
        synchronized (lock) {
            scopeModes.put(connection, mode);
        }
    }

    @Override
    public List<MailboxRecord> listMailboxes(ConnectionId connection) {
        synchronized (lock) {
            List<MailboxRecord> list = new ArrayList<>(mailboxes.getOrDefault(connection, Map.of()).values());
            list.sort(Comparator.comparing(m -> m.address().value()));
            return List.copyOf(list);
        }
    }

    @Override
    public boolean removeMailbox(ConnectionId connection, MailboxId mailboxId) {
        synchronized (lock) {
            Map<MailboxId, MailboxRecord> of = mailboxes.get(connection);
            boolean existed = of != null && of.remove(mailboxId) != null;
            checkpoints.keySet().removeIf(k -> k.connection().equals(connection) && k.mailboxId().equals(mailboxId));
            cursors.keySet().removeIf(k -> k.connection().equals(connection) && k.mailboxId().equals(mailboxId));
            synced.keySet().removeIf(k -> k.connection().equals(connection) && k.mailboxId().equals(mailboxId));
            events.keySet().removeIf(k -> k.connection().equals(connection) && k.mailboxId().equals(mailboxId));
            return existed;
        }
    }

    @Override
    public boolean updateMailboxStatus(ConnectionId connection, MailboxId mailboxId, MailboxStatus expected,
                                       MailboxStatus next, Instant until, String detail) {
        Objects.requireNonNull(next, "next");
        synchronized (lock) {
            Map<MailboxId, MailboxRecord> of = mailboxes.get(connection);
            MailboxRecord current = of == null ? null : of.get(mailboxId);
            if (current == null || current.status() != expected) {
                return false;
            }
            of.put(mailboxId, current.withStatus(next, until, detail));
            return true;
        }
    }

    @Override
    public Optional<FolderCheckpoint> findCheckpoint(FolderKey key) {
        synchronized (lock) {
            return Optional.ofNullable(checkpoints.get(key));
        }
    }

    @Override
    public List<FolderCheckpoint> listCheckpoints(ConnectionId connection, MailboxId mailboxId) {
        synchronized (lock) {
            return checkpoints.values().stream()
                    .filter(c -> c.key().connection().equals(connection) && c.key().mailboxId().equals(mailboxId))
                    .sorted(Comparator.comparing(c -> c.key().folderId()))
                    .toList();
        }
    }

    @Override
    public boolean commitCheckpoint(FolderCheckpoint next, long expectedVersion, SyncedChanges changes) {
        requireNextVersion(next.version(), expectedVersion);
        Objects.requireNonNull(changes, "changes");
        synchronized (lock) {
            FolderCheckpoint current = checkpoints.get(next.key());
            long stored = current == null ? 0 : current.version();
            if (stored != expectedVersion) {
                return false;
            }
            checkpoints.put(next.key(), next);
            apply(next.key(), changes);
            return true;
        }
    }

    @Override
    public Optional<BackfillCursor> findBackfillCursor(FolderKey key) {
        synchronized (lock) {
            return Optional.ofNullable(cursors.get(key));
        }
    }

    @Override
    public List<BackfillCursor> listBackfillCursors(ConnectionId connection, MailboxId mailboxId) {
        synchronized (lock) {
            return cursors.values().stream()
                    .filter(c -> c.key().connection().equals(connection) && c.key().mailboxId().equals(mailboxId))
                    .sorted(Comparator.comparing(c -> c.key().folderId()))
                    .toList();
        }
    }

    @Override
    public boolean commitBackfillCursor(BackfillCursor next, long expectedVersion, SyncedChanges changes) {
        requireNextVersion(next.version(), expectedVersion);
        Objects.requireNonNull(changes, "changes");
        synchronized (lock) {
            BackfillCursor current = cursors.get(next.key());
            long stored = current == null ? 0 : current.version();
            if (stored != expectedVersion) {
                return false;
            }
            cursors.put(next.key(), next);
            apply(next.key(), changes);
            return true;
        }
    }

    /** Lock held. */
    private void apply(FolderKey key, SyncedChanges changes) {
        if (changes.isEmpty()) {
            return;
        }
        Map<String, Instant> ids = synced.computeIfAbsent(key, k -> new HashMap<>());
        for (SyncedMessage m : changes.added()) {
            ids.put(m.id(), m.receivedAt());
        }
        for (String id : changes.removed()) {
            ids.remove(id);
        }
    }

    @Override
    public List<SyncedMessage> listSyncedMessages(FolderKey key, Instant from, Instant to) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        synchronized (lock) {
            Map<String, Instant> ids = synced.getOrDefault(key, Map.of());
            return ids.entrySet().stream()
                    .filter(e -> !e.getValue().isBefore(from) && !e.getValue().isAfter(to))
                    .map(e -> new SyncedMessage(e.getKey(), e.getValue()))
                    .sorted(SYNCED_ORDER)
                    .toList();
        }
    }

    @Override
    public long countSyncedMessages(FolderKey key) {
        synchronized (lock) {
            return synced.getOrDefault(key, Map.of()).size();
        }
    }

    @Override
    public void saveAppliedRestriction(ConnectionId connection, AppliedRestriction applied) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(applied, "applied");
        synchronized (lock) {
            restrictions.put(connection, applied);
        }
    }

    @Override
    public Optional<AppliedRestriction> findAppliedRestriction(ConnectionId connection) {
        synchronized (lock) {
            return Optional.ofNullable(restrictions.get(connection));
        }
    }

    @Override
    public void recordFolderEvent(FolderKey key, FolderEvent event, Instant at) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(at, "at");
        synchronized (lock) {
            Map<FolderEvent, List<Instant>> of = events.computeIfAbsent(key, k -> new java.util.EnumMap<>(FolderEvent.class));
            Instant horizon = at.minus(FOLDER_EVENT_RETENTION);
            of.values().forEach(list -> list.removeIf(t -> t.isBefore(horizon)));
            of.computeIfAbsent(event, e -> new ArrayList<>()).add(at);
        }
    }

    @Override
    public int countFolderEvents(FolderKey key, FolderEvent event, Instant since) {
        Objects.requireNonNull(since, "since");
        synchronized (lock) {
            return (int) events.getOrDefault(key, Map.of()).getOrDefault(event, List.of()).stream()
                    .filter(t -> !t.isBefore(since)).count();
        }
    }

    /** How long {@link #recordFolderEvent} keeps a folder's events. */
    static final java.time.Duration FOLDER_EVENT_RETENTION = java.time.Duration.ofDays(7);

    /** Newest first, then by id: the order {@link #listSyncedMessages} promises. */
    static final Comparator<SyncedMessage> SYNCED_ORDER = Comparator.comparing(SyncedMessage::receivedAt)
            .reversed().thenComparing(SyncedMessage::id);

    static void requireNextVersion(long next, long expected) {
        if (expected < 0 || next != expected + 1) {
            throw new IllegalArgumentException("a write must move the version from " + expected + " to "
                    + (expected + 1) + ", not to " + next);
        }
    }
}
