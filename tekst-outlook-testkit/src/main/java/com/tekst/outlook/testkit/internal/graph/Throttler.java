package com.tekst.outlook.testkit.internal.graph;

import com.tekst.outlook.testkit.MailboxThrottling;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exchange's per-application, per-mailbox limits: requests in flight, and a request budget over a sliding window of
 * fake time. Thread-safe; one lock per (application, mailbox), so mailboxes never wait on each other. Internal.
 */
final class Throttler {
    private record Key(String appId, String mailbox) {
    }

    /** A mailbox's counters for one application. */
    private static final class Counters {
        int inFlight;
        /**
         * Arrival times (epoch millis, fake time) of the latest requests, admitted or throttled, oldest first; a
         * growable ring, capped well above the budget (a client that keeps retrying at once may fill it).
         */
        long[] times = new long[16];
        int head;
        int size;

        void add(long t, int cap) {
            if (size == cap) {
                head = (head + 1) % times.length;
                size--;
            }
            if (size == times.length) {
                long[] bigger = new long[Math.min(cap, times.length * 2)];
                for (int i = 0; i < size; i++) {
                    bigger[i] = times[(head + i) % times.length];
                }
                times = bigger;
                head = 0;
            }
            times[(head + size) % times.length] = t;
            size++;
        }

        void expire(long notAfter) {
            while (size > 0 && times[head] <= notAfter) {
                head = (head + 1) % times.length;
                size--;
            }
        }

        /** The arrival time of the {@code i}-th oldest request in the window (from 0). */
        long at(int i) {
            return times[(head + i) % times.length];
        }
    }

    private final Map<Key, Counters> counters = new ConcurrentHashMap<>();

    /**
     * Admits a request to a mailbox, or throws the 429 Exchange answers. Every request to the mailbox counts towards
     * its budget, a throttled one too ("all requests accrue against your usage limits"), so the budget's
     * {@code Retry-After} is the time until enough requests left the window for one more to fit, this 429 included.
     * An admitted request must be {@link #release released}.
     */
    void admit(String appId, String mailbox, Instant now, MailboxThrottling limits) {
        Counters c = counters.computeIfAbsent(new Key(appId, mailbox), k -> new Counters());
        synchronized (c) {
            long t = now.toEpochMilli();
            boolean budgeted = limits.requestBudget() != Integer.MAX_VALUE;
            int cap = budgeted ? (int) Math.min(Integer.MAX_VALUE - 8, limits.requestBudget() * 2L + 1024) : 0;
            if (budgeted) {
                c.expire(t - limits.budgetWindow().toMillis());
                if (c.size >= limits.requestBudget()) {
                    c.add(t, cap);
                    // after this 429 the window holds size requests; one more fits once size - budget + 1 left it
                    long leaves = c.at(c.size - limits.requestBudget()) + limits.budgetWindow().toMillis();
                    throw new GraphError(429, "TooManyRequests", "Please retry again later.",
                            Math.max(1, (leaves - t + 999) / 1000));
                }
            }
            if (c.inFlight >= limits.maxConcurrentRequests()) {
                if (budgeted) {
                    c.add(t, cap);
                }
                throw new GraphError(429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.",
                        Math.max(1, (limits.concurrencyRetryAfter().toMillis() + 999) / 1000));
            }
            if (budgeted) {
                c.add(t, cap);
            }
            c.inFlight++;
        }
    }

    void release(String appId, String mailbox) {
        Counters c = counters.get(new Key(appId, mailbox));
        if (c != null) {
            synchronized (c) {
                c.inFlight = Math.max(0, c.inFlight - 1);
            }
        }
    }

    /** Forgets every counter (when the limits change). */
    void reset() {
        counters.clear();
    }
}
