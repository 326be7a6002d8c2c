package com.tekst.outlook.graph.sync;

import com.tekst.outlook.store.JdbcOutlookStore;
import com.tekst.outlook.sync.BackfillWindow;
import com.tekst.outlook.testkit.FakeMailbox;
import com.tekst.outlook.testkit.FakeMessage;
import com.tekst.outlook.testkit.JournalEntry;
import com.tekst.outlook.testkit.MailboxThrottling;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * What keeping the coverage promise costs, measured against the fake cloud: one folder of N messages (default
 * 100,000) received over the 90 days before the connection, backfilled at a page size, then reconciled once. Prints
 * requests per 1,000 messages for the backfill and for one reconciliation pass, the bytes Graph sends for the pass
 * (its listings replayed with plain OkHttp and counted), and the SQLite store's bytes per synced message. A plain main
 * (not a test), run by the {@code coverage-benchmark} profile:
 *
 * <pre>
 * mvn -B -q -pl tekst-outlook-graph -am -Pcoverage-benchmark -DskipTests process-test-classes
 * </pre>
 */
public final class CoverageCostBenchmark {
    private CoverageCostBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        System.out.printf(Locale.ROOT, "Coverage cost, one folder of %,d messages over 90 days, fake cloud on loopback"
                + " HTTPS, SQLite store; Java %s, %d processors%n", messages, System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "%-10s %16s %16s %22s %20s %18s %18s%n", "page size", "backfill requests",
                "per 1,000 msgs", "offset paging (before)", "reconcile requests", "reconcile MB", "store B/message");
        for (int pageSize : List.of(100, 1000)) {
            run(messages, pageSize);
        }
        System.out.println();
        System.out.println("before: offset ($skip) paging lists ceil(N / page size) pages; the key adds one re-listed"
                + " message per page (the boundary instant).");
        System.out.println("command: mvn -B -q -pl tekst-outlook-graph -am -Pcoverage-benchmark -DskipTests"
                + " process-test-classes" + (args.length > 0 ? " -Dcoverage.messages=" + args[0] : ""));
    }

    private static void run(int messages, int pageSize) throws Exception {
        Path dir = Files.createTempDirectory("tekst-coverage");
        Path file = dir.resolve("store.db");
        String row;
        long synced;
        JdbcOutlookStore sqlite = JdbcOutlookStore.sqlite(file);
        try (SyncCloud w = new SyncCloud(b -> b.journalCapacity(1_000_000)
                     .mailboxThrottling(MailboxThrottling.unlimited()), sqlite)) {
            FakeMailbox alice = w.addMailbox("alice", "inbox");
            Duration spacing = Duration.ofDays(90).dividedBy(messages + 1);
            List<FakeMessage> history = SyncCloud.deliver(alice, "inbox", messages,
                    SyncCloud.CONNECTED_AT.minusSeconds(1), spacing.isZero() ? Duration.ofSeconds(1) : spacing);
            w.start(w.builder().backfillPageSize(pageSize).reconcileInterval(Duration.ofMinutes(10))
                    .requestBudget(9_000, Duration.ofMinutes(10)));
            w.client.finishSetup(w.engine, w.connection, BackfillWindow.last90Days());
            while (w.store.findBackfillCursor(w.key(alice, "inbox")).map(c -> !c.state().isFinal()).orElse(true)) {
                w.advance(Duration.ofMinutes(10)); // the request budget's window slides on the fake clock
            }
            long backfill = listings(w, alice, false).size();
            int before = w.cloud.journal().entries(e -> true).size();
            w.advance(Duration.ofMinutes(11)); // the reconciliation falls due at the next round's end
            w.advance(SyncCloud.POLL);
            List<JournalEntry> ids = listings(w, alice, true);
            long reconcile = ids.stream().filter(e -> e.sequence() > before).count();
            long bytes = replay(w, ids.stream().filter(e -> e.sequence() > before).toList());
            synced = w.store.countSyncedMessages(w.key(alice, "inbox"));
            if (synced != history.size()) {
                throw new IllegalStateException("expected " + history.size() + " synced messages, found " + synced);
            }
            long offsetPaging = (messages + pageSize - 1) / pageSize;
            row = String.format(Locale.ROOT, "%-10d %16d %16.2f %22d %20d %18.2f", pageSize, backfill,
                    backfill * 1000.0 / messages, offsetPaging, reconcile, bytes / 1e6);
        } finally {
            sqlite.close();
        }
        try {
            // after close: SQLite has checkpointed its write-ahead log into the file
            System.out.printf(Locale.ROOT, "%s %18.0f%n", row, (double) Files.size(file) / synced);
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The mailbox's listing requests: backfill pages, or reconciliation id listings. */
    private static List<JournalEntry> listings(SyncCloud w, FakeMailbox m, boolean idsOnly) {
        return w.cloud.journal().entries(e -> m.objectId().equals(e.mailbox().orElse(null)) && e.path().endsWith("/messages")
                && e.status() == 200 && idsOnly == URLDecoder.decode(e.query(), StandardCharsets.UTF_8)
                .matches(".*[?&]?\\$select=id,internetMessageId,parentFolderId,receivedDateTime(&.*)?$"));
    }

    /** Requests the same listings again with plain OkHttp and counts the bytes of the bodies. */
    private static long replay(SyncCloud w, List<JournalEntry> entries) throws Exception {
        String token = w.cloud.accessToken(w.tenant.id());
        OkHttpClient http = new OkHttpClient.Builder()
                .sslSocketFactory(w.cloud.sslSocketFactory(), w.cloud.trustManager()).build();
        String origin = w.cloud.graphBaseUrl().toString().replaceFirst("/v1\\.0/?$", "");
        long bytes = 0;
        for (JournalEntry e : entries) {
            Request request = new Request.Builder().url(origin + e.path() + "?" + e.query())
                    .header("Authorization", "Bearer " + token)
                    .header("Prefer", "IdType=\"ImmutableId\"").build();
            try (Response r = http.newCall(request).execute()) {
                bytes += r.body().bytes().length;
            }
        }
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
        return bytes;
    }

}
