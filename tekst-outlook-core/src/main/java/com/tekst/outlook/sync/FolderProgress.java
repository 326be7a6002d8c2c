package com.tekst.outlook.sync;

import com.tekst.outlook.mailbox.FolderRef;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one folder stands.
 *
 * <br>{@code folder}: the folder
 * <br>{@code roundInProgress}: whether a live round has started and not yet stored its delta link
 * <br>{@code deltaEstablished}: whether a delta link is stored (a first round completed)
 * <br>{@code lastReceivedAt}: the newest {@code receivedDateTime} of completed rounds, or {@code null}
 * <br>{@code backfill}: the folder's backfill, or {@code null} when none was started
 */
public final class FolderProgress {
    private final FolderRef folder;
    private final boolean roundInProgress;
    private final boolean deltaEstablished;
    private final Instant lastReceivedAt;
    private final BackfillProgress backfill;

    /** @throws NullPointerException for a {@code null} folder */
    public FolderProgress(FolderRef folder, boolean roundInProgress, boolean deltaEstablished, Instant lastReceivedAt, BackfillProgress backfill) {
        Objects.requireNonNull(folder, "folder");
        this.folder = folder;
        this.roundInProgress = roundInProgress;
        this.deltaEstablished = deltaEstablished;
        this.lastReceivedAt = lastReceivedAt;
        this.backfill = backfill;
    }

    public FolderRef folder() {
        return folder;
    }

    public boolean roundInProgress() {
        return roundInProgress;
    }

    public boolean deltaEstablished() {
        return deltaEstablished;
    }

    /** The newest delivered {@code receivedDateTime}, once a round completed. */
    public Optional<Instant> lastReceivedAt() {
        return Optional.ofNullable(lastReceivedAt);
    }

    /** The folder's backfill, if one was started. */
    public Optional<BackfillProgress> backfill() {
        return Optional.ofNullable(backfill);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FolderProgress o && java.util.Objects.equals(folder, o.folder) && java.util.Objects.equals(roundInProgress, o.roundInProgress) && java.util.Objects.equals(deltaEstablished, o.deltaEstablished) && java.util.Objects.equals(lastReceivedAt, o.lastReceivedAt) && java.util.Objects.equals(backfill, o.backfill);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(folder, roundInProgress, deltaEstablished, lastReceivedAt, backfill);
    }

    @Override
    public String toString() {
        return "FolderProgress[" + "folder=" + folder + ", " + "roundInProgress=" + roundInProgress + ", " + "deltaEstablished=" + deltaEstablished + ", " + "lastReceivedAt=" + lastReceivedAt + ", " + "backfill=" + backfill + "]";
    }
}
