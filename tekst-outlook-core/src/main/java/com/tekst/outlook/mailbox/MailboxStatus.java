package com.tekst.outlook.mailbox;

/** Where one mailbox of a connection stands. */
public enum MailboxStatus {
    /** Added, not synced yet. */
    PENDING(false),
    /** A sync round is running. */
    SYNCING(false),
    /** Up to date; waiting for the next round. */
    IDLE(false),
    /** Historical mail is being brought in (live sync continues alongside). */
    BACKFILLING(false),
    /** Microsoft throttled this mailbox; the SDK waits until the time it was told. */
    THROTTLED(false),
    /** Paused by the application. */
    PAUSED(false),
    /** Denied by the tenant's restriction or a missing permission. */
    ACCESS_DENIED(true),
    /** The mailbox no longer exists. */
    NOT_FOUND(true),
    /** The user has no Exchange Online mailbox. */
    NOT_ENABLED(true),
    /** Outside the connection's scope. */
    OUT_OF_SCOPE(true);

    private final boolean stopsSync;

    MailboxStatus(boolean stopsSync) {
        this.stopsSync = stopsSync;
    }

    /** Whether sync of this mailbox stops until the cause is fixed. */
    public boolean stopsSync() {
        return stopsSync;
    }
}
