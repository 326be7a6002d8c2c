package com.tekst.outlook.mailbox;

/** Where one mailbox of a connection stands, and what an operator has to do about it. */
public enum MailboxStatus {
    /** Added, not synced yet. */
    PENDING(false, "Nothing to do: the first sync round starts soon."),
    /** A sync round is running. */
    SYNCING(false, "Nothing to do."),
    /** Up to date; waiting for the next round. */
    IDLE(false, "Nothing to do."),
    /** Historical mail is being brought in (live sync continues alongside). */
    BACKFILLING(false, "Nothing to do: backfill continues alongside live sync."),
    /** Microsoft throttled this mailbox; the SDK waits until the time it was told. */
    THROTTLED(false, "Nothing to do: the SDK waits for Microsoft's Retry-After, then continues."),
    /** Paused by the application. */
    PAUSED(false, "Resume the mailbox to continue syncing."),
    /** Denied by the tenant's restriction or a missing permission. */
    ACCESS_DENIED(true, "Microsoft 365 denied access to this mailbox. Add it to the tenant-side restriction (application"
            + " access policy or RBAC for Applications) or grant the missing permission, then resume the mailbox."),
    /** The mailbox no longer exists. */
    NOT_FOUND(true, "The mailbox no longer exists in the tenant. Remove it from the connection, or resume it if it was"
            + " restored."),
    /** The user has no Exchange Online mailbox. */
    NOT_ENABLED(true, "The account has no Exchange Online mailbox (unlicensed, on-premises, soft-deleted or a guest)."
            + " Assign a license or remove the mailbox, then resume it."),
    /** Outside the connection's scope. */
    OUT_OF_SCOPE(true, "The mailbox is outside the connection's scope. Add it to the scope to sync it."),
    /**
     * A name the mailbox was added under (its address, user principal name or an alias) now belongs to another
     * directory object, or to none: the user left and the address was given to someone else, or an alias moved. The
     * SDK's scope guard pins every mailbox to its stored object id, so no request reached the name's new owner; it
     * refused the request that addressed the mailbox by that name and set this status.
     */
    MAILBOX_IDENTITY_CHANGED(true, "An address this mailbox was added under now belongs to another account (or to"
            + " none). Check who should be processed: remove this mailbox and add the new owner if the address is what"
            + " matters, or resume it to keep processing the original account (address it by its object id).");

    private final boolean stopsSync;
    private final String remediation;

    MailboxStatus(boolean stopsSync, String remediation) {
        this.stopsSync = stopsSync;
        this.remediation = remediation;
    }

    /** Whether sync of this mailbox stops until the cause is fixed. */
    public boolean stopsSync() {
        return stopsSync;
    }

    /** What to do about this state, in words for an operator or a status page. */
    public String remediation() {
        return remediation;
    }
}
