package com.tekst.outlook.store;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.MailboxId;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Sync engines sharing one store: a registry of workers with a heartbeat, and one lease per mailbox. Time is the
 * database's: expiry instants are computed and compared by the database, never from a worker's clock, so clock skew
 * between engines does not matter. {@link OutlookStore#workerLeases()} gives it for stores that several engines may
 * share ({@link JdbcOutlookStore} on PostgreSQL).
 *
 * <p>Every grant of a lease increments the mailbox's fencing epoch. Checkpoint, cursor and status writes of a leased
 * mailbox pass the holder's {@link MailboxLease} ({@link OutlookStore#commitCheckpoint(FolderCheckpoint, long,
 * SyncedChanges, MailboxLease)} and its siblings); the store refuses them with
 * {@link com.tekst.outlook.LeaseLostException} unless that worker still holds the lease at that epoch and it has not
 * expired.
 *
 * <p>Implementations are thread-safe; every method is atomic.
 */
public interface WorkerLeases {
    /**
     * Registers a new worker, alive for {@code lease} from now (database time).
     *
     * @param description who the worker is, for operators (host, process id); never a secret
     * @param lease       how long the registration and the worker's leases last without a heartbeat
     * @return the new worker's id
     */
    String register(String description, Duration lease);

    /**
     * One heartbeat: extends the worker and its unexpired leases by {@code lease}, then claims free or expired
     * mailbox leases (skipping rows other workers have locked) until the worker holds its fair share, each claim
     * incrementing the epoch. A worker whose registration expired meanwhile is registered again under the same id;
     * its expired leases are lost either way.
     *
     * @return what the worker holds now, with the fair share
     */
    LeaseState heartbeat(String workerId, Duration lease);

    /**
     * Gives leases up (shedding above the fair share, or stopping): they become free at once, keeping their epoch
     * and recorded fence. Leases the worker no longer holds at that epoch are left alone.
     */
    void release(String workerId, Collection<MailboxLease> leases);

    /** Releases every lease of the worker and removes it from the registry (a graceful stop). */
    void deregister(String workerId);

    /**
     * Records a {@code Retry-After} fence with the lease, so a later owner does not call before it either. Fenced:
     * refused with {@link com.tekst.outlook.LeaseLostException} when the lease is no longer held.
     */
    void recordFence(MailboxLease lease, Instant until);

    /**
     * Tells the mailbox's owner, whichever engine it is, to look at the mailbox again (a control call made on another
     * engine: sync now, pause, resume, backfill). The owner sees it at its next heartbeat.
     */
    void signal(ConnectionId connection, MailboxId mailboxId);

    /** Every mailbox lease that is held and unexpired now, ordered by connection and mailbox. */
    List<MailboxLease> listLeases();

    /** How many workers are alive now (heartbeat not expired). */
    int liveWorkers();
}
