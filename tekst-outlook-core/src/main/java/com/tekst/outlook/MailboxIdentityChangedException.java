package com.tekst.outlook;

import java.util.Objects;

/**
 * A request addressed an in-scope mailbox by a name (address, user principal name, alias) that no longer belongs to
 * that mailbox: the directory resolves the name to another object, or to none. The SDK pins every mailbox of the scope
 * to its stored object id, so the request was not sent, and nothing reached the name's new owner. The mailbox's status
 * becomes {@link com.tekst.outlook.mailbox.MailboxStatus#MAILBOX_IDENTITY_CHANGED} for an operator to decide.
 *
 * <p>{@link #details()} carries the tenant, the connection and the mailbox as addressed (the name); {@link #mailboxId()}
 * the in-scope mailbox's stored object id; {@link #change()} what the directory answered.
 */
public class MailboxIdentityChangedException extends MailboxOutOfScopeException {
    /** What the directory answered for the name. */
    public enum Change {
        /** The name belongs to another directory object now (a new hire got the address, an alias moved). */
        REASSIGNED,
        /** No directory object answers to the name any more (the user was deleted, the alias removed). */
        UNASSIGNED
    }

    private final MailboxId mailboxId;
    private final Change change;

    /**
     * @param change    what the directory answered for the name
     * @param mailboxId the in-scope mailbox's stored object id (the identity the name was pinned to)
     * @param summary   what happened, without secrets or message content
     * @param details   tenant, connection, the mailbox as addressed
     */
    public MailboxIdentityChangedException(Change change, MailboxId mailboxId, String summary, ErrorDetails details) {
        super(summary, details);
        this.change = Objects.requireNonNull(change, "change");
        this.mailboxId = Objects.requireNonNull(mailboxId, "mailboxId");
    }

    /** The in-scope mailbox's stored object id, which the name no longer resolves to. */
    public MailboxId mailboxId() {
        return mailboxId;
    }

    /** Whether the name belongs to another object now, or to none. */
    public Change change() {
        return change;
    }
}
