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
import java.util.List;
import java.util.Optional;

/**
 * Where the SDK keeps its state. Implementations: {@link InMemoryOutlookStore} (tests, demos) and
 * {@link JdbcOutlookStore} (SQLite file as the embedded default, PostgreSQL in production).
 *
 * <p>Contract: every method is atomic; implementations are thread-safe. Checkpoint and cursor writes are
 * compare-and-set on {@code version}: they succeed only when the stored version equals the expected one, so two
 * workers (or a restarted one) can never acknowledge the same page twice. Removing a connection removes its mailboxes,
 * scope mode, applied restriction, checkpoints, cursors, synced messages, folder events and nonces; removing a mailbox
 * removes its checkpoints, cursors, synced messages and folder events.
 *
 * <p>Precision: a store may keep the records' {@link Instant}s to the microsecond only ({@link JdbcOutlookStore}
 * does: it returns {@code instant.truncatedTo(ChronoUnit.MICROS)}); {@link InMemoryOutlookStore} keeps them as given.
 * Instants with microsecond precision read back unchanged from every store.
 *
 * <p>Engines: a store serves one sync engine unless it offers {@link #workerLeases()} (PostgreSQL), through which
 * several engines share its mailboxes, one owner per mailbox at a time (docs/design/015-scale-out-leases.md).
 */
public interface OutlookStore {

    // ---- connections -----------------------------------------------------------------------------------------------

    /** Inserts or replaces a connection. */
    void saveConnection(Connection connection);

    Optional<Connection> findConnection(ConnectionId id);

    /** Every connection, ordered by id. */
    List<Connection> listConnections();

    /** Deletes a connection and everything stored for it; returns whether it existed. */
    boolean deleteConnection(ConnectionId id);

    /**
     * Sets a connection's status if it is {@code expected} (compare-and-set on the status), leaving every other field
     * as stored. The sync engine uses it so that it never overwrites a status someone else changed meanwhile (e.g. a
     * re-consent that made the connection {@code CONNECTED} again).
     *
     * @return whether the status was changed; {@code false} if the connection is absent or its status differs
     */
    boolean updateConnectionStatus(ConnectionId id, ConnectionStatus expected, ConnectionStatus next);

    // ---- consent nonces --------------------------------------------------------------------------------------------

    /** Stores a new nonce. A digest that already exists is an error ({@link IllegalStateException}). */
    void saveConsentNonce(ConsentNonce nonce);

    /**
     * Removes and returns the nonce with this digest, atomically: of two concurrent calls at most one gets it. Expired
     * nonces are returned too (the caller decides); absent ones are empty.
     */
    Optional<ConsentNonce> consumeConsentNonce(String digest);

    /** Deletes nonces that expired before {@code now}; returns how many. */
    int purgeExpiredConsentNonces(Instant now);

    // ---- mailboxes of a connection ---------------------------------------------------------------------------------

    /** Inserts or replaces a mailbox of a connection (keyed by connection and mailbox id), with its folders and aliases. */
    void saveMailbox(MailboxRecord mailbox);

    Optional<MailboxRecord> findMailbox(ConnectionId connection, MailboxId mailboxId);

    /**
     * The connection's mailboxes that answer to {@code name} ({@link MailboxRecord#answersTo}): for an object id the
     * mailbox with that id, for an address the mailboxes whose primary address or one of whose aliases it is. Ordered
     * by address. Names are unique in a tenant, so more than one result means the stored names are out of date; the
     * scope guard then refuses the request.
     */
    List<MailboxRecord> findMailboxesByName(ConnectionId connection, MailboxAddress name);

    /** The connection's mailboxes, ordered by address. */
    List<MailboxRecord> listMailboxes(ConnectionId connection);

    /** Removes a mailbox with its checkpoints and cursors; returns whether it existed. */
    boolean removeMailbox(ConnectionId connection, MailboxId mailboxId);

    /**
     * Sets a mailbox's status, {@code statusUntil} and {@code statusDetail} if its status is {@code expected}
     * (compare-and-set on the status), leaving every other field (folders, address...) as stored, so a concurrent
     * {@link #saveMailbox} of new folders is never lost to a status write.
     *
     * @param until  for {@link MailboxStatus#THROTTLED}, until when; otherwise {@code null}
     * @param detail an operator-readable reason (may be empty)
     * @return whether it was changed; {@code false} if the mailbox is absent or its status differs
     */
    boolean updateMailboxStatus(ConnectionId connection, MailboxId mailboxId, MailboxStatus expected,
                                MailboxStatus next, Instant until, String detail);

    // ---- mailbox scope mode ----------------------------------------------------------------------------------------

    /** The connection's scope mode; {@link ScopeMode#RESTRICTED} when none was saved (the default). */
    ScopeMode findScopeMode(ConnectionId connection);

    /** Sets the connection's scope mode. */
    void saveScopeMode(ConnectionId connection, ScopeMode mode);

    // ---- tenant-side restriction -----------------------------------------------------------------------------------

    /** Records the restriction the administrator applied, replacing the one recorded before. */
    void saveAppliedRestriction(ConnectionId connection, AppliedRestriction applied);

    /** The restriction the administrator last reported as applied; empty when none was recorded. */
    Optional<AppliedRestriction> findAppliedRestriction(ConnectionId connection);

    // ---- live sync checkpoints -------------------------------------------------------------------------------------

    Optional<FolderCheckpoint> findCheckpoint(FolderKey key);

    /** The checkpoints of a mailbox's folders. */
    List<FolderCheckpoint> listCheckpoints(ConnectionId connection, MailboxId mailboxId);

