package com.tekst.outlook.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tekst.outlook.testkit.FakeClock;
import com.tekst.outlook.testkit.FakeMailbox;
import com.tekst.outlook.testkit.FakeMicrosoftCloud;
import com.tekst.outlook.testkit.FakeTenant;
import com.tekst.outlook.testkit.MailboxThrottling;
import com.tekst.outlook.testkit.TenantGenerator;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.lang.management.ManagementFactory;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okio.Buffer;
import okio.BufferedSource;

/**
 * How fast the fake Graph serves full message delta pages ({@code Prefer: odata.maxpagesize=1000}, ~2 KB HTML bodies)
 * to a plain OkHttp client over loopback HTTPS. It pages one initial delta round of a generated inbox once, keeps the
 * URLs of the pages that came back full, then requests those pages over and over for a fixed time, reading every
 * body to the end, and prints one line per run, the median, and the command that made the table.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/tekst-outlook-benchmarks.jar --runs 5 --seconds 5
 * </pre>
 */
public final class DeltaPageBenchmark {
    private DeltaPageBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("messages", "6000");
        o.put("page-size", "1000");
        o.put("runs", "5");
        o.put("seconds", "5");
        o.put("warmup-seconds", "15");
        o.put("clients", "1");
        o.put("protocol", "h2");
        for (int i = 0; i + 1 < args.length; i += 2) {
            String name = args[i].replaceFirst("^--", "");
            if (!o.containsKey(name)) {
                System.err.println("unknown option " + args[i] + "; options: " + o.keySet());
                System.exit(2);
            }
            o.put(name, args[i + 1]);
        }
        int messages = Integer.parseInt(o.get("messages"));
        int pageSize = Integer.parseInt(o.get("page-size"));
        int runs = Integer.parseInt(o.get("runs"));
        Duration runTime = Duration.ofSeconds(Long.parseLong(o.get("seconds")));
        Duration warmup = Duration.ofSeconds(Long.parseLong(o.get("warmup-seconds")));
        int clients = Integer.parseInt(o.get("clients"));
        List<Protocol> protocols = o.get("protocol").equals("http1") ? List.of(Protocol.HTTP_1_1)
                : List.of(Protocol.HTTP_2, Protocol.HTTP_1_1);

