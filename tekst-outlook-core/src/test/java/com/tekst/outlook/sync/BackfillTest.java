package com.tekst.outlook.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.tekst.outlook.Connection;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.store.BackfillCursor;
import com.tekst.outlook.store.FolderKey;
import com.tekst.outlook.sync.support.FakeGraph;
import com.tekst.outlook.sync.support.FakeGraph.CallKind;
import com.tekst.outlook.sync.support.RecordingListener;
import com.tekst.outlook.sync.support.SyncFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BackfillTest {
    private static final List<String> FOLDERS = List.of("inbox", "archive", "sent");

    private final SyncFixture fx = new SyncFixture();

    @AfterEach
    void close() throws InterruptedException {
        fx.close();
    }

    /** 700 messages per folder within the last 30 days before connecting, and 50 older ones outside the window. */
    private Set<String> history(MailboxId mb) {
        Set<String> inWindow = new HashSet<>();
        for (String folder : FOLDERS) {
            inWindow.addAll(fx.graph.deliver(mb, folder, 700, SyncFixture.CONNECTED_AT.minusSeconds(30),
                    Duration.ofMinutes(59)));
            fx.graph.deliver(mb, folder, 50, SyncFixture.CONNECTED_AT.minus(Duration.ofDays(40)),
                    Duration.ofHours(1));
        }
        return inWindow;
    }

    @Test
    void backfillBringsInEveryFolderNewestFirstWithMonotonicProgressAndCompletes() throws Exception {
        Connection c = fx.connect("c1", 1);
        MailboxId mb = fx.addMailbox(c, 1, FOLDERS.toArray(String[]::new));
        Set<String> expected = history(mb);
        SyncEngine engine = fx.build(fx.builder().backfillPageSize(100));
        engine.startBackfill(c.id(), mb, BackfillWindow.last30Days());
        engine.start();
        fx.settle();

        assertThat(new HashSet<>(fx.sink.messages(mb, "inbox", MessagePage.Kind.BACKFILL).stream()
                .map(MailMessage::id).toList())).hasSize(700);
        Set<String> delivered = new HashSet<>();
        for (String folder : FOLDERS) {
            List<MailMessage> messages = fx.sink.messages(mb, folder, MessagePage.Kind.BACKFILL);
            assertThat(messages).hasSize(700);
            assertThat(messages).extracting(MailMessage::receivedDateTime)
                    .isSortedAccordingTo((a, b) -> b.compareTo(a));
            messages.forEach(m -> delivered.add(m.id()));
            FolderKey key = new FolderKey(c.id(), mb, folder);
            BackfillCursor cursor = fx.store.findBackfillCursor(key).orElseThrow();
            assertThat(cursor.state()).isEqualTo(BackfillCursor.State.COMPLETE);
            assertThat(cursor.delivered()).isEqualTo(700);
            assertThat(cursor.estimatedTotal()).isEqualTo(750); // the folder's totalItemCount
            List<RecordingListener.Progress> progress = fx.listener.events(RecordingListener.Progress.class)
                    .stream().filter(p -> p.folder().equals(key)).toList();
            assertThat(progress).extracting(RecordingListener.Progress::delivered)
                    .isSortedAccordingTo(Long::compare).endsWith(700L);
            assertThat(progress).allMatch(p -> p.estimatedTotal() == 750);
            assertThat(fx.listener.events(RecordingListener.BackfillChange.class))
                    .contains(new RecordingListener.BackfillChange(key, null, BackfillCursor.State.RUNNING),
                            new RecordingListener.BackfillChange(key, BackfillCursor.State.RUNNING,
                                    BackfillCursor.State.COMPLETE));
        }
        assertThat(delivered).isEqualTo(expected);
        BackfillRequest first = (BackfillRequest) fx.graph.calls(mb).stream()
                .filter(call -> call.kind() == CallKind.BACKFILL_FIRST).findFirst().orElseThrow().request();
        assertThat(first.range()).isEqualTo(new ReceivedRange(SyncFixture.CONNECTED_AT.minus(Duration.ofDays(30)),
                true, SyncFixture.CONNECTED_AT, false));
        assertThat(first.top()).isEqualTo(100);
        assertThat(fx.listener.events(RecordingListener.MailboxChange.class)).extracting(e -> e.to())
                .contains(MailboxStatus.BACKFILLING).last().isEqualTo(MailboxStatus.IDLE);
        assertThat(fx.engine.progress(c.id(), mb).orElseThrow().folders())
                .allSatisfy(f -> assertThat(f.backfill().orElseThrow().fraction()).hasValue(1.0));
        assertThat(fx.store.duplicateAcks()).isEmpty();
    }

    @Test
    void messagesReceivedAtOneInstantAreEachDeliveredOnceEvenBeyondAPage() throws Exception {
        Connection c = fx.connect("c1", 1);
        MailboxId mb = fx.addMailbox(c, 1, "inbox");
        Instant second = SyncFixture.CONNECTED_AT.minus(Duration.ofDays(2));
        Set<String> expected = new HashSet<>(fx.graph.deliver(mb, "inbox", 15, second.plusSeconds(60),
                Duration.ofSeconds(1)));
        expected.addAll(fx.graph.deliver(mb, "inbox", 35, second, Duration.ZERO)); // 35 at one instant
        expected.addAll(fx.graph.deliver(mb, "inbox", 15, second.minusSeconds(1), Duration.ofSeconds(1)));
        SyncEngine engine = fx.build(fx.builder().backfillPageSize(10));
        engine.startBackfill(c.id(), mb, BackfillWindow.last30Days());
        engine.start();
        fx.settle();

        List<MailMessage> delivered = fx.sink.messages(mb, "inbox", MessagePage.Kind.BACKFILL);
        assertThat(delivered).extracting(MailMessage::id).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(fx.store.findBackfillCursor(new FolderKey(c.id(), mb, "inbox")).orElseThrow().state())
                .isEqualTo(BackfillCursor.State.COMPLETE);
        assertThat(fx.store.duplicateAcks()).isEmpty();
    }

    @Test
    void messagesDeletedBetweenPagesShiftNoLaterMessageOutOfTheListing() throws Exception {
        Connection c = fx.connect("c1", 1);
        MailboxId mb = fx.addMailbox(c, 1, "inbox");
        List<String> ids = fx.graph.deliver(mb, "inbox", 200, SyncFixture.CONNECTED_AT.minusSeconds(30),
                Duration.ofMinutes(3));
        Set<String> deleted = new HashSet<>();
        fx.sink.behave((page, n) -> {
            if (page.kind() == MessagePage.Kind.BACKFILL) {
                for (MailMessage m : page.messages().subList(0, Math.min(4, page.messages().size()))) {
                    fx.graph.delete(mb, m.id()); // already delivered: an offset would now skip four
                    deleted.add(m.id());
                }
            }
        });
        SyncEngine engine = fx.build(fx.builder().backfillPageSize(10));
        engine.startBackfill(c.id(), mb, BackfillWindow.last30Days());
        engine.start();
        fx.settle();

        Set<String> delivered = new HashSet<>();
        fx.sink.messages(mb, "inbox", MessagePage.Kind.BACKFILL).forEach(m -> delivered.add(m.id()));
        assertThat(deleted).hasSizeGreaterThan(40);
        assertThat(delivered).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void pauseResumeAndCancel() throws Exception {
        Connection c = fx.connect("c1", 1);
        MailboxId mb = fx.addMailbox(c, 1, FOLDERS.toArray(String[]::new));
        history(mb);
        SyncEngine engine = fx.build(fx.builder().backfillPageSize(50));
        fx.sink.behave((page, n) -> {
            if (page.kind() == MessagePage.Kind.BACKFILL && n == 6) {
                engine.pauseBackfill(c.id(), mb);
            }
        });
        engine.startBackfill(c.id(), mb, BackfillWindow.last90Days());
        engine.start();
        fx.settle();

        assertThat(fx.store.listBackfillCursors(c.id(), mb)).extracting(BackfillCursor::state)
                .containsOnly(BackfillCursor.State.PAUSED);
        long deliveredAtPause = fx.store.listBackfillCursors(c.id(), mb).stream()
                .mapToLong(BackfillCursor::delivered).sum();
        assertThat(deliveredAtPause).isBetween(50L, 2249L);
        int backfillCalls = (int) fx.graph.calls(mb).stream().filter(FakeGraph.Call::isBackfill).count();
        long deltaCalls = fx.graph.calls(mb).stream().filter(FakeGraph.Call::isDelta).count();
        for (int i = 0; i < 5; i++) {
            fx.advance(SyncFixture.POLL);
        }
        assertThat(fx.graph.calls(mb).stream().filter(FakeGraph.Call::isBackfill).count())
                .as("no backfill call while paused").isEqualTo(backfillCalls);
        assertThat(fx.graph.calls(mb).stream().filter(FakeGraph.Call::isDelta).count())
                .as("live sync goes on: a round per folder per poll").isEqualTo(deltaCalls + 15);
        assertThat(fx.mailbox(c, mb).status()).isEqualTo(MailboxStatus.IDLE);

        fx.sink.behave((page, n) -> { });
        engine.resumeBackfill(c.id(), mb);
        fx.settle();
        assertThat(fx.store.listBackfillCursors(c.id(), mb)).extracting(BackfillCursor::state)
                .containsOnly(BackfillCursor.State.COMPLETE);
        assertThat(fx.sink.pages(MessagePage.Kind.BACKFILL).stream().mapToInt(p -> p.messages().size()).sum())
                .as("nothing delivered twice across the pause").isEqualTo(2250);

        // cancel a second mailbox mid-way; a new start then begins from scratch
        MailboxId other = fx.addMailbox(c, 2, "inbox");
        fx.graph.deliver(other, "inbox", 300, SyncFixture.CONNECTED_AT.minusSeconds(1), Duration.ofMinutes(10));
        fx.sink.behave((page, n) -> {
            if (page.mailboxId().equals(other) && page.kind() == MessagePage.Kind.BACKFILL) {
                engine.cancelBackfill(c.id(), other);
            }
        });
        engine.startBackfill(c.id(), other, BackfillWindow.everything());
        fx.settle();
        FolderKey otherKey = new FolderKey(c.id(), other, "inbox");
        assertThat(fx.store.findBackfillCursor(otherKey).orElseThrow().state())
                .isEqualTo(BackfillCursor.State.CANCELLED);
        assertThat(fx.sink.messages(other, "inbox", MessagePage.Kind.BACKFILL)).hasSize(50);

        fx.sink.behave((page, n) -> { });
        engine.startBackfill(c.id(), other, BackfillWindow.everything());
        fx.settle();
        BackfillCursor restarted = fx.store.findBackfillCursor(otherKey).orElseThrow();
        assertThat(restarted.state()).isEqualTo(BackfillCursor.State.COMPLETE);
        assertThat(restarted.delivered()).isEqualTo(300);
        assertThat(restarted.from()).isEqualTo(Instant.EPOCH);
    }

    @Test
    void aRestartResumesWhereTheCursorStandsAndACompleteBackfillIsNeverRepeated() throws Exception {
        Connection c = fx.connect("c1", 1);
        MailboxId mb = fx.addMailbox(c, 1, FOLDERS.toArray(String[]::new));
        Set<String> expected = history(mb);
        SyncEngine first = fx.build(fx.builder().backfillPageSize(100));
        java.util.Map<String, Integer> perFolder = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicBoolean killed = new java.util.concurrent.atomic.AtomicBoolean();
        fx.sink.behave((page, n) -> {
            // killed while a folder's third page is in the sink: that folder stands mid-listing
            if (perFolder.merge(page.folder().id(), 1, Integer::sum) == 3 && killed.compareAndSet(false, true)) {
                first.stopNow();
            }
        });
        first.startBackfill(c.id(), mb, BackfillWindow.last30Days());
        first.start();
        assertThat(fx.graph.await(g -> killed.get(), Duration.ofSeconds(10))).isTrue();
        fx.kill(first);
        List<BackfillCursor> mid = fx.store.listBackfillCursors(c.id(), mb);
        assertThat(mid).anyMatch(cursor -> cursor.state() == BackfillCursor.State.RUNNING
                && cursor.position().inclusive());
        int callsBefore = fx.graph.calls(mb).size();

        fx.sink.behave((page, n) -> { });
        fx.start(fx.builder().backfillPageSize(100));
        fx.settle();
        List<FakeGraph.Call> after = fx.graph.calls(mb).subList(callsBefore, fx.graph.calls(mb).size());
        for (BackfillCursor cursor : mid) {
            if (cursor.state() == BackfillCursor.State.COMPLETE) {
                assertThat(after).noneMatch(call -> call.isBackfill()
                        && call.folderId().equals(cursor.key().folderId()));
            } else if (cursor.position().inclusive()) {
                FakeGraph.Call resumed = after.stream().filter(call -> call.isBackfill()
                        && call.folderId().equals(cursor.key().folderId())).findFirst().orElseThrow();
                assertThat(resumed.kind()).isEqualTo(CallKind.BACKFILL_NEXT);
                assertThat(((BackfillRequest) resumed.request()).range().upTo())
                        .contains(cursor.position().upTo());
            }
        }
        Set<String> delivered = new HashSet<>();
        fx.sink.pages(MessagePage.Kind.BACKFILL).forEach(p -> p.messages().forEach(m -> delivered.add(m.id())));
        assertThat(delivered).isEqualTo(expected);
        assertThat(fx.store.listBackfillCursors(c.id(), mb)).extracting(BackfillCursor::state)
                .containsOnly(BackfillCursor.State.COMPLETE);
        assertThat(fx.store.duplicateAcks()).isEmpty();

        // a third run, asked again to backfill: nothing is repeated
        fx.engine.stopNow();
        int callsAtThird = fx.graph.calls(mb).size();
        SyncEngine third = fx.build(fx.builder());
        third.startBackfill(c.id(), mb, BackfillWindow.last90Days());
        third.start();
        fx.settle();
        assertThat(fx.graph.calls(mb).subList(callsAtThird, fx.graph.calls(mb).size()))
                .noneMatch(FakeGraph.Call::isBackfill);
    }

    @Test
    void liveSyncNeverWaitsBehindBackfillOfTheSameMailbox() throws Exception {
        Connection c = fx.connect("c1", 1);
        MailboxId mb = fx.addMailbox(c, 1, FOLDERS.toArray(String[]::new));
        history(mb);
        SyncEngine engine = fx.build(fx.builder().threads(8).backfillPageSize(10));
        engine.start();
        fx.settle(); // the first live round of every folder is done
        fx.graph.hold(call -> call.isBackfill());
        engine.startBackfill(c.id(), mb, BackfillWindow.last30Days());
        assertThat(fx.graph.await(g -> g.backfillInFlight(mb) == 3, Duration.ofSeconds(10))).isTrue();

        List<String> fresh = fx.graph.deliver(mb, "inbox", 2, fx.clock.instant(), Duration.ofSeconds(1));
        engine.syncNow(c.id(), mb);
        assertThat(fx.graph.await(g -> fx.sink.messageIds(mb).containsAll(fresh), Duration.ofSeconds(10)))
                .as("live pages go through while three backfill calls hang").isTrue();
        assertThat(fx.graph.backfillInFlight(mb)).isEqualTo(3);

        fx.graph.release();
        fx.settle();
        assertThat(fx.graph.maxBackfillInFlight(mb)).as("backfill never takes the last slot").isEqualTo(3);
        assertThat(fx.graph.maxInFlight(mb)).isLessThanOrEqualTo(4);
    }

    @Test
    void backfillSurvivesRevokedConsentAndIsNotRestartedByReconsent() throws Exception {
        Connection c = fx.connect("c1", 1);
        MailboxId mb = fx.addMailbox(c, 1, "inbox");
        fx.graph.deliver(mb, "inbox", 500, SyncFixture.CONNECTED_AT.minusSeconds(1), Duration.ofMinutes(5));
        SyncEngine engine = fx.build(fx.builder().backfillPageSize(100));
        fx.sink.behave((page, n) -> {
            if (page.kind() == MessagePage.Kind.BACKFILL && page.messages().size() >= 99 && n == 3) {
                fx.graph.failTenant(c.tenant().orElseThrow().value(), () -> new com.tekst.outlook.ConsentException(
                        com.tekst.outlook.ConsentException.Reason.CONSENT_MISSING, "AADSTS700016",
                        com.tekst.outlook.ErrorDetails.NONE, null));
            }
        });
        engine.startBackfill(c.id(), mb, BackfillWindow.last90Days());
        engine.start();
        fx.settle();
        assertThat(fx.connectionStatus(c)).isEqualTo(com.tekst.outlook.ConnectionStatus.CONSENT_REVOKED);
        BackfillCursor atRevocation = fx.store.findBackfillCursor(new FolderKey(c.id(), mb, "inbox")).orElseThrow();
        assertThat(atRevocation.state()).isEqualTo(BackfillCursor.State.RUNNING);
        assertThat(atRevocation.delivered()).isGreaterThan(0L).isLessThan(500L);

        fx.graph.failTenant(c.tenant().orElseThrow().value(), null);
        fx.sink.behave((page, n) -> { });
        fx.store.saveConnection(fx.store.findConnection(c.id()).orElseThrow()
                .withStatus(com.tekst.outlook.ConnectionStatus.CONNECTED)); // re-consent verified elsewhere
        fx.advance(SyncFixture.POLL);
        List<FakeGraph.Call> backfillCalls = new ArrayList<>(fx.graph.calls(mb).stream()
                .filter(call -> call.kind() == CallKind.BACKFILL_FIRST).toList());
        assertThat(backfillCalls).as("listed from the top only once").hasSize(1);
        BackfillCursor done = fx.store.findBackfillCursor(new FolderKey(c.id(), mb, "inbox")).orElseThrow();
        assertThat(done.state()).isEqualTo(BackfillCursor.State.COMPLETE);
        assertThat(done.delivered()).isEqualTo(500);
        assertThat(fx.store.duplicateAcks()).isEmpty();
    }
}
