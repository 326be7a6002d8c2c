package com.tekst.outlook.graph.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.tekst.outlook.sync.BackfillWindow;
import com.tekst.outlook.sync.MailMessage;
import com.tekst.outlook.sync.MessagePage;
import com.tekst.outlook.graph.OutlookClient;
import com.tekst.outlook.sync.SyncEngine;
import com.tekst.outlook.testkit.FakeMailbox;
import com.tekst.outlook.testkit.FakeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The coverage promise against the fake cloud, one cause at a time: every message of the synced window reaches the
 * sink for its folder while users delete and move mail; every deletion or move-out of a message the sink received
 * arrives as a removal, whatever the message's age; a move between synced folders is a removal in one and an add, with
 * the same immutable id, in the other; deletions during a delta-token gap arrive too.
 */
class CoverageAcceptanceTest {
    static final Duration RECONCILE = Duration.ofMinutes(10);

    final SyncCloud w = new SyncCloud();

    @AfterEach
    void stop() throws InterruptedException {
        w.close();
    }

    OutlookClient.EngineBuilder builder() {
        return w.builder().reconcileInterval(RECONCILE);
    }

    /** Advances fake time a poll at a time until {@code done}, at most two reconcile intervals. */
    void converge(BooleanSupplier done) throws InterruptedException {
        long polls = RECONCILE.multipliedBy(2).dividedBy(SyncCloud.POLL);
        for (int i = 0; i < polls && !done.getAsBoolean(); i++) {
            w.advance(SyncCloud.POLL);
        }
    }

    /** Messages delivered for a folder (adds), as immutable ids. */
    Set<String> added(FakeMailbox m, String folder) {
        Set<String> out = new LinkedHashSet<>();
        String folderId = m.folder(folder).id();
        for (MessagePage p : w.sink.pages) {
            if (p.mailboxId().equals(m.objectId()) && p.folder().id().equals(folderId)) {
                p.messages().forEach(msg -> out.add(msg.id()));
            }
        }
        return out;
    }

    Set<String> removed(FakeMailbox m, String folder) {
        Set<String> out = new LinkedHashSet<>();
        String folderId = m.folder(folder).id();
        for (MessagePage p : w.sink.pages) {
            if (p.mailboxId().equals(m.objectId()) && p.folder().id().equals(folderId)) {
                out.addAll(p.removedIds());
            }
        }
        return out;
    }

    /** Listing requests ({@code /messages}, not delta) to the mailbox. */
    int listings(FakeMailbox m) {
        return w.requests(e -> e.mailbox().filter(m.objectId()::equals).isPresent() && e.path().endsWith("/messages")).size();
    }

    @Test
    void backfillMissesNoMessageWhileNewerMailOfTheWindowIsDeletedBetweenPages() throws Exception {
        FakeMailbox alice = w.addMailbox("alice", "inbox");
        List<FakeMessage> history = SyncCloud.deliver(alice, "inbox", 300, SyncCloud.CONNECTED_AT.minusSeconds(60),
                Duration.ofMinutes(7));
        Set<String> deleted = new HashSet<>();
        // between two backfill pages the user deletes five messages the backfill already delivered: every later
        // offset of a $skip listing would shift by five
        w.sink.behave(page -> {
            if (page.kind() == MessagePage.Kind.BACKFILL && deleted.size() < 100) {
                List<MailMessage> newest = page.messages().subList(0, Math.min(5, page.messages().size()));
                for (MailMessage m : newest) {
                    alice.delete(m.id());
                    deleted.add(m.id());
                }
            }
        });
        w.start(builder().backfillPageSize(20));
        w.client.finishSetup(w.engine, w.connection, BackfillWindow.last90Days());
        w.settle();

        Set<String> untouched = SyncCloud.ids(history);
        untouched.removeAll(deleted);
        assertThat(deleted).hasSizeGreaterThan(40);
        assertThat(added(alice, "inbox")).as("every message never deleted reached the sink")
                .containsAll(untouched);

        converge(() -> removed(alice, "inbox").containsAll(deleted));
        assertThat(removed(alice, "inbox")).as("deletions of backfilled mail arrive as removals")
                .containsExactlyInAnyOrderElementsOf(deleted);
        assertThat(w.acks.duplicates()).isEmpty();
    }

    @Test
    void deletionsAndMovesOutOfHistoricalMailArriveAsRemovals() throws Exception {
        FakeMailbox alice = w.addMailbox("alice", "inbox");
        List<FakeMessage> history = SyncCloud.deliver(alice, "inbox", 120, SyncCloud.CONNECTED_AT.minusSeconds(60),
                Duration.ofHours(5));
        w.start(builder().backfillPageSize(50));
        w.client.finishSetup(w.engine, w.connection, BackfillWindow.last90Days());
        w.settle();
        assertThat(added(alice, "inbox")).containsExactlyInAnyOrderElementsOf(SyncCloud.ids(history));
        int listingsBefore = listings(alice);

        alice.delete(history.get(3));
        alice.delete(history.get(70));
        alice.delete(history.get(119));
        alice.move(history.get(10), "archive"); // archive is not synced: a move out
        alice.move(history.get(100), "archive");
        Set<String> gone = SyncCloud.ids(List.of(history.get(3), history.get(70), history.get(119),
                history.get(10), history.get(100)));
        converge(() -> removed(alice, "inbox").containsAll(gone));

        assertThat(removed(alice, "inbox")).containsExactlyInAnyOrderElementsOf(gone);
        assertThat(w.sink.pages(alice.objectId(), MessagePage.Kind.RECONCILE))
                .allSatisfy(p -> assertThat(p.messages()).isEmpty());
        assertThat(w.store.countSyncedMessages(w.key(alice, "inbox"))).isEqualTo(115);
        assertThat(listings(alice) - listingsBefore)
                .as("a reconciliation pass over 115 messages is one listing of ids; nothing was missing to fetch")
                .isEqualTo(1);
    }

