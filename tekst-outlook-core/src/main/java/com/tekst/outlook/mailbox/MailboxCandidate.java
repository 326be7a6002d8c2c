package com.tekst.outlook.mailbox;

import com.tekst.outlook.MailboxAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * An account found by a {@link MailboxSearch}, for the mailbox picker.
 *
 * @param objectId          the Entra object id (lower case)
 * @param address           the primary SMTP address ({@code mail}), or {@code null} when the account has none (or one
 *                          the SDK does not accept as a {@link MailboxAddress}); see {@link #mail()}
 * @param userPrincipalName the user principal name, as the directory gives it
 * @param displayName       the display name (may be empty)
 * @param type              from {@code mailboxSettings.userPurpose}; {@link MailboxType#UNKNOWN} unless
 *                          {@code availability} is {@link Availability#AVAILABLE}
 * @param availability      whether the account has a mailbox the application can read the type of
 */
public record MailboxCandidate(String objectId, MailboxAddress address, String userPrincipalName,
                               String displayName, MailboxType type, Availability availability) {
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

    public MailboxCandidate {
        Objects.requireNonNull(objectId, "objectId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(availability, "availability");
        userPrincipalName = userPrincipalName == null ? "" : userPrincipalName;
        displayName = displayName == null ? "" : displayName;
    }

    /** The primary SMTP address, when the account has one. */
    public Optional<MailboxAddress> mail() {
        return Optional.ofNullable(address);
    }

    /** Whether a picker should offer it: not known to lack a mailbox. */
    public boolean isSelectable() {
        return availability != Availability.NO_EXCHANGE_MAILBOX;
    }
}
