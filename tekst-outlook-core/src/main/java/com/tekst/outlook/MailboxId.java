package com.tekst.outlook;

/**
 * A mailbox's identity: the Entra object id of the user object that owns it (user, shared and room mailboxes alike),
 * a GUID in canonical lower case.
 *
 * <p>Addresses change hands (a departed employee's address is reassigned, an alias moves to another mailbox); the
 * object id does not. The scope guard, the engine, the store and every listener event name a mailbox by this id; the
 * {@link MailboxAddress} travels beside it where a person reads it.
 *
 * @param value the GUID, lower case, 36 characters with hyphens
 */
public record MailboxId(String value) implements Comparable<MailboxId> {
    /**
     * @throws InvalidValueException if {@code value} is not a GUID (any case; it is kept lower case)
     */
    public MailboxId {
        if (value == null) {
            throw new InvalidValueException("mailbox id", "must not be null");
        }
        String canonical = Guids.canonical(value);
        if (canonical == null) {
            throw new InvalidValueException("mailbox id",
                    "must be the mailbox owner's object id, a GUID like 2b1b6e2c-5b3c-4b9e-8f5e-6a1d2c3b4a59", value);
        }
        value = canonical;
    }

    /** Parses a mailbox id, accepting any case and surrounding white space. */
    public static MailboxId of(String value) {
        return new MailboxId(value);
    }

    /** Whether {@code value} is a well-formed mailbox id. */
    public static boolean isValid(String value) {
        return Guids.canonical(value) != null;
    }

    /** Orders by the id's text. */
    @Override
    public int compareTo(MailboxId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
