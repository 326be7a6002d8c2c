package com.tekst.outlook.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.graph.OutlookClient;
import com.tekst.outlook.store.JdbcOutlookStore;
import com.tekst.outlook.sync.BackfillWindow;
import com.tekst.outlook.sync.MailMessage;
import com.tekst.outlook.sync.MessagePage;
import com.tekst.outlook.sync.SyncEngine;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Tables 2–6 of {@link BenchmarkSuite}: many mailboxes, memory under {@code -Xmx128m}, the steady state, throttling
 * and backfill. Each table starts its own {@link BenchFakeHost}; the SDK runs with a SQLite store and a counting sink,
 * at its default page size (100) unless a table says otherwise. Appends its tables and targets to a Markdown buffer.
 */
final class ScaleTables {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory STREAM = new JsonFactory();

    private final boolean taskset;
    private final boolean quick;
    final StringBuilder md = new StringBuilder();
    final List<String[]> targets = new ArrayList<>();

    ScaleTables(boolean taskset, boolean quick) {
        this.taskset = taskset;
        this.quick = quick;
    }

    /** Counts delivered messages per (connection, mailbox) and notes when each reached its target. */
    static final class Sink {
        final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
        final Map<String, Long> targets = new ConcurrentHashMap<>();
        final Map<String, Long> doneAt = new ConcurrentHashMap<>();

        static String key(ConnectionId c, String mailbox) {
            return c.value() + "|" + mailbox;
        }

        void accept(MessagePage p) {
            String k = key(p.connection(), p.mailboxId().value());
            long c = counts.computeIfAbsent(k, x -> new AtomicLong()).addAndGet(p.messages().size());
            Long t = targets.get(k);
            if (t != null && c >= t) {
                doneAt.putIfAbsent(k, System.nanoTime());
            }
        }

        long count(String k) {
            AtomicLong c = counts.get(k);
            return c == null ? 0 : c.get();
        }

        void target(String k, long n) {
            doneAt.remove(k);
            targets.put(k, n);
            if (count(k) >= n) {
                doneAt.putIfAbsent(k, System.nanoTime());
            }
        }

        boolean await(List<String> keys, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            for (String k : keys) {
                while (!doneAt.containsKey(k)) {
                    if (System.nanoTime() > deadline) {
                        return false;
                    }
                    Thread.sleep(1);
                }
            }
            return true;
        }
    }

    /** A fresh SQLite store, client and engine. */
    static final class Sdk implements AutoCloseable {
        final JdbcOutlookStore store;
        final OutlookClient client;
        final SyncEngine engine;
        final Path db;

        Sdk(Fake fake, Sink sink, int pageSize, int backfillPageSize) throws Exception {
            db = Files.createTempFile("tekst-bench-", ".db");
            store = JdbcOutlookStore.sqlite(db);
            client = fake.sdk(store).build();
            engine = client.syncEngine().sink(sink::accept).pageSize(pageSize).backfillPageSize(backfillPageSize)
                    .pollInterval(Duration.ofHours(1)).build();
        }

        @Override
        public void close() throws Exception {
            engine.stop(Duration.ofSeconds(5));
            client.close();
            store.close();
            Files.deleteIfExists(db);
        }
    }

    private static List<String> keys(ConnectionId id, List<JsonNode> boxes) {
        List<String> keys = new ArrayList<>();
        for (JsonNode b : boxes) {
            keys.add(Sink.key(id, b.path("objectId").asText()));
        }
        return keys;
    }

    private static int folders(List<JsonNode> boxes) {
        int n = 0;
        for (JsonNode b : boxes) {
            n += b.path("folders").size();
        }
        return n;
    }

