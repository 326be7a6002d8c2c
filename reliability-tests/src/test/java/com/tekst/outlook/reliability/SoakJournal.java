package com.tekst.outlook.reliability;

import com.tekst.outlook.MailboxId;
import com.tekst.outlook.testkit.JournalAssertions;
import com.tekst.outlook.testkit.JournalEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** The request rules, read from the fake's journal: Retry-After fences and requests in flight per mailbox. */
final class SoakJournal {
    /** Calls a client may already have on their way when a 429/503 is answered: 4 in flight, minus the answered one. */
    static final int IN_FLIGHT_EXCUSED = 3;
    /** How soon after the answer such a call may still arrive (the answer's way back and its classification). */
    static final long IN_FLIGHT_GRACE_MILLIS = 100;
    private static final Pattern LINK_TOKEN = Pattern.compile("(?i)(\\$?(?:delta|skip)token=)[^&\\s)]+");

    private SoakJournal() {
    }

    /** {@link JournalAssertions#noRequestBeforeRetryAfter()} as is; its message without link tokens, or empty. */
    static String strictRetryAfter(List<JournalEntry> entries) {
        try {
            JournalAssertions.assertThat(entries).noRequestBeforeRetryAfter();
            return "";
        } catch (AssertionError e) {
            return redact(e.getMessage());
        }
    }

    /**
     * Requests that reached a mailbox before a {@code Retry-After} it was given had elapsed (fake clock = shared
     * clock), excusing per answer at most {@link #IN_FLIGHT_EXCUSED} requests that arrived within
     * {@link #IN_FLIGHT_GRACE_MILLIS} ms of it (calls already on their way; the same allowance as the graph module's
     * ThrottlingAcceptanceTest, on real time instead of one fake instant).
     */
    static List<String> requestsBeforeRetryAfter(List<JournalEntry> entries, List<Long> childStarts) {
        return requestsBeforeRetryAfter(entries, childStarts, Map.of());
    }

    /**
     * As {@link #requestsBeforeRetryAfter(List, List)}, also excusing a call that reached the fake no later than
     * {@link #SEND_TO_ARRIVAL_MILLIS} after the engine reported the throttling ({@code throttledAt}: per mailbox, when
     * the child's listener heard of each): the engine raises its fence before it reports, so such a call may have
     * passed the fence before the engine knew of the answer.
     */
    static List<String> requestsBeforeRetryAfter(List<JournalEntry> entries, List<Long> childStarts,
                                                 Map<String, List<Long>> throttledAt) {
        List<String> violations = new ArrayList<>();
        Map<String, List<JournalEntry>> byMailbox = new HashMap<>();
        for (JournalEntry e : entries) {
            if (e.mailbox().isPresent()) {
                byMailbox.computeIfAbsent(e.mailbox().orElseThrow().value(), k -> new ArrayList<>()).add(e);
            }
        }
        for (List<JournalEntry> list : byMailbox.values()) {
            for (int i = 0; i < list.size(); i++) {
                JournalEntry fence = list.get(i);
                if (fence.retryAfter().isEmpty()) {
                    continue;
                }
                Instant until = fence.receivedAt().plus(fence.retryAfter().orElseThrow());
                int excused = 0;
                for (int j = i + 1; j < list.size(); j++) {
                    JournalEntry e = list.get(j);
                    if (!e.receivedAt().isBefore(until)) {
                        break;
                    }
                    boolean sameBatch = fence.batchId().isPresent() && fence.batchId().equals(e.batchId());
                    if (e.startNanos() <= fence.endNanos() || sameBatch) {
                        continue; // arrived before the answer was produced
                    }
                    long after = e.startNanos() - fence.endNanos();
                    if (after <= TimeUnit.MILLISECONDS.toNanos(IN_FLIGHT_GRACE_MILLIS) && excused < IN_FLIGHT_EXCUSED) {
                        excused++;
                        continue;
                    }
                    if (beforeTheEngineKnew(e, fence, throttledAt.getOrDefault(e.mailbox().orElseThrow().value(), List.of()))) {
                        continue;
                    }
                    boolean restarted = childStarts.stream()
                            .anyMatch(t -> t > fence.endNanos() && t < e.startNanos());
                    violations.add("#" + e.sequence() + " " + e.method() + " " + shortPath(e.path()) + " -> "
                            + e.status() + " arrived " + TimeUnit.NANOSECONDS.toMillis(after) + " ms after #"
                            + fence.sequence() + " " + shortPath(fence.path()) + " answered " + fence.status()
                            + " with Retry-After " + fence.retryAfter().orElseThrow().toSeconds() + " s (mailbox " + e.mailbox().orElseThrow()
                            + (restarted ? "; the child was restarted in between" : "; same child") + ")");
                }
            }
        }
        violations.sort(null);
        return violations;
    }

    /**
     * How long a call the engine let through may take from its start to its arrival at the fake: a new HTTPS
     * connection's handshake on a loaded 2-core machine (the soak speaks HTTP/1.1, so concurrent calls open
     * connections), and the millisecond resolution of the report's time.
     */
    static final long SEND_TO_ARRIVAL_MILLIS = 50;

