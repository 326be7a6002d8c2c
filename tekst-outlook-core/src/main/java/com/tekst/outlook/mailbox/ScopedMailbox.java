package com.tekst.outlook.mailbox;

import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A mailbox of a connection's {@link MailboxScope}: who it is, the folders it syncs and where it stands.
 *
 * <br>{@code mailboxId}: the mailbox owner's Entra object id (lower case): the identity the SDK uses in every request
 * <br>{@code address}: the primary SMTP address
 * <br>{@code aliases}: the other names it answers to (user principal name, proxy addresses)
 * <br>{@code displayName}: the display name (may be empty)
 * <br>{@code type}: user, shared, room…, from {@code mailboxSettings.userPurpose}
 * <br>{@code folders}: the folders it syncs, at least one (the Inbox by default)
 * <br>{@code status}: its status
 * <br>{@code statusDetail}: an operator-readable reason for the status (may be empty)
 * <br>{@code throttledUntil}: for {@link MailboxStatus#THROTTLED}, until when; otherwise {@code null}
 * <br>{@code addedAt}: when it was added
 */
public final class ScopedMailbox {
    private final MailboxId mailboxId;
    private final MailboxAddress address;
    private final List<MailboxAddress> aliases;
    private final String displayName;
    private final MailboxType type;
    private final List<FolderRef> folders;
    private final MailboxStatus status;
    private final String statusDetail;
    private final Instant statusUntil;
    private final Instant addedAt;

    public ScopedMailbox(MailboxId mailboxId, MailboxAddress address, List<MailboxAddress> aliases, String displayName, MailboxType type, List<FolderRef> folders, MailboxStatus status, String statusDetail, Instant statusUntil, Instant addedAt) {
        Objects.requireNonNull(mailboxId, "mailboxId");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(addedAt, "addedAt");
        aliases = List.copyOf(aliases);
        folders = List.copyOf(folders);
        displayName = displayName == null ? "" : displayName;
        statusDetail = statusDetail == null ? "" : statusDetail;
        this.mailboxId = mailboxId;
        this.address = address;
        this.aliases = aliases;
        this.displayName = displayName;
        this.type = type;
        this.folders = folders;
        this.status = status;
        this.statusDetail = statusDetail;
        this.statusUntil = statusUntil;
        this.addedAt = addedAt;
    }

    public MailboxId mailboxId() {
        return mailboxId;
    }

    public MailboxAddress address() {
        return address;
    }

    public List<MailboxAddress> aliases() {
        return aliases;
    }

    public String displayName() {
        return displayName;
    }

    public MailboxType type() {
        return type;
    }

    public List<FolderRef> folders() {
        return folders;
    }

    public MailboxStatus status() {
        return status;
    }

    public String statusDetail() {
        return statusDetail;
    }

    /** For {@link MailboxStatus#THROTTLED}: until when. */
    public Optional<Instant> throttledUntil() {
        return Optional.ofNullable(statusUntil);
    }

    public Instant addedAt() {
        return addedAt;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ScopedMailbox o && Objects.equals(mailboxId, o.mailboxId) && Objects.equals(address, o.address) && Objects.equals(aliases, o.aliases) && Objects.equals(displayName, o.displayName) && Objects.equals(type, o.type) && Objects.equals(folders, o.folders) && Objects.equals(status, o.status) && Objects.equals(statusDetail, o.statusDetail) && Objects.equals(statusUntil, o.statusUntil) && Objects.equals(addedAt, o.addedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mailboxId, address, aliases, displayName, type, folders, status, statusDetail, statusUntil, addedAt);
    }

    @Override
    public String toString() {
        return "ScopedMailbox[" + "mailboxId=" + mailboxId + ", " + "address=" + address + ", " + "aliases=" + aliases + ", " + "displayName=" + displayName + ", " + "type=" + type + ", " + "folders=" + folders + ", " + "status=" + status + ", " + "statusDetail=" + statusDetail + ", " + "statusUntil=" + statusUntil + ", " + "addedAt=" + addedAt + "]";
    }

}
