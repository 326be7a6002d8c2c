package com.tekst.outlook.sync;

import java.time.Instant;
import java.util.Objects;

/**
 * A range of {@code receivedDateTime}: from a lower bound ({@code ge}, or {@code gt} when exclusive) up to an upper
 * bound ({@code le}, or {@code lt} when exclusive), or with no upper bound. Graph's {@code $filter} on messages takes
 * exactly these comparisons.
 *
 * @param from          the lower bound
 * @param fromInclusive {@code ge} when true, {@code gt} when false
 * @param upTo          the upper bound, or {@code null} for none
 * @param upToInclusive {@code le} when true, {@code lt} when false (ignored without an upper bound)
 */
public record ReceivedRange(Instant from, boolean fromInclusive, Instant upTo, boolean upToInclusive) {
    /** @throws IllegalArgumentException when the upper bound is before the lower one */
    public ReceivedRange {
        Objects.requireNonNull(from, "from");
        if (upTo != null && upTo.isBefore(from)) {
            throw new IllegalArgumentException("the upper bound must not be before the lower bound");
        }
        if (upTo == null) {
            upToInclusive = false;
        }
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
