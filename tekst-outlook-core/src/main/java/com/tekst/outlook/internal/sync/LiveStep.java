package com.tekst.outlook.internal.sync;

import com.tekst.outlook.store.FolderCheckpoint;
import com.tekst.outlook.store.SyncedChanges;
import com.tekst.outlook.sync.DeltaPage;
import com.tekst.outlook.sync.DeltaRequest;
import com.tekst.outlook.sync.MailMessage;
import com.tekst.outlook.sync.MessagePage;
import java.time.Instant;
import java.util.List;

/**
 * One step of a folder's live sync: fetch one delta page (or take the unacknowledged one, or the one requested
 * {@linkplain Ahead ahead} by the previous step), request the page after it ahead, deliver it, write the checkpoint.
 *
 * <p>Checkpoint rules. Mid-round the next link is stored (progress; a restart continues there); the delta link only
 * with the round's last page. {@code lastReceivedAt} is a watermark written at the end of a round: the newest
 * {@code receivedDateTime} of the rounds completed so far. It is deliberately not advanced mid-round, because delta
 * pages come in no guaranteed order (often newest first): restarting after an expiry from the newest message of a
 * half-delivered round would skip the older messages of its undelivered pages. Restarting from the watermark minus the
 * overlap covers them.
 */
final class LiveStep {
    private final DefaultSyncEngine engine;

    LiveStep(DefaultSyncEngine engine) {
        this.engine = engine;
    }

    Outcome run(LiveTask t) {
        MailboxState m = t.mailbox;
        ConnectionState c = m.connection;
        EngineConfig config = engine.config;
        if (t.checkpoint == null) {
            t.checkpoint = config.store().findCheckpoint(t.key)
                    .orElseGet(() -> FolderCheckpoint.initial(t.key, engine.now()));
            t.everCompleted |= t.checkpoint.deltaLink().isPresent();
        }
        FolderCheckpoint cp = t.checkpoint;
        DeltaPage page = t.pending;
        Ahead ahead = t.ahead;
        if (ahead != null && page == null && !cp.nextLink().map(ahead.link::equals).orElse(false)) {
            // the folder's position moved: not the page that follows it. The step was picked without a call slot
            // (the page held its own): it runs again once the scheduler gives it one.
            engine.scheduler.dropAhead(t, ahead);
            return Outcome.READY;
        }
        if (t.reconcile != null && page == null && cp.nextLink().isEmpty() && !roundDue(t)) {
            return engine.reconcileStep.run(t);
        }
        if (page == null) {
            Fetch.Result<DeltaPage> fetched;
            if (ahead != null) {
                engine.report.roundStarted(t);
                fetched = engine.fetch.take(t, ahead);
                if (fetched == null) {
                    return Outcome.READY; // no page after all: requested again with a slot of its own
                }
            } else {
                DeltaRequest request;
                if (cp.nextLink().isPresent()) {
                    request = continueFrom(t, config, cp.nextLink().get());
                } else {
                    startRound(t);
                    request = cp.deltaLink().isPresent()
                            ? continueFrom(t, config, cp.deltaLink().get())
                            : DeltaRequest.initial(m.target(), t.folder, restartPoint(c, cp), config.pageSize(),
                            config.select());
                }
                engine.report.roundStarted(t);
                fetched = engine.fetch.call(t, () -> config.source().fetchDelta(request));
            }
            if (fetched.expired()) {
                return expired(t, cp);
            }
            if (!fetched.ok()) {
                return fetched.outcome();
            }
            page = fetched.value();
            t.pending = page;
            engine.fetch.ahead(t, page);
        }
        if (engine.gate.killed()) {
            return Outcome.DORMANT;
        }
        boolean delivered = !page.messages().isEmpty() || !page.removedIds().isEmpty();
        if (delivered) {
            Outcome failed = engine.deliver.page(t, new MessagePage(c.id, c.tenant, m.mailboxId, m.address, t.folder,
                    MessagePage.Kind.LIVE, page.messages(), page.removedIds()));
            if (failed != null) {
                return failed;
            }
        }
        Instant roundMax = newest(page.messages(), t.roundMax);
        boolean last = page.isLast();
        Instant watermark = cp.lastReceivedAt().orElse(null);
        if (last && roundMax != null && (watermark == null || roundMax.isAfter(watermark))) {
            watermark = roundMax;
        }
        // the first round completed: the folder's synced messages are what it delivered, nothing to reconcile yet
        Instant reconciledAt = last && cp.reconciledAt().isEmpty() ? engine.now() : cp.reconciledAt().orElse(null);
        FolderCheckpoint next = new FolderCheckpoint(t.key, last ? page.deltaLink().orElse(null) : cp.deltaLink().orElse(null),
                last ? null : page.nextLink().orElse(null), watermark, reconciledAt, cp.version() + 1, engine.now());
        SyncedChanges changes = Keyset.synced(page.messages(), page.removedIds());
        CommitGate.Result result = engine.checkpoint.live(next, cp.version(), changes);
        if (result.abandoned()) {
            return Outcome.DORMANT;
        }
        t.pending = null;
        if (result == CommitGate.Result.CONFLICT) {
            t.checkpoint = null;
            t.inRound = false;
            engine.report.checkpointMoved(t, "round");
            return Outcome.poll(engine.now().plus(config.pollInterval()));
        }
        t.checkpoint = next;
        t.roundMax = roundMax;
        t.roundPages++;
        t.roundMessages += page.messages().size();
        t.roundRemovals += page.removedIds().size();
        engine.report.pageAcknowledged(t, MessagePage.Kind.LIVE, page.messages().size(), page.removedIds().size());
        if (!last) {
            return Outcome.READY;
        }
        t.inRound = false;
        t.everCompleted = true;
        t.lastRoundEnded = engine.now();
        engine.report.roundCompleted(t);
        if (t.reconcile == null && (engine.reconcileStep.due(t, next)
                || t.roundMessages >= ReconcileStep.FILTERED_DELTA_LIMIT)) {
            t.reconcile = engine.reconcileStep.begin(t);
        }
        if (t.reconcile != null) {
            return Outcome.READY;
        }
        return Outcome.poll(engine.now().plus(config.pollInterval()));
    }

