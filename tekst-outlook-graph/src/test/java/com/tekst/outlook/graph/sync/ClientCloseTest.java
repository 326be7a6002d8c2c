package com.tekst.outlook.graph.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tekst.outlook.OutlookClientException;
import com.tekst.outlook.sync.SyncEngine;
import com.tekst.outlook.testkit.FakeMailbox;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code OutlookClient.close()} leaves no thread of the SDK behind: the engine's {@code tekst-sync-*} threads,
 * msal4j's executor the SDK provides ({@code tekst-outlook-msal-*}) and the dispatcher of the SDK's own OkHttp
 * client, whether the engine was stopped first or the client is closed while the engine syncs. Threads that were
 * alive before the test (other tests' clients) are not counted. OkHttp's {@code TaskRunner} is process-wide (the
 * fake's servers use it too), not the SDK's own, so it is not counted either.
 */
class ClientCloseTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    Set<Thread> before;
    SyncCloud w;

    @BeforeEach
    void start() {
        before = Thread.getAllStackTraces().keySet();
        w = new SyncCloud();
    }

    @AfterEach
    void stop() throws InterruptedException {
        w.close();
    }

    @Test
    void engineStoppedThenClientClosedLeavesNoSdkThread() throws Exception {
        FakeMailbox alice = w.addMailbox("alice", "inbox");
        w.clock.advance(Duration.ofMinutes(30));
        SyncCloud.deliver(alice, "inbox", 5, w.clock.instant(), Duration.ofMinutes(1));
        w.start(w.builder());
        w.settle();
        assertThat(w.sink.messageIds(alice.objectId())).hasSize(5);
        assertThat(sdkThreads()).as("the engine and msal4j run").anyMatch(t -> t.getName().startsWith("tekst-sync-"))
                .anyMatch(t -> t.getName().startsWith("tekst-outlook-msal-"));

        assertThat(w.engine.stop(Duration.ofSeconds(10))).isTrue();
        assertThat(sdkThreads()).as("stop returns once the engine's threads have ended")
                .noneMatch(t -> t.getName().startsWith("tekst-sync-"));
        w.client.close();

        assertNoSdkThreadWithin(DEADLINE);
    }

    @Test
    void clientClosedWhileTheEngineSyncsStopsTheEngineAndLeavesNoSdkThread() throws Exception {
        FakeMailbox alice = w.addMailbox("alice", "inbox");
        w.clock.advance(Duration.ofMinutes(30));
        SyncCloud.deliver(alice, "inbox", 5, w.clock.instant(), Duration.ofMinutes(1));
        CountDownLatch inSink = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        w.sink.behave(page -> {
            inSink.countDown();
            try {
                new CountDownLatch(1).await(); // holds the page until the engine gives up on it
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
        });
        w.start(w.builder());
        assertThat(inSink.await(30, TimeUnit.SECONDS)).as("the engine is delivering a page").isTrue();

        w.client.close();

        assertThat(interrupted.getCount()).as("after the grace the page in progress was interrupted").isZero();
        assertThat(w.sink.acknowledged).as("the page held in the sink was abandoned unacknowledged").isEmpty();
        assertThat(sdkThreads()).as("close returns once the engine's threads have ended")
                .noneMatch(t -> t.getName().startsWith("tekst-sync-"));
        assertNoSdkThreadWithin(DEADLINE);

        SyncEngine late = w.builder().build();
        assertThatThrownBy(late::start).isInstanceOf(OutlookClientException.class).hasMessageContaining("closed");
        assertThat(sdkThreads()).as("a refused engine starts no thread")
                .noneMatch(t -> t.getName().startsWith("tekst-sync-"));
    }

    /** Live threads of the SDK started since the test began. */
    private List<Thread> sdkThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive())
                .filter(t -> t.getName().startsWith("tekst-") || t.getName().startsWith("OkHttp Dispatcher")
                        || t.getName().startsWith("OkHttp http"))
                .toList();
    }

    private void assertNoSdkThreadWithin(Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        List<Thread> alive = sdkThreads();
        while (!alive.isEmpty() && System.nanoTime() < end) {
            alive.get(0).join(100);
            alive = sdkThreads();
        }
        assertThat(alive).extracting(Thread::getName).as("SDK threads alive after close()").isEmpty();
    }
}