    /**
     * Writes {@code next} if the stored version is {@code expectedVersion} (0 and absent are the same), in one
     * transaction. {@code next.version()} must be {@code expectedVersion + 1}
     * ({@link IllegalArgumentException} otherwise).
     *
     * @return whether it was written; {@code false} means someone else moved the checkpoint
     */
    default boolean commitCheckpoint(FolderCheckpoint next, long expectedVersion) {
        return commitCheckpoint(next, expectedVersion, SyncedChanges.NONE);
    }

    /**
     * As {@link #commitCheckpoint(FolderCheckpoint, long)}, and applies {@code changes} to the folder's synced
     * messages in the same transaction: both are written, or neither.
     */
    boolean commitCheckpoint(FolderCheckpoint next, long expectedVersion, SyncedChanges changes);

    // ---- backfill cursors ------------------------------------------------------------------------------------------

    Optional<BackfillCursor> findBackfillCursor(FolderKey key);

    List<BackfillCursor> listBackfillCursors(ConnectionId connection, MailboxId mailboxId);

    /** As {@link #commitCheckpoint(FolderCheckpoint, long)}, for backfill cursors. */
    default boolean commitBackfillCursor(BackfillCursor next, long expectedVersion) {
        return commitBackfillCursor(next, expectedVersion, SyncedChanges.NONE);
    }

    /** As {@link #commitCheckpoint(FolderCheckpoint, long, SyncedChanges)}, for backfill cursors. */
    boolean commitBackfillCursor(BackfillCursor next, long expectedVersion, SyncedChanges changes);

    // ---- synced messages -------------------------------------------------------------------------------------------

    /**
     * The folder's synced messages received from {@code from} to {@code to}, both included, newest first (then by
     * id).
     */
    List<SyncedMessage> listSyncedMessages(FolderKey key, Instant from, Instant to);

    /** How many synced messages the folder has. */
    long countSyncedMessages(FolderKey key);

    // ---- folder events ---------------------------------------------------------------------------------------------

    /**
     * Records that {@code event} happened to the folder at {@code at}, and deletes the folder's events older than seven
     * days before {@code at}.
     */
    void recordFolderEvent(FolderKey key, FolderEvent event, Instant at);

    /** How many times {@code event} happened to the folder at or after {@code since}. */
    int countFolderEvents(FolderKey key, FolderEvent event, Instant since);
    // ---- engines sharing the store ---------------------------------------------------------------------------------

    /**
     * The worker registry and mailbox leases, for a store several processes may share: a {@code SyncEngine} on such a
     * store works only on the mailboxes it holds a lease for and fences its writes with it. Empty for a
     * single-engine store. Default: empty.
     */
    default Optional<WorkerLeases> workerLeases() {
        return Optional.empty();
    }

    /**
     * For a single-engine store: the right of one sync engine to run on it, held until the lock is closed. A second
     * engine is refused with {@link com.tekst.outlook.StoreInUseException} naming the store and the holder. Default:
     * {@link EngineLock#NONE} (the store does not check).
     *
     * @param holder who asks, for logs and for the refusal of the next one (process id, host)
     */
    default EngineLock lockSingleEngine(String holder) {
        return EngineLock.NONE;
    }

    /**
     * As {@link #commitCheckpoint(FolderCheckpoint, long, SyncedChanges)}, fenced by a lease: in the same
     * transaction, the write happens only while {@code lease} still holds the folder's mailbox at its epoch.
     * {@code null} writes unfenced.
     *
     * @throws com.tekst.outlook.LeaseLostException if the lease is no longer held; nothing was written
     * @throws IllegalStateException                if a lease is given to a store that grants none
     */
    default boolean commitCheckpoint(FolderCheckpoint next, long expectedVersion, SyncedChanges changes,
                                     MailboxLease lease) {
        requireNoLease(lease);
        return commitCheckpoint(next, expectedVersion, changes);
    }

    /**
     * As {@link #commitBackfillCursor(BackfillCursor, long, SyncedChanges)}, fenced by a lease like
     * {@link #commitCheckpoint(FolderCheckpoint, long, SyncedChanges, MailboxLease)}.
     *
     * @throws com.tekst.outlook.LeaseLostException if the lease is no longer held; nothing was written
     * @throws IllegalStateException                if a lease is given to a store that grants none
     */
    default boolean commitBackfillCursor(BackfillCursor next, long expectedVersion, SyncedChanges changes,
                                         MailboxLease lease) {
        requireNoLease(lease);
        return commitBackfillCursor(next, expectedVersion, changes);
    }

    /**
     * As {@link #updateMailboxStatus(ConnectionId, MailboxId, MailboxStatus, MailboxStatus, Instant, String)},
     * fenced by a lease like {@link #commitCheckpoint(FolderCheckpoint, long, SyncedChanges, MailboxLease)}.
     *
     * @throws com.tekst.outlook.LeaseLostException if the lease is no longer held; nothing was written
     * @throws IllegalStateException                if a lease is given to a store that grants none
     */
    default boolean updateMailboxStatus(ConnectionId connection, MailboxId mailboxId, MailboxStatus expected,
                                        MailboxStatus next, Instant until, String detail, MailboxLease lease) {
        requireNoLease(lease);
        return updateMailboxStatus(connection, mailboxId, expected, next, until, detail);
    }

    private static void requireNoLease(MailboxLease lease) {
        if (lease != null) {
            throw new IllegalStateException("this store grants no leases: write without one");
        }
    }
}
