package com.tekst.outlook.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.GarbageCollectionNotificationInfo;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.graph.OutlookClient;
import com.tekst.outlook.store.JdbcOutlookStore;
import com.tekst.outlook.sync.SyncEngine;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Table 3's client, in a JVM of its own that {@link ScaleTables} starts with {@code -Xmx128m}: a fresh SQLite store,
 * {@code OutlookClient} and {@code SyncEngine} sync every folder of the fake's first mailbox with a counting sink.
 * Prints one JSON line: messages, wall nanos, the peak heap after any GC (the sum of the heap pools' usage after it),
 * the GC time, and the peak and median live heap: a thread calls {@code System.gc()} every second and reads the heap in use
 * after it (the time those calls took is reported too).
 *
 * <p>Usage: {@code MemoryChild <file with the fake's start line> <page size>}.
 */
public final class MemoryChild {
    private MemoryChild() {
    }

    public static void main(String[] args) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Fake fake = Fake.attach(json.readTree(Files.readString(Path.of(args[0]))));
        int page = Integer.parseInt(args[1]);
        Set<String> heapPools = new HashSet<>();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                heapPools.add(p.getName());
            }
        }
        AtomicLong peakAfterGc = new AtomicLong();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((n, h) -> {
                if (n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                    GarbageCollectionNotificationInfo info =
                            GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                    long used = 0;
                    for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                        if (heapPools.contains(e.getKey())) {
                            used += e.getValue().getUsed();
                        }
                    }
                    peakAfterGc.accumulateAndGet(used, Math::max);
                }
            }, null, null);
        }
        AtomicLong peakLive = new AtomicLong();
        AtomicLong forcedNanos = new AtomicLong();
        List<Long> liveSamples = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    return;
                }
                long g0 = System.nanoTime();
                System.gc();
                forcedNanos.addAndGet(System.nanoTime() - g0);
                long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                liveSamples.add(used);
                peakLive.accumulateAndGet(used, Math::max);
            }
        }, "bench-live-heap");
        sampler.setDaemon(true);
        JsonNode box = fake.mailboxes().get(0);
        long want = box.path("messages").asLong();
        Path db = Files.createTempFile("tekst-bench-mem-", ".db");
        AtomicLong n = new AtomicLong();
        long gc0 = gcMillis();
        long t0 = System.nanoTime();
        sampler.start();
        try (JdbcOutlookStore store = JdbcOutlookStore.sqlite(db)) {
            ConnectionId id = ConnectionId.of("memory");
            fake.addConnection(store, id, fake.start.minus(Duration.ofDays(365)), List.of(box));
            try (OutlookClient client = fake.sdk(store).build()) {
                SyncEngine engine = client.syncEngine().sink(p -> n.addAndGet(p.messages().size())).pageSize(page)
                        .pollInterval(Duration.ofHours(1)).build();
                engine.start();
                client.finishSetup(engine, id);
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
                while (n.get() < want && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                long nanos = System.nanoTime() - t0;
                long gc = gcMillis() - gc0;
                sampler.interrupt();
                sampler.join();
                engine.stop(Duration.ofSeconds(5));
                System.out.println(json.createObjectNode().put("messages", n.get()).put("expected", want)
                        .put("nanos", nanos).put("peakHeapAfterGc", peakAfterGc.get()).put("gcMillis", gc)
                        .put("peakLiveHeap", peakLive.get()).put("medianLiveHeap", median(liveSamples))
                        .put("liveSamples", liveSamples.size()).put("forcedGcNanos", forcedNanos.get())
                        .put("maxHeap", Runtime.getRuntime().maxMemory()));
            }
        } finally {
            Files.deleteIfExists(db);
        }
        System.exit(0);
    }

    private static long median(List<Long> samples) {
        List<Long> sorted = new java.util.ArrayList<>(samples);
        if (sorted.isEmpty()) {
            return 0;
        }
        java.util.Collections.sort(sorted);
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    }

    private static long gcMillis() {
        long sum = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionTime());
        }
        return sum;
    }
}