    private void target(String what, String measured, boolean met) {
        targets.add(new String[] {what, measured, met ? "met" : "**missed**"});
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static double percentile(double[] v, double p) {
        double[] s = v.clone();
        Arrays.sort(s);
        int i = (int) Math.ceil(p / 100.0 * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, i))];
    }

    static String range(double[] v, String f) {
        double[] s = v.clone();
        Arrays.sort(s);
        return String.format(Locale.ROOT, f + " (" + f + "–" + f + ")", median(v), s[0], s[s.length - 1]);
    }

    /** Tables 2 and 4 on one fake: the first sync of many mailboxes, then no-change and one-new-message rounds. */
    void manyMailboxesAndSteadyState(int mailboxes, int messages, int runs, int rounds, int changed)
            throws Exception {
        try (Fake fake = Fake.start(taskset, "6g", mailboxes, messages, 90)) {
            List<JsonNode> boxes = fake.mailboxes();
            int folderCount = folders(boxes);
            long totalMessages = 0;
            for (JsonNode b : boxes) {
                totalMessages += b.path("messages").asLong();
            }
            double[] total = new double[runs];
            double[] p50 = new double[runs];
            double[] p99 = new double[runs];
            double[] tokens = new double[runs];
            double[] inFlight = new double[runs];
            double[] requests = new double[runs];
            Sdk kept = null;
            Sink keptSink = null;
            ConnectionId keptId = null;
            for (int r = 0; r < runs; r++) {
                Sink sink = new Sink();
                ConnectionId id = ConnectionId.of("many-" + r);
                List<String> keys = keys(id, boxes);
                for (int i = 0; i < boxes.size(); i++) {
                    sink.target(keys.get(i), boxes.get(i).path("messages").asLong());
                }
                fake.command("clear");
                long t0 = System.nanoTime();
                Sdk sdk = new Sdk(fake, sink, 100, 100);
                fake.addConnection(sdk.store, id, fake.start.minus(Duration.ofDays(365)), boxes);
                sdk.engine.start();
                sdk.client.finishSetup(sdk.engine, id);
                if (!sink.await(keys, Duration.ofMinutes(15))) {
                    throw new IllegalStateException("table 2: not every mailbox completed");
                }
                long end = System.nanoTime();
                double[] per = new double[keys.size()];
                for (int i = 0; i < keys.size(); i++) {
                    per[i] = (sink.doneAt.get(keys.get(i)) - t0) / 1e9;
                }
                total[r] = (end - t0) / 1e9;
                p50[r] = percentile(per, 50);
                p99[r] = percentile(per, 99);
                sdk.engine.awaitIdle(Duration.ofMinutes(1));
                JsonNode s = fake.command("stats");
                tokens[r] = s.path("tokenRequests").asDouble();
                inFlight[r] = s.path("peakInFlightPerMailbox").asDouble();
                requests[r] = s.path("graphRequests").asDouble();
                System.err.printf(Locale.ROOT, "table 2 run %d: %.1f s%n", r + 1, total[r]);
                if (r == runs - 1) {
                    kept = sdk;
                    keptSink = sink;
                    keptId = id;
                } else {
                    sdk.close();
                }
            }
            md.append("## Table 2: many mailboxes\n\n");
            md.append(String.format(Locale.ROOT, "One tenant, %,d mailboxes × %,d messages (%,d messages in %,d "
                    + "folders; every folder of every mailbox synced), one connection. Per run a fresh SQLite store, "
                    + "`OutlookClient` and `SyncEngine` (page size 100, 8 worker threads, at most 4 requests in "
                    + "flight per mailbox); timed from before the client is built until the sink has every message of "
                    + "every mailbox; a mailbox's completion is when the sink has all its messages. Token requests, "
                    + "Graph requests and the peak number of requests in flight to one mailbox (overlapping "
                    + "arrival-to-answer spans in the fake's journal) are counted by the fake. Medians of %d runs "
                    + "(min–max)%s.%n%n", mailboxes, messages, totalMessages, folderCount, runs,
                    runs < 5 ? ", fewer than 5 to keep the suite's run time reasonable" : ""));
            double[] rate = new double[runs];
            for (int r = 0; r < runs; r++) {
                rate[r] = totalMessages / total[r];
            }
            md.append("| first sync, s | messages/s | p50 mailbox completion, s | p99 mailbox completion, s | Graph "
                    + "requests | token requests | peak in flight per mailbox |\n|---|---|---|---|---|---|---|\n");
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %,.0f | %.0f | %.0f |%n%n",
                    range(total, "%.1f"), range(rate, "%,.0f"), range(p50, "%.1f"), range(p99, "%.1f"),
                    median(requests), Arrays.stream(tokens).max().orElse(0),
                    Arrays.stream(inFlight).max().orElse(0)));
            double maxTokens = Arrays.stream(tokens).max().orElse(0);
            double maxInFlight = Arrays.stream(inFlight).max().orElse(0);
            target("token requests = 1 for " + mailboxes + " mailboxes of one tenant (every run)",
                    String.format(Locale.ROOT, "%.0f (largest of the runs)", maxTokens), maxTokens == 1);
            target("peak in flight per mailbox ≤ 4 (every run)",
                    String.format(Locale.ROOT, "%.0f (largest of the runs)", maxInFlight), maxInFlight <= 4);

            // Table 4 on the kept engine: its delta links are stored
            double[] idleReq = new double[rounds];
            double[] idleTime = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                fake.command("clear");
                long t0 = System.nanoTime();
                for (JsonNode b : boxes) {
                    kept.engine.syncNow(keptId, MailboxId.of(b.path("objectId").asText()));
                }
                kept.engine.awaitIdle(Duration.ofMinutes(5));
                idleTime[r] = (System.nanoTime() - t0) / 1e9;
                idleReq[r] = fake.command("stats").path("graphRequests").asDouble();
                System.err.printf(Locale.ROOT, "table 4 no-change round %d: %.2f s, %.0f requests%n", r + 1,
                        idleTime[r], idleReq[r]);
            }
            List<JsonNode> first = boxes.subList(0, Math.min(changed, boxes.size()));
            List<String> firstKeys = keys(keptId, first);
            double[] newReq = new double[rounds];
            double[] newTime = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                kept.engine.awaitIdle(Duration.ofMinutes(1));
                for (String k : firstKeys) {
                    keptSink.target(k, keptSink.count(k) + 1);
                }
                fake.command("deliver " + first.size());
                fake.command("clear");
                long t0 = System.nanoTime();
                for (JsonNode b : first) {
                    kept.engine.syncNow(keptId, MailboxId.of(b.path("objectId").asText()));
                }
                if (!keptSink.await(firstKeys, Duration.ofMinutes(5))) {
                    throw new IllegalStateException("table 4: a new message did not reach the sink");
                }
                newTime[r] = (System.nanoTime() - t0) / 1e9;
                kept.engine.awaitIdle(Duration.ofMinutes(1));
                newReq[r] = fake.command("stats").path("graphRequests").asDouble();
                System.err.printf(Locale.ROOT, "table 4 new-message round %d: %.2f s, %.0f requests%n", r + 1,
                        newTime[r], newReq[r]);
            }
            kept.close();
            int changedFolders = folders(first);
            md.append("## Table 4: steady state\n\n");
            md.append(String.format(Locale.ROOT, "On the engine of table 2's last run (its delta links stored), "
                    + "%d rounds each (medians, min–max). **No change**: `syncNow` for each of the %,d mailboxes, "
                    + "timed until `awaitIdle` returns; the minimum is one request per folder (%,d). **New mail**: "
                    + "the fake delivers one new message to the inbox of each of %d mailboxes, then `syncNow` for "
                    + "those %d mailboxes (what a change notification triggers), timed until the sink has all %d "
                    + "new messages; those mailboxes have %,d folders.%n%n", rounds, boxes.size(), folderCount,
                    first.size(), first.size(), first.size(), changedFolders));
            md.append("| Round | Graph requests | minimum (one per folder) | wall time, s |\n|---|---|---|---|\n");
            md.append(String.format(Locale.ROOT, "| no change, %,d mailboxes | %s | %,d | %s |%n", boxes.size(),
                    range(idleReq, "%,.0f"), folderCount, range(idleTime, "%.2f")));
            md.append(String.format(Locale.ROOT, "| 1 new message in each of %d mailboxes | %s | %,d | %s |%n%n",
                    first.size(), range(newReq, "%,.0f"), changedFolders, range(newTime, "%.2f")));
            target("no-change round: requests = one per folder (" + folderCount + ")",
                    String.format(Locale.ROOT, "%,.0f (median)", median(idleReq)), median(idleReq) <= folderCount);
        }
    }

    /** Table 3: one mailbox synced by a child JVM under -Xmx128m, at each size. */
    void memory(int[] sizes, int page) throws Exception {
        String jar = Path.of(ScaleTables.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        md.append("## Table 3: memory\n\n");
        md.append(String.format(Locale.ROOT, "One mailbox of N messages (every folder synced), one run per size: a "
                + "child JVM with `-Xmx128m` (pinned to CPU 1 with the client) runs a fresh SQLite store, "
                + "`OutlookClient` and `SyncEngine` at page size %d with a counting sink. Peak heap after GC is the "
                + "largest sum of the heap pools' usage after any collection (GC notifications; a young collection "
                + "leaves garbage in the old generation, so this grows towards the heap limit whenever the old "
                + "generation is not collected); peak live heap is the largest heap in use right after a full "
                + "`System.gc()`, which a thread in the child calls every second, and median live heap the median of those "
                + "samples (a sample's live heap is mostly the pages in flight at that moment: up to the mailbox's "
                + "call slots times the page size, whatever the mailbox's size); GC time share is the "
                + "collectors' accumulated time minus the time of those `System.gc()` calls, over the sync's wall "
                + "time minus the same (the messages/s include those calls). The fake's bodies are its generated "
                + "2,048-byte bodies (not shared).%n%n", page));
        md.append("| messages | completed | messages/s | peak heap after GC, MB | peak live heap, MB "
                + "| median live heap, MB (samples) | GC time share |\n|---|---|---|---|---|---|---|\n");
        List<Double> peaks = new ArrayList<>();
        List<Double> medians = new ArrayList<>();
        boolean allDone = true;
        for (int n : sizes) {
            String xmx = n >= 500_000 ? "12g" : n >= 100_000 ? "3g" : "1g";
            try (Fake fake = Fake.start(taskset, xmx, 1, n, 90)) {
                Path info = Files.createTempFile("tekst-bench-fake-", ".json");
                Files.writeString(info, JSON.writeValueAsString(fake.info));
                List<String> cmd = new ArrayList<>();
                if (taskset) {
                    cmd.addAll(List.of("taskset", "-c", "1"));
                }
                cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                        "-XX:+ExitOnOutOfMemoryError", "-cp", jar, MemoryChild.class.getName(), info.toString(),
                        Integer.toString(page)));
                Process child = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
                String line = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                int rc = child.waitFor();
                Files.deleteIfExists(info);
                JsonNode r = line.isEmpty() ? JSON.createObjectNode() : JSON.readTree(line);
                boolean done = rc == 0 && r.path("messages").asLong() == r.path("expected").asLong(-1);
                allDone &= done;
                if (done) {
                    double secs = r.path("nanos").asLong() / 1e9;
                    double peak = r.path("peakHeapAfterGc").asLong() / 1e6;
                    double live = r.path("peakLiveHeap").asLong() / 1e6;
                    double median = r.path("medianLiveHeap").asLong() / 1e6;
                    double forced = r.path("forcedGcNanos").asLong() / 1e9;
                    peaks.add(live);
                    medians.add(median);
                    md.append(String.format(Locale.ROOT, "| %,d | yes | %,.0f | %.1f | %.1f | %.1f (%d) | %.1f%% |%n",
                            n, r.path("messages").asLong() / secs, peak, live, median, r.path("liveSamples").asInt(),
                            Math.max(0, r.path("gcMillis").asLong() / 1e3 - forced) * 100 / (secs - forced)));
                } else {
                    md.append(String.format(Locale.ROOT, "| %,d | **no** (exit %d) | | | | | |%n", n, rc));
                }
                System.err.printf(Locale.ROOT, "table 3 %d: rc %d %s%n", n, rc, line);
            }
        }
        md.append('\n');
        int largest = sizes[sizes.length - 1];
        target(String.format(Locale.ROOT, "%,d-message mailbox under -Xmx128m without OOM", largest),
                allDone ? "completed" : "did not complete", allDone);
        if (medians.size() == sizes.length) {
            double ratio = medians.get(medians.size() - 1) / medians.get(0);
            double peakRatio = peaks.get(peaks.size() - 1) / peaks.get(0);
            target("heap flat in mailbox size (median live heap at the largest ≤ 1.5× the smallest)",
                    String.format(Locale.ROOT, "%.1f MB at %,d, %.1f MB at %,d (%.2f×; peak live heap %.2f×)",
                            medians.get(medians.size() - 1), largest, medians.get(0), sizes[0], ratio, peakRatio),
                    ratio <= 1.5);
        }
    }

    /** Table 5: 100 mailboxes, {@code heavy} of them with extra mail, unthrottled and with a request budget. */
    void throttled(int mailboxes, int messages, int heavy, int extra, int budget, int windowMillis, int runs)
            throws Exception {
        try (Fake fake = Fake.start(taskset, "2g", mailboxes, messages, 90)) {
            fake.command("grow " + heavy + " " + extra);
            List<JsonNode> boxes = fake.mailboxes();
            double[] plain = new double[runs];
            double[] slow = new double[runs];
            double[] throttledBoxes = new double[runs];
            double[] n429 = new double[runs];
            double[] early = new double[runs];
            double[] inFence = new double[runs];
            double[] fence = new double[runs];
            double[] lost = new double[runs];
            double[] maxLost = new double[runs];
            for (int r = 0; r < runs; r++) {
                for (boolean limited : new boolean[] {false, true}) {
                    if (limited) {
                        Thread.sleep(windowMillis + 1000L); // the budget windows of earlier runs have passed
                        fake.command("throttling " + budget + " " + windowMillis);
                    } else {
                        fake.command("throttling unlimited");
                    }
                    Sink sink = new Sink();
                    ConnectionId id = ConnectionId.of("throttle-" + r + (limited ? "-limited" : ""));
                    List<String> keys = keys(id, boxes);
                    for (int i = 0; i < boxes.size(); i++) {
                        sink.target(keys.get(i), boxes.get(i).path("messages").asLong() + (i < heavy ? extra : 0));
                    }
                    fake.command("clear");
                    long t0 = System.nanoTime();
                    try (Sdk sdk = new Sdk(fake, sink, 100, 100)) {
                        fake.addConnection(sdk.store, id, fake.start.minus(Duration.ofDays(365)), boxes);
                        sdk.engine.start();
                        sdk.client.finishSetup(sdk.engine, id);
                        if (!sink.await(keys, Duration.ofMinutes(10))) {
                            throw new IllegalStateException("table 5: not every mailbox completed");
                        }
                        double secs = (System.nanoTime() - t0) / 1e9;
                        if (limited) {
                            slow[r] = secs;
                            JsonNode t = fake.command("throttle-stats");
                            throttledBoxes[r] = t.path("throttledMailboxes").asDouble();
                            n429[r] = t.path("throttled").asDouble();
                            early[r] = t.path("earlyRetries").asDouble();
                            inFence[r] = t.path("inFence").asDouble();
                            fence[r] = t.path("retryAfterNanos").asLong() / 1e9;
                            lost[r] = t.path("lostNanos").asLong() / 1e9;
                            maxLost[r] = t.path("maxLostNanos").asLong() / 1e6;
                        } else {
                            plain[r] = secs;
                        }
                        System.err.printf(Locale.ROOT, "table 5 run %d %s: %.1f s%n", r + 1,
                                limited ? "throttled" : "unthrottled", secs);
                    }
                }
            }
            fake.command("throttling unlimited");
            md.append("## Table 5: throttled\n\n");
            md.append(String.format(Locale.ROOT, "%d mailboxes × %d messages (every folder synced), %d of them with "
                    + "%,d more messages in the inbox. Per run a fresh SQLite store, `OutlookClient` and `SyncEngine` "
                    + "(page size 100), timed until the sink has every message. *Unthrottled*: the fake without "
                    + "limits. *Throttled*: the fake enforces Exchange Online's 4 concurrent requests per mailbox and "
                    + "a budget of %d requests per %,d ms per mailbox, which the larger mailboxes exceed: it answers "
                    + "429 with `Retry-After` (whole seconds until the budget has room). From the fake's journal, per "
                    + "mailbox: an *early retry* is a request to the same path (the same folder's delta) that arrived after "
                    + "a 429 was answered and before its `Retry-After` (from the 429's arrival) elapsed; a *request in "
                    + "the fence* is one to another folder of that mailbox in that time (requests the client had sent "
                    + "before the 429 reached it arrive there too); the *Retry-After sum* is the total length of the "
                    + "mailboxes' merged fences; *time lost beyond it* is, per merged fence, the time from its end to "
                    + "the mailbox's next request. Runs alternate unthrottled, throttled (the throttled run waits "
                    + "one window first); medians of %d pairs (min–max)%s.%n%n", mailboxes, messages, heavy, extra,
                    budget, windowMillis, runs, runs < 5 ? ", fewer than 5 to keep the suite's run time reasonable"
                            : ""));
            md.append("| unthrottled, s | throttled, s | mailboxes that got a 429 | 429s | early retries | requests in the fence | Retry-After "
                    + "sum, s | time lost beyond it, s (sum) | largest single loss, ms |\n"
                    + "|---|---|---|---|---|---|---|---|---|\n");
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.0f (all runs) | %s | %s | %s | %s |%n%n",
                    range(plain, "%.1f"), range(slow, "%.1f"), range(throttledBoxes, "%.0f"), range(n429, "%.0f"),
                    Arrays.stream(early).sum(), range(inFence, "%.0f"), range(fence, "%.1f"), range(lost, "%.2f"), range(maxLost, "%.0f")));
            double e = Arrays.stream(early).sum();
            target("throttled: early retries = 0 (all runs)", String.format(Locale.ROOT, "%.0f", e), e == 0);
        }
    }

    /** Table 6: a 12-month backfill of one mailbox, the SDK and the limit listing the same pages, interleaved. */
    void backfill(int messages, int runs) throws Exception {
        try (Fake fake = Fake.start(taskset, "2g", 1, messages, 360)) {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new javax.net.ssl.TrustManager[] {fake.trust}, null);
            List<JsonNode> boxes = fake.mailboxes();
            JsonNode box = boxes.get(0);
            long want = box.path("messages").asLong();
            Sink sink = new Sink();
            OkHttpClient http = new OkHttpClient.Builder().sslSocketFactory(tls.getSocketFactory(), fake.trust)
                    .socketFactory(new BenchmarkSuite.NoDelaySocketFactory()).build();
            String token = token(fake, http);
            double[] sdkRate = new double[runs];
            double[] sdkReq = new double[runs];
            double[] limRate = new double[runs];
            double[] limReq = new double[runs];
            Instant connectedAt = fake.start;
            Instant from = ZonedDateTime.ofInstant(connectedAt, java.time.ZoneOffset.UTC).minusMonths(12).toInstant();
            try (Sdk sdk = new Sdk(fake, sink, 100, 100)) {
                sdk.engine.start();
                for (int r = -1; r < runs; r++) { // run -1 warms both up
                    fake.command("clear");
                    long t0 = System.nanoTime();
                    long n = limitBackfill(fake, http, token, box, from, connectedAt, 100);
                    double secs = (System.nanoTime() - t0) / 1e9;
                    if (n != want) {
                        throw new IllegalStateException("table 6 limit listed " + n + ", expected " + want);
                    }
                    double req = fake.command("stats").path("graphRequests").asDouble();
                    ConnectionId id = ConnectionId.of("backfill-" + (r + 1));
                    String key = Sink.key(id, box.path("objectId").asText());
                    sink.target(key, want);
                    fake.addConnection(sdk.store, id, connectedAt, boxes);
                    fake.command("clear");
                    long s0 = System.nanoTime();
                    sdk.client.finishSetup(sdk.engine, id, BackfillWindow.last12Months());
                    if (!sink.await(List.of(key), Duration.ofMinutes(10))) {
                        throw new IllegalStateException("table 6: the backfill did not complete");
                    }
                    double ssecs = (System.nanoTime() - s0) / 1e9;
                    sdk.engine.awaitIdle(Duration.ofMinutes(1));
                    double sreq = fake.command("stats").path("graphRequests").asDouble();
                    System.err.printf(Locale.ROOT, "table 6 run %d: limit %.0f msg/s, SDK %.0f msg/s%n", r + 1,
                            n / secs, want / ssecs);
                    if (r >= 0) {
                        limRate[r] = n / secs;
                        limReq[r] = req;
                        sdkRate[r] = want / ssecs;
                        sdkReq[r] = sreq;
                    }
                }
            }
            int folders = box.path("folders").size();
            md.append("## Table 6: backfill\n\n");
            md.append(String.format(Locale.ROOT, "One mailbox of %,d messages received over the 360 days before the "
                    + "connection time, %d folders. **SDK**: one client and engine (page size 100, backfill page "
                    + "size 100, SQLite store); each run adds a new connection (connected at the fake's start, so "
                    + "the live round finds nothing) and calls `finishSetup` with `BackfillWindow.last12Months()`, "
                    + "timed until the sink has every message; its requests include one live delta request per "
                    + "folder. **Limit**: plain OkHttp (TCP_NODELAY) GETs of each folder's `/messages` with the "
                    + "backfill's `$filter` (the same 12 months), `$orderby=receivedDateTime desc`, `$top=100` and "
                    + "`$select`, following `@odata.nextLink`, parsed with Jackson streaming, 4 folders at a time. "
                    + "Interleaved, medians of %d runs after one warm-up of each (min–max).%n%n", want, folders,
                    runs));
            md.append("| Client | messages/s | Graph requests |\n|---|---|---|\n");
            md.append(String.format(Locale.ROOT, "| limit | %s | %s |%n", range(limRate, "%,.0f"),
                    range(limReq, "%,.0f")));
            md.append(String.format(Locale.ROOT, "| SDK backfill | %s | %s |%n%n", range(sdkRate, "%,.0f"),
                    range(sdkReq, "%,.0f")));
            md.append(String.format(Locale.ROOT, "SDK / limit: %.2f× the messages/s, %.2f× the requests.%n%n",
                    median(sdkRate) / median(limRate), median(sdkReq) / median(limReq)));
        }
    }

    private static String token(Fake fake, OkHttpClient http) throws Exception {
        Request r = new Request.Builder().url(fake.info.path("loginBaseUrl").asText() + "/"
                + fake.info.path("tenantId").asText() + "/oauth2/v2.0/token").post(new FormBody.Builder()
                .add("grant_type", "client_credentials").add("client_id", fake.info.path("clientId").asText())
                .add("client_secret", fake.info.path("clientSecret").asText())
                .add("scope", "https://graph.microsoft.com/.default").build()).build();
        try (Response resp = http.newCall(r).execute()) {
            return JSON.readTree(resp.body().string()).path("access_token").asText();
        }
    }

    private static long limitBackfill(Fake fake, OkHttpClient http, String token, JsonNode box, Instant from,
                                      Instant upTo, int top) throws Exception {
        String select = String.join(",", MailMessage.DEFAULT_FIELDS);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Long>> parts = new ArrayList<>();
            for (JsonNode f : box.path("folders")) {
                String first = fake.info.path("graphBaseUrl").asText() + "/users/" + box.path("objectId").asText()
                        + "/mailFolders/" + f.path("id").asText() + "/messages?$filter=" + URLEncoder.encode(
                        "receivedDateTime ge " + from + " and receivedDateTime lt " + upTo, StandardCharsets.UTF_8)
                        + "&$orderby=" + URLEncoder.encode("receivedDateTime desc", StandardCharsets.UTF_8)
                        + "&$top=" + top + "&$select=" + URLEncoder.encode(select, StandardCharsets.UTF_8);
                parts.add(pool.submit(() -> listAll(http, token, first)));
            }
            long n = 0;
            for (Future<Long> p : parts) {
                n += p.get(10, TimeUnit.MINUTES);
            }
            return n;
        } finally {
            pool.shutdownNow();
        }
    }

    private static long listAll(OkHttpClient http, String token, String first) throws Exception {
        String url = first;
        long n = 0;
        while (url != null) {
            Request r = new Request.Builder().url(url).header("Authorization", "Bearer " + token)
                    .header("Prefer", "IdType=\"ImmutableId\"")
                    .header("client-request-id", java.util.UUID.randomUUID().toString()).build();
            try (Response resp = http.newCall(r).execute(); InputStream in = resp.body().byteStream();
                 JsonParser p = STREAM.createParser(in)) {
                if (resp.code() != 200) {
                    throw new IllegalStateException("limit backfill: " + resp.code());
                }
                String next = null;
                p.nextToken();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String f = p.currentName();
                    p.nextToken();
                    if (f.equals("value")) {
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            if (BenchmarkSuite.readMessage(p) != null) {
                                n++;
                            }
                        }
                    } else if (f.equals("@odata.nextLink")) {
                        next = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
                url = next;
            }
        }
        return n;
    }
}
