package com.tekst.outlook.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.tekst.outlook.ErrorDetails;
import com.tekst.outlook.Connection;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.store.OutlookStore;
import com.tekst.outlook.sync.support.SyncFixture;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The README's "Sync engine" snippet, compiled and run against the scripted source. */
class ReadmeExampleTest {
    private final List<MessagePage> ingested = new ArrayList<>();
    private final Map<MailboxId, MailboxStatus> statusPage = new ConcurrentHashMap<>();

    private synchronized void ingest(MessagePage page) {
        ingested.add(page);
    }

    @Test
    void theReadmeSnippetRuns() throws Exception {
        try (SyncFixture fx = new SyncFixture()) {
            Connection c = fx.connect("c1", 1);
            MailboxId mb = fx.addMailbox(c, 1, "inbox");
            fx.graph.deliver(mb, "inbox", 3, SyncFixture.CONNECTED_AT.minusSeconds(60), Duration.ofHours(1));
            fx.graph.deliver(mb, "inbox", 2, fx.clock.instant(), Duration.ofSeconds(1));
            run(fx.store, fx.graph, fx.clock, c.id(), mb);
            assertThat(ingested.stream().mapToInt(p -> p.messages().size()).sum()).isEqualTo(5);
            assertThat(statusPage).containsEntry(mb, MailboxStatus.IDLE);
        }
    }

    private void run(OutlookStore store, MailSource mailSource, Clock clock, ConnectionId connectionId,
                     MailboxId mailboxId) throws Exception {
        // --- as in the README (plus the test clock and a wait for the engine to settle) ---
        SyncEngine engine = SyncEngine.builder()
                .store(store)
                .source(mailSource)
                .sink(page -> ingest(page))
                .listener(new SyncListener() {
                    @Override
                    public void mailboxStatusChanged(ConnectionId connection, MailboxId mailboxId, MailboxStatus from,
                                                     MailboxStatus to, Instant until, String reason, ErrorDetails details) {
                        statusPage.put(mailboxId, to);
                    }
                })
                .pageSize(100)
                .maxConcurrentPerMailbox(4)
                .requestBudget(9_000, Duration.ofMinutes(10))
                .pollInterval(Duration.ofMinutes(1))
                .clock(clock)
                .timerResolution(Duration.ofMillis(5))
                .build();
        engine.start();
        engine.startBackfill(connectionId, mailboxId, BackfillWindow.last90Days());
        assertThat(engine.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(engine.progress(connectionId, mailboxId)).hasValueSatisfying(p ->
                assertThat(p.folders()).singleElement().satisfies(f ->
                        assertThat(f.backfill().orElseThrow().fraction()).hasValue(1.0)));
        assertThat(engine.stop(Duration.ofSeconds(30))).isTrue();
    }
}
