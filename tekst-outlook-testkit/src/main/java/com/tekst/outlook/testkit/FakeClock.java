package com.tekst.outlook.testkit;

import com.tekst.outlook.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that only moves when told to, shared by the fake cloud and the code under test: token expiry,
 * {@code Retry-After}, delta-token age and consent timing all follow it. It is also a {@link Sleeper} whose
 * {@code sleep} advances the clock instead of waiting, so code that waits through a {@code Sleeper} runs instantly.
 *
 * <p>Thread-safe. Time never goes backwards.
 */
public final class FakeClock extends Clock implements Sleeper {
    /** The instant a new clock starts at unless told otherwise: 2026-01-05T09:00:00Z (a Monday morning). */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-05T09:00:00Z");

    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    private FakeClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /** A clock at {@link #DEFAULT_START}. */
    public FakeClock() {
        this(DEFAULT_START);
    }

    /** A clock at {@code start}, in UTC. */
    public FakeClock(Instant start) {
        this(new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** A view of this clock in another zone; advancing either advances both. */
    @Override
    public Clock withZone(ZoneId newZone) {
        return new FakeClock(now, newZone);
    }

    /** Moves time forward by {@code duration} and returns the new instant. */
    public Instant advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time never goes backwards: " + duration);
        }
        return now.updateAndGet(t -> t.plus(duration));
    }

    /** Moves time forward to {@code instant}; an earlier instant leaves the clock where it is. */
    public Instant advanceTo(Instant instant) {
        Objects.requireNonNull(instant, "instant");
        return now.updateAndGet(t -> instant.isAfter(t) ? instant : t);
    }

    /** Advances the clock by {@code duration} instead of waiting. */
    @Override
    public void sleep(Duration duration) {
        if (!duration.isNegative() && !duration.isZero()) {
            advance(duration);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FakeClock other && other.now == now && other.zone.equals(zone);
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(now) * 31 + zone.hashCode();
    }

    @Override
    public String toString() {
        return "FakeClock[" + now.get() + ", " + zone + "]";
    }
}
