package com.tekst.outlook.store;

import java.time.Instant;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where a backfill's listing stands, as a key rather than an offset: every message of the window received after
 * {@code upTo} has been delivered, and so have the messages received exactly at {@code upTo} whose ids are in
 * {@code deliveredAtUpTo}. The next page lists the window from {@code upTo} down ({@code le upTo} when
 * {@code inclusive}, {@code lt upTo} otherwise), newest first, skipping those ids.
 *
 * <p>Paging by key cannot skip a message that stays in the folder: deleting or moving other messages changes no
 * bound, where an offset ({@code $skip}) would shift under them.
 *
 * @param upTo            the newest {@code receivedDateTime} the next page may list
 * @param inclusive       whether messages at exactly {@code upTo} may still come
 * @param deliveredAtUpTo ids received at exactly {@code upTo} that were already delivered (sorted)
 */
public record BackfillPosition(Instant upTo, boolean inclusive, Set<String> deliveredAtUpTo) {
    /** @throws IllegalArgumentException when ids are given for an exclusive bound */
    public BackfillPosition {
        Objects.requireNonNull(upTo, "upTo");
        deliveredAtUpTo = Collections.unmodifiableSet(new TreeSet<>(deliveredAtUpTo));
        if (!inclusive && !deliveredAtUpTo.isEmpty()) {
            throw new IllegalArgumentException("an exclusive bound has no delivered ids at it");
        }
    }

    /** Before the first page: everything received before {@code until}. */
    public static BackfillPosition before(Instant until) {
        return new BackfillPosition(until, false, Set.of());
    }

    @Override
    public String toString() {
        return "BackfillPosition[" + (inclusive ? "le " : "lt ") + upTo + ", " + deliveredAtUpTo.size()
                + " delivered at the bound]";
    }
}
