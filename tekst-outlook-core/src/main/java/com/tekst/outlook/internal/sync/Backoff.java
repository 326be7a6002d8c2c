package com.tekst.outlook.internal.sync;

import java.time.Duration;
import java.util.Random;

/**
 * Exponential backoff with "equal jitter": the n-th consecutive failure waits a random duration between half and all
 * of {@code min(max, initial * 2^(n-1))}. At least half keeps retries from bunching at zero; the random half spreads
 * mailboxes that failed together. Randomness is injected, so a seeded {@link Random} makes schedules reproducible.
 * Thread-safe ({@link Random} is).
 */
final class Backoff {
    private final Duration initial;
    private final Duration max;
    private final Random random;

    Backoff(Duration initial, Duration max, Random random) {
        this.initial = initial;
        this.max = max;
        this.random = random;
    }

    /** The wait before retry number {@code failures} (1 for the first failure). */
    Duration delay(int failures) {
        long cap = max.toMillis();
        long base = initial.toMillis();
        int shift = Math.min(Math.max(failures - 1, 0), 30);
        long full = base > (cap >> shift) ? cap : Math.min(cap, base << shift);
        long half = full / 2;
        long jitter = half == 0 ? 0 : (long) (random.nextDouble() * (full - half + 1));
        return Duration.ofMillis(Math.min(full, half + jitter));
    }
}