    /** The request for the folder's page behind a next or delta link. */
    static DeltaRequest continueFrom(LiveTask t, EngineConfig config, String link) {
        return DeltaRequest.continueFrom(t.mailbox.target(), t.folder, link, config.pageSize(), config.select());
    }

    /** Whether the folder's next live round is due (a reconciliation in progress yields to it). */
    private boolean roundDue(LiveTask t) {
        return t.lastRoundEnded == null
                || !engine.now().isBefore(t.lastRoundEnded.plus(engine.config.pollInterval()));
    }

    private static void startRound(LiveTask t) {
        t.roundMax = null;
        t.roundPages = 0;
        t.roundMessages = 0;
        t.roundRemovals = 0;
    }

    /** Where a folder restarts: the watermark minus the overlap, never before the connection time. */
    Instant restartPoint(ConnectionState c, FolderCheckpoint cp) {
        Instant connectedAt = c.connectedAt;
        if (cp.lastReceivedAt().isEmpty()) {
            return connectedAt;
        }
        Instant from = cp.lastReceivedAt().get().minus(engine.config.overlap());
        return from.isBefore(connectedAt) ? connectedAt : from;
    }

    private Outcome expired(LiveTask t, FolderCheckpoint cp) {
        Instant restart = restartPoint(t.mailbox.connection, cp);
        // deletions during the gap are found by the reconciliation due once the restarted round completes
        FolderCheckpoint reset = new FolderCheckpoint(t.key, null, null, cp.lastReceivedAt().orElse(null), Instant.EPOCH,
                cp.version() + 1, engine.now());
        CommitGate.Result result = engine.checkpoint.live(reset, cp.version(), SyncedChanges.NONE);
        if (result.abandoned()) {
            return Outcome.DORMANT;
        }
        t.pending = null;
        startRound(t);
        if (result == CommitGate.Result.CONFLICT) {
            t.checkpoint = null;
            return Outcome.READY;
        }
        t.checkpoint = reset;
        engine.report.deltaExpired(t, restart);
        return Outcome.READY;
    }

    private static Instant newest(List<MailMessage> messages, Instant current) {
        Instant max = current;
        for (MailMessage message : messages) {
            if (max == null || message.receivedDateTime().isAfter(max)) {
                max = message.receivedDateTime();
            }
        }
        return max;
    }

    /**
     * A failed call: its consequences (a {@code Retry-After} fence, a stopped mailbox or connection) are in place
     * before its slot is released, so no other call of the mailbox can start in between: one picked meanwhile waits
     * for the slot, then meets the fence in {@code beginCall}.
     */
}
