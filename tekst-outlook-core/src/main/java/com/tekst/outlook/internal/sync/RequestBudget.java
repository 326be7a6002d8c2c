package com.tekst.outlook.internal.sync;

import java.time.Duration;
import java.time.Instant;

/**
 * A per-mailbox request budget over a sliding window, on the engine's clock: at most {@code limit} calls in any
 * window of {@code window}. Counts are kept in {@value #SLOTS} slots (memory is constant per mailbox, unlike a log of
 * timestamps). A call is admitted when the count over the current slot and the {@value #SLOTS} slots before it is
 * below the limit, so the effective window is one slot longer than configured: conservative, never above the limit.
 *
 * <p>Not thread-safe; guarded by the scheduler's lock.
 */
final class RequestBudget {
    static final int SLOTS = 60;

    private final int limit;
    private final long slotMillis;
    private final long[] slotIndex = new long[SLOTS + 1];
    private final int[] counts = new int[SLOTS + 1];

    RequestBudget(int limit, Duration window) {
        this.limit = limit;
        this.slotMillis = Math.max(1, window.toMillis() / SLOTS);
        java.util.Arrays.fill(slotIndex, Long.MIN_VALUE);
    }

    /** Calls counted in the window ending now. */
    int used(Instant now) {
        long current = Math.floorDiv(now.toEpochMilli(), slotMillis);
        int sum = 0;
        for (int i = 0; i <= SLOTS; i++) {
            long idx = slotIndex[i];
            if (idx != Long.MIN_VALUE && idx > current - SLOTS - 1 && idx <= current) {
                sum += counts[i];
            }
        }
        return sum;
    }

    /** Whether a call may start now while keeping {@code reserve} calls of the window unused. */
    boolean available(Instant now, int reserve) {
        return used(now) < limit - reserve;
    }

    /** Counts one call at {@code now}. */
    void consume(Instant now) {
        long current = Math.floorDiv(now.toEpochMilli(), slotMillis);
        int pos = (int) Math.floorMod(current, (long) SLOTS + 1);
        if (slotIndex[pos] != current) {
            slotIndex[pos] = current;
            counts[pos] = 0;
        }
        counts[pos]++;
    }

    /** The earliest instant at which {@link #available(Instant, int)} becomes true, or {@code now} if it is. */
    Instant nextAvailable(Instant now, int reserve) {
        int used = used(now);
        int threshold = limit - reserve;
        if (used < threshold) {
            return now;
        }
        long current = Math.floorDiv(now.toEpochMilli(), slotMillis);
        long oldest = current - SLOTS;
        for (long idx = oldest; idx <= current; idx++) {
            int pos = (int) Math.floorMod(idx, (long) SLOTS + 1);
            if (slotIndex[pos] == idx) {
                used -= counts[pos];
            }
            if (used < threshold) {
                return Instant.ofEpochMilli((idx + SLOTS + 1) * slotMillis);
            }
        }
        return Instant.ofEpochMilli((current + SLOTS + 1) * slotMillis);
    }
}
