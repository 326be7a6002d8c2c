package com.tekst.outlook.internal.sync;

import com.tekst.outlook.Connection;
import com.tekst.outlook.ConnectionStatus;
import com.tekst.outlook.ErrorDetails;
import com.tekst.outlook.LeaseLostException;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.store.MailboxLease;
import com.tekst.outlook.store.MailboxRecord;
import com.tekst.outlook.store.OutlookStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persists connection and mailbox status transitions (compare-and-set on the status, so a change made elsewhere is
 * never overwritten: it is adopted instead) and then reports them to the listener. One transition at a time per
 * connection and per mailbox, in the order decided.
 */
final class Statuses {
    private static final Logger LOG = LoggerFactory.getLogger(Statuses.class);

    private final Scheduler scheduler;
    private final OutlookStore store;
    private final SafeListener listener;
    private final Clock clock;
    private final DefaultSyncEngine engine;

    Statuses(Scheduler scheduler, OutlookStore store, SafeListener listener, Clock clock, DefaultSyncEngine engine) {
        this.engine = engine;
        this.scheduler = scheduler;
        this.store = store;
        this.listener = listener;
        this.clock = clock;
    }

    /** Recomputes the mailbox's status from what the engine knows and persists it if it changed. */
    void mailboxChanged(MailboxState m, String reason) {
        mailboxChanged(m, reason, ErrorDetails.NONE);
    }

    /** As {@link #mailboxChanged(MailboxState, String)}, for a change a failed request caused. */
    void mailboxChanged(MailboxState m, String reason, ErrorDetails details) {
        synchronized (m.statusLock) {
            announce(m);
            for (int attempt = 0; attempt < 2; attempt++) {
                MailboxStatus from;
                MailboxStatus to;
                Instant until;
                scheduler.lock.lock();
                try {
                    if (m.removed) {
                        return;
                    }
                    to = compute(m, clock.instant());
                    until = to == MailboxStatus.THROTTLED ? m.fenceUntil : null;
                    from = m.persisted;
                    if (from == to && Objects.equals(until, m.persistedUntil)) {
                        return;
                    }
                } finally {
                    scheduler.lock.unlock();
                }
                String detail = to == MailboxStatus.IDLE || to == MailboxStatus.SYNCING ? "" : reason;
                boolean written;
                try {
                    MailboxLease lease = engine.leasing.fenceFor(m.connection.id, m.mailboxId);
                    written = lease == null ? store.updateMailboxStatus(m.connection.id, m.mailboxId, from, to, until,
                            detail) : store.updateMailboxStatus(m.connection.id, m.mailboxId, from, to, until, detail,
                            lease);
                } catch (LeaseLostException e) {
                    engine.leaseLost(m.connection.id, m.mailboxId); // the owner now writes the mailbox's status
                    return;
                }
                if (written) {
                    scheduler.lock.lock();
                    try {
                        m.persisted = to;
                        m.persistedUntil = until;
                        m.changedSeq = scheduler.nextSeq(); // a store read begun before this write is stale
                    } finally {
                        scheduler.lock.unlock();
                    }
                    if (to == MailboxStatus.SYNCING || to == MailboxStatus.IDLE) {
                        LOG.debug("mailbox status {} -> {}", from, to);
                    } else {
                        LOG.info("mailbox status {} -> {}{}: {}", from, to, until == null ? "" : " until " + until,
                                reason);
                    }
                    listener.mailboxStatusChanged(m.connection.id, m.mailboxId, from, to, until, reason, details);
                    return;
                }
                adopt(m);
            }
        }
    }

    /**
     * Reports a mailbox added while the engine runs ({@code from} null, {@code to} its first status), once, before
     * any other transition of it.
     */
    void announce(MailboxState m) {
        synchronized (m.statusLock) {
            String reason;
            MailboxStatus to;
            Instant until;
            scheduler.lock.lock();
            try {
                reason = m.unannounced;
                m.unannounced = null;
                to = m.persisted;
                until = m.persistedUntil;
            } finally {
                scheduler.lock.unlock();
            }
            if (reason != null) {
                LOG.info("mailbox {} is {}: {}", m.mailboxId, to, reason);
                listener.mailboxStatusChanged(m.connection.id, m.mailboxId, null, to, until, reason, ErrorDetails.NONE);
            }
        }
    }

    /**
     * The store's mailbox status differs from what the engine thought: take the store's, and tell the listener of
     * the change made elsewhere (once: the engine's next store read then finds nothing new).
     */
    private void adopt(MailboxState m) {
        Optional<MailboxRecord> record = store.findMailbox(m.connection.id, m.mailboxId);
        MailboxStatus from;
        scheduler.lock.lock();
        try {
            m.changedSeq = scheduler.nextSeq();
            from = m.persisted;
            if (record.isEmpty()) {
                if (m.removed) {
                    return;
                }
                m.removed = true;
                m.live.values().forEach(scheduler::retire);
                m.backfill.values().forEach(scheduler::retire);
            } else {
                adopt(m, record.get());
            }
        } finally {
            scheduler.lock.unlock();
        }
        MailboxStatus to = record.map(MailboxRecord::status).orElse(null);
        if (from != to) {
            String reason = record.map(DefaultSyncEngine::changedElsewhere).orElse("removed from the connection");
            LOG.info("mailbox status {} -> {}: {}", from, to, reason);
            listener.mailboxStatusChanged(m.connection.id, m.mailboxId, from, to,
                    record.flatMap(MailboxRecord::throttledUntil).orElse(null), reason, ErrorDetails.NONE);
        }
    }

