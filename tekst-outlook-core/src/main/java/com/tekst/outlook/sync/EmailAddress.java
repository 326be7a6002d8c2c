package com.tekst.outlook.sync;

/**
 * A sender or recipient as Microsoft Graph reports it ({@code emailAddress.name} and {@code emailAddress.address}).
 *
 * <p>Deliberately not a {@link com.tekst.outlook.MailboxAddress}: external senders use addresses that are valid
 * mail but outside the SDK's narrow mailbox alphabet (quoted local parts, non-ASCII, X.500 paths for some internal
 * senders), and a message must never be dropped for that. Both parts are kept as received.
 *
 * @param name    the display name, empty when absent
 * @param address the address as received, empty when absent
 */
public record EmailAddress(String name, String address) {
    /** Absent parts become empty strings. */
    public EmailAddress {
        name = name == null ? "" : name;
        address = address == null ? "" : address;
    }

    /** An address without a display name. */
    public static EmailAddress of(String address) {
        return new EmailAddress("", address);
    }
}
