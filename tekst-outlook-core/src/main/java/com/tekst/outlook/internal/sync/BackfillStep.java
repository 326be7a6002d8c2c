package com.tekst.outlook.internal.sync;

import com.tekst.outlook.store.BackfillCursor;
import com.tekst.outlook.sync.BackfillPage;
import com.tekst.outlook.sync.BackfillRequest;
import com.tekst.outlook.sync.DeltaExpiredException;
import com.tekst.outlook.sync.MessagePage;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One step of a folder's backfill: read the estimate once, then fetch one page (newest first), deliver it, advance
 * the cursor. Pause, resume and cancel are written to the cursor by the caller's thread; a step whose cursor write
 * meets such a change (same position, other state) merges it instead of losing its page.
 */
final class BackfillStep {
    private static final Logger LOG = LoggerFactory.getLogger(BackfillStep.class);
    private static final int MERGE_ATTEMPTS = 5;

    private final DefaultSyncEngine engine;

    BackfillStep(DefaultSyncEngine engine) {
        this.engine = engine;
    }

    Outcome run(BackfillTask t) {
        if (engine.halted(t)) {
            return Outcome.DORMANT;
        }
        EngineConfig config = engine.config;
        if (t.cursor == null) {
            t.cursor = config.store().findBackfillCursor(t.key).orElse(null);
        }
        BackfillCursor cursor = t.cursor;
        if (cursor == null || cursor.state() != BackfillCursor.State.RUNNING) {
            return Outcome.DORMANT;
        }
        MailboxState m = t.mailbox;
        ConnectionState c = m.connection;
        BackfillPage page = t.pending;
        if (page == null) {
            if (cursor.estimatedTotal() < 0) {
                return estimate(t, cursor);
            }
            BackfillRequest request = new BackfillRequest(m.target(), t.folder, cursor.from(), cursor.until(),
                    cursor.nextLink(), config.backfillPageSize(), config.select());
            if (!engine.scheduler.beginCall(t)) {
                return Outcome.READY;
            }
            try {
                page = config.source().fetchBackfill(request);
            } catch (DeltaExpiredException e) {
                engine.scheduler.endCall(t);
                return restartListing(t, cursor);
            } catch (RuntimeException e) {
                return engine.callFailedAndRelease(t, e);
            }
            engine.callReturned(t);
            t.pending = page;
        }
        if (engine.gate.killed()) {
            return Outcome.DORMANT;
        }
        if (!page.messages().isEmpty()) {
            Outcome failed = engine.deliver(t, new MessagePage(c.id, c.tenant, m.mailboxId, m.address, t.folder,
                    MessagePage.Kind.BACKFILL, page.messages(), java.util.List.of()));
            if (failed != null) {
                return failed;
            }
        }
        long delivered = cursor.delivered() + page.messages().size();
        long estimate = cursor.estimatedTotal() < 0 ? -1 : Math.max(cursor.estimatedTotal(), delivered);
        BackfillCursor.State state = page.isLast() ? BackfillCursor.State.COMPLETE : BackfillCursor.State.RUNNING;
        BackfillCursor next = new BackfillCursor(t.key, cursor.from(), cursor.until(), page.nextLink(), delivered,
                estimate, state, cursor.version() + 1, engine.now());
        Optional<BackfillCursor> written = commit(t, cursor, next);
        if (written == null) {
            return Outcome.DORMANT; // killed
        }
        t.pending = null;
        if (written.isEmpty()) {
            LOG.warn("backfill cursor of folder {} was moved by another writer; reloading it", t.folder.id());
            t.cursor = null;
            return Outcome.READY;
        }
        BackfillCursor now = written.get();
        t.cursor = now;
        if (!page.messages().isEmpty()) {
            engine.listener.pageAcknowledged(t.key, MessagePage.Kind.BACKFILL, page.messages().size(), 0);
        }
        engine.listener.backfillProgress(t.key, now.delivered(), now.estimatedTotal());
        if (now.state() == BackfillCursor.State.COMPLETE) {
            LOG.info("backfill of folder {} complete: {} messages", t.folder.id(), now.delivered());
            engine.backfillEnded(t);
            engine.listener.backfillStateChanged(t.key, BackfillCursor.State.RUNNING, BackfillCursor.State.COMPLETE);
            engine.statuses.mailboxChanged(m, "backfill complete");
            return Outcome.DORMANT;
        }
        return now.state() == BackfillCursor.State.RUNNING ? Outcome.READY : Outcome.DORMANT;
    }

