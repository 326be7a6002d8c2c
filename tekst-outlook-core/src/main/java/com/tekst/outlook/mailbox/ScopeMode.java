package com.tekst.outlook.mailbox;

/**
 * Which mailboxes of its tenant an organization-wide connection may reach.
 *
 * <p>{@link #RESTRICTED} is the default for every connection: the SDK sends requests only for the mailboxes added to
 * the connection's {@link MailboxScope}, and refuses every other mailbox before any network I/O.
 * {@link #ALL_MAILBOXES} is an explicit opt-in; a wizard that offers it shows {@link #ALL_MAILBOXES_WARNING} first.
 */
public enum ScopeMode {
    /** Only the mailboxes added to the connection (the default). */
    RESTRICTED,
    /**
     * Every mailbox of the tenant: the SDK-side guard lets any mailbox through. Only an explicit choice sets it; the
     * tenant-side restriction (application access policy, RBAC for Applications) is then the only limit.
     */
    ALL_MAILBOXES;

    /** What a wizard shows before it lets a user choose {@link #ALL_MAILBOXES}. */
    public static final String ALL_MAILBOXES_WARNING = "Tekst will be able to read every mailbox in your organization,"
            + " including executives', HR and legal mailboxes, and any mailbox created later. Nothing in Tekst limits"
            + " which mailboxes it reads. We strongly recommend choosing the mailboxes to process instead, and asking"
            + " your Microsoft 365 administrator to restrict the app to them in Exchange Online.";

    /** Whether the SDK confines requests to the connection's listed mailboxes. */
    public boolean isRestricted() {
        return this == RESTRICTED;
    }
}
