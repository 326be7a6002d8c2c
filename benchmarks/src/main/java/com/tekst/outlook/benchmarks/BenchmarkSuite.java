package com.tekst.outlook.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.core.tasks.PageIterator;
import com.microsoft.graph.models.Message;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.mailfolders.item.messages.delta.DeltaGetResponse;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import com.tekst.outlook.Connection;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionType;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.TenantId;
import com.tekst.outlook.graph.AppCredential;
import com.tekst.outlook.graph.CloudEndpoints;
import com.tekst.outlook.graph.OutlookClient;
import com.tekst.outlook.graph.StateKey;
import com.tekst.outlook.mailbox.FolderRef;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.mailbox.MailboxType;
import com.tekst.outlook.store.JdbcOutlookStore;
import com.tekst.outlook.store.MailboxRecord;
import com.tekst.outlook.sync.MailMessage;
import com.tekst.outlook.sync.SyncEngine;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The benchmark suite: table 1 starts the fake cloud ({@link BenchFakeHost}) in its own JVM, pinned to CPU 0 with
 * {@code taskset} where it exists (this JVM moves itself to CPU 1), and syncs the same inbox with three clients,
 * interleaved run by run: the limit (plain OkHttp GETs of the same delta URLs and headers, Jackson streaming into a
 * record), the SDK ({@code SyncEngine} from {@code OutlookClient}, SQLite store, counting sink) warm and cold (and
 * warm on a PostgreSQL store when {@code TEKST_TEST_POSTGRES_URL} is set), and the naive baseline (the Graph SDK's {@code GraphServiceClient} message delta with {@code PageIterator}). Tables 2–6
 * ({@link ScaleTables}) follow, each on a fake of its own. Writes BENCHMARKS.md in the working directory and prints it.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * [TEKST_TEST_POSTGRES_URL=…] java -jar benchmarks/target/tekst-outlook-benchmarks.jar suite [--quick] [--tables 1,2,…]
 * </pre>
 */
public final class BenchmarkSuite {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory STREAM = new JsonFactory();

    private final JsonNode fake;
    private final Process fakeProcess;
    private final PrintWriter fakeIn;
    private final BufferedReader fakeOut;
    private final X509TrustManager trust;
    private final SSLContext tls;
    private final String mailbox;
    private final String address;
    private final String displayName;
    private final Instant start;
    private String inboxId;
    private final String select = String.join(",", MailMessage.DEFAULT_FIELDS);

    private BenchmarkSuite(Process process) throws Exception {
        this.fakeProcess = process;
        this.fakeIn = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        this.fakeOut = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.fake = JSON.readTree(fakeOut.readLine());
        this.trust = trust(Path.of(fake.path("caCertificatePemPath").asText()));
        this.tls = SSLContext.getInstance("TLS");
        tls.init(null, new javax.net.ssl.TrustManager[] {trust}, null);
        JsonNode box = fake.path("mailboxes").get(0);
        this.mailbox = box.path("objectId").asText();
        this.address = box.path("address").asText();
        this.displayName = box.path("displayName").asText();
        this.start = Instant.parse(fake.path("start").asText());
    }

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        java.util.Set<Integer> tables = new java.util.TreeSet<>(List.of(1, 2, 3, 4, 5, 6));
        int at = Arrays.asList(args).indexOf("--tables");
        if (at >= 0) {
            tables.clear();
            for (String t : args[at + 1].split(",")) {
                tables.add(Integer.parseInt(t.trim()));
            }
        }
        int runs = 5;
        int cores = Runtime.getRuntime().availableProcessors();
        String load0 = Files.readString(Path.of("/proc/loadavg")).trim();
        boolean taskset = Files.isExecutable(Path.of("/usr/bin/taskset")) && cores >= 2;
        long pid = ProcessHandle.current().pid();
        if (taskset) {
            new ProcessBuilder("taskset", "-a", "-cp", "1", Long.toString(pid)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        }
        long t0 = System.nanoTime();
        Map<String, List<Run>> results = new LinkedHashMap<>();
        Map<Integer, long[]> sizes = new LinkedHashMap<>();
        for (int page : tables.contains(1) ? new int[] {10, 100, 1000} : new int[0]) {
            // page size 10 syncs a smaller mailbox: at ~40 ms per request (see the table) 20,000 messages would take
            // minutes per run
            int generated = page == 10 ? (quick ? 1_000 : 2_000) : (quick ? 3_000 : 30_000);
            Process p = startFake(taskset, generated);
            try {
                BenchmarkSuite suite = new BenchmarkSuite(p);
                long inbox = suite.group(page, runs, results);
                sizes.put(page, new long[] {generated, inbox});
            } finally {
                p.getOutputStream().close();
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroy();
                }
            }
        }
        ScaleTables scale = new ScaleTables(taskset, quick);
        if (tables.contains(2) || tables.contains(4)) {
            if (quick) {
                scale.manyMailboxesAndSteadyState(100, 50, 1, 2, 10);
            } else {
                scale.manyMailboxesAndSteadyState(1_000, 200, 3, 5, 100);
            }
        }
        if (tables.contains(3)) {
            scale.memory(quick ? new int[] {5_000, 20_000} : new int[] {20_000, 100_000, 1_000_000}, 1000);
        }
        if (tables.contains(5)) {
            if (quick) {
                scale.throttled(20, 50, 2, 500, 15, 5_000, 1);
            } else {
                scale.throttled(100, 200, 10, 2_000, 20, 10_000, 3);
            }
        }
        if (tables.contains(6)) {
            scale.backfill(quick ? 5_000 : 50_000, quick ? 2 : 5);
        }
        String load1 = Files.readString(Path.of("/proc/loadavg")).trim();
        StringBuilder md = new StringBuilder();
        write(md, quick, cores, runs, taskset, load0, load1, args, results, sizes,
                Duration.ofNanos(System.nanoTime() - t0), scale);
        Files.writeString(Path.of("BENCHMARKS.md"), md.toString(), StandardCharsets.UTF_8);
        System.out.print(md);
        System.exit(0);
    }

    /**
     * {@code profile [runs]}: only the warm SDK at page size 1000 on table 1's mailbox (two warm-up runs, then
     * {@code runs}, default 10), printing each run's messages/s; run it under {@code -XX:StartFlightRecording} to
     * profile the SDK alone.
     */
    static void profile(String[] args) throws Exception {
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int pageSize = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int cores = Runtime.getRuntime().availableProcessors();
        boolean taskset = Files.isExecutable(Path.of("/usr/bin/taskset")) && cores >= 2;
        if (taskset) {
            new ProcessBuilder("taskset", "-a", "-cp", "1", Long.toString(ProcessHandle.current().pid()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        }
        Process p = startFake(taskset, 30_000);
        try {
            BenchmarkSuite suite = new BenchmarkSuite(p);
            suite.inboxId = suite.inboxId(suite.token());
            long want = suite.expected();
            WarmSdk warm = suite.new WarmSdk(Files.createTempDirectory("tekst-bench-").resolve("warm.db"));
            Client c = warm.client(pageSize);
            for (int r = -2; r < runs; r++) {
                long t0 = System.nanoTime();
                long n = c.sync();
                check(c.name(), n, want);
                System.out.printf(Locale.ROOT, "%s run %d: %d msgs %.0f msg/s%n", r < 0 ? "warm-up" : "SDK warm",
                        r + 1, n, n / ((System.nanoTime() - t0) / 1e9));
            }
            warm.close();
        } finally {
            p.getOutputStream().close();
            p.waitFor(20, TimeUnit.SECONDS);
        }
        System.exit(0);
    }

    private static Process startFake(boolean taskset, int messages) throws Exception {
        String jar = Path.of(BenchmarkSuite.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        List<String> cmd = new ArrayList<>();
        if (taskset) {
            cmd.addAll(List.of("taskset", "-c", "0"));
        }
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-cp", jar,
                BenchFakeHost.class.getName(), "1", Integer.toString(messages), "2048", "42"));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private JsonNode fakeCommand(String c) throws Exception {
        fakeIn.println(c);
        return JSON.readTree(fakeOut.readLine());
    }

    /** One measured run: messages, wall nanos, client CPU nanos, bytes allocated, Graph and token requests. */
    record Run(long messages, long nanos, long cpuNanos, long allocated, long graphRequests, long tokenRequests,
               long fakeCpuNanos) {
        double rate() {
            return messages / (nanos / 1e9);
        }
    }

    interface Client {
        String name();

        long sync() throws Exception;
    }

    private Run measure(Client c) throws Exception {
        fakeCommand("clear");
        long fakeCpu0 = fakeCommand("stats").path("processCpuNanos").asLong();
        System.gc();
        long cpu0 = processCpu();
        Map<Long, Long> alloc0 = allocated();
        long t0 = System.nanoTime();
        long n = c.sync();
        long nanos = System.nanoTime() - t0;
        long cpu = processCpu() - cpu0;
        long alloc = allocatedSince(alloc0);
        JsonNode s = fakeCommand("stats");
        return new Run(n, nanos, cpu, alloc, s.path("graphRequests").asLong(), s.path("tokenRequests").asLong(),
                s.path("processCpuNanos").asLong() - fakeCpu0);
    }

    /** The runs of one page size, interleaved; returns the number of messages in the inbox. */
    private long group(int page, int runs, Map<String, List<Run>> results) throws Exception {
        String token = token();
        inboxId = inboxId(token);
        OkHttpClient http = new OkHttpClient.Builder().sslSocketFactory(tls.getSocketFactory(), trust).build();
        OkHttpClient httpNoDelay = new OkHttpClient.Builder().sslSocketFactory(tls.getSocketFactory(), trust)
                .socketFactory(new NoDelaySocketFactory()).build();
        Path dir = Files.createTempDirectory("tekst-bench-");
        WarmSdk warm = new WarmSdk(dir.resolve("warm.db"));
        List<Client> clients = new ArrayList<>();
        clients.add(limit("limit", http, token, page));
        clients.add(limit("limit, TCP_NODELAY", httpNoDelay, token, page));
        clients.add(warm.client(page));
        if (page >= 100) {
            clients.add(new Client() {
                public String name() {
                    return "SDK cold (fresh client, store, first token)";
                }

                public long sync() throws Exception {
                    return coldSdk(dir.resolve("cold-" + System.nanoTime() + ".db"), page);
                }
            });
        }
        WarmSdk postgres = null;
        String server = System.getenv("TEKST_TEST_POSTGRES_URL");
        if (page >= 100 && server != null && !server.isBlank()) {
            // the production store: a fresh schema of the server, the same warm client otherwise
            String schema = "tekst_bench_" + java.util.HexFormat.of().formatHex(
                    new java.security.SecureRandom().generateSeed(5));
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(server);
                 java.sql.Statement st = c.createStatement()) {
                st.execute("CREATE SCHEMA " + schema);
            }
            postgres = new WarmSdk(JdbcOutlookStore.builder().jdbcUrl(server + (server.contains("?") ? "&" : "?")
                    + "currentSchema=" + schema).build(), "SDK warm, PostgreSQL store");
            clients.add(postgres.client(page));
        }
        clients.add(graphSdk(token, page == 10 ? 0 : page));
        long inbox = expected();
        for (Client c : clients) { // warm-up: one round of each, not counted
            check(c.name(), c.sync(), inbox);
        }
        for (int r = 0; r < runs; r++) {
            for (Client c : clients) {
                Run run = measure(c);
                check(c.name(), run.messages(), inbox);
                results.computeIfAbsent(page + "|" + c.name(), k -> new ArrayList<>()).add(run);
                System.err.printf(Locale.ROOT, "page %d %s run %d: %d msgs %.0f msg/s%n", page, c.name(), r + 1,
                        run.messages(), run.rate());
            }
        }
        warm.close();
        if (postgres != null) {
            postgres.close(); // the schema stays: the server is the caller's
        }
        return inbox;
    }

    private static void check(String client, long got, long expected) {
        if (got != expected) {
            throw new IllegalStateException(client + " synced " + got + " messages, expected " + expected);
        }
    }

    private static void write(StringBuilder md, boolean quick, int cores, int runs, boolean taskset, String load0,
                              String load1, String[] args, Map<String, List<Run>> results,
                              Map<Integer, long[]> sizes, Duration took, ScaleTables scale) throws Exception {
        md.append("# Benchmarks\n\n");
        md.append("Written by `BenchmarkSuite` (benchmarks module, not published, not part of the test suite); every "
                + "figure below was measured by the run that wrote this file. The command:\n\n");
        String postgres = System.getenv("TEKST_TEST_POSTGRES_URL");
        md.append("```bash\nmvn -B -q -pl benchmarks -am package -DskipTests\n")
                .append(postgres == null || postgres.isBlank() ? "" : "TEKST_TEST_POSTGRES_URL='jdbc:postgresql://…' ")
                .append("java -jar benchmarks/target/tekst-outlook-benchmarks.jar ").append(String.join(" ", args))
                .append("\n```\n\n");
        md.append("| | |\n|---|---|\n");
        md.append("| Mode | ").append(quick ? "`--quick` (smaller mailboxes)" : "full").append(" |\n");
        md.append("| Date | ").append(ZonedDateTime.now(java.time.ZoneOffset.UTC)
                .format(DateTimeFormatter.RFC_1123_DATE_TIME)).append(" |\n");
        md.append("| Machine | ").append(cores).append(" cores, ").append(cpuModel()).append(" |\n");
        md.append("| JDK | ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.version")).append(" |\n");
        md.append("| Pinning | ").append(taskset ? "the fake cloud's JVM with `taskset -c 0`, the client JVM moved to "
                + "CPU 1 with `taskset -a -cp 1`" : "none (no taskset, or fewer than 2 cores)").append(" |\n");
        md.append("| Load average (`/proc/loadavg`) | before: ").append(load0).append("; after: ").append(load1)
                .append(" |\n");
        md.append(String.format(Locale.ROOT, "| Suite run time | %.1f min |%n%n", took.toSeconds() / 60.0));
        md.append("Tables 2–6 run after table 1, each on a fake of its own (see each table). Table 1: medians of ")
                .append(runs).append(" runs after one warm-up run of each client; the clients' runs "
                + "are interleaved (A, B, C, A, B, C, …); min–max in brackets. The fake cloud (`BenchFakeHost`: the "
                + "testkit's `FakeMicrosoftCloud` as its standalone launcher starts it, plus 2,048-byte HTML bodies, "
                + "no throttling and no limit on a filtered delta's first round) runs in its own JVM, one per page "
                + "size. Every client syncs the inbox of one generated mailbox over HTTP/2 on loopback TLS, with the "
                + "SDK's `$filter` (`receivedDateTime ge` a date before all mail); the limit and the SDK with the "
                + "SDK's `$select` (`MailMessage.DEFAULT_FIELDS`), the Graph SDK baseline without `$select`, as a "
                + "developer would call it. Client CPU is this JVM's process CPU time; bytes allocated is, over the threads "
                + "alive at the end of a run, what `com.sun.management.ThreadMXBean.getThreadAllocatedBytes` gives "
                + "for each then minus what it gave for the same thread at the run's start (a thread that ended during "
                + "the run is not counted, so the cold SDK, whose threads end with its client, shows less); requests "
                + "and token requests are counted in the fake's journal.\n\n");
        md.append("Clients: **limit**: plain OkHttp 5.5.1 GETs of the delta pages with the SDK's headers, parsed with "
                + "Jackson streaming into a record with every field the SDK's `MailMessage` holds for its default "
                + "`$select` (ids, folder, subject, sender and recipients with names, received time as an `Instant`, "
                + "preview, body, flags, categories) but none of its checks, no engine, no store (*TCP_NODELAY*: the "
                + "same with a "
                + "`SocketFactory` that sets `TCP_NODELAY`). **SDK warm**: one `OutlookClient` and one `SyncEngine` "
                + "(SQLite store, counting sink) per page size; each run adds a new connection with the mailbox to "
                + "the store and calls `finishSetup`, timed until the sink has every message. After the run its "
                + "mailbox is paused, so the reconciliation that follows a first round of 5,000 messages or more does "
                + "not run during the next client's run. **SDK cold**: a new "
                + "SQLite file, `OutlookClient` and engine per run, timed from before the client is built (the first "
                + "token request included). **SDK warm, PostgreSQL store** (page sizes 100 and 1000, when "
                + "`TEKST_TEST_POSTGRES_URL` names a server): the warm SDK on a `JdbcOutlookStore` in a fresh schema "
                + "of that server. **Graph SDK PageIterator**: `GraphServiceClient` (6.70.0, "
                + "`GraphClientFactory` middleware) message delta with `PageIterator`, a fixed token.\n\n");
        if (!results.isEmpty()) {
            writeTable1(md, results, sizes);
        }
        md.append(scale.md);
        if (!scale.targets.isEmpty()) {
            md.append("## Targets of tables 2–6\n\n| Target | Measured | |\n|---|---|---|\n");
            for (String[] t : scale.targets) {
                md.append("| ").append(t[0]).append(" | ").append(t[1]).append(" | ").append(t[2]).append(" |\n");
            }
            md.append('\n');
        }
    }

    private static void writeTable1(StringBuilder md, Map<String, List<Run>> results, Map<Integer, long[]> sizes) {
        md.append("## Table 1: initial sync of one mailbox\n\n");
        for (Map.Entry<Integer, long[]> e : sizes.entrySet()) {
            md.append(String.format(Locale.ROOT, "- page size %d: inbox of %,d messages (mailbox generated with %,d "
                    + "messages over folders)%n", e.getKey(), e.getValue()[1], e.getValue()[0]));
        }
        md.append("\n| Page size | Client | messages/s | client CPU ms / 1,000 msgs | bytes allocated / msg | Graph "
                + "requests / 1,000 msgs | token requests | fake CPU ms / request | SDK warm / this |\n");
        md.append("|---|---|---|---|---|---|---|---|---|\n");
        for (int page : sizes.keySet()) {
            double sdk = median(results.get(page + "|SDK warm"), Run::rate);
            for (Map.Entry<String, List<Run>> e : results.entrySet()) {
                if (!e.getKey().startsWith(page + "|")) {
                    continue;
                }
                List<Run> rs = e.getValue();
                String name = e.getKey().substring(e.getKey().indexOf('|') + 1);
                md.append(String.format(Locale.ROOT, "| %d | %s | %s | %.1f | %,.0f | %.2f | %.0f | %.2f | %.2f× |%n",
                        page, name, rangeOf(rs, Run::rate, "%,.0f"),
                        median(rs, r -> r.cpuNanos() / 1e6 / (r.messages() / 1000.0)),
                        median(rs, r -> (double) r.allocated() / r.messages()),
                        median(rs, r -> r.graphRequests() * 1000.0 / r.messages()),
                        median(rs, r -> (double) r.tokenRequests()),
                        median(rs, r -> r.fakeCpuNanos() / 1e6 / Math.max(1, r.graphRequests())),
                        sdk / median(rs, Run::rate)));
            }
        }
        md.append("\nThe Graph SDK at page size 10 runs at its defaults (no `Prefer: odata.maxpagesize`; the fake's "
                + "default page is 10 messages, as Graph's); at 100 and 1000 it sends `Prefer: odata.maxpagesize`. "
                + "`SDK warm / this` is the warm SDK's median messages/s divided by the row's median. Token requests "
                + "of the warm clients are 0 because their token was acquired during the warm-up.\n\n");
        long inbox1000 = sizes.get(1000)[1];
        List<Run> limit1000 = results.get("1000|limit, TCP_NODELAY");
        double fakeCpuPerMsg = median(limit1000, r -> r.fakeCpuNanos() / 1e9 / r.messages());
        md.append(String.format(Locale.ROOT, "**The fake's own serving rate**: serving the %,d-message inbox at page "
                + "size 1000 to the limit client with TCP_NODELAY, the fake's JVM used %.1f µs of CPU per message "
                + "(median), so its core could serve about %,.0f messages/s; the fastest client row at that page "
                + "size reached %,.0f messages/s.%n%n", inbox1000, fakeCpuPerMsg * 1e6, 1 / fakeCpuPerMsg,
                results.entrySet().stream().filter(e -> e.getKey().startsWith("1000|"))
                        .mapToDouble(e -> median(e.getValue(), Run::rate)).max().orElse(0)));
        md.append("## Targets of table 1\n\n| Target | Measured | |\n|---|---|---|\n");
        for (int page : new int[] {100, 1000}) {
            double sdk = median(results.get(page + "|SDK warm"), Run::rate);
            double cold = median(results.get(page + "|SDK cold (fresh client, store, first token)"), Run::rate);
            double lim = median(results.get(page + "|limit"), Run::rate);
            double limNd = median(results.get(page + "|limit, TCP_NODELAY"), Run::rate);
            double graph = median(results.get(page + "|Graph SDK PageIterator"), Run::rate);
            target(md, "warm SDK ≥ 0.9× the limit, page size " + page, String.format(Locale.ROOT,
                    "%.2f× the limit with TCP_NODELAY, %.2f× the limit without", sdk / limNd, sdk / lim),
                    sdk / limNd >= 0.9);
            target(md, "cold SDK ≥ 0.8× the limit, page size " + page, String.format(Locale.ROOT,
                    "%.2f× the limit with TCP_NODELAY, %.2f× the limit without", cold / limNd, cold / lim),
                    cold / limNd >= 0.8);
            target(md, "warm SDK ≥ 3× the Graph SDK at equal page size " + page,
                    String.format(Locale.ROOT, "%.2f×", sdk / graph), sdk / graph >= 3);
        }
        double sdk100 = median(results.get("100|SDK warm"), Run::rate);
        double graphDefault = median(results.get("10|Graph SDK PageIterator"), Run::rate);
        target(md, "warm SDK (its default page size, 100) ≥ 6× the Graph SDK at its defaults (page size 10)",
                String.format(Locale.ROOT, "%.2f×", sdk100 / graphDefault), sdk100 / graphDefault >= 6);
        for (int page : sizes.keySet()) {
            long n = sizes.get(page)[1];
            long bound = (n + page - 1) / page + 1;
            double req = median(results.get(page + "|SDK warm"), r -> (double) r.graphRequests());
            target(md, "requests per round ≤ ceil(N / page size) + 1 = " + bound + ", page size " + page,
                    String.format(Locale.ROOT, "%.0f (median of the warm SDK's runs)", req), req <= bound);
            double alloc = median(results.get(page + "|SDK warm"), r -> (double) r.allocated() / r.messages())
                    / median(results.get(page + "|limit"), r -> (double) r.allocated() / r.messages());
            target(md, "allocation per message ≤ 2× the limit's, page size " + page,
                    String.format(Locale.ROOT, "%.2f×", alloc), alloc <= 2);
        }
        for (int page : new int[] {100, 1000}) {
            double tokens = median(results.get(page + "|SDK cold (fresh client, store, first token)"),
                    r -> (double) r.tokenRequests());
            target(md, "token requests = tenants (1), cold SDK, page size " + page,
                    String.format(Locale.ROOT, "%.0f", tokens), tokens == 1);
        }
        md.append("\n## TCP_NODELAY\n\n");
        md.append(String.format(Locale.ROOT, "Measured here (limit client, plain OkHttp, HTTP/2 on loopback): setting "
                + "`TCP_NODELAY` through OkHttp's `SocketFactory` changed the median from %,.0f to %,.0f messages/s "
                + "at page size 10, from %,.0f to %,.0f at 100 and from %,.0f to %,.0f at 1000. At page size 10 "
                + "the limit without it ran at %,.0f and the Graph SDK (whose client does not set it) at %,.0f "
                + "messages/s, %.1f ms per 10-message request, about one Linux delayed-ACK interval: the wait is Nagle's algorithm holding a small HTTP/2 frame until the fake's delayed "
                + "ACK, not work in any client. Decided on these figures: the SDK's own OkHttp client (`GraphHttp`, "
                + "shared by sync and the bound Graph SDK client) sets `TCP_NODELAY` on its sockets, so the SDK rows "
                + "above were measured with it; the Graph SDK baseline rows use `GraphClientFactory`'s client "
                + "unchanged.%n%n",
                median(results.get("10|limit"), Run::rate), median(results.get("10|limit, TCP_NODELAY"), Run::rate),
                median(results.get("100|limit"), Run::rate), median(results.get("100|limit, TCP_NODELAY"), Run::rate),
                median(results.get("1000|limit"), Run::rate),
                median(results.get("1000|limit, TCP_NODELAY"), Run::rate),
                median(results.get("10|limit"), Run::rate),
                median(results.get("10|Graph SDK PageIterator"), Run::rate),
                10_000 / median(results.get("10|limit"), Run::rate)));
        md.append("Expected against real Graph (not measured here): Graph's round trips take tens of milliseconds, so "
                + "a stall of up to one delayed-ACK interval per request is a smaller share of each request than on "
                + "loopback, where a request otherwise takes about a millisecond; the absolute saving per stalled "
                + "request stays, so `TCP_NODELAY` is expected to help most with small pages and to matter little "
                + "at page size 1000, where a request is dominated by transferring several megabytes.\n\n");
    }

    private static void target(StringBuilder md, String target, String measured, boolean met) {
        md.append("| ").append(target).append(" | ").append(measured).append(" | ").append(met ? "met" : "**missed**")
                .append(" |\n");
    }

    static String cpuModel() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (l.startsWith("model name")) {
                return l.substring(l.indexOf(':') + 1).trim();
            }
        }
        return "unknown model";
    }

    interface Metric {
        double of(Run r);
    }

    static double median(List<Run> rs, Metric m) {
        double[] v = rs.stream().mapToDouble(m::of).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String rangeOf(List<Run> rs, Metric m, String f) {
        double[] v = rs.stream().mapToDouble(m::of).sorted().toArray();
        return String.format(Locale.ROOT, f + " (" + f + "–" + f + ")", median(rs, m), v[0], v[v.length - 1]);
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Bytes allocated so far by each live thread, by thread id. */
    private static Map<Long, Long> allocated() {
        com.sun.management.ThreadMXBean t = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] ids = t.getAllThreadIds();
        long[] bytes = t.getThreadAllocatedBytes(ids);
        Map<Long, Long> byThread = new java.util.HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0) {
                byThread.put(ids[i], bytes[i]);
            }
        }
        return byThread;
    }

    /**
     * What the threads alive at the end allocated since the start (a thread started meanwhile from zero); a thread
     * that ended in between is not counted, and its bytes before the start are not subtracted either.
     */
    private static long allocatedSince(Map<Long, Long> start) {
        long sum = 0;
        for (Map.Entry<Long, Long> e : allocated().entrySet()) {
            sum += Math.max(0, e.getValue() - start.getOrDefault(e.getKey(), 0L));
        }
        return sum;
    }

    private String token() throws Exception {
        OkHttpClient http = new OkHttpClient.Builder().sslSocketFactory(tls.getSocketFactory(), trust).build();
        Request r = new Request.Builder().url(fake.path("loginBaseUrl").asText() + "/" + fake.path("tenantId").asText()
                + "/oauth2/v2.0/token").post(new FormBody.Builder().add("grant_type", "client_credentials")
                .add("client_id", fake.path("clientId").asText()).add("client_secret",
                        fake.path("clientSecret").asText()).add("scope", "https://graph.microsoft.com/.default")
                .build()).build();
        try (Response resp = http.newCall(r).execute()) {
            return JSON.readTree(resp.body().string()).path("access_token").asText();
        }
    }

    private String inboxId(String token) throws Exception {
        OkHttpClient http = new OkHttpClient.Builder().sslSocketFactory(tls.getSocketFactory(), trust).build();
        Request r = new Request.Builder().url(fake.path("graphBaseUrl").asText() + "/users/" + mailbox
                + "/mailFolders/inbox?$select=id").header("Authorization", "Bearer " + token).build();
        try (Response resp = http.newCall(r).execute()) {
            return JSON.readTree(resp.body().string()).path("id").asText();
        }
    }

    private Instant connectedAt() {
        return start.minus(Duration.ofDays(365));
    }

    /**
     * The equivalent of MailMessage for the limit client: every field the SDK's record holds for the default
     * {@code $select} (ids, folder, subject, sender and recipients with names, the received time as an {@link Instant},
     * preview, body, read flag, categories, attachments flag), without the SDK's validation.
     */
    record LimitMessage(String id, String internetMessageId, String conversationId, String parentFolderId,
                        String subject, LimitAddress from, List<LimitAddress> to, List<LimitAddress> cc,
                        Instant receivedDateTime, String bodyPreview, String bodyType, String body, boolean isRead,
                        List<String> categories, boolean hasAttachments) {
    }

    record LimitAddress(String name, String address) {
    }

    private Client limit(String name, OkHttpClient http, String token, int page) {
        String first = fake.path("graphBaseUrl").asText() + "/users/" + mailbox + "/mailFolders/" + inboxId
                + "/messages/delta?$select=" + URLEncoder.encode(select, StandardCharsets.UTF_8) + "&$filter="
                + URLEncoder.encode("receivedDateTime ge " + connectedAt(), StandardCharsets.UTF_8);
        return new Client() {
            public String name() {
                return name;
            }

            public long sync() throws Exception {
                String url = first;
                long n = 0;
                while (url != null) {
                    Request r = new Request.Builder().url(url).header("Authorization", "Bearer " + token)
                            .header("Prefer", "odata.maxpagesize=" + page).addHeader("Prefer", "IdType=\"ImmutableId\"")
                            .header("client-request-id", java.util.UUID.randomUUID().toString()).build();
                    try (Response resp = http.newCall(r).execute(); InputStream in = resp.body().byteStream();
                         JsonParser p = STREAM.createParser(in)) {
                        if (resp.code() != 200) {
                            throw new IllegalStateException("limit: " + resp.code());
                        }
                        String next = null;
                        p.nextToken();
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.currentName();
                            p.nextToken();
                            if (f.equals("value")) {
                                while (p.nextToken() == JsonToken.START_OBJECT) {
                                    if (readMessage(p) != null) {
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
        };
    }

    static LimitMessage readMessage(JsonParser p) throws Exception {
        String id = null;
        String imid = null;
        String conversation = null;
        String folder = null;
        String subject = null;
        LimitAddress from = null;
        List<LimitAddress> to = List.of();
        List<LimitAddress> cc = List.of();
        Instant received = null;
        String preview = null;
        String bodyType = null;
        String body = null;
        boolean read = false;
        List<String> categories = List.of();
        boolean attachments = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken t = p.nextToken();
            switch (f) {
                case "id" -> id = p.getText();
                case "internetMessageId" -> imid = p.getText();
                case "conversationId" -> conversation = p.getText();
                case "parentFolderId" -> folder = p.getText();
                case "subject" -> subject = p.getText();
                case "from" -> from = t == JsonToken.START_OBJECT ? readRecipient(p) : null;
                case "toRecipients" -> to = readRecipients(p, t);
                case "ccRecipients" -> cc = readRecipients(p, t);
                case "receivedDateTime" -> received = Instant.parse(p.getText());
                case "bodyPreview" -> preview = p.getText();
                case "body" -> {
                    String[] typeAndContent = twoStrings(p, "contentType", "content");
                    bodyType = typeAndContent[0];
                    body = typeAndContent[1];
                }
                case "isRead" -> read = t == JsonToken.VALUE_TRUE;
                case "hasAttachments" -> attachments = t == JsonToken.VALUE_TRUE;
                case "categories" -> {
                    if (t == JsonToken.START_ARRAY) {
                        List<String> values = new ArrayList<>();
                        while (p.nextToken() == JsonToken.VALUE_STRING) {
                            values.add(p.getText());
                        }
                        categories = values;
                    }
                }
                default -> {
                    if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                        p.skipChildren();
                    }
                }
            }
        }
        return id == null ? null : new LimitMessage(id, imid, conversation, folder, subject, from, to, cc, received,
                preview, bodyType, body, read, categories, attachments);
    }

    /** {@code {"emailAddress": {"name": …, "address": …}}}, the parser on its START_OBJECT. */
    private static LimitAddress readRecipient(JsonParser p) throws Exception {
        String[] nameAndAddress = {null, null};
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken t = p.nextToken();
            if (f.equals("emailAddress") && t == JsonToken.START_OBJECT) {
                nameAndAddress = twoStrings(p, "name", "address");
            } else {
                p.skipChildren();
            }
        }
        return new LimitAddress(nameAndAddress[0], nameAndAddress[1]);
    }

    /** The two named string fields of the object the parser is on (its START_OBJECT); other fields are skipped. */
    private static String[] twoStrings(JsonParser p, String first, String second) throws Exception {
        String[] values = {null, null};
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            if (f.equals(first)) {
                values[0] = p.getText();
            } else if (f.equals(second)) {
                values[1] = p.getText();
            } else {
                p.skipChildren();
            }
        }
        return values;
    }

    private static List<LimitAddress> readRecipients(JsonParser p, JsonToken t) throws Exception {
        if (t != JsonToken.START_ARRAY) {
            return List.of();
        }
        List<LimitAddress> list = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_OBJECT) {
            list.add(readRecipient(p));
        }
        return list;
    }

    private Client graphSdk(String token, int page) {
        AccessTokenProvider tokens = new AccessTokenProvider() {
            public String getAuthorizationToken(URI uri, Map<String, Object> context) {
                return token;
            }

            public AllowedHostsValidator getAllowedHostsValidator() {
                return new AllowedHostsValidator("localhost");
            }
        };
        BaseBearerTokenAuthenticationProvider auth = new BaseBearerTokenAuthenticationProvider(tokens);
        OkHttpClient okhttp = GraphClientFactory.create(auth).sslSocketFactory(tls.getSocketFactory(), trust).build();
        GraphServiceClient graph = new GraphServiceClient(auth, okhttp);
        graph.getRequestAdapter().setBaseUrl(fake.path("graphBaseUrl").asText());
        return new Client() {
            public String name() {
                return "Graph SDK PageIterator";
            }

            public long sync() throws Exception {
                DeltaGetResponse first = graph.users().byUserId(mailbox).mailFolders().byMailFolderId(inboxId)
                        .messages().delta().get(c -> {
                            if (page > 0) {
                                c.headers.add("Prefer", "odata.maxpagesize=" + page);
                            }
                            c.queryParameters.filter = "receivedDateTime ge " + connectedAt();
                        });
                AtomicLong n = new AtomicLong();
                PageIterator<Message, DeltaGetResponse> it = new PageIterator.Builder<Message, DeltaGetResponse>()
                        .client(graph).collectionPage(first)
                        .collectionPageFactory(DeltaGetResponse::createFromDiscriminatorValue)
                        .requestConfigurator(ri -> {
                            if (page > 0) {
                                ri.headers.add("Prefer", "odata.maxpagesize=" + page);
                            }
                            return ri;
                        })
                        .processPageItemCallback(m -> {
                            n.incrementAndGet();
                            return true;
                        }).build();
                it.iterate();
                return n.get();
            }
        };
    }

    private OutlookClient.Builder sdkBuilder(JdbcOutlookStore store) {
        return OutlookClient.builder()
                .clientId(fake.path("clientId").asText())
                .credential(AppCredential.secret(fake.path("clientSecret").asText()))
                .stateKeys(StateKey.random())
                .store(store)
                .cloud(CloudEndpoints.of(URI.create(fake.path("loginBaseUrl").asText()),
                        URI.create(fake.path("graphBaseUrl").asText())))
                .trustManager(trust);
    }

    private void addConnection(JdbcOutlookStore store, ConnectionId id) {
        Instant at = connectedAt();
        store.saveConnection(Connection.pending(id, ConnectionType.ORGANIZATION_WIDE, at.minus(Duration.ofMinutes(5)))
                .connectedTo(TenantId.of(fake.path("tenantId").asText()), at));
        store.saveMailbox(new MailboxRecord(id, MailboxId.of(mailbox), MailboxAddress.of(address), displayName, MailboxType.USER,
                List.of(new FolderRef(inboxId, "Inbox")), MailboxStatus.PENDING, null, "", at, List.of()));
    }

    /** Counts delivered messages per connection; a run waits until its connection has them all. */
    static final class CountingSink {
        final Map<ConnectionId, AtomicLong> counts = new ConcurrentHashMap<>();

        void accept(com.tekst.outlook.sync.MessagePage page) {
            counts.computeIfAbsent(page.connection(), k -> new AtomicLong()).addAndGet(page.messages().size());
        }

        long await(ConnectionId id, long expected) throws InterruptedException {
            AtomicLong c = counts.computeIfAbsent(id, k -> new AtomicLong());
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (c.get() < expected && System.nanoTime() < deadline) {
                Thread.sleep(0, 200_000);
            }
            return c.get();
        }
    }

    private long expected = -1;

    private long expected() throws Exception {
        if (expected < 0) {
            expected = limit("probe", new OkHttpClient.Builder().sslSocketFactory(tls.getSocketFactory(), trust)
                    .build(), token(), 1000).sync();
        }
        return expected;
    }

    /** One client, one store, one engine per page size; each run adds a new connection so it syncs from scratch. */
    final class WarmSdk {
        final JdbcOutlookStore store;
        final OutlookClient client;
        final Map<Integer, SyncEngine> engines = new LinkedHashMap<>();
        final CountingSink sink = new CountingSink();
        int runs;

        final String name;

        WarmSdk(Path db) {
            this(JdbcOutlookStore.sqlite(db), "SDK warm");
        }

        WarmSdk(JdbcOutlookStore store, String name) {
            this.store = store;
            this.name = name;
            client = sdkBuilder(store).build();
        }

        Client client(int page) {
            return new Client() {
                public String name() {
                    return name;
                }

                public long sync() throws Exception {
                    SyncEngine engine = engines.computeIfAbsent(page, p -> {
                        SyncEngine e = client.syncEngine().sink(sink::accept).pageSize(p)
                                .pollInterval(Duration.ofHours(1)).build();
                        return e;
                    });
                    ConnectionId id = ConnectionId.of("warm-" + page + "-" + (runs++));
                    addConnection(store, id);
                    if (!started.contains(page)) {
                        engine.start();
                        started.add(page);
                    }
                    client.finishSetup(engine, id);
                    long delivered = sink.await(id, expected());
                    // the reconciliation that follows a first round of 5,000 or more messages would otherwise run
                    // during the next client's run
                    engine.pause(id, MailboxId.of(mailbox));
                    return delivered;
                }
            };
        }

        final java.util.Set<Integer> started = new java.util.HashSet<>();

        void close() throws Exception {
            for (SyncEngine e : engines.values()) {
                e.stop(Duration.ofSeconds(5));
            }
            client.close();
            store.close();
        }
    }

    private long coldSdk(Path db, int page) throws Exception {
        long want = expected();
        JdbcOutlookStore store = JdbcOutlookStore.sqlite(db);
        ConnectionId id = ConnectionId.of("cold");
        addConnection(store, id);
        CountingSink sink = new CountingSink();
        try (OutlookClient client = sdkBuilder(store).build()) {
            SyncEngine engine = client.syncEngine().sink(sink::accept).pageSize(page)
                    .pollInterval(Duration.ofHours(1)).build();
            engine.start();
            client.finishSetup(engine, id);
            long n = sink.await(id, want);
            engine.stop(Duration.ofSeconds(5));
            return n;
        } finally {
            store.close();
        }
    }

    static X509TrustManager trust(Path pem) throws Exception {
        X509Certificate ca;
        try (InputStream in = Files.newInputStream(pem)) {
            ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore keys = KeyStore.getInstance(KeyStore.getDefaultType());
        keys.load(null, null);
        keys.setCertificateEntry("fake-cloud-ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(keys);
        for (var tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new IllegalStateException("no X509TrustManager");
    }

    /** Plain sockets with TCP_NODELAY set before they connect. */
    static final class NoDelaySocketFactory extends javax.net.SocketFactory {
        private final javax.net.SocketFactory d = javax.net.SocketFactory.getDefault();

        private static java.net.Socket nd(java.net.Socket s) throws java.io.IOException {
            s.setTcpNoDelay(true);
            return s;
        }

        public java.net.Socket createSocket() throws java.io.IOException {
            return nd(d.createSocket());
        }

        public java.net.Socket createSocket(String h, int p) throws java.io.IOException {
            return nd(d.createSocket(h, p));
        }

        public java.net.Socket createSocket(String h, int p, java.net.InetAddress l, int lp) throws java.io.IOException {
            return nd(d.createSocket(h, p, l, lp));
        }

        public java.net.Socket createSocket(java.net.InetAddress h, int p) throws java.io.IOException {
            return nd(d.createSocket(h, p));
        }

        public java.net.Socket createSocket(java.net.InetAddress h, int p, java.net.InetAddress l, int lp)
                throws java.io.IOException {
            return nd(d.createSocket(h, p, l, lp));
        }
    }
}
