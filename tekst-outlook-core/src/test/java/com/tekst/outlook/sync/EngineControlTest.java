package com.tekst.outlook.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.tekst.outlook.Connection;
import com.tekst.outlook.ConnectionStatus;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.store.FolderCheckpoint;
import com.tekst.outlook.store.FolderKey;
import com.tekst.outlook.sync.support.FakeGraph.CallKind;
import com.tekst.outlook.sync.support.RecordingListener;
import com.tekst.outlook.sync.support.SyncFixture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EngineControlTest {
    private final SyncFixture fx = new SyncFixture();

    @AfterEach
    void close() throws InterruptedException {
        fx.close();
    }

    @Test
    void aPausedMailboxMakesNoCallUntilResumedAndOthersGoOn() throws Exception {
        Connection c = fx.connect("c1", 1);
        MailboxId paused = fx.addMailbox(c, 1, "inbox");
        MailboxId other = fx.addMailbox(c, 2, "inbox");
        fx.start();
        fx.settle();
        fx.engine.pause(c.id(), paused);
        assertThat(fx.mailbox(c, paused).status()).isEqualTo(MailboxStatus.PAUSED);
        List<String> waiting = fx.graph.deliver(paused, "inbox", 3, fx.clock.instant(), Duration.ofSeconds(1));
        fx.graph.deliver(other, "inbox", 3, fx.clock.instant(), Duration.ofSeconds(1));
        int calls = fx.graph.calls(paused).size();
        for (int i = 0; i < 3; i++) {
            fx.advance(SyncFixture.POLL);
        }
        assertThat(fx.graph.calls(paused)).hasSize(calls);
        assertThat(fx.sink.messageIds(other)).hasSize(3);

        fx.engine.resume(c.id(), paused);
        fx.settle();
        assertThat(fx.sink.messageIds(paused)).containsExactlyInAnyOrderElementsOf(waiting);
        assertThat(fx.mailbox(c, paused).status()).isEqualTo(MailboxStatus.IDLE);
        ConnectionProgress progress = fx.engine.progress(c.id()).orElseThrow();
        assertThat(progress.status()).isEqualTo(ConnectionStatus.CONNECTED);
        assertThat(progress.mailboxes()).extracting(MailboxProgress::mailboxId).containsExactly(paused, other);
        assertThat(progress.mailboxes()).allSatisfy(m -> assertThat(m.folders()).singleElement().satisfies(f -> {
            assertThat(f.deltaEstablished()).isTrue();
            assertThat(f.roundInProgress()).isFalse();
            assertThat(f.backfill()).isEmpty();
        }));
    }

    @Test
    void aPauseOrResumeForAMailboxTheEngineDoesNotWorkOnHoldsWhenItsOwnerWritesTheStatusMeanwhile() {
        Connection c = fx.connect("c1", 1);
        MailboxId mb = fx.addMailbox(c, 1, "inbox");
        assertThat(fx.store.updateMailboxStatus(c.id(), mb, MailboxStatus.PENDING, MailboxStatus.SYNCING, null, ""))
                .isTrue();
        SyncEngine notStarted = fx.build(fx.builder()); // works on no mailbox: the call is written for the owner
        // the owner ends its round between the call's read of the status and its write
        fx.store.beforeNextStatusWrite = () -> fx.memory.updateMailboxStatus(c.id(), mb, MailboxStatus.SYNCING,
                MailboxStatus.IDLE, null, "");

        notStarted.pause(c.id(), mb);
        assertThat(fx.mailbox(c, mb).status()).as("the pause is not lost to the owner's write")
                .isEqualTo(MailboxStatus.PAUSED);
        assertThat(fx.listener.events(RecordingListener.MailboxChange.class))
                .containsExactly(new RecordingListener.MailboxChange(mb, MailboxStatus.IDLE, MailboxStatus.PAUSED, null));

        fx.store.beforeNextStatusWrite = () -> fx.memory.updateMailboxStatus(c.id(), mb, MailboxStatus.PAUSED,
                MailboxStatus.ACCESS_DENIED, null, "denied");
        notStarted.resume(c.id(), mb);
        assertThat(fx.mailbox(c, mb).status()).as("resumed from the status the owner wrote meanwhile")
                .isEqualTo(MailboxStatus.IDLE);
    }

    @Test
    void aGracefulStopLetsThePageInProgressFinishAndStartsNothingNew() throws Exception {
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
        SyncEngine engine = fx.start(fx.builder().pageSize(10));
        assertThat(inSink.await(10, TimeUnit.SECONDS)).isTrue();
        // the page after the one in the sink is requested ahead, before stop() is called
        assertThat(fx.graph.await(g -> g.calls(mb).size() == 2 && g.inFlight(mb) == 0, Duration.ofSeconds(10)))
                .isTrue();
        java.util.concurrent.atomic.AtomicReference<Boolean> clean = new java.util.concurrent.atomic.AtomicReference<>();
        Thread stopper = fx.stopInBackground(engine, Duration.ofSeconds(10), clean);
        // stop() has begun once its thread waits (timed) for the page in progress
        assertThat(fx.graph.await(g -> stopper.getState() == Thread.State.TIMED_WAITING, Duration.ofSeconds(10)))
                .isTrue();
        letGo.countDown();
        stopper.join(10_000);
        assertThat(clean.get()).as("finished within the grace").isTrue();
        assertThat(fx.store.findCheckpoint(key).orElseThrow().version()).as("the page was acknowledged")
                .isEqualTo(1);
        assertThat(fx.graph.calls(mb)).as("no new call after stop").hasSize(2);
    }

    @Test
    void aStopWhoseGraceRunsOutAbandonsThePageWithoutAcknowledgingIt() throws Exception {
        Connection c = fx.connect("c1", 1);
        MailboxId mb = fx.addMailbox(c, 1, "inbox");
        fx.graph.deliver(mb, "inbox", 30, fx.clock.instant(), Duration.ofSeconds(1));
        FolderKey key = new FolderKey(c.id(), mb, "inbox");
        AtomicBoolean hold = new AtomicBoolean(true);
        fx.graph.hold(call -> hold.get());
        SyncEngine engine = fx.start(fx.builder().pageSize(10));
        assertThat(fx.graph.await(g -> g.inFlight(mb) == 1, Duration.ofSeconds(10))).isTrue();

        assertThat(engine.stop(Duration.ofMillis(100))).as("the call did not finish within the grace").isFalse();
        hold.set(false);
        fx.graph.release();
        assertThat(engine.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(fx.store.findCheckpoint(key)).as("nothing acknowledged after the grace").isEmpty();
        assertThat(fx.store.acks()).isEmpty();
        assertThat(fx.graph.calls(mb)).hasSize(1);
    }

    @Test
    void aCheckpointMovedByAnotherWriterEndsTheRoundWithoutAcknowledgingTwice() throws Exception {
        Connection c = fx.connect("c1", 1);
        MailboxId mb = fx.addMailbox(c, 1, "inbox");
        fx.graph.deliver(mb, "inbox", 30, fx.clock.instant(), Duration.ofSeconds(1));
        FolderKey key = new FolderKey(c.id(), mb, "inbox");
        fx.sink.behave((page, n) -> {
            if (n == 2) {
                // another worker acknowledged this very page meanwhile and moved the checkpoint
                FolderCheckpoint current = fx.memory.findCheckpoint(key).orElseThrow();
                fx.memory.commitCheckpoint(new FolderCheckpoint(key, null, current.nextLink().orElse(null), null, null,
                        current.version() + 1, fx.clock.instant()), current.version());
            }
        });
        fx.start(fx.builder().pageSize(10));
        fx.settle();
        assertThat(fx.store.findCheckpoint(key).orElseThrow().version()).isEqualTo(2);
        // the third call is the page after the conflicted one, requested ahead while it was delivered: dropped
        assertThat(fx.graph.calls(mb)).as("the round stopped at the conflict").hasSize(3);
        assertThat(fx.sink.count()).as("the page requested ahead was not delivered").isEqualTo(2);
        assertThat(fx.store.acks()).hasSize(1);

        fx.sink.behave((page, n) -> { });
        fx.advance(SyncFixture.POLL);
        assertThat(fx.graph.calls(mb).get(3).kind()).isEqualTo(CallKind.DELTA_LINK);
        assertThat(fx.sink.messageIds(mb)).hasSize(30);
        assertThat(fx.store.findCheckpoint(key).orElseThrow().deltaLink()).isPresent();
        assertThat(fx.store.duplicateAcks()).isEmpty();
    }
}
