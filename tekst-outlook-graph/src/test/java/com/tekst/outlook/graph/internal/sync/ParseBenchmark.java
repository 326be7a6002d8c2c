package com.tekst.outlook.graph.internal.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.graph.users.item.mailfolders.item.messages.delta.DeltaGetResponse;
import com.microsoft.kiota.serialization.JsonParseNodeFactory;
import com.tekst.outlook.sync.MailMessage;
import com.tekst.outlook.testkit.FakeMailbox;
import com.tekst.outlook.testkit.FakeMessage;
import com.tekst.outlook.testkit.FakeMicrosoftCloud;
import com.tekst.outlook.testkit.FakeTenant;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToIntFunction;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * A plain-main benchmark (not a test): parse throughput and allocation of one 1,000-message delta page, as the fake
 * Microsoft cloud serves it (every field of {@link MailMessage#DEFAULT_FIELDS}, HTML bodies of about 3 KB, about
 * 3.8 MB), with the SDK's parser ({@link MailPageParser}, Jackson streaming), a Jackson tree ({@code readTree}) and the
 * Graph SDK's Kiota models ({@code DeltaGetResponse}), against earlier JMH figures.
 *
 * <p>One JVM per parser (a fork, so no parser runs on another's JIT profile); in it a warm-up, then {@value #RUNS}
 * timed runs of {@value #RUN_MILLIS} ms; the table shows the median (and the range) of the runs and the bytes
 * allocated per page (the thread's allocation counter). Run with
 * {@code mvn -B -q -o -pl tekst-outlook-graph -am -Pparse-benchmark -DskipTests process-test-classes}.
 */
public final class ParseBenchmark {
    static final int MESSAGES = 1000;
    static final int RUNS = 5;
    static final int RUN_MILLIS = 2000;
    static final int WARMUP_MILLIS = 4000;

    private ParseBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, ToIntFunction<byte[]>> parsers = parsers();
        if (args.length == 1) {
            measure(parsers, Integer.parseInt(args[0]));
            return;
        }
        System.out.printf("%nParse benchmark: one delta page of %d messages (the fake's, every default field),"
                + " Java %s, %d cores; one JVM per parser; medians of 5 runs; throughput per second of the"
                + " parsing thread's CPU time (steady on a shared machine) and of wall time%n", MESSAGES,
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
        System.out.printf("%-58s | %12s | %19s | %12s | %12s%n", "parser", "msgs/CPU-s", "range of 5 runs",
                "msgs/wall-s", "alloc / page");
        System.out.println("-".repeat(58) + "-|-" + "-".repeat(12) + "-|-" + "-".repeat(19) + "-|-" + "-".repeat(12)
                + "-|-" + "-".repeat(12));
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int i = 0; i < parsers.size(); i++) {
            Process fork = new ProcessBuilder(javaBin, "-Xms2g", "-Xmx2g", "-cp", System.getProperty("java.class.path"),
                    ParseBenchmark.class.getName(), Integer.toString(i))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(fork.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (fork.waitFor() != 0) {
                throw new IllegalStateException("the fork for parser " + i + " failed");
            }
            System.out.print(out.lines().filter(l -> l.startsWith("ROW ")).map(l -> l.substring(4) + "\n")
                    .findFirst().orElse("(no result)\n"));
        }
        System.out.println();
        System.out.println("Earlier JMH figures (1,000-message page of 3.77 MB, median of 5 forks):");
        System.out.println("  Graph SDK (Kiota) ~21,700 messages/s, 132 MB/page; Jackson databind into a record"
                + " ~138,600/s, 10.2 MB; Jackson streaming ~147,000/s, 10.1 MB");
        System.out.println("Command: mvn -B -q -o -pl tekst-outlook-graph -am -Pparse-benchmark -DskipTests"
                + " process-test-classes");
    }

    static Map<String, ToIntFunction<byte[]>> parsers() {
        ObjectMapper mapper = new ObjectMapper();
        JsonParseNodeFactory kiota = new JsonParseNodeFactory();
        Map<String, ToIntFunction<byte[]>> parsers = new LinkedHashMap<>();
        parsers.put("SDK: Jackson streaming into MailMessage (MailPageParser)", b -> {
            try {
                return MailPageParser.page(b, MailPageParser.Kind.DELTA).messages().size();
            } catch (PageFormatException e) {
                throw new IllegalStateException(e);
            }
        });
        parsers.put("Jackson databind tree (ObjectMapper.readTree)", b -> {
            try {
                return mapper.readTree(b).get("value").size();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        parsers.put("Graph SDK Kiota models (DeltaGetResponse)", b -> kiota
                .getParseNode("application/json", new ByteArrayInputStream(b))
                .getObjectValue(DeltaGetResponse::createFromDiscriminatorValue).getValue().size());
        return parsers;
    }

    /** In a fork: one parser, warm-up and timed runs, one result row. */
    static void measure(Map<String, ToIntFunction<byte[]>> parsers, int index) throws Exception {
        byte[] page = page();
        String name = List.copyOf(parsers.keySet()).get(index);
        ToIntFunction<byte[]> parser = parsers.get(name);
        int n = parser.applyAsInt(page);
        if (n != MESSAGES) {
            throw new IllegalStateException(name + " read " + n + " messages");
        }
        run(parser, page, WARMUP_MILLIS);
        List<Double> cpuRates = new ArrayList<>();
        List<Double> wallRates = new ArrayList<>();
        List<Double> allocations = new ArrayList<>();
        for (int r = 0; r < RUNS; r++) {
            double[] result = run(parser, page, RUN_MILLIS);
            cpuRates.add(result[0]);
            wallRates.add(result[1]);
            allocations.add(result[2]);
        }
        List<Double> cpu = cpuRates.stream().sorted().toList();
        System.out.printf("ROW %-58s | %,12.0f | %,8.0f – %,8.0f | %,12.0f | %,9.1f MB%n", name, cpu.get(RUNS / 2),
                cpu.get(0), cpu.get(RUNS - 1), wallRates.stream().sorted().toList().get(RUNS / 2),
                allocations.stream().sorted().toList().get(RUNS / 2) / 1e6);
    }

    /**
     * Parses the page repeatedly for {@code millis} of wall time; returns messages per second of the thread's CPU time
     * (steady when the machine is shared), messages per second of wall time, and bytes allocated per page.
     */
    static double[] run(ToIntFunction<byte[]> parser, byte[] page, long millis) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)
                ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long allocatedBefore = threads.getThreadAllocatedBytes(thread);
        long cpuBefore = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long deadline = start + millis * 1_000_000;
        long pages = 0;
        long messages = 0;
        while (System.nanoTime() < deadline) {
            messages += parser.applyAsInt(page);
            pages++;
        }
        long elapsed = System.nanoTime() - start;
        long cpu = threads.getCurrentThreadCpuTime() - cpuBefore;
        long allocated = threads.getThreadAllocatedBytes(thread) - allocatedBefore;
        return new double[] {messages * 1e9 / cpu, messages * 1e9 / elapsed, (double) allocated / pages};
    }

    /** One page of the fake's message delta: 1,000 messages with every default field, bodies of about 3 KB. */
    static byte[] page() throws Exception {
        try (FakeMicrosoftCloud cloud = FakeMicrosoftCloud.builder()
                .tenant(FakeTenant.builder("contoso").consentGranted().user("alice@contoso.onmicrosoft.com"))
                .start()) {
            FakeTenant tenant = cloud.tenant("contoso");
            FakeMailbox alice = tenant.mailbox("alice@contoso.onmicrosoft.com");
            Random random = new Random(42);
            String[] words = {"invoice", "shipment", "delivery", "contract", "meeting", "review", "schedule",
                "payment", "order", "support", "attached", "please", "confirm", "thanks", "regards", "details"};
            Instant now = cloud.clock().instant();
            for (int i = 0; i < MESSAGES; i++) {
                StringBuilder body = new StringBuilder("<html><head><meta http-equiv=\"Content-Type\" content=\"text/"
                        + "html; charset=utf-8\"></head><body><div style=\"font-family:Aptos,Calibri,sans-serif\">");
                while (body.length() < 2900) {
                    body.append("<p>");
                    for (int w = 0; w < 12; w++) {
                        body.append(words[random.nextInt(words.length)]).append(' ');
                    }
                    body.append("</p>\r\n");
                }
                body.append("</div></body></html>");
                alice.deliver("inbox", FakeMessage.builder()
                        .from(new FakeMessage.Recipient("Sender " + i, "sender" + i + "@fabrikam.example"))
                        .to("alice@contoso.onmicrosoft.com").cc("ap@contoso.onmicrosoft.com")
                        .subject("Order " + (10_000 + i) + " " + words[random.nextInt(words.length)])
                        .categories(i % 7 == 0 ? new String[] {"Blue category"} : new String[0])
                        .body(body.toString()).receivedAt(now.minusSeconds(i)));
            }
            HttpUrl url = HttpUrl.get(cloud.graphBaseUrl() + "/users/" + alice.objectId() + "/mailFolders/inbox"
                    + "/messages/delta").newBuilder()
                    .addQueryParameter("$select", String.join(",", MailMessage.DEFAULT_FIELDS)).build();
            OkHttpClient http = new OkHttpClient.Builder()
                    .sslSocketFactory(cloud.sslSocketFactory(), cloud.trustManager()).build();
            Request request = new Request.Builder().url(url)
                    .header("Authorization", "Bearer " + cloud.accessToken(tenant.id()))
                    .addHeader("Prefer", "odata.maxpagesize=" + MESSAGES)
                    .addHeader("Prefer", "IdType=\"ImmutableId\"").build();
            try (Response response = http.newCall(request).execute()) {
                if (response.code() != 200) {
                    throw new IllegalStateException("the fake answered " + response.code());
                }
                return response.body().bytes();
            } finally {
                http.connectionPool().evictAll();
                http.dispatcher().executorService().shutdown();
            }
        }
    }
}