        try (FakeMicrosoftCloud cloud = FakeMicrosoftCloud.builder()
                .mailboxThrottling(MailboxThrottling.unlimited())
                .journalCapacity(10_000)
                .tenant(FakeTenant.builder("contoso").consentGranted()
                        .generate(TenantGenerator.builder(42).userMailboxes(1).sharedMailboxes(0)
                                .messagesPerMailbox(messages).bodySize(2048)
                                .between(FakeClock.DEFAULT_START.minus(Duration.ofDays(365)), FakeClock.DEFAULT_START)
                                .build()))
                .start()) {
            FakeTenant tenant = cloud.tenant("contoso");
            FakeMailbox box = tenant.mailboxes().get(0);
            String token = cloud.accessToken(tenant.id());
            OkHttpClient http = new OkHttpClient.Builder()
                    .sslSocketFactory(cloud.sslSocketFactory(), cloud.trustManager())
                    .protocols(protocols)
                    .build();

            List<String> fullPages = new ArrayList<>();
            long bytesPerPage = 0;
            String url = cloud.graphBaseUrl() + "/users/" + box.objectId() + "/mailFolders/inbox/messages/delta";
            ObjectMapper mapper = new ObjectMapper();
            while (url != null) {
                try (Response r = http.newCall(request(url, token, pageSize)).execute()) {
                    JsonNode page = mapper.readTree(r.body().string());
                    if (page.path("value").size() == pageSize) {
                        fullPages.add(url);
                    }
                    url = page.has("@odata.nextLink") ? page.path("@odata.nextLink").asText() : null;
                }
            }
            if (fullPages.isEmpty()) {
                System.err.println("the inbox has fewer than " + pageSize + " messages: raise --messages");
                System.exit(2);
            }
            try (Response r = http.newCall(request(fullPages.get(0), token, pageSize)).execute()) {
                bytesPerPage = r.body().bytes().length;
            }

            System.out.printf(Locale.ROOT, "Fake Graph message delta pages: %d messages per page, %,d bytes per page"
                    + " (%,d bytes per message), %d distinct full pages, %s over loopback HTTPS, %d client thread%s%n",
                    pageSize, bytesPerPage, bytesPerPage / pageSize, fullPages.size(),
                    protocols.get(0) == Protocol.HTTP_2 ? "HTTP/2" : "HTTP/1.1", clients, clients == 1 ? "" : "s");
            System.out.printf(Locale.ROOT, "Java %s, %d processors, system load average %.2f before warm-up%n",
                    System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            measure(http, fullPages, token, pageSize, clients, warmup);
            System.out.printf(Locale.ROOT, "%-8s %10s %10s %10s %10s %14s %16s%n", "run", "pages", "seconds",
                    "pages/s", "MB/s", "CPU ms/page", "fake CPU ms/page");
            double[] rates = new double[runs];
            for (int run = 1; run <= runs; run++) {
                long cpu0 = cpuNanos();
                Map<Long, Long> server0 = serverThreadCpu();
                long[] result = measure(http, fullPages, token, pageSize, clients, runTime);
                double cpuMillisPerPage = (cpuNanos() - cpu0) / 1e6 / Math.max(1, result[0]);
                double serverMillisPerPage = serverCpuSince(server0) / 1e6 / Math.max(1, result[0]);
                double seconds = result[2] / 1e9;
                rates[run - 1] = result[0] / seconds;
                System.out.printf(Locale.ROOT, "%-8d %10d %10.2f %10.1f %10.1f %14.2f %16.2f%n", run, result[0],
                        seconds, result[0] / seconds, result[1] / seconds / 1e6, cpuMillisPerPage,
                        serverMillisPerPage);
            }
            Arrays.sort(rates);
            System.out.printf(Locale.ROOT, "%-8s %10s %10s %10.1f%n", "median", "", "", rates[runs / 2]);
            System.out.printf(Locale.ROOT, "system load average %.2f after the runs%n",
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            System.out.println();
            System.out.println("command: mvn -B -q -pl benchmarks -am package -DskipTests && java -jar "
                    + "benchmarks/target/tekst-outlook-benchmarks.jar " + String.join(" ", args));
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    /** CPU time so far of each thread of the fake (MockWebServer's threads), by thread id. */
    private static Map<Long, Long> serverThreadCpu() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, Long> out = new LinkedHashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("MockWebServer")) {
                out.put(t.getId(), Math.max(0, threads.getThreadCpuTime(t.getId())));
            }
        }
        return out;
    }

    /** CPU the fake's threads used since {@code before} (threads started since count from zero). */
    private static long serverCpuSince(Map<Long, Long> before) {
        long total = 0;
        for (Map.Entry<Long, Long> e : serverThreadCpu().entrySet()) {
            total += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        }
        return total;
    }

    /** CPU time of this process (fake server and client together), or 0 when the JVM cannot tell. */
    private static long cpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    private static Request request(String url, String token, int pageSize) {
        return new Request.Builder().url(url)
                .header("Authorization", "Bearer " + token)
                .header("Prefer", "odata.maxpagesize=" + pageSize)
                .addHeader("Prefer", "IdType=\"ImmutableId\"")
                .header("client-request-id", "bench")
                .build();
    }

    /** Requests the pages round-robin for {@code duration}; returns {pages, bytes, nanos}. */
    private static long[] measure(OkHttpClient http, List<String> pages, String token, int pageSize, int clients,
                                  Duration duration) throws Exception {
        AtomicLong count = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int offset = c;
            futures.add(pool.submit(() -> {
                Buffer sink = new Buffer();
                int i = offset;
                while (System.nanoTime() < end) {
                    String url = pages.get(i++ % pages.size());
                    try (Response r = http.newCall(request(url, token, pageSize)).execute()) {
                        if (r.code() != 200) {
                            throw new IllegalStateException("page answered " + r.code());
                        }
                        BufferedSource source = r.body().source();
                        long n = 0;
                        long read;
                        while ((read = source.read(sink, 1 << 16)) != -1) {
                            n += read;
                            sink.clear();
                        }
                        bytes.addAndGet(n);
                        count.incrementAndGet();
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        return new long[] {count.get(), bytes.get(), System.nanoTime() - start};
    }
}
