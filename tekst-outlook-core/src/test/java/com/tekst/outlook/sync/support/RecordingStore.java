package com.tekst.outlook.sync.support;

import com.tekst.outlook.Connection;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionStatus;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.mailbox.ScopeMode;
import com.tekst.outlook.store.BackfillCursor;
import com.tekst.outlook.store.ConsentNonce;
import com.tekst.outlook.store.FolderCheckpoint;
import com.tekst.outlook.store.FolderKey;
import com.tekst.outlook.store.MailboxRecord;
import com.tekst.outlook.store.OutlookStore;
import com.tekst.outlook.store.SyncedChanges;
import com.tekst.outlook.store.SyncedMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@link OutlookStore} decorator that records every successful checkpoint and cursor write as a page
 * acknowledgement (the position moved) or a reset, to prove that no page is acknowledged twice: a page is identified
 * by its folder, the reset epoch and the position it was fetched from.
 */
public final class RecordingStore implements OutlookStore {
    /** One acknowledged page: fetched from {@code from} (null: the first request), leading to {@code to}. */
    public record Ack(FolderKey key, boolean backfill, int epoch, String from, String to) {
    }

    private final OutlookStore delegate;
    private final List<Ack> acks = new ArrayList<>();
    private final Map<String, Integer> epochs = new HashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final List<FolderKey> reconciliations = new ArrayList<>();

    /** Runs (once) before the next mailbox status write reaches the store: another writer getting there first. */
    public volatile Runnable beforeNextStatusWrite;

    public RecordingStore(OutlookStore delegate) {
        this.delegate = delegate;
    }

    public synchronized List<Ack> acks() {
        return List.copyOf(acks);
    }

    /** Pages acknowledged twice (same folder, epoch and starting position), and writes that acked nothing new. */
    public synchronized List<String> duplicateAcks() {
        List<String> out = new ArrayList<>(problems);
        Map<String, Integer> seen = new HashMap<>();
        for (Ack a : acks) {
            String id = a.key() + (a.backfill() ? "/backfill/" : "/live/") + a.epoch() + "/" + a.from();
            if (seen.merge(id, 1, Integer::sum) > 1) {
                out.add("acknowledged twice: " + id);
            }
        }
        return out;
    }

    @Override
    public synchronized boolean commitCheckpoint(FolderCheckpoint next, long expectedVersion,
                                                 SyncedChanges changes) {
        FolderCheckpoint previous = delegate.findCheckpoint(next.key()).orElse(null);
        boolean ok = delegate.commitCheckpoint(next, expectedVersion, changes);
        if (ok) {
            String from = previous == null ? null : position(previous);
            String to = position(next);
            String epochKey = next.key() + "/live";
            boolean reconciliation = previous != null && Objects.equals(to, from)
                    && (!changes.isEmpty() || !Objects.equals(previous.reconciledAt(), next.reconciledAt()));
            if (reconciliation) {
                reconciliations.add(next.key());
            } else if (to == null) {
                epochs.merge(epochKey, 1, Integer::sum);
            } else {
                if (to.equals(from)) {
                    problems.add("a live write that did not move " + next.key());
                }
                acks.add(new Ack(next.key(), false, epochs.getOrDefault(epochKey, 0), from, to));
            }
        }
        return ok;
    }

    private static String position(FolderCheckpoint cp) {
        return cp.nextLink().isPresent() ? cp.nextLink().orElse(null) : cp.deltaLink().orElse(null);
    }

    @Override
    public synchronized boolean commitBackfillCursor(BackfillCursor next, long expectedVersion,
                                                     SyncedChanges changes) {
        BackfillCursor previous = delegate.findBackfillCursor(next.key()).orElse(null);
        boolean ok = delegate.commitBackfillCursor(next, expectedVersion, changes);
        if (ok && previous != null) {
            String epochKey = next.key() + "/backfill";
            boolean moved = !Objects.equals(previous.position(), next.position())
                    || next.delivered() != previous.delivered()
                    || (next.state() == BackfillCursor.State.COMPLETE
                    && previous.state() != BackfillCursor.State.COMPLETE);
            boolean restarted = next.delivered() < previous.delivered();
            if (restarted || !next.from().equals(previous.from())) {
                epochs.merge(epochKey, 1, Integer::sum);
            } else if (moved) {
                acks.add(new Ack(next.key(), true, epochs.getOrDefault(epochKey, 0), describe(previous),
                        next.state() == BackfillCursor.State.COMPLETE ? "END" : describe(next)));
            }
        }
        return ok;
    }

