package com.tekst.outlook;

/**
 * One mailbox cannot be reached; the connection's other mailboxes are unaffected.
 */
public class MailboxAccessException extends OutlookException {
    /** Why the mailbox cannot be reached. */
    public enum Reason {
        /** Denied by the tenant's restriction (application access policy / RBAC for Applications) or a permission. */
        ACCESS_DENIED,
        /** No such user or mailbox ({@code ErrorInvalidUser}, {@code Request_ResourceNotFound}). */
        NOT_FOUND,
        /** The user has no Exchange Online mailbox ({@code MailboxNotEnabledForRESTAPI}). */
        NOT_ENABLED,
        /** Outside the connection's mailbox scope; refused by the SDK before any request was sent. */
        OUT_OF_SCOPE
    }

    private final Reason reason;

    public MailboxAccessException(Reason reason, String summary, ErrorDetails details, Throwable cause) {
        super(summary, details, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
