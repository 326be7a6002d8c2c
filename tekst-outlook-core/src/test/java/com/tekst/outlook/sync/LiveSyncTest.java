package com.tekst.outlook.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.tekst.outlook.Connection;
import com.tekst.outlook.ErrorDetails;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.MalformedResponseException;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.store.FolderCheckpoint;
import com.tekst.outlook.store.FolderKey;
import com.tekst.outlook.sync.support.FakeGraph;
import com.tekst.outlook.sync.support.FakeGraph.CallKind;
import com.tekst.outlook.sync.support.RecordingListener;
import com.tekst.outlook.sync.support.SyncFixture;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LiveSyncTest {
    private final SyncFixture fx = new SyncFixture();

    @AfterEach
    void close() throws InterruptedException {
        fx.close();
    }

    @Test
    void firstRoundIsFilteredFromTheConnectionTimeSoAHugeMailboxCostsOneShortRound() throws Exception {
        Connection c = fx.connect("c1", 1);
        MailboxId mb = fx.addMailbox(c, 1, "inbox");
        fx.graph.deliver(mb, "inbox", 500, SyncFixture.CONNECTED_AT.minusSeconds(60), Duration.ofMinutes(3));
        List<String> fresh = fx.graph.deliver(mb, "inbox", 7, fx.clock.instant(), Duration.ofSeconds(20));

        fx.start();
        fx.settle();

        List<FakeGraph.Call> calls = fx.graph.calls(mb);
        assertThat(calls).hasSize(1);
        DeltaRequest first = (DeltaRequest) calls.get(0).request();
        assertThat(first.isInitial()).isTrue();
        assertThat(first.receivedSince()).contains(SyncFixture.CONNECTED_AT);
        assertThat(first.pageSize()).isEqualTo(100);
        assertThat(first.select()).containsAll(MailMessage.REQUIRED_FIELDS).containsAll(MailMessage.DEFAULT_FIELDS);
        assertThat(fx.sink.messageIds(mb)).containsExactlyInAnyOrderElementsOf(fresh);
        FolderCheckpoint cp = fx.store.findCheckpoint(new FolderKey(c.id(), mb, "inbox")).orElseThrow();
        assertThat(cp.deltaLink()).isPresent();
        assertThat(cp.nextLink()).isEmpty();
        assertThat(cp.lastReceivedAt()).contains(fx.clock.instant());
        assertThat(fx.mailbox(c, mb).status()).isEqualTo(MailboxStatus.IDLE);
        assertThat(fx.listener.events(RecordingListener.MailboxChange.class)).extracting(e -> e.to())
                .containsExactly(MailboxStatus.SYNCING, MailboxStatus.IDLE);
        MessagePage page = fx.sink.pages().get(0);
        assertThat(page.kind()).isEqualTo(MessagePage.Kind.LIVE);
        assertThat(page.connection()).isEqualTo(c.id());
        assertThat(page.tenant()).isEqualTo(c.tenant().orElseThrow());
        assertThat(page.mailbox().value()).isEqualTo("user1@contoso.example");
        assertThat(page.folder().id()).isEqualTo("inbox");
    }

    @Test
    void incrementalRoundsDeliverNewReadMovedAndDeletedMailWithRemovals() throws Exception {
        Connection c = fx.connect("c1", 1);
        MailboxId mb = fx.addMailbox(c, 1, "inbox", "archive");
        List<String> first = fx.graph.deliver(mb, "inbox", 3, fx.clock.instant(), Duration.ofSeconds(30));
        fx.start();
        fx.settle();
        assertThat(fx.sink.messageIds(mb)).containsExactlyInAnyOrderElementsOf(first);

        fx.clock.advance(Duration.ofSeconds(30));
        List<String> second = fx.graph.deliver(mb, "inbox", 2, fx.clock.instant(), Duration.ofSeconds(1));
        fx.graph.markRead(mb, first.get(0));
        fx.graph.move(mb, first.get(1), "archive");
        fx.graph.delete(mb, first.get(2));
        int pagesBefore = fx.sink.count();
        fx.advance(SyncFixture.POLL);

        List<MessagePage> later = fx.sink.pages().subList(pagesBefore, fx.sink.count());
        List<MailMessage> inbox = later.stream().filter(p -> p.folder().id().equals("inbox"))
                .flatMap(p -> p.messages().stream()).toList();
        assertThat(inbox).extracting(MailMessage::id).containsExactlyInAnyOrder(first.get(0), second.get(0),
                second.get(1));
        assertThat(inbox).filteredOn(m -> m.id().equals(first.get(0))).singleElement()
                .extracting(MailMessage::isRead).isEqualTo(true);
        assertThat(later.stream().filter(p -> p.folder().id().equals("inbox")).flatMap(p -> p.removedIds().stream()))
                .containsExactlyInAnyOrder(first.get(1), first.get(2));
        List<MailMessage> archive = later.stream().filter(p -> p.folder().id().equals("archive"))
                .flatMap(p -> p.messages().stream()).toList();
        assertThat(archive).extracting(MailMessage::id).containsExactly(first.get(1));
        assertThat(archive.get(0).folderId()).isEqualTo("archive");
        // both rounds of both folders went from the stored delta link, not a new initial request
        assertThat(fx.graph.calls(mb)).filteredOn(call -> call.kind() == CallKind.DELTA_INITIAL).hasSize(2);
        assertThat(fx.store.duplicateAcks()).isEmpty();
    }

    @Test
    void aThousandMessageFolderTakesTenCallsAtPageSize100AndAnUnchangedRoundOne() throws Exception {
        Connection c = fx.connect("c1", 1);
        MailboxId mb = fx.addMailbox(c, 1, "inbox");
        Set<String> all = new HashSet<>(fx.graph.deliver(mb, "inbox", 1000, fx.clock.instant(),
                Duration.ofMillis(100)));
        fx.start();
        fx.settle();

        assertThat(fx.graph.calls(mb)).as("10 full pages, the last with the delta link").hasSize(10)
                .allMatch(call -> !call.failed());
        assertThat(fx.listener.events(RecordingListener.Retry.class)).isEmpty();
        assertThat(fx.sink.messageIds(mb)).isEqualTo(all);
        assertThat(fx.sink.pages()).allMatch(p -> p.messages().size() <= 100);

        int before = fx.graph.calls(mb).size();
        fx.advance(SyncFixture.POLL);
        assertThat(fx.graph.calls(mb)).hasSize(before + 1);
        assertThat(fx.graph.calls(mb).get(before).kind()).isEqualTo(CallKind.DELTA_LINK);
        assertThat(fx.listener.events(RecordingListener.Round.class)).hasSize(2);
    }

    @Test
    void roundsRepeatEveryPollIntervalAndOnSyncNow() throws Exception {
        Connection c = fx.connect("c1", 1);
        MailboxId mb = fx.addMailbox(c, 1, "inbox");
        fx.start();
        fx.settle();
        assertThat(fx.graph.calls(mb)).hasSize(1);

        fx.advance(SyncFixture.POLL.minusSeconds(1));
        assertThat(fx.graph.calls(mb)).as("no round before the poll interval").hasSize(1);
        fx.advance(Duration.ofSeconds(1));
        assertThat(fx.graph.calls(mb)).hasSize(2);

        List<String> urgent = fx.graph.deliver(mb, "inbox", 1, fx.clock.instant(), Duration.ZERO);
        fx.engine.syncNow(c.id(), mb);
        fx.settle();
        assertThat(fx.graph.calls(mb)).hasSize(3);
        assertThat(fx.sink.messageIds(mb)).containsAll(urgent);
    }

    @Test
    void theDeltaLinkIsStoredOnlyAfterTheLastPageIsAcknowledgedAndACrashResumesFromTheNextLink() throws Exception {
        Connection c = fx.connect("c1", 1);
        MailboxId mb = fx.addMailbox(c, 1, "inbox");
        Set<String> all = new HashSet<>(fx.graph.deliver(mb, "inbox", 450, fx.clock.instant(),
                Duration.ofMillis(500)));
        FolderKey key = new FolderKey(c.id(), mb, "inbox");
        SyncEngine first = fx.build(fx.builder());
        fx.sink.behave((page, n) -> {
            if (n == 3) {
                first.stopNow(); // the process dies while the sink holds page 3: it returns, but it is never acked
            }
        });
        first.start();
        assertThat(fx.graph.await(g -> fx.sink.count() >= 3, Duration.ofSeconds(10))).isTrue();
        fx.kill(first);

        FolderCheckpoint mid = fx.store.findCheckpoint(key).orElseThrow();
        assertThat(mid.deltaLink()).as("no delta link before the round's last page").isEmpty();
        assertThat(mid.nextLink()).isPresent();
        assertThat(mid.version()).isEqualTo(2);
        List<FakeGraph.Call> callsBefore = fx.graph.calls(mb);

        fx.sink.behave((page, n) -> { });
        fx.start();
        fx.settle();

        FakeGraph.Call resumed = fx.graph.calls(mb).get(callsBefore.size());
        assertThat(resumed.kind()).isEqualTo(CallKind.DELTA_LINK);
        assertThat(((DeltaRequest) resumed.request()).link()).isEqualTo(mid.nextLink());
        assertThat(fx.sink.messageIds(mb)).isEqualTo(all);
        assertThat(fx.store.findCheckpoint(key).orElseThrow().deltaLink()).isPresent();
        // page 3 was delivered twice (at-least-once), pages 1 and 2 once; no page was acknowledged twice
        assertThat(fx.sink.count()).isEqualTo(6);
        assertThat(fx.store.duplicateAcks()).isEmpty();
        assertThat(fx.store.acks()).hasSize(5);
    }

    @Test
    void aSinkFailureRedeliversTheSamePageAfterBackoffWithoutAdvancingTheCheckpoint() throws Exception {
        Connection c = fx.connect("c1", 1);
        MailboxId mb = fx.addMailbox(c, 1, "inbox");
        fx.graph.deliver(mb, "inbox", 250, fx.clock.instant(), Duration.ofSeconds(1));
        FolderKey key = new FolderKey(c.id(), mb, "inbox");
        fx.sink.behave((page, n) -> {
            if (n == 2) {
                throw new IllegalStateException("downstream unavailable");
            }
        });
        fx.start(fx.builder().backoff(Duration.ofSeconds(10), Duration.ofMinutes(1)));
        fx.settle();

        assertThat(fx.sink.count()).isEqualTo(2);
        assertThat(fx.store.findCheckpoint(key).orElseThrow().version()).as("only page 1 acknowledged").isEqualTo(1);
        RecordingListener.Retry retry = fx.listener.events(RecordingListener.Retry.class).get(0);
        assertThat(retry.kind()).isEqualTo(MessagePage.Kind.LIVE);
        assertThat(retry.cause()).hasMessage("downstream unavailable");
        assertThat(Duration.between(fx.clock.instant(), retry.at()))
                .isBetween(Duration.ofSeconds(5), Duration.ofSeconds(10));
        int callsBefore = fx.graph.calls(mb).size();

        fx.advance(Duration.ofSeconds(4));
        assertThat(fx.sink.count()).as("never before half the backoff").isEqualTo(2);
        fx.clock.advanceTo(retry.at());
        fx.settle();

        List<RecordingSinkPage> pages = fx.sink.received().stream()
                .map(r -> new RecordingSinkPage(r.page(), r.acknowledged())).toList();
        assertThat(pages.get(1).acknowledged()).isFalse();
        assertThat(pages.get(2).page()).isEqualTo(pages.get(1).page());
        assertThat(pages.get(2).acknowledged()).isTrue();
        // page 3 was requested ahead while page 2 was delivered: the retry makes no call at all
        assertThat(fx.graph.calls(mb)).as("the page was kept, not fetched again").hasSize(callsBefore).hasSize(3);
        assertThat(fx.graph.calls(mb).stream().map(call -> ((DeltaRequest) call.request()).link()).distinct())
                .as("no page requested twice").hasSize(3);
        assertThat(fx.store.findCheckpoint(key).orElseThrow().deltaLink()).isPresent();
        assertThat(fx.store.duplicateAcks()).isEmpty();
    }

    @Test
    void aMalformedPageIsRetriedAndAdvancesNoCheckpoint() throws Exception {
        Connection c = fx.connect("c1", 1);
        MailboxId mb = fx.addMailbox(c, 1, "inbox");
        fx.graph.deliver(mb, "inbox", 150, fx.clock.instant(), Duration.ofSeconds(1));
        FolderKey key = new FolderKey(c.id(), mb, "inbox");
        fx.start();
        fx.settle();
        fx.graph.deliver(mb, "inbox", 150, fx.clock.instant(), Duration.ofSeconds(1));
        fx.graph.failNext(mb, () -> new MalformedResponseException("truncated JSON", ErrorDetails.NONE, null));
        long version = fx.store.findCheckpoint(key).orElseThrow().version();
        fx.advance(SyncFixture.POLL);

        assertThat(fx.store.findCheckpoint(key).orElseThrow().version()).isEqualTo(version);
        assertThat(fx.graph.calls(mb).get(fx.graph.calls(mb).size() - 1).failed()).isTrue();
        fx.advance(Duration.ofSeconds(1));
        assertThat(fx.sink.messageIds(mb)).hasSize(300);
        assertThat(fx.store.findCheckpoint(key).orElseThrow().nextLink()).isEmpty();
    }

    private record RecordingSinkPage(MessagePage page, boolean acknowledged) {
    }
}