    private Outcome estimate(BackfillTask t, BackfillCursor cursor) {
        if (!engine.scheduler.beginCall(t)) {
            return Outcome.READY;
        }
        long count;
        try {
            count = engine.config.source().folderItemCount(t.mailbox.target(), t.folder);
        } catch (RuntimeException e) {
            return engine.callFailedAndRelease(t, e);
        }
        engine.scheduler.endCall(t);
        engine.callSucceeded(t);
        long estimate = Math.max(Math.max(count, 0), cursor.delivered());
        BackfillCursor next = new BackfillCursor(t.key, cursor.from(), cursor.until(), cursor.nextLink(),
                cursor.delivered(), estimate, cursor.state(), cursor.version() + 1, engine.now());
        Optional<BackfillCursor> written = commit(t, cursor, next);
        if (written == null) {
            return Outcome.DORMANT;
        }
        t.cursor = written.orElse(null);
        written.ifPresent(w -> engine.listener.backfillProgress(t.key, w.delivered(), w.estimatedTotal()));
        return Outcome.READY;
    }

    /** A listing link went stale: list again from the newest end (already delivered mail comes again). */
    private Outcome restartListing(BackfillTask t, BackfillCursor cursor) {
        BackfillCursor next = new BackfillCursor(t.key, cursor.from(), cursor.until(), null, cursor.delivered(),
                cursor.estimatedTotal(), cursor.state(), cursor.version() + 1, engine.now());
        Optional<BackfillCursor> written = commit(t, cursor, next);
        if (written == null) {
            return Outcome.DORMANT;
        }
        LOG.warn("backfill listing of folder {} expired; listing again from the newest message", t.folder.id());
        t.cursor = written.orElse(null);
        return Outcome.READY;
    }

    /**
     * Writes {@code next} over {@code expected}; on a conflict that only changed the state (pause, resume, cancel
     * from another thread) keeps that state and retries. Returns {@code null} when the engine was killed, empty on a
     * real conflict (someone else moved the position).
     */
    private Optional<BackfillCursor> commit(BackfillTask t, BackfillCursor expected, BackfillCursor next) {
        BackfillCursor base = expected;
        BackfillCursor candidate = next;
        for (int attempt = 0; attempt < MERGE_ATTEMPTS; attempt++) {
            BackfillCursor write = candidate;
            long version = base.version();
            CommitGate.Result result = engine.gate.write(() -> engine.config.store().commitBackfillCursor(write,
                    version));
            if (result == CommitGate.Result.KILLED) {
                return null;
            }
            if (result == CommitGate.Result.WRITTEN) {
                return Optional.of(write);
            }
            BackfillCursor stored = engine.config.store().findBackfillCursor(t.key).orElse(null);
            if (stored == null || !Objects.equals(stored.nextLink(), base.nextLink())
                    || stored.delivered() != base.delivered() || !stored.from().equals(base.from())
                    || !stored.until().equals(base.until())) {
                return Optional.empty();
            }
            BackfillCursor.State state = candidate.state() == BackfillCursor.State.COMPLETE
                    ? BackfillCursor.State.COMPLETE : stored.state();
            candidate = new BackfillCursor(t.key, candidate.from(), candidate.until(), candidate.nextLink(),
                    candidate.delivered(), candidate.estimatedTotal(), state, stored.version() + 1, engine.now());
            base = stored;
        }
        return Optional.empty();
    }

    /**
     * A failed call: its consequences (a {@code Retry-After} fence, a stopped mailbox or connection) are in place
     * before its slot is released, so no other call of the mailbox can start in between: one picked meanwhile waits
     * for the slot, then meets the fence in {@code beginCall}.
     */
}
