package com.tekst.outlook.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.tekst.outlook.Connection;
import com.tekst.outlook.ConnectionStatus;
import com.tekst.outlook.ErrorDetails;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.ThrottledException;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.store.FolderKey;
import com.tekst.outlook.sync.support.FakeGraph;
import com.tekst.outlook.sync.support.RecordingListener;
import com.tekst.outlook.sync.support.SyncFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ThrottlingTest {
    private final SyncFixture fx = new SyncFixture();

    @AfterEach
    void close() throws InterruptedException {
        fx.close();
    }

    private static ThrottledException throttled(ThrottledException.Scope scope, Duration retryAfter) {
        return new ThrottledException(scope, retryAfter, "Too many requests", ErrorDetails.NONE.withHttpStatus(429),
                null);
    }

    @Test
    void aThrottledMailboxGetsNoCallBeforeRetryAfterWhileTheOtherNineFinish() throws Exception {
        Connection c = fx.connect("c1", 1);
        List<MailboxId> mailboxes = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            MailboxId mb = fx.addMailbox(c, i, "inbox");
            fx.graph.deliver(mb, "inbox", 250, fx.clock.instant(), Duration.ofMillis(500));
            mailboxes.add(mb);
        }
        MailboxId slow = mailboxes.get(3);
        // the second call to that mailbox is throttled for 30 s
        fx.graph.onCall(call -> {
            if (call.mailboxId().equals(slow) && call.seq() > 0 && fx.graph.calls(slow).size() == 2) {
                fx.graph.failNext(slow, () -> throttled(ThrottledException.Scope.MAILBOX_CONCURRENCY,
                        Duration.ofSeconds(30)));
            }
        });
        fx.start();
        fx.settle();
        Instant throttledAt = fx.clock.instant();

        for (MailboxId mb : mailboxes) {
            if (!mb.equals(slow)) {
                assertThat(fx.sink.messageIds(mb)).as("the other mailboxes finish without time moving").hasSize(250);
            }
        }
        List<FakeGraph.Call> slowCalls = fx.graph.calls(slow);
        assertThat(slowCalls).hasSize(2);
        assertThat(slowCalls.get(1).failed()).isTrue();
        Instant until = throttledAt.plusSeconds(30);
        assertThat(fx.mailbox(c, slow).status()).isEqualTo(MailboxStatus.THROTTLED);
        assertThat(fx.mailbox(c, slow).throttledUntil()).contains(until);
        assertThat(fx.listener.events(RecordingListener.Throttle.class)).containsExactly(
                new RecordingListener.Throttle(slow, ThrottledException.Scope.MAILBOX_CONCURRENCY,
                        Duration.ofSeconds(30), until));
        assertThat(fx.listener.events(RecordingListener.MailboxChange.class))
                .contains(new RecordingListener.MailboxChange(slow, MailboxStatus.SYNCING, MailboxStatus.THROTTLED,
                        until));
        assertThat(fx.engine.progress(c.id(), slow).orElseThrow().throttledUntil()).contains(until);
        assertThat(fx.connectionStatus(c)).isEqualTo(ConnectionStatus.DEGRADED);

        fx.advance(Duration.ofSeconds(29));
        fx.advance(Duration.ofMillis(999));
        assertThat(fx.graph.calls(slow)).as("never a call before Retry-After elapsed").hasSize(2);

        fx.advance(Duration.ofMillis(1));
        assertThat(fx.graph.calls(slow).get(2).at()).isEqualTo(until);
        assertThat(fx.sink.messageIds(slow)).hasSize(250);
        assertThat(fx.mailbox(c, slow).status()).isEqualTo(MailboxStatus.IDLE);
        assertThat(fx.connectionStatus(c)).isEqualTo(ConnectionStatus.CONNECTED);
        for (MailboxId mb : mailboxes) {
            assertThat(fx.graph.maxInFlight(mb)).isLessThanOrEqualTo(4);
        }
    }

    @Test
    void neverMoreThanFourCallsInFlightPerMailboxAndFewerWhenConfigured() throws Exception {
        Connection c = fx.connect("c1", 1);
        String[] folders = {"f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8"};
        MailboxId mb = fx.addMailbox(c, 1, folders);
        MailboxId other = fx.addMailbox(c, 2, folders);
        for (String f : folders) {
            fx.graph.deliver(mb, f, 30, fx.clock.instant(), Duration.ofSeconds(1));
            fx.graph.deliver(other, f, 30, fx.clock.instant(), Duration.ofSeconds(1));
        }
        fx.graph.hold(call -> true);
        SyncEngine engine = fx.start(fx.builder().threads(12).pageSize(10));
        // 48 calls of work, 12 threads: release the held calls in batches; the engine refills exactly 4 per mailbox
        assertThat(fx.graph.await(g -> g.inFlight(mb) == 4 && g.inFlight(other) == 4, Duration.ofSeconds(10)))
                .isTrue();
        for (int i = 0; i < 3; i++) {
            int seen = fx.graph.calls().size();
            fx.graph.hold(call -> call.seq() > seen);
            assertThat(fx.graph.await(g -> g.calls().size() >= seen + 2, Duration.ofSeconds(10))).isTrue();
            assertThat(fx.graph.await(g -> g.inFlight(mb) == 4 && g.inFlight(other) == 4, Duration.ofSeconds(10)))
                    .isTrue();
        }
        fx.graph.release();
        fx.settle();
        assertThat(fx.graph.maxInFlight(mb)).isEqualTo(4);
        assertThat(fx.graph.maxInFlight(other)).isEqualTo(4);
        assertThat(fx.sink.messageIds(mb)).hasSize(240);
        engine.stopNow();

        // configured lower: at most 2
        SyncFixture two = new SyncFixture();
        try (two) {
            Connection c2 = two.connect("c2", 2);
            MailboxId mb2 = two.addMailbox(c2, 3, folders);
            for (String f : folders) {
                two.graph.deliver(mb2, f, 30, two.clock.instant(), Duration.ofSeconds(1));
            }
            two.graph.hold(call -> true);
            two.start(two.builder().threads(8).pageSize(10).maxConcurrentPerMailbox(2));
            assertThat(two.graph.await(g -> g.inFlight(mb2) == 2, Duration.ofSeconds(10))).isTrue();
            two.graph.release();
            two.settle();
            assertThat(two.graph.maxInFlight(mb2)).isEqualTo(2);
            assertThat(two.sink.messageIds(mb2)).hasSize(240);
        }
    }

    @Test
    void anExhaustedRequestBudgetWaitsForTheWindow() throws Exception {
        Connection c = fx.connect("c1", 1);
        MailboxId mb = fx.addMailbox(c, 1, "inbox");
        fx.graph.deliver(mb, "inbox", 100, fx.clock.instant(), Duration.ofSeconds(1));
        fx.start(fx.builder().pageSize(10).requestBudget(5, Duration.ofMinutes(1)));
        fx.settle();
        Instant start = fx.clock.instant();
        assertThat(fx.graph.calls(mb)).hasSize(5);

        fx.advance(Duration.ofSeconds(59));
        assertThat(fx.graph.calls(mb)).as("no call while the window is spent").hasSize(5);
        fx.advance(Duration.ofSeconds(2));
        assertThat(fx.graph.calls(mb)).hasSize(10);
        assertThat(fx.graph.calls(mb).subList(5, 10)).allMatch(call -> !call.at().isBefore(start.plusSeconds(60)));
        assertThat(fx.sink.messageIds(mb)).hasSize(100);
        assertThat(fx.graph.calls(mb)).allMatch(call -> !call.failed());
    }

    @Test
    void anApplicationWideThrottleFencesEveryMailbox() throws Exception {
        Connection a = fx.connect("a", 1);
        Connection b = fx.connect("b", 2);
        MailboxId mb1 = fx.addMailbox(a, 1, "inbox");
        MailboxId mb2 = fx.addMailbox(a, 2, "inbox");
        MailboxId mb3 = fx.addMailbox(b, 3, "inbox");
        for (MailboxId mb : List.of(mb1, mb2, mb3)) {
            fx.graph.deliver(mb, "inbox", 50, fx.clock.instant(), Duration.ofSeconds(1));
        }
        fx.start(fx.builder().threads(1).pageSize(10));
        fx.settle();
        int callsBefore = fx.graph.calls().size();

        fx.graph.deliver(mb2, "inbox", 5, fx.clock.instant(), Duration.ofSeconds(1));
        fx.graph.failNext(mb2, () -> throttled(ThrottledException.Scope.APPLICATION, Duration.ofSeconds(20)));
        fx.advance(SyncFixture.POLL);
        Instant fenceAt = fx.clock.instant();
        List<FakeGraph.Call> calls = fx.graph.calls();
        FakeGraph.Call throttledCall = calls.stream().filter(FakeGraph.Call::failed).findFirst().orElseThrow();
        assertThat(calls.subList(calls.indexOf(throttledCall) + 1, calls.size()))
                .as("no call to any mailbox after the application was throttled").isEmpty();
        assertThat(fx.listener.events(RecordingListener.Throttle.class)).singleElement().satisfies(t -> {
            assertThat(t.mailboxId()).isNull();
            assertThat(t.scope()).isEqualTo(ThrottledException.Scope.APPLICATION);
        });
        assertThat(fx.engine.progress(b.id(), mb3).orElseThrow().throttledUntil()).contains(fenceAt.plusSeconds(20));

        fx.advance(Duration.ofSeconds(19));
        assertThat(fx.graph.calls()).hasSize(calls.size());
        fx.advance(Duration.ofSeconds(1));
        assertThat(fx.graph.calls().size()).isGreaterThan(calls.size());
        assertThat(fx.graph.calls().subList(calls.size(), fx.graph.calls().size()))
                .allMatch(call -> !call.at().isBefore(fenceAt.plusSeconds(20)));
        assertThat(fx.sink.messageIds(mb2)).hasSize(55);
        assertThat(callsBefore).isPositive();
        assertThat(fx.store.findCheckpoint(new FolderKey(a.id(), mb2, "inbox")).orElseThrow().nextLink()).isEmpty();
    }
}