    @Test
    void aHistoricalMessageMovedIntoAnotherSyncedFolderIsARemovalThereAndAnAddHere() throws Exception {
        FakeMailbox alice = w.addMailbox("alice", "inbox", "archive");
        List<FakeMessage> inbox = SyncCloud.deliver(alice, "inbox", 200, SyncCloud.CONNECTED_AT.minusSeconds(60),
                Duration.ofHours(2));
        SyncCloud.deliver(alice, "archive", 5, SyncCloud.CONNECTED_AT.minus(Duration.ofDays(80)),
                Duration.ofHours(1));
        // during the backfill: an old inbox message the listing has not reached yet is filed into archive, whose
        // backfill is already past its receivedDateTime
        FakeMessage duringBackfill = inbox.get(5);
        AtomicBoolean moved = new AtomicBoolean();
        w.sink.behave(page -> {
            if (page.kind() == MessagePage.Kind.BACKFILL && page.folder().id().equals(alice.folder("inbox").id())
                    && moved.compareAndSet(false, true)) {
                alice.move(duringBackfill, "archive");
            }
        });
        w.start(builder().backfillPageSize(20));
        w.client.finishSetup(w.engine, w.connection, BackfillWindow.last90Days());
        w.settle();

        // after the backfill: another one, already delivered for inbox, is filed into archive
        FakeMessage afterBackfill = inbox.get(150);
        assertThat(added(alice, "inbox")).contains(afterBackfill.immutableId());
        alice.move(afterBackfill, "archive");
        converge(() -> added(alice, "archive").containsAll(Set.of(duringBackfill.immutableId(),
                afterBackfill.immutableId())) && removed(alice, "inbox").contains(afterBackfill.immutableId()));

        assertThat(moved).isTrue();
        assertThat(added(alice, "archive")).as("both moves arrive in the target folder with the same id")
                .contains(duringBackfill.immutableId(), afterBackfill.immutableId());
        assertThat(removed(alice, "inbox")).contains(afterBackfill.immutableId());
        Set<String> inInbox = SyncCloud.ids(alice.messages("inbox"));
        assertThat(added(alice, "inbox")).containsAll(inInbox);
        Set<String> stillListed = new HashSet<>(added(alice, "inbox"));
        stillListed.removeAll(removed(alice, "inbox"));
        assertThat(stillListed).as("what the sink holds for inbox is what inbox holds")
                .containsExactlyInAnyOrderElementsOf(inInbox);
    }

    @Test
    void fiftyDeletionsDuringAnExpiredDeltaTokenGapArriveAsRemovals() throws Exception {
        FakeMailbox alice = w.addMailbox("alice", "inbox");
        w.start(builder().pageSize(50));
        w.client.finishSetup(w.engine, w.connection);
        w.settle();
        w.clock.advance(Duration.ofMinutes(10)); // all 100 are received after the connection time
        List<FakeMessage> live = SyncCloud.deliver(alice, "inbox", 100, w.clock.instant(), Duration.ofSeconds(3));
        w.advance(SyncCloud.POLL);
        assertThat(added(alice, "inbox")).containsAll(SyncCloud.ids(live));

        // the gap: fifty deletions, then Exchange evicts the folder's sync state before the next round
        List<FakeMessage> doomed = new ArrayList<>();
        for (int i = 0; i < 100; i += 2) {
            doomed.add(live.get(i));
            alice.delete(live.get(i));
        }
        alice.expireDeltaTokens("inbox");
        AtomicInteger expiredBefore = new AtomicInteger(w.events.expired.size());
        converge(() -> removed(alice, "inbox").containsAll(SyncCloud.ids(doomed)));

        assertThat(w.events.expired.size()).as("the delta reset happened").isGreaterThan(expiredBefore.get());
        assertThat(removed(alice, "inbox")).containsExactlyInAnyOrderElementsOf(SyncCloud.ids(doomed));
        assertThat(w.store.countSyncedMessages(w.key(alice, "inbox"))).isEqualTo(50);
    }

    @Test
    void aFirstRoundCutAtGraphsFilteredDeltaLimitIsCompletedByTheReconciliationThatFollowsIt() throws Exception {
        FakeMailbox alice = w.addMailbox("alice", "inbox");
        w.clock.advance(Duration.ofHours(3));
        // 5,010 messages between the connection and the first round: Graph's filtered delta stops at 5,000
        Set<String> all = SyncCloud.ids(SyncCloud.deliver(alice, "inbox", 5_010, w.clock.instant(),
                Duration.ofSeconds(2)));
        w.start(builder().pageSize(1000));
        w.client.finishSetup(w.engine, w.connection);
        w.settle();

        assertThat(w.sink.pages(alice.objectId(), MessagePage.Kind.LIVE).stream()
                .mapToInt(p -> p.messages().size()).sum()).as("the delta's share").isEqualTo(5_000);
        assertThat(added(alice, "inbox")).as("the reconciliation delivered the rest at once")
                .containsExactlyInAnyOrderElementsOf(all);
        assertThat(w.sink.pages(alice.objectId(), MessagePage.Kind.RECONCILE).stream()
                .mapToInt(p -> p.messages().size()).sum()).isEqualTo(10);
    }
}
