package com.tekst.outlook.graph.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.tekst.outlook.store.BackfillCursor;
import com.tekst.outlook.store.JdbcOutlookStore;
import com.tekst.outlook.sync.BackfillWindow;
import com.tekst.outlook.sync.MailMessage;
import com.tekst.outlook.sync.MessagePage;
import com.tekst.outlook.sync.SyncEngine;
import com.tekst.outlook.testkit.FakeMailbox;
import com.tekst.outlook.testkit.FakeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance: a backfill of 20,000 messages over 3 folders, newest first with monotonic progress, killed
 * ({@code stopNow}) at 5 seeded random points and restarted each time on the same SQLite file, reopened: the union of
 * delivered ids equals the fake's set, and no page is acknowledged twice in the store.
 */
class BackfillKillRestartAcceptanceTest {
    static final Map<String, Integer> FOLDERS = Map.of("inbox", 9_000, "archive", 7_000, "sentitems", 4_000);
    static final int PAGE = 500;
    static final long SEED = Long.getLong("backfillKillSeed", 20260105L);

    @TempDir
    Path dir;

    @Test
    void twentyThousandMessagesKilledFiveTimesAndRestartedOnTheSameSqliteFile() throws Exception {
        Path file = dir.resolve("tekst-outlook.db");
        JdbcOutlookStore db = JdbcOutlookStore.sqlite(file);
        try (SyncCloud w = new SyncCloud(b -> b, db)) {
            Random random = new Random(SEED);
            FakeMailbox alice = w.addMailbox("alice", FOLDERS.keySet().toArray(String[]::new));
            Set<String> expected = new HashSet<>();
            long t0 = System.nanoTime();
            for (Map.Entry<String, Integer> f : FOLDERS.entrySet()) {
                for (int i = 0; i < f.getValue(); i++) {
                    Instant received = SyncCloud.CONNECTED_AT.minusSeconds(1 + random.nextInt(400 * 86_400));
                    expected.add(alice.deliver(f.getKey(), FakeMessage.builder().from("s" + i + "@fabrikam.example")
                            .subject("Backfill " + i).receivedAt(received)).immutableId());
                }
            }
            long generated = System.nanoTime();
            w.clock.advance(Duration.ofMinutes(10));
            expected.addAll(SyncCloud.ids(SyncCloud.deliver(alice, "inbox", 40, w.clock.instant(),
                    Duration.ofSeconds(10))));

            int kills = 0;
            for (int run = 0; run < 5; run++) {
                int killAt = 1 + random.nextInt(8);
                AtomicInteger pages = new AtomicInteger();
                SyncEngine engine = w.start(w.builder().backfillPageSize(PAGE).pageSize(100).threads(4));
                SyncEngine killed = engine;
                w.sink.behave(p -> {
                    if (pages.incrementAndGet() == killAt) {
                        killed.stopNow();
                    }
                });
                // the wizard's Finish, again on every start: a running backfill is not started over
                w.client.finishSetup(engine, w.connection, BackfillWindow.everything());
                w.settle();
                engine.stopNow();
                assertThat(engine.awaitIdle(Duration.ofSeconds(30))).isTrue();
                kills += pages.get() >= killAt ? 1 : 0;
                db.close();
                db = JdbcOutlookStore.sqlite(file);
                w.reopen(db);
                expected.addAll(SyncCloud.ids(SyncCloud.deliver(alice, "archive", 3, w.clock.instant(),
                        Duration.ofSeconds(1))));
                w.clock.advance(Duration.ofSeconds(61));
            }
            assertThat(kills).as("every run was killed in the middle").isEqualTo(5);

            w.sink.behave(p -> { });
            w.start(w.builder().backfillPageSize(PAGE).pageSize(100).threads(4));
            w.settle();
            w.advance(SyncCloud.POLL);
            long done = System.nanoTime();

            Set<String> delivered = new HashSet<>(w.sink.messageIds(alice.objectId()));
            Set<String> missing = new HashSet<>(expected);
            missing.removeAll(delivered);
            assertThat(missing).as("lost").isEmpty();
            assertThat(delivered).hasSameSizeAs(expected);
            assertThat(w.acks.duplicates()).as("pages acknowledged twice").isEmpty();
            assertThat(w.store.listBackfillCursors(w.connection, alice.objectId()))
                    .allSatisfy(c -> assertThat(c.state()).isEqualTo(BackfillCursor.State.COMPLETE))
                    .extracting(BackfillCursor::delivered).containsExactlyInAnyOrder(9_000L, 7_000L, 4_000L);
            for (String folder : FOLDERS.keySet()) {
                assertNewestFirst(w, alice.folder(folder).id());
                assertProgressMonotonic(w, alice.folder(folder).id(), FOLDERS.get(folder));
            }
            int backfillPages = w.sink.pages(alice.objectId(), MessagePage.Kind.BACKFILL).size();
            int distinctPages = FOLDERS.values().stream().mapToInt(n -> (n + PAGE - 1) / PAGE).sum();
            assertThat(backfillPages - distinctPages).as("pages delivered again: at most the one in progress per kill")
                    .isBetween(0, 5 * FOLDERS.size());
            System.out.printf("backfill: 20,000 messages in 3 folders, %d backfill pages delivered (%d of them"
                            + " again after kills), %d acknowledged pages; generating %d ms, syncing with 5 kills %d ms%n",
                    backfillPages, backfillPages - distinctPages, w.acks.acks().size(), (generated - t0) / 1_000_000,
                    (done - generated) / 1_000_000);
        } finally {
            db.close();
        }
    }

    /** Backfill pages of a folder, in delivery order and without repeats, come newest first. */
    static void assertNewestFirst(SyncCloud w, String folderId) {
        Set<String> seen = new LinkedHashSet<>();
        Instant previous = Instant.MAX;
        for (MessagePage p : w.sink.pages) {
            if (p.kind() != MessagePage.Kind.BACKFILL || !p.folder().id().equals(folderId)) {
                continue;
            }
            for (MailMessage m : p.messages()) {
                if (seen.add(m.id())) {
                    assertThat(m.receivedDateTime()).as("newest first").isBeforeOrEqualTo(previous);
                    previous = m.receivedDateTime();
                }
            }
        }
        assertThat(seen).isNotEmpty();
    }

    /** Progress events of a folder: delivered never goes down, the estimate is never below it, it ends complete. */
    static void assertProgressMonotonic(SyncCloud w, String folderId, int total) {
        long last = -1;
        Map<String, Long> estimates = new HashMap<>();
        List<String> events = w.events.backfillProgress.stream().filter(e -> e.startsWith(folderId + ":")).toList();
        for (String e : events) {
            String[] parts = e.substring(folderId.length() + 1).split(":");
            long delivered = Long.parseLong(parts[0]);
            long estimate = Long.parseLong(parts[1]);
            assertThat(delivered).as("delivered only grows").isGreaterThanOrEqualTo(last);
            if (estimate >= 0) {
                assertThat(estimate).isGreaterThanOrEqualTo(delivered);
            }
            estimates.put(folderId, estimate);
            last = delivered;
        }
        assertThat(last).isEqualTo(total);
        assertThat(estimates.get(folderId)).as("the folder's totalItemCount (live mail included)")
                .isGreaterThanOrEqualTo(total);
    }
}
