package com.tekst.outlook.sync;

import com.tekst.outlook.store.BackfillCursor;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/** Where one folder's backfill stands. */
public final class BackfillProgress {
    private final BackfillCursor.State state;
    private final Instant from;
    private final Instant until;
    private final long delivered;
    private final long estimatedTotal;

    /**
     * @param state          running, paused, cancelled or complete
     * @param from           the oldest {@code receivedDateTime} included
     * @param until          the connection time (excluded)
     * @param delivered      messages delivered and acknowledged so far
     * @param estimatedTotal the estimate from the folder's item count; empty while unknown
     * @throws NullPointerException for a {@code null} argument
     * @throws IllegalArgumentException for a negative count
     */
    public BackfillProgress(BackfillCursor.State state, Instant from, Instant until, long delivered,
                            OptionalLong estimatedTotal) {
        this.state = Objects.requireNonNull(state, "state");
        this.from = Objects.requireNonNull(from, "from");
        this.until = Objects.requireNonNull(until, "until");
        Objects.requireNonNull(estimatedTotal, "estimatedTotal");
        if (delivered < 0 || estimatedTotal.orElse(0) < 0) {
            throw new IllegalArgumentException("backfill counts are never negative");
        }
        this.delivered = delivered;
        this.estimatedTotal = estimatedTotal.orElse(-1);
    }

    /** Running, paused, cancelled or complete. */
    public BackfillCursor.State state() {
        return state;
    }

    /** The oldest {@code receivedDateTime} included. */
    public Instant from() {
        return from;
    }

    /** The connection time (excluded). */
    public Instant until() {
        return until;
    }

    /** Messages delivered and acknowledged so far. */
    public long delivered() {
        return delivered;
    }

    /** The estimate from the folder's item count; empty while unknown. */
    public OptionalLong estimatedTotal() {
        return estimatedTotal < 0 ? OptionalLong.empty() : OptionalLong.of(estimatedTotal);
    }

    /** Done as a fraction 0..1: 1 when complete, empty while the estimate is unknown. Never decreases. */
    public OptionalDouble fraction() {
        if (state == BackfillCursor.State.COMPLETE) {
            return OptionalDouble.of(1.0);
        }
        if (estimatedTotal <= 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(Math.min(1.0, (double) delivered / estimatedTotal));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BackfillProgress o && state == o.state && from.equals(o.from) && until.equals(o.until)
                && delivered == o.delivered && estimatedTotal == o.estimatedTotal;
    }

    @Override
    public int hashCode() {
        return Objects.hash(state, from, until, delivered, estimatedTotal);
    }

    @Override
    public String toString() {
        return "BackfillProgress[" + state + ", " + from + ".." + until + ", delivered=" + delivered
                + (estimatedTotal < 0 ? "" : " of ~" + estimatedTotal) + "]";
    }
}
