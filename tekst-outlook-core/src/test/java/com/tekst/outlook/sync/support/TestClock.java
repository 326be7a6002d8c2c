package com.tekst.outlook.sync.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that moves only when a test advances it (core cannot use the testkit's FakeClock). Thread-safe. */
public final class TestClock extends Clock {
    private final AtomicReference<Instant> now;

    public TestClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }

    public Instant advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("time never goes backwards");
        }
        return now.updateAndGet(t -> t.plus(d));
    }

    public Instant advanceTo(Instant target) {
        return now.updateAndGet(t -> target.isAfter(t) ? target : t);
    }
}
