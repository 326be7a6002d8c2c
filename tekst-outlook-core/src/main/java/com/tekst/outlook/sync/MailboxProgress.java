package com.tekst.outlook.sync;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.mailbox.MailboxStatus;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one mailbox stands, with its folders.
 *
 * @param connection     the connection
 * @param mailboxId      the mailbox owner's object id
 * @param address        the primary address
 * @param status         the mailbox status
 * @param throttledUntil while calls are fenced (by a mailbox or an application throttle), until when; else
 *                       {@code null}
 * @param statusDetail   an operator-readable reason for the status (may be empty)
 * @param folders        the synced folders
 */
public record MailboxProgress(ConnectionId connection, String mailboxId, MailboxAddress address, MailboxStatus status,
                              Instant throttledUntil, String statusDetail, List<FolderProgress> folders) {
    /** @throws NullPointerException for a {@code null} required component */
    public MailboxProgress {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(mailboxId, "mailboxId");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(status, "status");
        statusDetail = statusDetail == null ? "" : statusDetail;
        folders = List.copyOf(folders);
    }

    /** Until when calls are fenced, while they are. */
    public Optional<Instant> throttled() {
        return Optional.ofNullable(throttledUntil);
    }
}
