package com.tekst.outlook.store;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.mailbox.FolderRef;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.mailbox.MailboxType;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One mailbox of a connection, as stored.
 *
 * @param connection   the connection
 * @param mailboxId    the mailbox owner's Entra object id (canonical, lower case): the identity the scope guard uses
 * @param address      the primary SMTP address
 * @param displayName  the display name (may be empty)
 * @param type         user, shared, room…
 * @param folders      the folders to sync, at least one
 * @param status       the mailbox status
 * @param statusUntil  for {@link MailboxStatus#THROTTLED}: until when; otherwise {@code null}
 * @param statusDetail an operator-readable reason for the status (may be empty)
 * @param addedAt      when it was added to the connection
 */
public record MailboxRecord(ConnectionId connection, String mailboxId, MailboxAddress address, String displayName,
                            MailboxType type, List<FolderRef> folders, MailboxStatus status, Instant statusUntil,
                            String statusDetail, Instant addedAt) {
    public MailboxRecord {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(mailboxId, "mailboxId");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(addedAt, "addedAt");
        displayName = displayName == null ? "" : displayName;
        statusDetail = statusDetail == null ? "" : statusDetail;
        folders = List.copyOf(folders);
        if (folders.isEmpty()) {
            throw new IllegalArgumentException("a mailbox syncs at least one folder");
        }
        if (!com.tekst.outlook.TenantId.isValid(mailboxId) || !mailboxId.equals(mailboxId.toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("mailboxId must be a lower-case object id (GUID)");
        }
    }

    public Optional<Instant> throttledUntil() {
        return Optional.ofNullable(statusUntil);
    }

    public MailboxRecord withStatus(MailboxStatus newStatus, Instant until, String detail) {
        return new MailboxRecord(connection, mailboxId, address, displayName, type, folders, newStatus, until, detail,
                addedAt);
    }

    public MailboxRecord withFolders(List<FolderRef> newFolders) {
        return new MailboxRecord(connection, mailboxId, address, displayName, type, newFolders, status, statusUntil,
                statusDetail, addedAt);
    }
}
