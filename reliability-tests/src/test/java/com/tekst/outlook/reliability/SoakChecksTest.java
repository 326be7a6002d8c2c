package com.tekst.outlook.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.tekst.outlook.MailboxId;
import com.tekst.outlook.sync.MailMessage;
import com.tekst.outlook.sync.MessagePage;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.TenantId;
import com.tekst.outlook.mailbox.FolderRef;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak's verdict on known histories, written through the real {@link SinkLog} file and read back: it finds a
 * message never delivered, a removal never delivered, a removal delivered before a stale add, a duplicate under another
 * id, and accepts a clean history (a move as a removal in one folder and an add with the same id in the other).
 */
class SoakChecksTest {
    static final String MBX = "0a6f1a2e-5d7b-4c1e-9f3a-00000000000a";
    static final Set<String> KNOWN = Set.of("m1", "m2", "m3", "m4");

    @TempDir
    Path dir;

    @Test
    void aCleanHistoryWithAMoveAndARedeliveryConverges() throws Exception {
        Path file = dir.resolve("sink.db");
        try (SinkLog sink = SinkLog.open(file, 1)) {
            sink.accept(page("inbox", MessagePage.Kind.BACKFILL, List.of("m1", "m2"), List.of()));
            sink.accept(page("inbox", MessagePage.Kind.BACKFILL, List.of("m2"), List.of())); // replay after a kill
            sink.accept(page("inbox", MessagePage.Kind.LIVE, List.of(), List.of("m2")));      // moved out
            sink.accept(page("archive", MessagePage.Kind.LIVE, List.of("m2"), List.of()));    // ... and in
        }
        SoakChecks.Verdict v = SoakChecks.verdict(SinkLog.deliveries(file),
                Map.of(MBX + "/inbox", Set.of("m1"), MBX + "/archive", Set.of("m2")), KNOWN);

        assertThat(v.converged()).isTrue();
        assertThat(v.missingMessages()).isEmpty();
        assertThat(v.removalsExpected()).isEqualTo(1);
        assertThat(v.removalsSeen()).isEqualTo(1);
        assertThat(v.foreignDuplicates()).isEmpty();
        assertThat(v.duplicatePercent()).as("m2 twice in inbox: 4 adds over 3 distinct").isEqualTo(100.0 / 3);
    }

    @Test
    void lostMessagesLostRemovalsAndStaleAddsAreFound() throws Exception {
        Path file = dir.resolve("sink.db");
        try (SinkLog sink = SinkLog.open(file, 2)) {
            sink.accept(page("inbox", MessagePage.Kind.BACKFILL, List.of("m1", "m2"), List.of()));
            sink.accept(page("inbox", MessagePage.Kind.LIVE, List.of(), List.of("m3")));
            sink.accept(page("inbox", MessagePage.Kind.BACKFILL, List.of("m3"), List.of())); // stale add after it
        }
        // the fake: m1 deleted (no removal delivered), m3 gone too (its removal came before a stale add), m4 never
        // delivered, m2 still there
        SoakChecks.Verdict v = SoakChecks.verdict(SinkLog.deliveries(file),
                Map.of(MBX + "/inbox", Set.of("m2", "m4")), KNOWN);

        assertThat(v.converged()).isFalse();
        assertThat(v.missingMessages()).singleElement().asString().contains("m4").contains("never delivered");
        assertThat(v.removalsExpected()).isEqualTo(2);
        assertThat(v.removalsSeen()).isZero();
        assertThat(v.missingRemovals()).hasSize(2).anySatisfy(s -> assertThat(s).contains("m1"))
                .anySatisfy(s -> assertThat(s).contains("m3"));
    }

    @Test
    void aDuplicateUnderAnotherIdIsNotAnAcceptableDuplicate() throws Exception {
        Path file = dir.resolve("sink.db");
        try (SinkLog sink = SinkLog.open(file, 1)) {
            sink.accept(page("inbox", MessagePage.Kind.BACKFILL, List.of("m1"), List.of()));
            sink.accept(new MessagePage(ConnectionId.of("c"), TenantId.of("00000000-0000-0000-0000-000000000001"),
                    MailboxId.of(MBX), MailboxAddress.of("a@contoso.com"), new FolderRef("inbox", "Inbox"),
                    MessagePage.Kind.LIVE, List.of(message("rest-id-of-m1", "<m1@fabrikam>")), List.of()));
        }
        SoakChecks.Verdict v = SoakChecks.verdict(SinkLog.deliveries(file), Map.of(MBX + "/inbox", Set.of("m1")),
                KNOWN);

        assertThat(v.foreignDuplicates()).hasSize(2)
                .anySatisfy(s -> assertThat(s).contains("rest-id-of-m1").contains("not an immutable id"))
                .anySatisfy(s -> assertThat(s).contains("one internetMessageId under ids"));
    }