    /**
     * Whether {@code e} reached the fake within {@link #SEND_TO_ARRIVAL_MILLIS} of the engine's first report of a
     * throttling answered at or after the fence's answer: it may have passed the fence before the engine knew.
     */
    static boolean beforeTheEngineKnew(JournalEntry e, JournalEntry fence, List<Long> reports) {
        long answered = fence.receivedAt().toEpochMilli();
        for (long at : reports) {
            if (at >= answered) {
                return e.receivedAt().toEpochMilli() <= at + SEND_TO_ARRIVAL_MILLIS;
            }
        }
        return false;
    }

    /** The most requests of one mailbox the fake was serving at once (from arrival and answer times). */
    static Map<String, Integer> maxInFlightPerMailbox(List<JournalEntry> entries) {
        Map<String, TreeMap<Long, Integer>> edges = new HashMap<>();
        for (JournalEntry e : entries) {
            if (e.mailbox().isPresent() && e.batchId().isEmpty()) {
                TreeMap<Long, Integer> d = edges.computeIfAbsent(e.mailbox().orElseThrow().value(), k -> new TreeMap<>());
                d.merge(e.startNanos(), 1, Integer::sum);
                d.merge(e.endNanos() + 1, -1, Integer::sum);
            }
        }
        Map<String, Integer> max = new TreeMap<>();
        edges.forEach((mailbox, d) -> {
            int now = 0;
            int best = 0;
            for (int delta : d.values()) {
                now += delta;
                best = Math.max(best, now);
            }
            max.put(mailbox, best);
        });
        return max;
    }

    private static final Pattern WORKER = Pattern.compile("\\(sync worker ([^)\\s]+)\\)");

    /** The sync worker a request names in its {@code User-Agent} ({@code tekst-outlook (sync worker <id>)}), or null. */
    static String worker(JournalEntry e) {
        java.util.regex.Matcher m = WORKER.matcher(e.header("User-Agent").orElse(""));
        return m.find() ? m.group(1) : null;
    }

    /**
     * Who sent a mailbox's requests, from their {@code User-Agent}: per mailbox, for every two workers A and B that
     * sent requests for it, A first, how long after B's first request A still started one while B was sending (up to
     * B's last request; A may have it back after that); the largest such time over all pairs, in milliseconds (0 when
     * owners never overlapped). Requests without a worker id count under {@code "-"}.
     */
    static Map<String, Long> ownerOverlapMillis(List<JournalEntry> entries) {
        Map<String, Map<String, long[]>> spans = new HashMap<>(); // mailbox -> worker -> {first start, last start}
        for (JournalEntry e : entries) {
            if (e.mailbox().isEmpty()) {
                continue;
            }
            String worker = worker(e);
            long[] span = spans.computeIfAbsent(e.mailbox().orElseThrow().value(), k -> new HashMap<>())
                    .computeIfAbsent(worker == null ? "-" : worker, k -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
            span[0] = Math.min(span[0], e.startNanos());
            span[1] = Math.max(span[1], e.startNanos());
        }
        Map<String, Long> overlap = new TreeMap<>();
        for (JournalEntry e : entries) {
            if (e.mailbox().isEmpty()) {
                continue;
            }
            String mailbox = e.mailbox().orElseThrow().value();
            String worker = worker(e) == null ? "-" : worker(e);
            Map<String, long[]> workers = spans.get(mailbox);
            long since = workers.get(worker)[0];
            long late = 0;
            for (Map.Entry<String, long[]> other : workers.entrySet()) {
                long[] span = other.getValue();
                if (span[0] > since && e.startNanos() > span[0] && e.startNanos() <= span[1]) {
                    late = Math.max(late, TimeUnit.NANOSECONDS.toMillis(e.startNanos() - span[0]));
                }
            }
            overlap.merge(mailbox, late, Math::max);
        }
        return overlap;
    }

    /** The number of requests a {@link #strictRetryAfter} message names ("...: N requests"). */
    static int strictCount(String message) {
        java.util.regex.Matcher m = Pattern.compile(": (\\d+) requests?").matcher(message);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /**
     * Writes the journal as tab-separated lines for a failed run's evidence: sequence, mailbox, method, path (without
     * the query: no link tokens), status, Retry-After seconds, fake-clock arrival, nano times, client-request-id.
     */
    static void write(List<JournalEntry> entries, java.nio.file.Path file) throws java.io.IOException {
        try (java.io.Writer w = java.nio.file.Files.newBufferedWriter(file, java.nio.charset.StandardCharsets.UTF_8)) {
            w.write("seq\tmailbox\tmethod\tpath\tstatus\tretryAfter\treceivedAt\tstartNanos\tendNanos\tclientRequestId\n");
            for (JournalEntry e : entries) {
                w.write(e.sequence() + "\t" + e.mailbox().map(MailboxId::value).orElse("") + "\t" + e.method() + "\t" + e.path() + "\t" + e.status()
                        + "\t" + e.retryAfter().map(d -> Long.toString(d.toSeconds())).orElse("") + "\t" + e.receivedAt()
                        + "\t" + e.startNanos() + "\t" + e.endNanos() + "\t" + e.clientRequestId().orElse("") + "\n");
            }
        }
    }

    /** A journal message without delta or skip tokens (they are link secrets, even in a fake). */
    static String redact(String text) {
        return LINK_TOKEN.matcher(text).replaceAll("$1…");
    }

    private static String shortPath(String path) {
        int messages = path.indexOf("/messages");
        return messages < 0 ? path : "…" + path.substring(messages);
    }
}