    /** Lock held. */
    private void adopt(MailboxState m, MailboxRecord r) {
        m.persisted = r.status();
        m.persistedUntil = r.throttledUntil().orElse(null);
        m.stoppedBy = r.status().stopsSync() ? r.status() : null;
        m.paused = r.status() == MailboxStatus.PAUSED;
        scheduler.requeue(m);
    }

    /** Lock held. Stops first, then pause, throttling, backfill, a round in progress, idle. */
    MailboxStatus compute(MailboxState m, Instant now) {
        if (m.stoppedBy != null) {
            return m.stoppedBy;
        }
        if (m.paused) {
            return MailboxStatus.PAUSED;
        }
        if (m.fenceUntil.isAfter(now)) {
            return MailboxStatus.THROTTLED;
        }
        for (BackfillTask t : m.backfill.values()) {
            if (!t.retired && t.state != FolderTask.State.DORMANT) {
                return MailboxStatus.BACKFILLING;
            }
        }
        boolean completed = false;
        for (LiveTask t : m.live.values()) {
            if (t.inRound) {
                return MailboxStatus.SYNCING;
            }
            completed |= t.everCompleted;
        }
        return completed ? MailboxStatus.IDLE : MailboxStatus.PENDING;
    }

    /** Moves the connection to {@code to}, persisted with compare-and-set; a different stored status is adopted. */
    void connectionTo(ConnectionState c, ConnectionStatus to, String reason) {
        connectionTo(c, to, reason, ErrorDetails.NONE);
    }

    /** As {@link #connectionTo(ConnectionState, ConnectionStatus, String)}, for a change a failed request caused. */
    void connectionTo(ConnectionState c, ConnectionStatus to, String reason, ErrorDetails details) {
        synchronized (c.statusLock) {
            ConnectionStatus from;
            scheduler.lock.lock();
            try {
                from = c.status;
                if (from == to || c.removed) {
                    return;
                }
                if (to.stopsSync()) {
                    c.status = to; // no new call for this connection from here on, even before the write
                    c.changedSeq = scheduler.nextSeq();
                }
            } finally {
                scheduler.lock.unlock();
            }
            boolean written = store.updateConnectionStatus(c.id, from, to);
            Optional<Connection> stored = written ? Optional.empty() : store.findConnection(c.id);
            scheduler.lock.lock();
            try {
                c.changedSeq = scheduler.nextSeq();
                if (written) {
                    c.status = to;
                } else if (stored.isPresent()) {
                    c.status = stored.get().status();
                } else {
                    c.removed = true;
                }
                if (c.active()) {
                    for (MailboxState m : c.mailboxes.values()) {
                        scheduler.requeue(m);
                    }
                }
            } finally {
                scheduler.lock.unlock();
            }
            if (!written) {
                LOG.info("connection status changed elsewhere; now {}", stored.map(Connection::status).orElse(null));
                return;
            }
            if (to.stopsSync()) {
                LOG.warn("connection status {} -> {}: every mailbox of the connection stops ({})", from, to, reason);
            } else {
                LOG.info("connection status {} -> {} ({})", from, to, reason);
            }
            listener.connectionStatusChanged(c.id, from, to, reason, details);
        }
    }

    /** A task's call failed transiently: its connection is DEGRADED until every such task succeeded again. */
    void transientFailure(FolderTask t, String reason) {
        ConnectionState c = t.mailbox.connection;
        ConnectionStatus status;
        scheduler.lock.lock();
        try {
            t.troubled = true;
            status = c.status;
        } finally {
            scheduler.lock.unlock();
        }
        if (status == ConnectionStatus.CONNECTED) {
            connectionTo(c, ConnectionStatus.DEGRADED, reason);
        }
    }

    /** A task's call succeeded: once no task of the connection is in trouble, DEGRADED becomes CONNECTED. */
    void callSucceeded(FolderTask t) {
        ConnectionState c = t.mailbox.connection;
        boolean recovered;
        scheduler.lock.lock();
        try {
            t.troubled = false;
            recovered = c.status == ConnectionStatus.DEGRADED && !troubled(c);
        } finally {
            scheduler.lock.unlock();
        }
        if (recovered) {
            connectionTo(c, ConnectionStatus.CONNECTED, "calls succeed again");
        }
    }

    /** Lock held. Whether a running mailbox of the connection has a task in transient failure. */
    private static boolean troubled(ConnectionState c) {
        for (MailboxState m : c.mailboxes.values()) {
            if (!m.runnable()) {
                continue;
            }
            for (LiveTask t : m.live.values()) {
                if (t.troubled && !t.retired) {
                    return true;
                }
            }
            for (BackfillTask t : m.backfill.values()) {
                if (t.troubled && !t.retired) {
                    return true;
                }
            }
        }
        return false;
    }
}
