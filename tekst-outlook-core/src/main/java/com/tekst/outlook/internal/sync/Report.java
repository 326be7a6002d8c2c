package com.tekst.outlook.internal.sync;

import com.tekst.outlook.store.BackfillCursor;
import com.tekst.outlook.store.FolderEvent;
import com.tekst.outlook.sync.MessagePage;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 5 of a step, after its {@link Checkpoint} was written: tells the world. Logs, events to the application's
 * listener (through {@link SafeListener}: fast, never throws) and the mailbox's recomputed status ({@link Statuses},
 * persisted compare-and-set). Nothing here changes what was delivered or acknowledged.
 */
final class Report {
    private static final Logger LOG = LoggerFactory.getLogger(Report.class);

    private final DefaultSyncEngine engine;

    Report(DefaultSyncEngine engine) {
        this.engine = engine;
    }

    /** A live round begins (before its first call): the mailbox shows it is syncing. */
    void roundStarted(LiveTask t) {
        if (!t.inRound) {
            t.inRound = true;
            engine.statuses.mailboxChanged(t.mailbox, "sync round started");
        }
    }

    void pageAcknowledged(FolderTask t, MessagePage.Kind kind, int messages, int removals) {
        engine.staleness.succeeded(t.mailbox.connection);
        if (messages == 0 && removals == 0) {
            return;
        }
        LOG.debug("{} page acknowledged: folder {}, {} messages, {} removals", kind.name().toLowerCase(
                java.util.Locale.ROOT), t.folder.id(), messages, removals);
        engine.listener.pageAcknowledged(t.key, kind, messages, removals);
    }

    void roundCompleted(LiveTask t) {
        engine.staleness.succeeded(t.mailbox.connection);
        LOG.debug("round completed: folder {}, {} pages, {} messages, {} removals", t.folder.id(), t.roundPages,
                t.roundMessages, t.roundRemovals);
        engine.listener.roundCompleted(t.key, t.roundPages, t.roundMessages, t.roundRemovals);
        engine.statuses.mailboxChanged(t.mailbox, "sync round completed");
    }

    /** Another writer moved the folder's checkpoint: this task's round ended without acknowledging its page. */
    void checkpointMoved(LiveTask t, String what) {
        LOG.warn("checkpoint of folder {} was moved by another writer; this {} stops here", t.folder.id(), what);
        engine.statuses.mailboxChanged(t.mailbox, "checkpoint moved elsewhere");
    }

    void deltaExpired(LiveTask t, Instant restart) {
        LOG.info("delta state of folder {} expired; restarting the folder from {}", t.folder.id(), restart);
        folderEvent(t, FolderEvent.DELTA_RESET);
        engine.listener.deltaExpired(t.key, restart);
    }

    /**
     * Records a folder event for diagnostics. A store that cannot record it costs the count, never the sync: the
     * failure is logged and the step goes on.
     */
    void folderEvent(FolderTask t, FolderEvent event) {
        try {
            engine.config.store().recordFolderEvent(t.key, event, engine.now());
        } catch (RuntimeException e) {
            LOG.warn("could not record {} of folder {} for diagnostics: {}", event, t.folder.id(),
                    e.getClass().getName());
        }
    }

    void backfillProgress(BackfillTask t, BackfillCursor cursor) {
        engine.listener.backfillProgress(t.key, cursor.delivered(), cursor.estimatedTotal());
    }

    void backfillComplete(BackfillTask t, BackfillCursor cursor) {
        LOG.info("backfill of folder {} complete: {} messages", t.folder.id(), cursor.delivered());
        engine.backfillEnded(t);
        engine.listener.backfillStateChanged(t.key, BackfillCursor.State.RUNNING, BackfillCursor.State.COMPLETE);
        engine.statuses.mailboxChanged(t.mailbox, "backfill complete");
    }

    void reconciled(LiveTask t, Reconciliation r) {
        if (r.added > 0 || r.removed > 0) {
            LOG.info("reconciled folder {}: {} listed, {} delivered that had been missing, {} removed", t.folder.id(),
                    r.listed, r.added, r.removed);
        } else {
            LOG.debug("reconciled folder {}: {} listed, nothing missing or removed", t.folder.id(), r.listed);
        }
        engine.listener.reconciled(t.key, r.listed, r.added, r.removed);
    }
}