    private static String describe(BackfillCursor cursor) {
        return cursor.position().upTo() + (cursor.position().inclusive() ? " le " : " lt ")
                + cursor.position().deliveredAtUpTo();
    }

    /** Folders whose checkpoint a reconciliation wrote, once per write. */
    public synchronized List<FolderKey> reconciliations() {
        return List.copyOf(reconciliations);
    }

    @Override
    public List<SyncedMessage> listSyncedMessages(FolderKey key, Instant from, Instant to) {
        return delegate.listSyncedMessages(key, from, to);
    }

    @Override
    public long countSyncedMessages(FolderKey key) {
        return delegate.countSyncedMessages(key);
    }

    // ---- plain delegation ------------------------------------------------------------------------------------------

    @Override
    public void saveAppliedRestriction(ConnectionId connection, com.tekst.outlook.mailbox.AppliedRestriction applied) {
        delegate.saveAppliedRestriction(connection, applied);
    }

    @Override
    public Optional<com.tekst.outlook.mailbox.AppliedRestriction> findAppliedRestriction(ConnectionId connection) {
        return delegate.findAppliedRestriction(connection);
    }

    @Override
    public void recordFolderEvent(FolderKey key, com.tekst.outlook.store.FolderEvent event, Instant at) {
        delegate.recordFolderEvent(key, event, at);
    }

    @Override
    public int countFolderEvents(FolderKey key, com.tekst.outlook.store.FolderEvent event, Instant since) {
        return delegate.countFolderEvents(key, event, since);
    }

    @Override
    public void saveConnection(Connection connection) {
        delegate.saveConnection(connection);
    }

    @Override
    public Optional<Connection> findConnection(ConnectionId id) {
        return delegate.findConnection(id);
    }

    @Override
    public List<Connection> listConnections() {
        return delegate.listConnections();
    }

    @Override
    public boolean deleteConnection(ConnectionId id) {
        return delegate.deleteConnection(id);
    }

    @Override
    public boolean updateConnectionStatus(ConnectionId id, ConnectionStatus expected, ConnectionStatus next) {
        return delegate.updateConnectionStatus(id, expected, next);
    }

    @Override
    public void saveConsentNonce(ConsentNonce nonce) {
        delegate.saveConsentNonce(nonce);
    }

    @Override
    public Optional<ConsentNonce> consumeConsentNonce(String digest) {
        return delegate.consumeConsentNonce(digest);
    }

    @Override
    public int purgeExpiredConsentNonces(Instant now) {
        return delegate.purgeExpiredConsentNonces(now);
    }

    @Override
    public void saveMailbox(MailboxRecord mailbox) {
        delegate.saveMailbox(mailbox);
    }

    @Override
    public Optional<MailboxRecord> findMailbox(ConnectionId connection, MailboxId mailboxId) {
        return delegate.findMailbox(connection, mailboxId);
    }

    @Override
    public List<MailboxRecord> listMailboxes(ConnectionId connection) {
        return delegate.listMailboxes(connection);
    }

    @Override
    public List<MailboxRecord> findMailboxesByName(ConnectionId connection, MailboxAddress name) {
        return delegate.findMailboxesByName(connection, name);
    }

    @Override
    public ScopeMode findScopeMode(ConnectionId connection) {
        return delegate.findScopeMode(connection);
    }

    @Override
    public void saveScopeMode(ConnectionId connection, ScopeMode mode) {
        delegate.saveScopeMode(connection, mode);
    }

    @Override
    public boolean removeMailbox(ConnectionId connection, MailboxId mailboxId) {
        return delegate.removeMailbox(connection, mailboxId);
    }

    @Override
    public boolean updateMailboxStatus(ConnectionId connection, MailboxId mailboxId, MailboxStatus expected,
                                       MailboxStatus next, Instant until, String detail) {
        Runnable before = beforeNextStatusWrite;
        if (before != null) {
            beforeNextStatusWrite = null;
            before.run();
        }
        return delegate.updateMailboxStatus(connection, mailboxId, expected, next, until, detail);
    }

    @Override
    public Optional<FolderCheckpoint> findCheckpoint(FolderKey key) {
        return delegate.findCheckpoint(key);
    }

    @Override
    public List<FolderCheckpoint> listCheckpoints(ConnectionId connection, MailboxId mailboxId) {
        return delegate.listCheckpoints(connection, mailboxId);
    }

    @Override
    public Optional<BackfillCursor> findBackfillCursor(FolderKey key) {
        return delegate.findBackfillCursor(key);
    }

    @Override
    public List<BackfillCursor> listBackfillCursors(ConnectionId connection, MailboxId mailboxId) {
        return delegate.listBackfillCursors(connection, mailboxId);
    }
}
