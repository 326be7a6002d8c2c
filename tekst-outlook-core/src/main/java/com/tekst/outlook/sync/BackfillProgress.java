package com.tekst.outlook.sync;

import com.tekst.outlook.store.BackfillCursor;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Where one folder's backfill stands.
 *
 * @param state          running, paused, cancelled or complete
 * @param from           the oldest {@code receivedDateTime} included
 * @param until          the connection time (excluded)
 * @param delivered      messages delivered and acknowledged so far
 * @param estimatedTotal the estimate from the folder's item count, or -1 while unknown
 */
public record BackfillProgress(BackfillCursor.State state, Instant from, Instant until, long delivered,
                               long estimatedTotal) {
    /** @throws NullPointerException for a {@code null} state or bound */
    public BackfillProgress {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(until, "until");
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
}
