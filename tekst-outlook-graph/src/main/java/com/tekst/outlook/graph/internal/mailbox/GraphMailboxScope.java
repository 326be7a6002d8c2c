package com.tekst.outlook.graph.internal.mailbox;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.OutlookClientException;
import com.tekst.outlook.graph.internal.Mdc;
import com.tekst.outlook.mailbox.FolderRef;
import com.tekst.outlook.mailbox.FolderSelection;
import com.tekst.outlook.mailbox.MailboxScope;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.mailbox.ResolvedMailbox;
import com.tekst.outlook.mailbox.ScopeMode;
import com.tekst.outlook.mailbox.ScopedMailbox;
import com.tekst.outlook.store.MailboxRecord;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MailboxScope} on the store, resolving added mailboxes and folders through Microsoft Graph. The resolution of
 * a mailbox being added reads only its directory entry, its {@code userPurpose} and (on a folder-lookup ticket) its
 * folder tree; nothing is stored unless all of it succeeded. Thread-safe. Internal.
 */
public final class GraphMailboxScope implements MailboxScope {
    private static final Logger log = LoggerFactory.getLogger(GraphMailboxScope.class);

    private final MailboxGraph graph;
    private final GraphMailboxDirectory directory;

    public GraphMailboxScope(MailboxGraph graph, GraphMailboxDirectory directory) {
        this.graph = graph;
        this.directory = directory;
    }

    @Override
    public ScopeMode mode(ConnectionId connection) {
        graph.target(connection);
        return graph.store.findScopeMode(connection);
    }

    @Override
    public void setMode(ConnectionId connection, ScopeMode mode) {
        Objects.requireNonNull(mode, "mode");
        MailboxGraph.Target t = graph.target(connection);
        ScopeMode before = graph.store.findScopeMode(connection);
        graph.store.saveScopeMode(connection, mode);
        if (before != mode) {
            try (Mdc.Scope ignored = Mdc.put(Mdc.TENANT, t.tenant().value(), Mdc.CONNECTION, connection.value())) {
                if (mode == ScopeMode.ALL_MAILBOXES) {
                    log.warn("connection {} may now reach every mailbox of its tenant (ALL_MAILBOXES)", connection);
                } else {
                    log.info("connection {} is restricted to its {} listed mailboxes", connection,
                            graph.store.listMailboxes(connection).size());
                }
            }
        }
    }

    @Override
    public ScopedMailbox add(ConnectionId connection, MailboxAddress mailbox) {
        return add(connection, mailbox, List.of(FolderSelection.inbox()));
    }

    @Override
    public ScopedMailbox add(ConnectionId connection, MailboxAddress mailbox, List<FolderSelection> folders) {
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(folders, "folders");
        if (folders.isEmpty()) {
            throw new com.tekst.outlook.InvalidValueException("folders", "must name at least one folder");
        }
        MailboxGraph.Target t = graph.target(connection);
        try (Mdc.Scope ignored = Mdc.put(Mdc.TENANT, t.tenant().value(), Mdc.CONNECTION, connection.value())) {
            Optional<MailboxRecord> existing = inScope(connection, mailbox);
            if (existing.isPresent()) {
                return toScoped(existing.get());
            }
            ResolvedMailbox resolved = directory.resolve(t, mailbox);
            Optional<MailboxRecord> byId = graph.store.findMailbox(connection, resolved.mailboxId());
            if (byId.isPresent()) {
                return toScoped(byId.get());
            }
            List<FolderRef> refs = new FolderResolver(graph, t, resolved.mailboxId().value(), resolved.address(),
                    graph.guards.folderLookup(resolved.mailboxId().value())).resolve(folders);
            MailboxRecord record = new MailboxRecord(connection, resolved.mailboxId(), resolved.address(),
                    resolved.displayName(), resolved.type(), refs, MailboxStatus.PENDING, null, "",
                    graph.clock.instant().truncatedTo(ChronoUnit.MICROS), resolved.aliases());
            graph.store.saveMailbox(record);
            log.info("added mailbox {} ({}) to connection {} with {} folder(s)", resolved.address(),
                    resolved.type(), connection, refs.size());
            return toScoped(record);
        }
    }

    @Override
    public boolean remove(ConnectionId connection, MailboxAddress mailbox) {
        Objects.requireNonNull(mailbox, "mailbox");
        graph.target(connection);
        Optional<MailboxRecord> existing = inScope(connection, mailbox);
        if (existing.isEmpty()) {
            return false;
        }
        boolean removed = graph.store.removeMailbox(connection, existing.get().mailboxId());
        if (removed) {
            log.info("removed mailbox {} from connection {}", existing.get().address(), connection);
        }
        return removed;
    }

    @Override
    public List<ScopedMailbox> list(ConnectionId connection) {
        graph.target(connection);
        return graph.store.listMailboxes(connection).stream().map(GraphMailboxScope::toScoped).toList();
    }

    @Override
    public Optional<ScopedMailbox> find(ConnectionId connection, MailboxAddress mailbox) {
        Objects.requireNonNull(mailbox, "mailbox");
        graph.target(connection);
        return inScope(connection, mailbox).map(GraphMailboxScope::toScoped);
    }

    @Override
    public ScopedMailbox setFolders(ConnectionId connection, MailboxAddress mailbox, List<FolderSelection> folders) {
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(folders, "folders");
        MailboxGraph.Target t = graph.target(connection);
        try (Mdc.Scope ignored = Mdc.put(Mdc.TENANT, t.tenant().value(), Mdc.CONNECTION, connection.value())) {
            MailboxRecord record = inScope(connection, mailbox).orElseThrow(() -> new OutlookClientException(
                    "Mailbox " + mailbox + " is not in the scope of connection " + connection + ": add it first"));
            List<FolderRef> refs = new FolderResolver(graph, t, record.mailboxId().value(), record.address(), null)
                    .resolve(folders);
            // read again right before writing, so a status written meanwhile is kept
            MailboxRecord current = graph.store.findMailbox(connection, record.mailboxId()).orElseThrow(
                    () -> new OutlookClientException("Mailbox " + mailbox + " was removed meanwhile"));
            MailboxRecord updated = current.withFolders(refs);
            graph.store.saveMailbox(updated);
            return toScoped(updated);
        }
    }

    /** The mailbox of the scope that answers to {@code name}, when exactly one does. */
    private Optional<MailboxRecord> inScope(ConnectionId connection, MailboxAddress name) {
        if (name.isObjectId()) {
            return graph.store.findMailbox(connection, MailboxId.of(name.value()));
        }
        List<MailboxRecord> found = graph.store.findMailboxesByName(connection, name);
        return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
    }

    static ScopedMailbox toScoped(MailboxRecord r) {
        return new ScopedMailbox(r.mailboxId(), r.address(), r.aliases(), r.displayName(), r.type(), r.folders(),
                r.status(), r.statusDetail(), r.throttledUntil().orElse(null), r.addedAt());
    }
}
