package com.tekst.outlook.sync;

import com.tekst.outlook.mailbox.FolderRef;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one folder stands.
 *
 * @param folder           the folder
 * @param roundInProgress  whether a live round has started and not yet stored its delta link
 * @param deltaEstablished whether a delta link is stored (a first round completed)
 * @param lastReceivedAt   the newest {@code receivedDateTime} of completed rounds, or {@code null}
 * @param backfill         the folder's backfill, or {@code null} when none was started
 */
public record FolderProgress(FolderRef folder, boolean roundInProgress, boolean deltaEstablished,
                             Instant lastReceivedAt, BackfillProgress backfill) {
    /** @throws NullPointerException for a {@code null} folder */
    public FolderProgress {
        Objects.requireNonNull(folder, "folder");
    }

    /** The newest delivered {@code receivedDateTime}, once a round completed. */
    public Optional<Instant> lastReceived() {
        return Optional.ofNullable(lastReceivedAt);
    }

    /** The folder's backfill, if one was started. */
    public Optional<BackfillProgress> backfillProgress() {
        return Optional.ofNullable(backfill);
    }
}
