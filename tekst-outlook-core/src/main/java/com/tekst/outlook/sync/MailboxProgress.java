package com.tekst.outlook.sync;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.mailbox.MailboxStatus;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one mailbox stands, with its folders.
 *
 * <br>{@code connection}: the connection
 * <br>{@code mailboxId}: the mailbox owner's object id
 * <br>{@code address}: the primary address
 * <br>{@code status}: the mailbox status
 * <br>{@code throttledUntil}: while calls are fenced (by a mailbox or an application throttle), until when; else
 *                       {@code null}
 * <br>{@code statusDetail}: an operator-readable reason for the status (may be empty)
 * <br>{@code folders}: the synced folders
 */
public final class MailboxProgress {
    private final ConnectionId connection;
    private final MailboxId mailboxId;
    private final MailboxAddress address;
    private final MailboxStatus status;
    private final Instant throttledUntil;
    private final String statusDetail;
    private final List<FolderProgress> folders;

    /** @throws NullPointerException for a {@code null} required component */
    public MailboxProgress(ConnectionId connection, MailboxId mailboxId, MailboxAddress address, MailboxStatus status, Instant throttledUntil, String statusDetail, List<FolderProgress> folders) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(mailboxId, "mailboxId");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(status, "status");
        statusDetail = statusDetail == null ? "" : statusDetail;
        folders = List.copyOf(folders);
        this.connection = connection;
        this.mailboxId = mailboxId;
        this.address = address;
        this.status = status;
        this.throttledUntil = throttledUntil;
        this.statusDetail = statusDetail;
        this.folders = folders;
    }

    public ConnectionId connection() {
        return connection;
    }

    public MailboxId mailboxId() {
        return mailboxId;
    }

    public MailboxAddress address() {
        return address;
    }

    public MailboxStatus status() {
        return status;
    }

    /** Until when calls are fenced (by a mailbox or an application throttle), while they are. */
    public Optional<Instant> throttledUntil() {
        return Optional.ofNullable(throttledUntil);
    }

    public String statusDetail() {
        return statusDetail;
    }

    public List<FolderProgress> folders() {
        return folders;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MailboxProgress o && java.util.Objects.equals(connection, o.connection) && java.util.Objects.equals(mailboxId, o.mailboxId) && java.util.Objects.equals(address, o.address) && java.util.Objects.equals(status, o.status) && java.util.Objects.equals(throttledUntil, o.throttledUntil) && java.util.Objects.equals(statusDetail, o.statusDetail) && java.util.Objects.equals(folders, o.folders);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(connection, mailboxId, address, status, throttledUntil, statusDetail, folders);
    }

    @Override
    public String toString() {
        return "MailboxProgress[" + "connection=" + connection + ", " + "mailboxId=" + mailboxId + ", " + "address=" + address + ", " + "status=" + status + ", " + "throttledUntil=" + throttledUntil + ", " + "statusDetail=" + statusDetail + ", " + "folders=" + folders + "]";
    }
}
