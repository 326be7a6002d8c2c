package com.tekst.outlook.internal.sync;

import com.tekst.outlook.store.BackfillCursor;
import com.tekst.outlook.store.FolderCheckpoint;
import com.tekst.outlook.store.SyncedChanges;
import com.tekst.outlook.store.SyncedMessage;
import com.tekst.outlook.sync.BackfillPage;
import com.tekst.outlook.sync.BackfillRequest;
import com.tekst.outlook.sync.MailMessage;
import com.tekst.outlook.sync.MessagePage;
import com.tekst.outlook.sync.ReceivedRange;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a folder's synced messages (what the sink received, kept in the store) with what the folder holds, one
 * step at a time between live rounds of the folder's {@link LiveTask}.
 *
 * <p>A pass lists the ids of the folder's messages in the synced window (from the lower bound of what live sync and
 * the completed part of the backfill cover, up), newest first, 1,000 per request with only the required fields, paged
 * by key like backfill. Each page is compared with the store's synced messages of the same {@code receivedDateTime}
 * range: ids the store has but Graph did not list are reported removed; ids Graph listed but the store lacks are
 * fetched in full (one more request for that range) and delivered. Both go to the sink as one
 * {@link MessagePage.Kind#RECONCILE} page and into the store with the checkpoint, in one transaction.
 *
 * <p>Why it is safe against concurrent change: the store read follows the listing, and nothing else writes this
 * range of this folder meanwhile (live rounds of the folder run on this same task; its backfill covers only mail below
 * the lower bound). An id the store had before the listing and Graph did not list was not in the folder when it was
 * listed. A message that arrives after the listing is not judged until the next pass.
 */
final class ReconcileStep {
    private static final Logger LOG = LoggerFactory.getLogger(ReconcileStep.class);
    /** The end of what the store's instants can hold: the upper bound of an open range. */
    private static final Instant FAR_FUTURE = Instant.parse("9999-12-31T23:59:59Z");
    private static final Duration MICRO = Duration.ofNanos(1_000);
    /**
     * Graph returns at most this many messages for a filtered delta (a folder's first round, or its restart after a
     * reset): a round that delivered as many is followed by a reconciliation at once, which delivers the rest.
     */
    static final int FILTERED_DELTA_LIMIT = 5_000;

    private final DefaultSyncEngine engine;

    ReconcileStep(DefaultSyncEngine engine) {
        this.engine = engine;
    }

    /**
     * Whether a pass is due after a round that wrote {@code cp}: after a delta reset ({@code reconciledAt} at the
     * epoch), when the interval has passed, or when the folder's backfill ended after the last pass.
     */
    boolean due(LiveTask t, FolderCheckpoint cp) {
        Instant last = cp.reconciledAt().orElse(null);
        if (last == null) {
            return false;
        }
        if (last.equals(Instant.EPOCH) || !engine.now().isBefore(last.plus(engine.config.reconcileInterval()))) {
            return true;
        }
        BackfillCursor cursor = engine.config.store().findBackfillCursor(t.key).orElse(null);
        return cursor != null && cursor.state().isFinal() && cursor.updatedAt().isAfter(last);
    }

    /** A new pass over the synced window as it stands now. */
    Reconciliation begin(LiveTask t) {
        ConnectionState c = t.mailbox.connection;
        BackfillCursor cursor = engine.config.store().findBackfillCursor(t.key).orElse(null);
        Instant from = c.connectedAt;
        boolean inclusive = true;
        if (cursor != null) {
            if (cursor.state() == BackfillCursor.State.COMPLETE) {
                from = cursor.from();
            } else if (!cursor.position().upTo().equals(cursor.until()) || cursor.position().inclusive()) {
                // backfill got this far: it lists what is below; a running one still owns the instant at its bound
                from = cursor.position().upTo();
                inclusive = cursor.state() == BackfillCursor.State.CANCELLED && cursor.position().inclusive();
            }
        }
        if (from.isAfter(c.connectedAt)) {
            from = c.connectedAt;
            inclusive = true;
        }
        LOG.debug("reconciling folder {} from {}", t.folder.id(), from);
        return new Reconciliation(engine.now(), from, inclusive);
    }

    Outcome run(LiveTask t) {
        Reconciliation r = t.reconcile;
        EngineConfig config = engine.config;
        MailboxState m = t.mailbox;
        if (r.judged == null) {
            ReceivedRange range = r.listing();
            BackfillRequest request = new BackfillRequest(m.target(), t.folder, range, Keyset.MAX_TOP,
                    MailMessage.REQUIRED_FIELDS);
            Fetch.Result<BackfillPage> fetched = engine.fetch.call(t, () -> config.source().fetchBackfill(request));
            if (!fetched.ok()) {
                return fetched.expired() ? Outcome.READY : fetched.outcome();
            }
            BackfillPage page = fetched.value();
            if (engine.gate.killed()) {
                return Outcome.DORMANT;
            }
            judge(t, r, range, page);
            if (!r.missing.isEmpty()) {
                return Outcome.READY; // the next step fetches them
            }
            r.found = List.of();
        } else if (r.found == null) {
            BackfillRequest request = new BackfillRequest(m.target(), t.folder, r.judged, Keyset.MAX_TOP,
                    config.select());
            Fetch.Result<BackfillPage> fetched = engine.fetch.call(t, () -> config.source().fetchBackfill(request));
            if (!fetched.ok()) {
                return fetched.expired() ? Outcome.READY : fetched.outcome();
            }
            BackfillPage page = fetched.value();
            List<MailMessage> found = new ArrayList<>();
            for (MailMessage message : page.messages()) {
                if (r.missing.contains(message.id()) && r.judged.contains(message.receivedDateTime())) {
                    found.add(message);
                }
            }
            r.found = found;
        }
        if (engine.gate.killed()) {
            return Outcome.DORMANT;
        }
        return acknowledge(t, r);
    }

    /** Compares a listed page with the store's synced messages of the same range. */
    private void judge(LiveTask t, Reconciliation r, ReceivedRange range, BackfillPage page) {
        List<MailMessage> inRange = new ArrayList<>(page.messages().size());
        Instant oldest = null;
        for (MailMessage message : page.messages()) {
            if (range.contains(message.receivedDateTime())) {
                inRange.add(message);
                if (oldest == null || message.receivedDateTime().isBefore(oldest)) {
                    oldest = message.receivedDateTime();
                }
            }
        }
        r.last = inRange.isEmpty() || (page.messages().size() < Keyset.MAX_TOP && !page.more());
        if (r.last) {
            r.judged = range;
        } else if (range.upTo().filter(oldest::equals).isPresent()) {
            // a whole page of one instant: it cannot be judged by key; pass it
            LOG.warn("reconciliation of folder {}: more than {} messages received at {}; that instant is not"
                    + " reconciled", t.folder.id(), Keyset.MAX_TOP, oldest);
            r.judged = null;
            r.nextUpTo = oldest;
            r.nextUpToInclusive = false;
            r.missing = Set.of();
            r.gone = List.of();
            return;
        } else {
            r.judged = new ReceivedRange(oldest, false, range.upTo().orElse(null), range.upToInclusive());
            r.nextUpTo = oldest;
            r.nextUpToInclusive = true;
        }
        Set<String> listed = new HashSet<>();
        for (MailMessage message : inRange) {
            if (r.judged.contains(message.receivedDateTime())) {
                listed.add(message.id());
            }
        }
        ReceivedRange judged = r.judged;
        Instant low = judged.fromInclusive() ? judged.from() : judged.from().plus(MICRO);
        Instant high = judged.upTo().isEmpty() ? FAR_FUTURE
                : judged.upToInclusive() ? judged.upTo().orElse(null) : judged.upTo().orElse(null).minus(MICRO);
        Set<String> stored = new HashSet<>();
        List<String> gone = new ArrayList<>();
        for (SyncedMessage s : engine.config.store().listSyncedMessages(t.key, low, high)) {
            stored.add(s.id());
            if (!listed.contains(s.id())) {
                gone.add(s.id());
            }
        }
        Set<String> missing = new LinkedHashSet<>();
        for (String id : listed) {
            if (!stored.contains(id)) {
                missing.add(id);
            }
        }
        r.listed += listed.size();
        r.missing = missing;
        r.gone = gone;
    }

    /** Delivers the judged page's outcome (if any) and writes the checkpoint; then moves to the next page. */
    private Outcome acknowledge(LiveTask t, Reconciliation r) {
        MailboxState m = t.mailbox;
        ConnectionState c = m.connection;
        List<MailMessage> found = r.found == null ? List.of() : r.found;
        boolean anything = !found.isEmpty() || !r.gone.isEmpty();
        if (anything) {
            Outcome failed = engine.deliver.page(t, new MessagePage(c.id, c.tenant, m.mailboxId, m.address, t.folder,
                    MessagePage.Kind.RECONCILE, found, r.gone));
            if (failed != null) {
                return failed;
            }
        }
        FolderCheckpoint cp = t.checkpoint;
        if (anything || r.last) {
            FolderCheckpoint next = new FolderCheckpoint(t.key, cp.deltaLink().orElse(null), cp.nextLink().orElse(null), cp.lastReceivedAt().orElse(null),
                    r.last ? r.startedAt : cp.reconciledAt().orElse(null), cp.version() + 1, engine.now());
            SyncedChanges changes = Keyset.synced(found, r.gone);
            CommitGate.Result result = engine.checkpoint.live(next, cp.version(), changes);
            if (result.abandoned()) {
                return Outcome.DORMANT;
            }
            if (result == CommitGate.Result.CONFLICT) {
                engine.report.checkpointMoved(t, "reconciliation");
                t.checkpoint = null;
                t.reconcile = null;
                return Outcome.poll(engine.now().plus(engine.config.pollInterval()));
            }
            t.checkpoint = next;
            engine.report.pageAcknowledged(t, MessagePage.Kind.RECONCILE, found.size(), r.gone.size());
        }
        r.added += found.size();
        r.removed += r.gone.size();
        if (r.last) {
            t.reconcile = null;
            engine.report.reconciled(t, r);
            return Outcome.poll(t.lastRoundEnded == null ? engine.now()
                    : t.lastRoundEnded.plus(engine.config.pollInterval()));
        }
        r.upTo = r.nextUpTo;
        r.upToInclusive = r.nextUpToInclusive;
        r.judged = null;
        r.found = null;
        r.missing = Set.of();
        r.gone = List.of();
        return Outcome.READY;
    }
}
