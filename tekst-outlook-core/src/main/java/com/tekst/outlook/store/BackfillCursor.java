package com.tekst.outlook.store;

import java.time.Instant;
import java.util.Objects;

/**
 * Where the historical backfill of one folder stands. Backfill lists messages newest first between {@code from} and
 * {@code until} (the connection time), page by page from {@code position} down (a key, never an offset).
 *
 * @param key            the folder
 * @param from           the oldest receivedDateTime included ({@link Instant#EPOCH} for "everything")
 * @param until          the connection time: messages from then on come from live sync
 * @param position       where the next page starts ({@link BackfillPosition#before(Instant)} {@code until} before the
 *                       first page)
 * @param delivered      messages delivered so far
 * @param estimatedTotal the estimate of messages in the window, or -1 when unknown
 * @param state          running, paused, cancelled or complete
 * @param version        writes so far (0 for a cursor never written)
 * @param updatedAt      when this cursor was written
 */
public record BackfillCursor(FolderKey key, Instant from, Instant until, BackfillPosition position, long delivered,
                             long estimatedTotal, State state, long version, Instant updatedAt) {
    /** The life of a backfill. */
    public enum State {
        RUNNING, PAUSED, CANCELLED, COMPLETE;

        /** Whether no page will ever be fetched again. */
        public boolean isFinal() {
            return this == CANCELLED || this == COMPLETE;
        }
    }

    public BackfillCursor {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (!from.isBefore(until) && !from.equals(until)) {
            throw new IllegalArgumentException("from must not be after until");
        }
        if (delivered < 0 || version < 0 || estimatedTotal < -1) {
            throw new IllegalArgumentException("negative counter");
        }
    }

    /** A cursor whose first page is still to come. */
    public static BackfillCursor start(FolderKey key, Instant from, Instant until, State state, long version,
                                       Instant updatedAt) {
        return new BackfillCursor(key, from, until, BackfillPosition.before(until), 0, -1, state, version, updatedAt);
    }

    /** This cursor in another state, one version on. */
    public BackfillCursor withState(State next, Instant now) {
        return new BackfillCursor(key, from, until, position, delivered, estimatedTotal, next, version + 1, now);
    }

    @Override
    public String toString() {
        return "BackfillCursor[" + key + ", " + state + ", delivered=" + delivered + "/" + estimatedTotal
                + ", version=" + version + "]";
    }
}
