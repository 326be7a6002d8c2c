package com.tekst.outlook.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where live (delta) sync of one folder stands.
 *
 * <p>{@code deltaLink} is written only when every page of a round was acknowledged; {@code nextLink} records progress
 * inside a round so a restart resumes at the first unacknowledged page. {@code version} increases by one with every write
 * (every acknowledged page, every reset): a store accepts a new checkpoint only from the version it replaces, so a
 * page is never acknowledged twice.
 *
 * @param key            the folder
 * @param deltaLink      the delta link of the last complete round, or {@code null} before the first one
 * @param nextLink       the next page of the current round, or {@code null} between rounds
 * @param lastReceivedAt the newest {@code receivedDateTime} delivered so far, or {@code null}
 * @param reconciledAt   when the last reconciliation of the folder's synced messages against Graph started (that pass
 *                       completed); {@link Instant#EPOCH} when one is due at once (after a delta reset), {@code null}
 *                       before the first round completed
 * @param version        writes so far (0 for a folder never written)
 * @param updatedAt      when this checkpoint was written
 */
public record FolderCheckpoint(FolderKey key, String deltaLink, String nextLink, Instant lastReceivedAt,
                               Instant reconciledAt, long version,
                               Instant updatedAt) {
    public FolderCheckpoint {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (version < 0) {
            throw new IllegalArgumentException("version must not be negative");
        }
    }

    /** The checkpoint of a folder that never synced. */
    public static FolderCheckpoint initial(FolderKey key, Instant now) {
        return new FolderCheckpoint(key, null, null, null, null, 0, now);
    }

    public Optional<String> delta() {
        return Optional.ofNullable(deltaLink);
    }

    public Optional<String> next() {
        return Optional.ofNullable(nextLink);
    }

    public Optional<Instant> lastReceived() {
        return Optional.ofNullable(lastReceivedAt);
    }

    @Override
    public String toString() {
        return "FolderCheckpoint[" + key + ", version=" + version + ", inRound=" + (nextLink != null)
                + ", hasDelta=" + (deltaLink != null) + ", lastReceivedAt=" + lastReceivedAt + ", reconciledAt="
                + reconciledAt + "]";
    }
}
