package com.tekst.outlook.mailbox;

import com.tekst.outlook.MailboxAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A mailbox of a connection's {@link MailboxScope}: who it is, the folders it syncs and where it stands.
 *
 * @param objectId     the mailbox owner's Entra object id (lower case): the identity the SDK uses in every request
 * @param address      the primary SMTP address
 * @param aliases      the other names it answers to (user principal name, proxy addresses)
 * @param displayName  the display name (may be empty)
 * @param type         user, shared, room…, from {@code mailboxSettings.userPurpose}
 * @param folders      the folders it syncs, at least one (the Inbox by default)
 * @param status       its status
 * @param statusDetail an operator-readable reason for the status (may be empty)
 * @param statusUntil  for {@link MailboxStatus#THROTTLED}, until when; otherwise {@code null}
 * @param addedAt      when it was added
 */
public record ScopedMailbox(String objectId, MailboxAddress address, List<MailboxAddress> aliases,
                            String displayName, MailboxType type, List<FolderRef> folders, MailboxStatus status,
                            String statusDetail, Instant statusUntil, Instant addedAt) {
    public ScopedMailbox {
        Objects.requireNonNull(objectId, "objectId");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(addedAt, "addedAt");
        aliases = List.copyOf(aliases);
        folders = List.copyOf(folders);
        displayName = displayName == null ? "" : displayName;
        statusDetail = statusDetail == null ? "" : statusDetail;
    }

    /** For {@link MailboxStatus#THROTTLED}: until when. */
    public Optional<Instant> throttledUntil() {
        return Optional.ofNullable(statusUntil);
    }
}
