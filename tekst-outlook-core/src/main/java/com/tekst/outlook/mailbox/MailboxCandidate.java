package com.tekst.outlook.mailbox;

import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxId;
import java.util.Objects;
import java.util.Optional;

/**
 * An account found by a {@link MailboxSearch}, for the mailbox picker.
 *
 * <br>{@code mailboxId}: the Entra object id (lower case)
 * <br>{@code address}: the primary SMTP address ({@code mail}), or {@code null} when the account has none (or one
 *                          the SDK does not accept as a {@link MailboxAddress})
 * <br>{@code userPrincipalName}: the user principal name, as the directory gives it
 * <br>{@code displayName}: the display name (may be empty)
 * <br>{@code type}: from {@code mailboxSettings.userPurpose}; {@link MailboxType#UNKNOWN} unless
 *                          {@code availability} is {@link Availability#AVAILABLE}
 * <br>{@code availability}: whether the account has a mailbox the application can read the type of
 */
public final class MailboxCandidate {
    private final MailboxId mailboxId;
    private final MailboxAddress address;
    private final String userPrincipalName;
    private final String displayName;
    private final MailboxType type;
    private final Availability availability;

    /** What the SDK learned about the account's mailbox when it read its type. */
    public enum Availability {
        /** An Exchange Online mailbox; its type is known. */
        AVAILABLE,
        /** The account has no Exchange Online mailbox ({@code MailboxNotEnabledForRESTAPI}): it cannot be added. */
        NO_EXCHANGE_MAILBOX,
        /**
         * Reading its type was denied: the tenant's restriction does not include it (it could not be synced either
         * until the administrator adds it), or {@code MailboxSettings.Read} is not granted.
         */
        DENIED,
        /** Its type could not be read (throttled or a service error). */
        UNKNOWN
    }

    public MailboxCandidate(MailboxId mailboxId, MailboxAddress address, String userPrincipalName, String displayName, MailboxType type, Availability availability) {
        Objects.requireNonNull(mailboxId, "mailboxId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(availability, "availability");
        userPrincipalName = userPrincipalName == null ? "" : userPrincipalName;
        displayName = displayName == null ? "" : displayName;
        this.mailboxId = mailboxId;
        this.address = address;
        this.userPrincipalName = userPrincipalName;
        this.displayName = displayName;
        this.type = type;
        this.availability = availability;
    }

    public MailboxId mailboxId() {
        return mailboxId;
    }

    /** The primary SMTP address, when the account has one. */
    public Optional<MailboxAddress> address() {
        return Optional.ofNullable(address);
    }

    public String userPrincipalName() {
        return userPrincipalName;
    }

    public String displayName() {
        return displayName;
    }

    public MailboxType type() {
        return type;
    }

    public Availability availability() {
        return availability;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MailboxCandidate o && Objects.equals(mailboxId, o.mailboxId) && Objects.equals(address, o.address) && Objects.equals(userPrincipalName, o.userPrincipalName) && Objects.equals(displayName, o.displayName) && Objects.equals(type, o.type) && Objects.equals(availability, o.availability);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mailboxId, address, userPrincipalName, displayName, type, availability);
    }

    @Override
    public String toString() {
        return "MailboxCandidate[" + "mailboxId=" + mailboxId + ", " + "address=" + address + ", " + "userPrincipalName=" + userPrincipalName + ", " + "displayName=" + displayName + ", " + "type=" + type + ", " + "availability=" + availability + "]";
    }

    /** Whether a picker should offer it: not known to lack a mailbox. */
    public boolean isSelectable() {
        return availability != Availability.NO_EXCHANGE_MAILBOX;
    }
}
