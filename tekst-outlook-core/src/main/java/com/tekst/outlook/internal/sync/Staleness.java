package com.tekst.outlook.internal.sync;

import com.tekst.outlook.MailboxId;
import com.tekst.outlook.store.FolderCheckpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the listener when a connection has had no successful sync (an acknowledged page or a completed round of any
 * of its folders) for longer than the configured time, and when it syncs again: one event per change, never one per
 * failed request. A connection counts only while it is active and has a mailbox that may sync (not paused, not
 * stopped): a paused or disconnected connection says so through its status. The clock starts at the connection's
 * newest checkpoint write in the store, or when the engine first saw it. Fields live in {@link ConnectionState},
 * guarded by its {@code statusLock}.
 */
final class Staleness {
    private static final Logger LOG = LoggerFactory.getLogger(Staleness.class);

    private final DefaultSyncEngine engine;
    private final Duration after;

    Staleness(DefaultSyncEngine engine, Duration after) {
        this.engine = engine;
        this.after = after;
    }

    /** A page was acknowledged or a round completed for a folder of the connection. */
    void succeeded(ConnectionState c) {
        Instant now = engine.now();
        boolean recovered;
        synchronized (c.statusLock) {
            c.lastSuccessAt = now;
            recovered = c.stale;
            c.stale = false;
            if (recovered) {
                LOG.info("connection {} syncs again (it had been stale)", c.id);
                engine.listener.connectionStaleChanged(c.id, false, now);
            }
        }
    }

    /**
     * Checks the connections that may sync ({@code watched}, read under the scheduler's lock) for staleness; called
     * after every read of the store, outside the scheduler's lock.
     */
    void check(List<ConnectionState> watched) {
        Instant now = engine.now();
        for (ConnectionState c : watched) {
            Instant since;
            synchronized (c.statusLock) {
                since = c.lastSuccessAt;
            }
            if (since == null) {
                since = newestWrite(c).orElse(now);
                synchronized (c.statusLock) {
                    if (c.lastSuccessAt == null) {
                        c.lastSuccessAt = since;
                    }
                    since = c.lastSuccessAt;
                }
            }
            synchronized (c.statusLock) {
                if (!c.stale && Duration.between(c.lastSuccessAt, now).compareTo(after) > 0) {
                    c.stale = true;
                    LOG.warn("connection {} is stale: no successful sync since {} (longer than {})", c.id,
                            c.lastSuccessAt, after);
                    engine.listener.connectionStaleChanged(c.id, true, c.lastSuccessAt);
                }
            }
        }
    }

    private java.util.Optional<Instant> newestWrite(ConnectionState c) {
        List<MailboxId> mailboxes;
        engine.scheduler.lock.lock();
        try {
            mailboxes = List.copyOf(c.mailboxes.keySet());
        } finally {
            engine.scheduler.lock.unlock();
        }
        Instant newest = null;
        try {
            for (MailboxId m : mailboxes) {
                for (FolderCheckpoint cp : engine.config.store().listCheckpoints(c.id, m)) {
                    if (newest == null || cp.updatedAt().isAfter(newest)) {
                        newest = cp.updatedAt();
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("could not read the checkpoints of connection {}: {}", c.id, e.getClass().getName());
        }
        return java.util.Optional.ofNullable(newest);
    }
}
