package com.tekst.outlook.sync;

import java.util.Optional;
import java.time.Instant;
import java.util.Objects;

/**
 * A range of {@code receivedDateTime}: from a lower bound ({@code ge}, or {@code gt} when exclusive) up to an upper
 * bound ({@code le}, or {@code lt} when exclusive), or with no upper bound. Graph's {@code $filter} on messages takes
 * exactly these comparisons.
 *
 * <br>{@code from}: the lower bound
 * <br>{@code fromInclusive}: {@code ge} when true, {@code gt} when false
 * <br>{@code upTo}: the upper bound, or {@code null} for none
 * <br>{@code upToInclusive}: {@code le} when true, {@code lt} when false (ignored without an upper bound)
 */
public final class ReceivedRange {
    private final Instant from;
    private final boolean fromInclusive;
    private final Instant upTo;
    private final boolean upToInclusive;

    /** @throws IllegalArgumentException when the upper bound is before the lower one */
    public ReceivedRange(Instant from, boolean fromInclusive, Instant upTo, boolean upToInclusive) {
        Objects.requireNonNull(from, "from");
        if (upTo != null && upTo.isBefore(from)) {
            throw new IllegalArgumentException("the upper bound must not be before the lower bound");
        }
        if (upTo == null) {
            upToInclusive = false;
        }
        this.from = from;
        this.fromInclusive = fromInclusive;
        this.upTo = upTo;
        this.upToInclusive = upToInclusive;
    }

    public Instant from() {
        return from;
    }

    public boolean fromInclusive() {
        return fromInclusive;
    }

    public Optional<Instant> upTo() {
        return Optional.ofNullable(upTo);
    }

    public boolean upToInclusive() {
        return upToInclusive;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ReceivedRange o && Objects.equals(from, o.from) && Objects.equals(fromInclusive, o.fromInclusive) && Objects.equals(upTo, o.upTo) && Objects.equals(upToInclusive, o.upToInclusive);
    }

    @Override
    public int hashCode() {
        return Objects.hash(from, fromInclusive, upTo, upToInclusive);
    }

    /** {@code ge from}, no upper bound. */
    public static ReceivedRange since(Instant from) {
        return new ReceivedRange(from, true, null, false);
    }

    /** Whether {@code instant} lies in the range. */
    public boolean contains(Instant instant) {
        int low = instant.compareTo(from);
        if (low < 0 || (low == 0 && !fromInclusive)) {
            return false;
        }
        if (upTo == null) {
            return true;
        }
        int high = instant.compareTo(upTo);
        return high < 0 || (high == 0 && upToInclusive);
    }

    @Override
    public String toString() {
        return (fromInclusive ? "ge " : "gt ") + from + (upTo == null ? "" : (upToInclusive ? " le " : " lt ") + upTo);
    }
}