    static MessagePage page(String folder, MessagePage.Kind kind, List<String> added, List<String> removed) {
        return new MessagePage(ConnectionId.of("c"), TenantId.of("00000000-0000-0000-0000-000000000001"), MailboxId.of(MBX),
                MailboxAddress.of("a@contoso.com"), new FolderRef(folder, folder), kind,
                added.stream().map(id -> message(id, "<" + id + "@fabrikam>")).toList(), removed);
    }

    static MailMessage message(String id, String internetMessageId) {
        return new MailMessage(id, internetMessageId, "conv", "folder", "subject", null, List.of(), List.of(),
                Instant.parse("2026-11-01T10:00:00Z"), "", null, false, List.of(), false);
    }

    static com.tekst.outlook.testkit.JournalEntry entry(long seq, int status, java.time.Duration retryAfter,
                                                       Instant at, long startNanos, long endNanos) {
        return new com.tekst.outlook.testkit.JournalEntry(seq, com.tekst.outlook.testkit.JournalEntry.Kind.GRAPH, "GET",
                "/v1.0/users/" + MBX + "/mailFolders/f/messages", "", Map.of(), null, null, MailboxId.of(MBX), "c" + seq, status,
                retryAfter, at, startNanos, endNanos, null);
    }

    @Test
    void aCallThatReachedTheFakeBeforeTheEngineReportedTheThrottlingIsExcusedOneAfterIsNot() {
        Instant t0 = Instant.parse("2026-12-03T07:00:00Z");
        long ms = 1_000_000L;
        List<com.tekst.outlook.testkit.JournalEntry> journal = List.of(
                entry(1, 429, java.time.Duration.ofSeconds(2), t0, 0, ms),
                // four calls that each freed a slot just before the 429 reached the engine: three in flight are
                // excused by count, the fourth only because it arrived before the engine reported the throttling
                entry(2, 200, null, t0.plusMillis(1), ms + 1, 2 * ms),
                entry(3, 200, null, t0.plusMillis(1), ms + 2, 2 * ms),
                entry(4, 200, null, t0.plusMillis(2), ms + 3, 3 * ms),
                entry(5, 200, null, t0.plusMillis(3), 3 * ms, 4 * ms),
                // after the report: a real violation
                entry(6, 200, null, t0.plusMillis(900), 900 * ms, 901 * ms));
        Map<String, List<Long>> reports = Map.of(MBX, List.of(t0.plusMillis(5).toEpochMilli()));

        assertThat(SoakJournal.requestsBeforeRetryAfter(journal, List.of(), reports))
                .singleElement().asString().startsWith("#6 ");
        assertThat(SoakJournal.requestsBeforeRetryAfter(journal, List.of())).as("without the engine's reports")
                .hasSize(2);
    }

    static com.tekst.outlook.testkit.JournalEntry by(long seq, String worker, long startMillis) {
        Map<String, List<String>> headers = worker == null ? Map.of("user-agent", List.of("okhttp/5.5.1"))
                : Map.of("user-agent", List.of("tekst-outlook (sync worker " + worker + ")"));
        return new com.tekst.outlook.testkit.JournalEntry(seq, com.tekst.outlook.testkit.JournalEntry.Kind.GRAPH, "GET",
                "/v1.0/users/" + MBX + "/mailFolders/f/messages", "", headers, null, null, MailboxId.of(MBX),
                "c" + seq, 200, null, Instant.EPOCH, startMillis * 1_000_000L, startMillis * 1_000_000L + 1, null);
    }

    @Test
    void aFormerOwnerStillSendingAfterTheNextOwnerBeganIsMeasuredAHandBackIsNot() {
        assertThat(SoakJournal.worker(by(1, "w-1", 0))).isEqualTo("w-1");
        assertThat(SoakJournal.worker(by(1, null, 0))).isNull();
        // w-1 owns it, w-2 takes over at 200 ms, w-1 still sends at 500 ms: 300 ms of overlap
        assertThat(SoakJournal.ownerOverlapMillis(List.of(by(1, "w-1", 0), by(2, "w-1", 100), by(3, "w-2", 200),
                by(4, "w-1", 500), by(5, "w-2", 600)))).containsExactly(Map.entry(MBX, 300L));
        // a clean takeover, then the mailbox handed back to w-1 after w-2's last request
        assertThat(SoakJournal.ownerOverlapMillis(List.of(by(1, "w-1", 0), by(2, "w-2", 200), by(3, "w-2", 600),
                by(4, "w-1", 1000)))).containsExactly(Map.entry(MBX, 0L));
        // a request naming no worker during a worker's tenure counts as another owner
        assertThat(SoakJournal.ownerOverlapMillis(List.of(by(1, null, 0), by(2, "w-1", 200), by(3, null, 450),
                by(4, "w-1", 900)))).containsExactly(Map.entry(MBX, 250L));
    }
}
