package com.tekst.outlook;

import java.time.Duration;

/**
 * Waits. The SDK never calls {@link Thread#sleep} directly in logic a test has to wait on: it waits through a
 * {@code Sleeper}, and the testkit's {@code FakeClock} is a {@code Sleeper} that advances fake time instead.
 */
@FunctionalInterface
public interface Sleeper {
    /** Waits for {@code duration}; returns at once for zero or negative durations. */
    void sleep(Duration duration) throws InterruptedException;

    /** Real waiting, with {@link Thread#sleep(long)}. */
    static Sleeper system() {
        return duration -> {
            if (!duration.isNegative() && !duration.isZero()) {
                Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
            }
        };
    }
}
