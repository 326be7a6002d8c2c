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
 * Graph SDK's Kiota models ({@code DeltaGetResponse}), against the figures DESIGN.md quotes.
 *
 * <p>One JVM; per parser a warm-up, then {@value #RUNS} timed runs of {@value #RUN_MILLIS} ms; the table shows the
 * median (and the range) of the runs and the bytes allocated per page (the thread's allocation counter). Run with
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
        byte[] page = page();
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

        System.out.printf("%nParse benchmark: one delta page of %d messages, %.2f MB, Java %s, %d cores%n",
                MESSAGES, page.length / 1e6, System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
        System.out.printf("%-58s | %14s | %19s | %16s%n", "parser", "messages/s", "range of 5 runs",
                "allocated / page");
        System.out.println("-".repeat(58) + "-|-" + "-".repeat(14) + "-|-" + "-".repeat(19) + "-|-" + "-".repeat(16));
        for (Map.Entry<String, ToIntFunction<byte[]>> p : parsers.entrySet()) {
            int n = p.getValue().applyAsInt(page);
            if (n != MESSAGES) {
                throw new IllegalStateException(p.getKey() + " read " + n + " messages");
            }
            run(p.getValue(), page, WARMUP_MILLIS);
            List<Double> rates = new ArrayList<>();
            List<Double> allocations = new ArrayList<>();
            for (int r = 0; r < RUNS; r++) {
                double[] result = run(p.getValue(), page, RUN_MILLIS);
                rates.add(result[0]);
                allocations.add(result[1]);
            }
            List<Double> sorted = rates.stream().sorted().toList();
            System.out.printf("%-58s | %,14.0f | %,8.0f – %,8.0f | %,13.1f MB%n", p.getKey(), sorted.get(RUNS / 2),
                    sorted.get(0), sorted.get(RUNS - 1),
                    allocations.stream().sorted().toList().get(RUNS / 2) / 1e6);
        }
        System.out.println();
        System.out.println("DESIGN.md / build-notes.md (JMH, 1,000-message page of 3.77 MB, median of 5 forks):");
        System.out.println("  Graph SDK (Kiota) ~21,700 messages/s, 132 MB/page; Jackson databind into a record"
                + " ~138,600/s, 10.2 MB; Jackson streaming ~147,000/s, 10.1 MB");
        System.out.println("Command: mvn -B -q -o -pl tekst-outlook-graph -am -Pparse-benchmark -DskipTests"
                + " process-test-classes");
    }

    /** Parses the page repeatedly for {@code millis}; returns messages per second and bytes allocated per page. */
    static double[] run(ToIntFunction<byte[]> parser, byte[] page, long millis) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)
                ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long allocatedBefore = threads.getThreadAllocatedBytes(thread);
        long start = System.nanoTime();
        long deadline = start + millis * 1_000_000;
        long pages = 0;
        long messages = 0;
        while (System.nanoTime() < deadline) {
            messages += parser.applyAsInt(page);
            pages++;
        }
        long elapsed = System.nanoTime() - start;
        long allocated = threads.getThreadAllocatedBytes(thread) - allocatedBefore;
        return new double[] {messages * 1e9 / elapsed, (double) allocated / pages};
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
