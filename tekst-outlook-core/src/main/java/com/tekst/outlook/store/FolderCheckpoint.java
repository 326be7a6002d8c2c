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
 * <br>{@code key}: the folder
 * <br>{@code deltaLink}: the delta link of the last complete round, or {@code null} before the first one
 * <br>{@code nextLink}: the next page of the current round, or {@code null} between rounds
 * <br>{@code lastReceivedAt}: the newest {@code receivedDateTime} delivered so far, or {@code null}
 * <br>{@code reconciledAt}: when the last reconciliation of the folder's synced messages against Graph started (that pass
 *                       completed); {@link Instant#EPOCH} when one is due at once (after a delta reset), {@code null}
 *                       before the first round completed
 * <br>{@code version}: writes so far (0 for a folder never written)
 * <br>{@code updatedAt}: when this checkpoint was written
 */
public final class FolderCheckpoint {
    private final FolderKey key;
    private final String deltaLink;
    private final String nextLink;
    private final Instant lastReceivedAt;
    private final Instant reconciledAt;
    private final long version;
    private final Instant updatedAt;

    public FolderCheckpoint(FolderKey key, String deltaLink, String nextLink, Instant lastReceivedAt, Instant reconciledAt, long version, Instant updatedAt) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (version < 0) {
            throw new IllegalArgumentException("version must not be negative");
        }
        this.key = key;
        this.deltaLink = deltaLink;
        this.nextLink = nextLink;
        this.lastReceivedAt = lastReceivedAt;
        this.reconciledAt = reconciledAt;
        this.version = version;
        this.updatedAt = updatedAt;
    }

    public FolderKey key() {
        return key;
    }

    public Optional<String> deltaLink() {
        return Optional.ofNullable(deltaLink);
    }

    public Optional<String> nextLink() {
        return Optional.ofNullable(nextLink);
    }

    public Optional<Instant> lastReceivedAt() {
        return Optional.ofNullable(lastReceivedAt);
    }

    public Optional<Instant> reconciledAt() {
        return Optional.ofNullable(reconciledAt);
    }

    public long version() {
        return version;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FolderCheckpoint o && Objects.equals(key, o.key) && Objects.equals(deltaLink, o.deltaLink) && Objects.equals(nextLink, o.nextLink) && Objects.equals(lastReceivedAt, o.lastReceivedAt) && Objects.equals(reconciledAt, o.reconciledAt) && Objects.equals(version, o.version) && Objects.equals(updatedAt, o.updatedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, deltaLink, nextLink, lastReceivedAt, reconciledAt, version, updatedAt);
    }

    /** The checkpoint of a folder that never synced. */
    public static FolderCheckpoint initial(FolderKey key, Instant now) {
        return new FolderCheckpoint(key, null, null, null, null, 0, now);
    }

    @Override
    public String toString() {
        return "FolderCheckpoint[" + key + ", version=" + version + ", inRound=" + (nextLink != null)
                + ", hasDelta=" + (deltaLink != null) + ", lastReceivedAt=" + lastReceivedAt + ", reconciledAt="
                + reconciledAt + "]";
    }
}
