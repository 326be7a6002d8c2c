package com.tekst.outlook.internal.sync;

import com.tekst.outlook.mailbox.FolderRef;
import com.tekst.outlook.store.FolderKey;
import com.tekst.outlook.sync.MessagePage;
import java.time.Instant;

/**
 * The unit the scheduler runs: one folder's live sync or backfill. Each run ("step") makes at most one
 * {@code MailSource} call, delivers at most one page and writes at most one checkpoint, then the task goes back to the
 * scheduler, so live work of a mailbox can overtake its backfill between any two pages.
 *
 * <p>Scheduling fields are guarded by the scheduler's lock; step fields are touched only by the thread running the
 * step (a task runs on one thread at a time), with the lock's hand-over ordering the accesses.
 */
abstract class FolderTask {
    enum State { DORMANT, WAITING, READY, RUNNING }

    final MailboxState mailbox;
    final FolderRef folder;
    final FolderKey key;

    // scheduling (lock)
    State state = State.DORMANT;
    Instant dueAt;
    long wakeSeq;
    boolean retired;
    boolean slotHeld;
    boolean rerun;
    /** Backfill only: paused or cancelled by the application; the next step does nothing. */
    boolean halted;
    /** The last call failed transiently (backoff or throttled); the connection is DEGRADED while any task is. */
    boolean troubled;

    // step-owned
    int failures;

    FolderTask(MailboxState mailbox, FolderRef folder) {
        this.mailbox = mailbox;
        this.folder = folder;
        this.key = new FolderKey(mailbox.connection.id, mailbox.mailboxId, folder.id());
    }

    abstract MessagePage.Kind kind();

    /** Whether the next step makes a {@code MailSource} call (and so needs a slot and budget). */
    abstract boolean needsCall();
}
