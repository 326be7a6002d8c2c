package com.tekst.outlook.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.tekst.outlook.testkit.FakeClock;
import com.tekst.outlook.testkit.FakeFolder;
import com.tekst.outlook.testkit.FakeMailbox;
import com.tekst.outlook.testkit.FakeMessage;
import com.tekst.outlook.testkit.FakeMicrosoftCloud;
import com.tekst.outlook.testkit.FakeTenant;
import com.tekst.outlook.testkit.JournalEntry;
import com.tekst.outlook.testkit.MailboxThrottling;
import com.tekst.outlook.testkit.TenantGenerator;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fake cloud of {@link BenchmarkSuite}, in its own JVM. It is the testkit's {@link FakeMicrosoftCloud} started as
 * the testkit's standalone launcher starts it, plus what the launcher has no option for: the body size of generated
 * mail, no throttling, no limit on a filtered delta's first round, a large journal, and a line protocol on standard
 * input so the suite can read the journal between runs: {@code stats} prints one JSON line (Graph and token requests
 * since the last {@code clear}, the peak number of requests in flight to one mailbox, this process's CPU time),
 * {@code clear} empties the journal; {@code throttle-stats} prints the journal's 429s per mailbox (see
 * {@link #throttleStats}); {@code throttling unlimited} or {@code throttling <budget> <window ms>} sets the mailbox
 * throttling (Exchange Online's 4 concurrent requests with that request budget); {@code deliver <n>} delivers one new
 * message to the inbox of each of the first {@code n} mailboxes; {@code grow <k> <count>} delivers {@code count} new
 * messages to the inbox of each of the first {@code k} mailboxes. End of input stops it.
 *
 * <p>Usage: {@code BenchFakeHost <mailboxes> <messages per mailbox> <body bytes> <seed> [<days of mail>]} (mail is
 * spread over the given days before the start, default 90).
 */
public final class BenchFakeHost {
    private BenchFakeHost() {
    }

    public static void main(String[] args) throws Exception {
        int mailboxes = Integer.parseInt(args[0]);
        int messages = Integer.parseInt(args[1]);
        int bodySize = Integer.parseInt(args[2]);
        long seed = Long.parseLong(args[3]);
        int days = args.length > 4 ? Integer.parseInt(args[4]) : 90;
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        FakeClock clock = new FakeClock(start);
        ObjectMapper json = new ObjectMapper();
        try (FakeMicrosoftCloud cloud = FakeMicrosoftCloud.builder()
                .clock(clock)
                .seed(seed)
                .mailboxThrottling(MailboxThrottling.unlimited())
                .filteredDeltaLimit(Integer.MAX_VALUE)
                .journalCapacity(2_000_000)
                .tenant(FakeTenant.builder("contoso").consentGranted()
                        .generate(TenantGenerator.builder(seed).userMailboxes(mailboxes).sharedMailboxes(0)
                                .messagesPerMailbox(messages).bodySize(bodySize)
                                .between(start.minus(Duration.ofDays(days)), start).build()))
                .start()) {
            Path pem = Files.createTempFile("tekst-bench-ca-", ".pem");
            pem.toFile().deleteOnExit();
            Files.writeString(pem, cloud.caCertificatePem(), StandardCharsets.US_ASCII);
            FakeTenant tenant = cloud.tenants().get(0);
            ObjectNode line = json.createObjectNode();
            line.put("loginBaseUrl", cloud.loginBaseUrl().toString());
            line.put("graphBaseUrl", cloud.graphBaseUrl().toString());
            line.put("tenantId", tenant.id().value());
            line.put("clientId", cloud.app().clientId());
            line.put("clientSecret", cloud.clientSecret());
            line.put("caCertificatePemPath", pem.toAbsolutePath().toString());
            line.put("start", start.toString());
            ArrayNode boxes = line.putArray("mailboxes");
            for (FakeMailbox m : tenant.mailboxes()) {
                ObjectNode b = boxes.addObject().put("address", m.address()).put("objectId", m.objectId().value())
                        .put("displayName", m.owner().displayName()).put("messages", m.messageCount());
                ArrayNode folders = b.putArray("folders");
                for (FakeFolder f : m.folders()) {
                    folders.addObject().put("id", f.id()).put("name", f.displayName())
                            .put("count", f.totalItemCount()).put("inbox", f.wellKnownName().orElse("").equals("inbox"));
                }
            }
            System.out.println(json.writeValueAsString(line));
            System.out.flush();
            long t0 = System.nanoTime();
            Thread ticker = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    clock.advanceTo(start.plusNanos(System.nanoTime() - t0));
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-clock");
            ticker.setDaemon(true);
            ticker.start();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String command;
            while ((command = in.readLine()) != null) {
                if (command.equals("clear")) {
                    cloud.journal().clear();
                    System.out.println("{}");
                } else if (command.equals("stats")) {
                    System.out.println(json.writeValueAsString(stats(json, cloud.journal().entries())));
                } else if (command.equals("throttle-stats")) {
                    System.out.println(json.writeValueAsString(throttleStats(json, cloud.journal().entries())));
                } else if (command.startsWith("throttling ")) {
                    String[] w = command.split(" ");
                    cloud.setMailboxThrottling(w[1].equals("unlimited") ? MailboxThrottling.unlimited()
                            : MailboxThrottling.exchangeOnline().withRequestBudget(Integer.parseInt(w[1]),
                            Duration.ofMillis(Long.parseLong(w[2]))));
                    System.out.println("{}");
                } else if (command.startsWith("deliver ") || command.startsWith("grow ")) {
                    String[] w = command.split(" ");
                    int k = Integer.parseInt(w[1]);
                    int count = w.length > 2 ? Integer.parseInt(w[2]) : 1;
                    List<FakeMailbox> all = tenant.mailboxes();
                    for (int i = 0; i < k; i++) {
                        for (int j = 0; j < count; j++) {
                            all.get(i).deliver(FakeMessage.builder().from("bench@fabrikam.example")
                                    .subject("bench " + j).body(BODY));
                        }
                    }
                    System.out.println("{}");
                } else {
                    System.out.println("{\"error\":\"unknown command\"}");
                }
                System.out.flush();
            }
            ticker.interrupt();
        }
    }

    private static final String BODY = "<html><body><p>" + "Benchmark message body. ".repeat(80)
            + "</p></body></html>";

    /**
     * The journal's 429s: per mailbox, a Graph request to the same path (the same folder's delta or list) that arrived
     * after a 429 to that mailbox had been answered and before the 429's {@code Retry-After} (counted from the 429's
     * arrival) had elapsed is an early retry, and one to another path of the mailbox in that time is counted as a
     * request in the fence; the
     * Retry-After sum is the total length of each mailbox's merged fences (429 arrival to arrival plus Retry-After),
     * and the time lost beyond it is, per merged fence, the time from the fence's end to the arrival of the mailbox's
     * next request.
     */
    static ObjectNode throttleStats(ObjectMapper json, List<JournalEntry> entries) {
        Map<String, List<JournalEntry>> byMailbox = new HashMap<>();
        for (JournalEntry e : entries) {
            if (e.kind() == JournalEntry.Kind.GRAPH && e.mailbox().isPresent()) {
                byMailbox.computeIfAbsent(e.mailbox().get().value(), k -> new ArrayList<>()).add(e);
            }
        }
        long throttled = 0;
        long early = 0;
        long maxEarly = 0;
        long inFence = 0;
        long fenceNanos = 0;
        long lostNanos = 0;
        long maxLost = 0;
        int throttledMailboxes = 0;
        for (List<JournalEntry> list : byMailbox.values()) {
            list.sort((a, b) -> Long.compare(a.startNanos(), b.startNanos()));
            boolean any = false;
            long fenceStart = -1;
            long fenceEnd = -1;
            for (int i = 0; i < list.size(); i++) {
                JournalEntry e = list.get(i);
                if (e.status() == 429 && e.retryAfter().isPresent()) {
                    throttled++;
                    any = true;
                    long end = e.startNanos() + e.retryAfter().get().toNanos();
                    for (JournalEntry later : list.subList(i + 1, list.size())) {
                        if (later.startNanos() > e.endNanos() && later.startNanos() < end) {
                            if (later.path().equals(e.path())) {
                                early++;
                                maxEarly = Math.max(maxEarly, end - later.startNanos());
                            } else {
                                inFence++;
                            }
                        }
                    }
                    if (fenceEnd < 0 || e.startNanos() > fenceEnd) {
                        if (fenceEnd >= 0) {
                            fenceNanos += fenceEnd - fenceStart;
                        }
                        fenceStart = e.startNanos();
                        fenceEnd = end;
                    } else {
                        fenceEnd = Math.max(fenceEnd, end);
                    }
                    continue;
                }
                if (fenceEnd >= 0 && e.startNanos() >= fenceEnd) {
                    long lost = e.startNanos() - fenceEnd;
                    lostNanos += lost;
                    maxLost = Math.max(maxLost, lost);
                    fenceNanos += fenceEnd - fenceStart;
                    fenceEnd = -1;
                }
            }
            if (fenceEnd >= 0) {
                fenceNanos += fenceEnd - fenceStart;
            }
            if (any) {
                throttledMailboxes++;
            }
        }
        return json.createObjectNode().put("throttled", throttled).put("throttledMailboxes", throttledMailboxes)
                .put("earlyRetries", early).put("maxEarlyNanos", maxEarly).put("inFence", inFence).put("retryAfterNanos", fenceNanos).put("lostNanos", lostNanos)
                .put("maxLostNanos", maxLost);
    }

    private static ObjectNode stats(ObjectMapper json, List<JournalEntry> entries) {
        long graph = 0;
        long delta = 0;
        long tokens = 0;
        long throttled = 0;
        Map<String, List<long[]>> byMailbox = new HashMap<>();
        for (JournalEntry e : entries) {
            if (e.kind() == JournalEntry.Kind.GRAPH) {
                graph++;
                if (e.path().endsWith("/delta")) {
                    delta++;
                }
                if (e.status() == 429) {
                    throttled++;
                }
                e.mailbox().ifPresent(m -> byMailbox.computeIfAbsent(m.value(), k -> new ArrayList<>())
                        .add(new long[] {e.startNanos(), e.endNanos()}));
            } else if (e.path().endsWith("/oauth2/v2.0/token")) {
                tokens++;
            }
        }
        int peak = 0;
        for (List<long[]> spans : byMailbox.values()) {
            List<long[]> events = new ArrayList<>();
            for (long[] s : spans) {
                events.add(new long[] {s[0], 1});
                events.add(new long[] {s[1], -1});
            }
            events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
            int now = 0;
            for (long[] ev : events) {
                now += (int) ev[1];
                peak = Math.max(peak, now);
            }
        }
        long cpu = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
        return json.createObjectNode().put("graphRequests", graph).put("deltaRequests", delta).put("tokenRequests", tokens)
                .put("throttled", throttled).put("peakInFlightPerMailbox", peak).put("mailboxes", byMailbox.size())
                .put("processCpuNanos", cpu);
    }
}
