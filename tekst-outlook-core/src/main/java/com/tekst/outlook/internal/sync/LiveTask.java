package com.tekst.outlook.internal.sync;

import com.tekst.outlook.mailbox.FolderRef;
import com.tekst.outlook.store.FolderCheckpoint;
import com.tekst.outlook.sync.DeltaPage;
import com.tekst.outlook.sync.MessagePage;
import java.time.Instant;

/** A folder's live (delta) sync. */
final class LiveTask extends FolderTask {
    // step-owned
    FolderCheckpoint checkpoint;
    /** A fetched page the sink has not acknowledged yet: redelivered as is, without a new call. */
    DeltaPage pending;
    /** The newest receivedDateTime delivered in the current round (committed as the watermark at round end). */
    Instant roundMax;
    int roundPages;
    int roundMessages;
    int roundRemovals;
    /** When the last round ended (this engine's clock), or {@code null} before the first one. */
    Instant lastRoundEnded;
    /**
     * The next page, requested while the current one is delivered and checkpointed, or {@code null}. Set and cleared
     * under the scheduler's lock (a retired task's slot is freed by whichever thread comes last).
     */
    volatile Ahead ahead;
    /** The reconciliation pass in progress between rounds, or {@code null}. */
    Reconciliation reconcile;

    // read by status computation under the lock
    volatile boolean inRound;
    volatile boolean everCompleted;

    LiveTask(MailboxState mailbox, FolderRef folder) {
        super(mailbox, folder);
    }

    @Override
    MessagePage.Kind kind() {
        return MessagePage.Kind.LIVE;
    }

    @Override
    boolean needsCall() {
        return pending == null && ahead == null; // a page fetched ahead holds its own slot
    }
}
