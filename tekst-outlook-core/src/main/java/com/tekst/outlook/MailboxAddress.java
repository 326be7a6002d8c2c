package com.tekst.outlook;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How an application names a mailbox: an SMTP address or user principal name ({@code alias@contoso.com}), or the
 * mailbox owner's Entra object id (a GUID).
 *
 * <p>Addresses are compared case-insensitively and kept in lower case. The accepted alphabet is deliberately narrower
 * than RFC 5322: characters that have a meaning in a URL ({@code / ? # % \}), white space, control characters and
 * non-ASCII characters are refused, so an address can never change the shape of a Graph request. (The HTTP layer also
 * encodes every path segment; this is the first of two fences.) An alias and the primary address of the same mailbox
 * are different {@code MailboxAddress} values; the scope guard compares resolved object ids, not these strings.
 *
 * @param value the address (lower case) or object id (lower case)
 */
public record MailboxAddress(String value) {
    /** RFC 5321 limits a forward path to 256 octets including the angle brackets. */
    public static final int MAX_LENGTH = 254;

    private static final Pattern LOCAL = Pattern.compile("[a-z0-9!&'*+=^_`{|}~-]+(\\.[a-z0-9!&'*+=^_`{|}~-]+)*");
    private static final Pattern DOMAIN = Pattern.compile(
            "([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]");

    /**
     * @throws InvalidValueException if {@code value} is neither an address nor an object id
     */
    public MailboxAddress {
        if (value == null) {
            throw new InvalidValueException("mailbox address", "must not be null");
        }
        if (value.length() > MAX_LENGTH) {
            throw new InvalidValueException("mailbox address",
                    "is " + value.length() + " characters long; at most " + MAX_LENGTH + " are allowed");
        }
        // ASCII first: lower-casing maps some non-ASCII characters to ASCII ones (KELVIN SIGN U+212A becomes 'k'),
        // which would let a name Microsoft treats as different pass as an ASCII address.
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) > 0x7e) {
                throw new InvalidValueException("mailbox address", "must be ASCII", value);
            }
        }
        String canonical = value.strip().toLowerCase(Locale.ROOT);
        if (!TenantId.isValid(canonical)) {
            int at = canonical.indexOf('@');
            if (at <= 0 || at != canonical.lastIndexOf('@') || at == canonical.length() - 1
                    || at > 64
                    || !LOCAL.matcher(canonical.substring(0, at)).matches()
                    || !DOMAIN.matcher(canonical.substring(at + 1)).matches()) {
                throw new InvalidValueException("mailbox address",
                        "must be an address like someone@contoso.com (ASCII letters, digits and . _ - + ' & = ! ~ ^)"
                                + " or a mailbox owner's object id (GUID)", value);
            }
        }
        value = canonical;
    }

    /** Parses an address or object id. */
    public static MailboxAddress of(String value) {
        return new MailboxAddress(value);
    }

    /** Whether {@code value} would be accepted by {@link #of(String)}. */
    public static boolean isValid(String value) {
        try {
            new MailboxAddress(value);
            return true;
        } catch (InvalidValueException e) {
            return false;
        }
    }

    /** Whether this names the mailbox by its owner's object id rather than by an address. */
    public boolean isObjectId() {
        return TenantId.isValid(value);
    }

    /** The domain part of an address; empty for an object id. */
    public String domain() {
        int at = value.indexOf('@');
        return at < 0 ? "" : value.substring(at + 1);
    }

    @Override
    public String toString() {
        return value;
    }
}
