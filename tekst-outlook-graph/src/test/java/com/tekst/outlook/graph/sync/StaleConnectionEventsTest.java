package com.tekst.outlook.graph.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.tekst.outlook.testkit.FakeMailbox;
import com.tekst.outlook.testkit.FakeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Acceptance: {@code SyncListener.connectionStaleChanged}, one event when a connection has had no successful sync for
 * longer than the client's stale-after time (1 hour here, the default) and one when it syncs again; none while quiet
 * rounds keep succeeding, none per failed request.
 */
class StaleConnectionEventsTest {
    SyncCloud w;
    FakeMailbox alice;

    @BeforeEach
    void start() {
        w = new SyncCloud();
        alice = w.addMailbox("alice", "inbox");
    }

    @AfterEach
    void stop() throws InterruptedException {
        w.close();
    }

    @Test
    void quietRoundsThatSucceedNeverMakeAConnectionStale() throws Exception {
        w.start(w.builder());
        w.settle();
        for (int i = 0; i < 3 * 60 / 5; i++) {
            w.advance(Duration.ofMinutes(5)); // three hours without mail: every round succeeds
        }
        assertThat(w.events.stale).isEmpty();
    }

    @Test
    void aSinkThatKeepsFailingMakesTheConnectionStaleOnceAndItsRecoveryIsReportedOnce() throws Exception {
        w.start(w.builder());
        w.settle();
        Instant lastGood = w.clock.instant();
        AtomicBoolean down = new AtomicBoolean(true);
        w.sink.behave(page -> {
            if (down.get()) {
                throw new IllegalStateException("Tekst's ingestion is down");
            }
        });
        alice.deliver("inbox", FakeMessage.builder().from("customer@fabrikam.example").subject("Order")
                .receivedAt(w.clock.instant()));
        for (int minute = 0; minute < 150; minute++) {
            w.advance(Duration.ofMinutes(1));
        }
        assertThat(w.events.retries).as("the sink failed many times").hasSizeGreaterThan(5);
        assertThat(w.events.stale).as("one event, however many requests failed").containsExactly(true);
        assertThat(w.events.staleTimes.get(0)).as("the last successful sync")
                .isBetween(lastGood.minus(Duration.ofMinutes(1)), lastGood.plus(Duration.ofMinutes(1)));

        down.set(false);
        for (int minute = 0; minute < 10 && w.sink.acknowledged.stream().noneMatch(p -> !p.messages().isEmpty());
             minute++) {
            w.advance(Duration.ofMinutes(1));
        }
        w.advance(Duration.ofMinutes(1));
        assertThat(w.events.stale).containsExactly(true, false);
    }
}
