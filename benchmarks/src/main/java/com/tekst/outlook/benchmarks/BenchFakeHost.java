package com.tekst.outlook.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.tekst.outlook.testkit.FakeClock;
import com.tekst.outlook.testkit.FakeMailbox;
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
 * {@code clear} empties the journal. End of input stops it.
 *
 * <p>Usage: {@code BenchFakeHost <mailboxes> <messages per mailbox> <body bytes> <seed>}.
 */
public final class BenchFakeHost {
    private BenchFakeHost() {
    }

    public static void main(String[] args) throws Exception {
        int mailboxes = Integer.parseInt(args[0]);
        int messages = Integer.parseInt(args[1]);
        int bodySize = Integer.parseInt(args[2]);
        long seed = Long.parseLong(args[3]);
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
                                .between(start.minus(Duration.ofDays(90)), start).build()))
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
                boxes.addObject().put("address", m.address()).put("objectId", m.objectId().value())
                        .put("displayName", m.owner().displayName());
            }
            System.out.println(json.writeValueAsString(line));
            System.out.flush();
            long t0 = System.nanoTime();
            Thread ticker = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    clock.advanceTo(start.plusNanos(System.nanoTime() - t0));
                    try {
                        Thread.sleep(20);
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
                } else {
                    System.out.println("{\"error\":\"unknown command\"}");
                }
                System.out.flush();
            }
            ticker.interrupt();
        }
    }

    private static ObjectNode stats(ObjectMapper json, List<JournalEntry> entries) {
        long graph = 0;
        long tokens = 0;
        long throttled = 0;
        Map<String, List<long[]>> byMailbox = new HashMap<>();
        for (JournalEntry e : entries) {
            if (e.kind() == JournalEntry.Kind.GRAPH) {
                graph++;
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
        return json.createObjectNode().put("graphRequests", graph).put("tokenRequests", tokens)
                .put("throttled", throttled).put("peakInFlightPerMailbox", peak).put("mailboxes", byMailbox.size())
                .put("processCpuNanos", cpu);
    }
}
