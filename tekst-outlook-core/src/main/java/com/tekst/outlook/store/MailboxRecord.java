package com.tekst.outlook.store;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.mailbox.FolderRef;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.mailbox.MailboxType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One mailbox of a connection, as stored.
 *
 * <p>A mailbox answers to its object id, its primary address and its {@link #aliases()}: the SDK's scope guard
 * resolves a name used in a request to the object id through these names, from the store, without a network call.
 *
 * <br>{@code connection}: the connection
 * <br>{@code mailboxId}: the mailbox owner's Entra object id (canonical, lower case): the identity the scope guard uses
 * <br>{@code address}: the primary SMTP address
 * <br>{@code displayName}: the display name (may be empty)
 * <br>{@code type}: user, shared, room…
 * <br>{@code folders}: the folders to sync, at least one
 * <br>{@code status}: the mailbox status
 * <br>{@code throttledUntil}: for {@link MailboxStatus#THROTTLED}: until when; otherwise {@code null}
 * <br>{@code statusDetail}: an operator-readable reason for the status (may be empty)
 * <br>{@code addedAt}: when it was added to the connection
 * <br>{@code aliases}: the other names the mailbox answers to: its user principal name when it differs from the
 *                     address, and its secondary SMTP (proxy) addresses; stored distinct, sorted, without the primary
 *                     address and without object ids; at most {@value #MAX_ALIASES}
 */
public final class MailboxRecord {
    private final ConnectionId connection;
    private final MailboxId mailboxId;
    private final MailboxAddress address;
    private final String displayName;
    private final MailboxType type;
    private final List<FolderRef> folders;
    private final MailboxStatus status;
    private final Instant statusUntil;
    private final String statusDetail;
    private final Instant addedAt;
    private final List<MailboxAddress> aliases;

    /** The most aliases a record keeps (Exchange allows about 400 proxy addresses per recipient). */
    public static final int MAX_ALIASES = 1000;

    public MailboxRecord(ConnectionId connection, MailboxId mailboxId, MailboxAddress address, String displayName, MailboxType type, List<FolderRef> folders, MailboxStatus status, Instant statusUntil, String statusDetail, Instant addedAt, List<MailboxAddress> aliases) {
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
        aliases = normalize(address, aliases == null ? List.of() : aliases);
        this.connection = connection;
        this.mailboxId = mailboxId;
        this.address = address;
        this.displayName = displayName;
        this.type = type;
        this.folders = folders;
        this.status = status;
        this.statusUntil = statusUntil;
        this.statusDetail = statusDetail;
        this.addedAt = addedAt;
        this.aliases = aliases;
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

    public Optional<Instant> throttledUntil() {
        return Optional.ofNullable(statusUntil);
    }

    public String statusDetail() {
        return statusDetail;
    }

    public Instant addedAt() {
        return addedAt;
    }

    public List<MailboxAddress> aliases() {
        return aliases;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MailboxRecord o && Objects.equals(connection, o.connection) && Objects.equals(mailboxId, o.mailboxId) && Objects.equals(address, o.address) && Objects.equals(displayName, o.displayName) && Objects.equals(type, o.type) && Objects.equals(folders, o.folders) && Objects.equals(status, o.status) && Objects.equals(statusUntil, o.statusUntil) && Objects.equals(statusDetail, o.statusDetail) && Objects.equals(addedAt, o.addedAt) && Objects.equals(aliases, o.aliases);
    }

    @Override
    public int hashCode() {
        return Objects.hash(connection, mailboxId, address, displayName, type, folders, status, statusUntil, statusDetail, addedAt, aliases);
    }

    @Override
    public String toString() {
        return "MailboxRecord[" + "connection=" + connection + ", " + "mailboxId=" + mailboxId + ", " + "address=" + address + ", " + "displayName=" + displayName + ", " + "type=" + type + ", " + "folders=" + folders + ", " + "status=" + status + ", " + "statusUntil=" + statusUntil + ", " + "statusDetail=" + statusDetail + ", " + "addedAt=" + addedAt + ", " + "aliases=" + aliases + "]";
    }

    /** A record without aliases (the mailbox answers to its object id and primary address only). */
    public MailboxRecord(ConnectionId connection, MailboxId mailboxId, MailboxAddress address, String displayName,
                         MailboxType type, List<FolderRef> folders, MailboxStatus status, Instant statusUntil,
                         String statusDetail, Instant addedAt) {
        this(connection, mailboxId, address, displayName, type, folders, status, statusUntil, statusDetail, addedAt,
                List.of());
    }

    private static List<MailboxAddress> normalize(MailboxAddress address, List<MailboxAddress> aliases) {
        Set<MailboxAddress> distinct = new LinkedHashSet<>();
        for (MailboxAddress alias : aliases) {
            Objects.requireNonNull(alias, "alias");
            if (alias.isObjectId()) {
                throw new IllegalArgumentException("an alias is an address, not an object id");
            }
            if (!alias.equals(address)) {
                distinct.add(alias);
            }
        }
        if (distinct.size() > MAX_ALIASES) {
            throw new IllegalArgumentException("a mailbox keeps at most " + MAX_ALIASES + " aliases");
        }
        List<MailboxAddress> sorted = new ArrayList<>(distinct);
        sorted.sort(Comparator.comparing(MailboxAddress::value));
        return List.copyOf(sorted);
    }

    /** Whether {@code name} is this mailbox's object id, primary address or one of its aliases (any case). */
    public boolean answersTo(MailboxAddress name) {
        Objects.requireNonNull(name, "name");
        if (name.isObjectId()) {
            return name.value().equals(mailboxId.value());
        }
        return name.equals(address) || aliases.contains(name);
    }

    public MailboxRecord withStatus(MailboxStatus newStatus, Instant until, String detail) {
        return new MailboxRecord(connection, mailboxId, address, displayName, type, folders, newStatus, until, detail,
                addedAt, aliases);
    }

    public MailboxRecord withFolders(List<FolderRef> newFolders) {
        return new MailboxRecord(connection, mailboxId, address, displayName, type, newFolders, status, statusUntil,
                statusDetail, addedAt, aliases);
    }

    public MailboxRecord withAliases(List<MailboxAddress> newAliases) {
        return new MailboxRecord(connection, mailboxId, address, displayName, type, folders, status, statusUntil,
                statusDetail, addedAt, newAliases);
    }
}
