package com.tekst.outlook.internal.sync;

import com.tekst.outlook.store.BackfillCursor;
import com.tekst.outlook.store.BackfillPosition;
import com.tekst.outlook.store.SyncedChanges;
import com.tekst.outlook.sync.BackfillPage;
import com.tekst.outlook.sync.BackfillRequest;
import com.tekst.outlook.sync.MailMessage;
import com.tekst.outlook.sync.MessagePage;
import com.tekst.outlook.sync.ReceivedRange;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One step of a folder's backfill: read the estimate once, then fetch one page (newest first), deliver it, advance
 * the cursor. Pause, resume and cancel are written to the cursor by the caller's thread; a step whose cursor write
 * meets such a change (same position, other state) merges it instead of losing its page.
 *
 * <p>Pages by key ({@link Keyset}): every page is a fresh query from the cursor's position down, so deleting or moving
 * other messages between two pages cannot make the listing skip a message that stays in the folder.
 */
final class BackfillStep {
    private static final Logger LOG = LoggerFactory.getLogger(BackfillStep.class);

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
        if (t.top == 0) {
            t.top = config.backfillPageSize();
        }
        BackfillPosition position = cursor.position();
        ReceivedRange range = new ReceivedRange(cursor.from(), true, position.upTo(), position.inclusive());
        BackfillPage page = t.pending;
        if (page == null) {
            if (cursor.estimatedTotal() < 0) {
                return estimate(t, cursor);
            }
            BackfillRequest request = new BackfillRequest(m.target(), t.folder, range, t.top, config.select());
            Fetch.Result<BackfillPage> fetched = engine.fetch.call(t, () -> config.source().fetchBackfill(request));
            if (!fetched.ok()) {
                return fetched.expired() ? Outcome.READY : fetched.outcome(); // a listing has no delta state
            }
            page = fetched.value();
            t.pending = page;
        }
        if (engine.gate.killed()) {
            return Outcome.DORMANT;
        }
        Keyset.Step step = Keyset.advance(range, position.deliveredAtUpTo(), page, t.top);
        List<MailMessage> fresh = step.fresh();
        if (step.saturated()) {
            t.pending = null;
            if (t.top < Keyset.MAX_TOP) {
                t.top = Math.min(Keyset.MAX_TOP, t.top * 10);
                LOG.debug("backfill page of folder {} held only messages of one instant already delivered; asking for"
                        + " {} at once", t.folder.id(), t.top);
                return Outcome.READY;
            }
            LOG.warn("backfill of folder {}: more than {} messages received at {}; the listing passes that instant"
                    + " (messages of it not yet delivered may be missing)", t.folder.id(), Keyset.MAX_TOP,
                    position.upTo());
        }
        if (!fresh.isEmpty()) {
            Outcome failed = engine.deliver.page(t, new MessagePage(c.id, c.tenant, m.mailboxId, m.address, t.folder,
                    MessagePage.Kind.BACKFILL, fresh, List.of()));
            if (failed != null) {
                return failed;
            }
        }
        long delivered = cursor.delivered() + fresh.size();
        long estimate = cursor.estimatedTotal() < 0 ? -1 : Math.max(cursor.estimatedTotal(), delivered);
        BackfillCursor.State state = step.complete() ? BackfillCursor.State.COMPLETE : BackfillCursor.State.RUNNING;
        BackfillPosition nextPosition = step.complete() ? position : step.next();
        BackfillCursor next = new BackfillCursor(t.key, cursor.from(), cursor.until(), nextPosition, delivered,
                estimate, state, cursor.version() + 1, engine.now());
        Optional<BackfillCursor> written = engine.checkpoint.cursor(cursor, next, Keyset.synced(fresh));
        if (written == null) {
            return Outcome.DORMANT; // killed, or the lease was lost
        }
        t.pending = null;
        if (written.isEmpty()) {
            LOG.warn("backfill cursor of folder {} was moved by another writer; reloading it", t.folder.id());
            t.cursor = null;
            return Outcome.READY;
        }
        BackfillCursor now = written.get();
        t.cursor = now;
        if (!now.position().upTo().equals(position.upTo())) {
            t.top = config.backfillPageSize();
        }
        engine.report.pageAcknowledged(t, MessagePage.Kind.BACKFILL, fresh.size(), 0);
        engine.report.backfillProgress(t, now);
        if (now.state() == BackfillCursor.State.COMPLETE) {
            engine.report.backfillComplete(t, now);
            return Outcome.DORMANT;
        }
        return now.state() == BackfillCursor.State.RUNNING ? Outcome.READY : Outcome.DORMANT;
    }

    private Outcome estimate(BackfillTask t, BackfillCursor cursor) {
        Fetch.Result<Long> fetched = engine.fetch.call(t,
                () -> engine.config.source().folderItemCount(t.mailbox.target(), t.folder));
        if (!fetched.ok()) {
            return fetched.expired() ? Outcome.READY : fetched.outcome();
        }
        long estimate = Math.max(Math.max(fetched.value(), 0), cursor.delivered());
        BackfillCursor next = new BackfillCursor(t.key, cursor.from(), cursor.until(), cursor.position(),
                cursor.delivered(), estimate, cursor.state(), cursor.version() + 1, engine.now());
        Optional<BackfillCursor> written = engine.checkpoint.cursor(cursor, next, SyncedChanges.NONE);
        if (written == null) {
            return Outcome.DORMANT;
        }
        t.cursor = written.orElse(null);
        written.ifPresent(w -> engine.report.backfillProgress(t, w));
        return Outcome.READY;
    }
}
