package com.tekst.outlook.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.tekst.outlook.Connection;
import com.tekst.outlook.ConnectionStatus;
import com.tekst.outlook.ConsentException;
import com.tekst.outlook.ErrorDetails;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.store.FolderCheckpoint;
import com.tekst.outlook.store.FolderKey;
import com.tekst.outlook.sync.support.FakeGraph;
import com.tekst.outlook.sync.support.RecordingListener;
import com.tekst.outlook.sync.support.RecordingStore;
import com.tekst.outlook.sync.support.SyncFixture;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A folder's next delta page is requested while the current one is delivered and checkpointed; the page is delivered
 * only after the one before it was acknowledged, and the request counts as a call of the mailbox like any other.
 */
class FetchAheadTest {
    private final SyncFixture fx = new SyncFixture();

    @AfterEach
    void close() throws InterruptedException {
        fx.close();
    }

    @Test
    void theNextPageIsRequestedWhileTheSinkHoldsTheOneBeforeItAndDeliveredOnlyAfterThatOneIsAcknowledged()
            throws Exception {
        Connection c = fx.connect("c1", 1);
        MailboxId mb = fx.addMailbox(c, 1, "inbox");
        fx.graph.deliver(mb, "inbox", 30, fx.clock.instant(), Duration.ofSeconds(1));
        FolderKey key = new FolderKey(c.id(), mb, "inbox");
        CountDownLatch inSink = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        fx.sink.behave((page, n) -> {
            if (n == 1) {
                inSink.countDown();
                letGo.await(10, TimeUnit.SECONDS);
            }
        });
        fx.start(fx.builder().pageSize(10));
        assertThat(inSink.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(fx.graph.await(g -> g.calls(mb).size() == 2, Duration.ofSeconds(10)))
                .as("page 2 requested while page 1 is in the sink").isTrue();
        assertThat(fx.store.findCheckpoint(key)).as("page 1 not acknowledged yet").isEmpty();
        assertThat(fx.sink.count()).as("page 2 waits for page 1").isZero();
        letGo.countDown();
        fx.settle();

        assertThat(fx.sink.messageIds(mb)).hasSize(30);
        assertThat(fx.graph.calls(mb)).as("one request per page").hasSize(3);
        List<RecordingStore.Ack> acks = fx.store.acks();
        assertThat(acks).hasSize(3);
        for (int i = 1; i < acks.size(); i++) {
            assertThat(acks.get(i).from()).as("page %d continues from page %d's position", i + 1, i)
                    .isEqualTo(acks.get(i - 1).to());
        }
        assertThat(fx.store.duplicateAcks()).isEmpty();
        assertThat(fx.store.findCheckpoint(key).orElseThrow().deltaLink()).isPresent();
    }

    @Test
    void aPageRequestedAheadHoldsOneOfTheMailboxsCallSlots() throws Exception {
        Connection c = fx.connect("c1", 1);
        MailboxId mb = fx.addMailbox(c, 1, "inbox", "archive", "sent");
        for (String folder : List.of("inbox", "archive", "sent")) {
            fx.graph.deliver(mb, folder, 60, fx.clock.instant(), Duration.ofSeconds(1));
        }
        fx.start(fx.builder().pageSize(10).maxConcurrentPerMailbox(2));
        fx.settle();

        for (String folder : List.of("inbox", "archive", "sent")) {
            assertThat(fx.sink.messageIds(mb).stream().filter(id -> fx.graph.idsIn(mb, folder).contains(id)))
                    .hasSize(60);
        }
        assertThat(fx.graph.maxInFlight(mb)).as("never more than the mailbox's limit in flight").isLessThanOrEqualTo(2);
        assertThat(fx.graph.calls(mb)).as("one request per page, none dropped").hasSize(18);
    }

    @Test
    void aFolderWaitingForTheSlotThatAPageRequestedAheadHoldsDoesNotBlockTheFolderThatWillTakeIt() throws Exception {
        Connection c = fx.connect("c1", 1);
        MailboxId mb = fx.addMailbox(c, 1, "inbox", "archive");
        fx.graph.deliver(mb, "inbox", 50, fx.clock.instant(), Duration.ofSeconds(1));
        CountDownLatch inSink = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        fx.sink.behave((page, n) -> {
            if (n == 2) { // inbox page 2, while page 3 is requested ahead with the mailbox's only slot
                inSink.countDown();
                letGo.await(10, TimeUnit.SECONDS);
            }
        });
        SyncEngine engine = fx.start(fx.builder().pageSize(10).maxConcurrentPerMailbox(1));
        assertThat(inSink.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(fx.graph.await(g -> g.calls(mb).stream().filter(call -> call.folderId().equals("inbox")).count() == 3
                && g.inFlight(mb) == 0, Duration.ofSeconds(10))).as("inbox page 3 requested ahead").isTrue();
        engine.syncNow(c.id(), mb); // the archive's next round is due now: it waits for the slot page 3 holds
        letGo.countDown();
        fx.settle();

        assertThat(fx.sink.messageIds(mb)).as("the inbox went on, then the archive got the slot").hasSize(50);
        assertThat(fx.graph.calls(mb).stream().filter(call -> call.folderId().equals("archive")).count())
                .as("the archive's second round ran").isEqualTo(2);
        assertThat(fx.graph.maxInFlight(mb)).isEqualTo(1);
    }

    @Test
    void aPageRequestedAheadForAPositionThatMovedIsDroppedAndFreesItsSlot() throws Exception {
        Connection c = fx.connect("c1", 1);
        MailboxId mb = fx.addMailbox(c, 1, "inbox");
        fx.graph.deliver(mb, "inbox", 30, fx.clock.instant(), Duration.ofSeconds(1));
        FolderKey key = new FolderKey(c.id(), mb, "inbox");
        fx.sink.behave((page, n) -> {
            if (n == 1) {
                // another writer resets the folder's position while page 1 is in the sink
                FolderCheckpoint current = fx.memory.findCheckpoint(key)
                        .orElseGet(() -> FolderCheckpoint.initial(key, fx.clock.instant()));
                fx.memory.commitCheckpoint(new FolderCheckpoint(key, null, null, null, null, current.version() + 1,
                        fx.clock.instant()), current.version());
            }
        });
        // one call slot: if the dropped page kept it, the mailbox could never call again
        fx.start(fx.builder().pageSize(10).maxConcurrentPerMailbox(1));
        fx.settle();
        assertThat(fx.graph.calls(mb)).as("page 1 and page 2 (requested ahead)").hasSize(2);
        assertThat(fx.sink.count()).as("page 2 was not delivered").isEqualTo(1);
        assertThat(fx.store.acks()).isEmpty();

        fx.sink.behave((page, n) -> { });
        fx.advance(SyncFixture.POLL);
        List<FakeGraph.Call> calls = fx.graph.calls(mb);
        assertThat(calls.get(2).kind()).as("the folder starts again from its stored position")
                .isEqualTo(FakeGraph.CallKind.DELTA_INITIAL);
        assertThat(fx.sink.messageIds(mb)).hasSize(30);
        assertThat(fx.store.duplicateAcks()).isEmpty();
    }

    @Test
    void aGracefulStopWaitsForAPageRequestedAheadAndAcknowledgesNothingOfIt() throws Exception {
        Connection c = fx.connect("c1", 1);
        MailboxId mb = fx.addMailbox(c, 1, "inbox");
        fx.graph.deliver(mb, "inbox", 30, fx.clock.instant(), Duration.ofSeconds(1));
        FolderKey key = new FolderKey(c.id(), mb, "inbox");
        fx.graph.hold(call -> fx.graph.calls(mb).size() >= 2); // the request for page 2 does not return
        SyncEngine engine = fx.start(fx.builder().pageSize(10));
        assertThat(fx.graph.await(g -> g.inFlight(mb) == 1 && g.calls(mb).size() == 2, Duration.ofSeconds(10)))
                .isTrue();
        assertThat(fx.graph.await(g -> fx.store.findCheckpoint(key).isPresent(), Duration.ofSeconds(10)))
                .as("page 1 acknowledged while page 2 is in flight").isTrue();

        AtomicReference<Boolean> clean = new AtomicReference<>();
        Thread stopper = fx.stopInBackground(engine, Duration.ofSeconds(10), clean);
        assertThat(fx.graph.await(g -> stopper.getState() == Thread.State.TIMED_WAITING, Duration.ofSeconds(10)))
                .isTrue();
        assertThat(stopper.isAlive()).as("stop waits for the request in flight").isTrue();
        fx.graph.release();
        stopper.join(10_000);
        assertThat(clean.get()).as("finished within the grace").isTrue();
        assertThat(fx.graph.inFlight(mb)).isZero();
        assertThat(fx.graph.calls(mb)).as("no call after stop").hasSize(2);
        assertThat(fx.store.findCheckpoint(key).orElseThrow().version()).as("only page 1 acknowledged").isEqualTo(1);
        assertThat(fx.sink.count()).isEqualTo(1);
    }

    @Test
    void aStopThatAPageRequestedAheadMetIsNotActedOnAfterTheConnectionWasResumed() throws Exception {
        Connection c = fx.connect("c1", 1);
        MailboxId mb = fx.addMailbox(c, 1, "inbox", "archive");
        fx.graph.deliver(mb, "inbox", 30, fx.clock.instant(), Duration.ofSeconds(1));
        String tenant = c.tenant().orElseThrow().value();
        Supplier<RuntimeException> revoked = () -> new ConsentException(ConsentException.Reason.CONSENT_MISSING,
                "AADSTS700016: application not found in the directory", ErrorDetails.NONE, null);
        AtomicInteger inboxCalls = new AtomicInteger();
        fx.graph.onCall(call -> {
            if (call.folderId().equals("inbox") && inboxCalls.incrementAndGet() == 2) {
                fx.graph.failTenant(tenant, revoked); // consent revoked just as page 2 is requested ahead
            }
        });
        // the archive's first round is under way before the inbox's first page arrives: then no other folder is
        // ready, and page 2 is requested ahead
        fx.graph.hold(call -> call.folderId().equals("inbox")
                && fx.graph.calls(mb).stream().noneMatch(other -> other.folderId().equals("archive")));
        AtomicReference<Throwable> inSink = new AtomicReference<>();
        fx.sink.behave((page, n) -> {
            if (n != 1) {
                return;
            }
            try {
                // while inbox page 1 is in the sink: page 2's request fails; the archive's call meets the same cause
                // and stops the connection; the administrator consents again and the connection is resumed
                assertThat(fx.graph.await(g -> g.calls(mb).stream().anyMatch(FakeGraph.Call::failed)
                        && g.inFlight(mb) == 0, Duration.ofSeconds(10))).isTrue();
                fx.engine.syncNow(c.id(), mb);
                assertThat(fx.graph.await(g -> fx.connectionStatus(c) == ConnectionStatus.CONSENT_REVOKED,
                        Duration.ofSeconds(10))).isTrue();
                fx.graph.failTenant(tenant, null);
                fx.engine.resume(c.id());
                assertThat(fx.connectionStatus(c)).isEqualTo(ConnectionStatus.CONNECTED);
            } catch (Throwable e) {
                inSink.set(e);
            }
        });
        fx.start(fx.builder().pageSize(10));
        fx.settle();

        assertThat(inSink.get()).isNull();
        assertThat(fx.connectionStatus(c)).as("not stopped again by the page's old failure")
                .isEqualTo(ConnectionStatus.CONNECTED);
        assertThat(fx.listener.events(RecordingListener.ConnectionChange.class)).containsOnlyOnce(
                new RecordingListener.ConnectionChange(c.id(), ConnectionStatus.CONNECTED,
                        ConnectionStatus.CONSENT_REVOKED));
        assertThat(fx.sink.messageIds(mb)).hasSize(30);
        List<FakeGraph.Call> inbox = fx.graph.calls(mb).stream().filter(call -> call.folderId().equals("inbox"))
                .toList();
        List<FakeGraph.Call> failedCalls = inbox.stream().filter(FakeGraph.Call::failed).toList();
        assertThat(failedCalls).as("page 2's request ahead, refused").hasSize(1);
        FakeGraph.Call failed = failedCalls.get(0);
        Optional<String> page2 = ((DeltaRequest) failed.request()).link();
        assertThat(inbox).as("page 2 requested again by the step once, after the resume")
                .filteredOn(call -> !call.failed() && ((DeltaRequest) call.request()).link().equals(page2))
                .singleElement().satisfies(call -> assertThat(call.seq()).isGreaterThan(failed.seq()));
        assertThat(fx.store.duplicateAcks()).isEmpty();
    }
}
