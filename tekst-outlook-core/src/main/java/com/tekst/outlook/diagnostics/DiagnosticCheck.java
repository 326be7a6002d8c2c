package com.tekst.outlook.diagnostics;

/** The checks of a report, in the order they run; a later one is skipped when one it depends on failed. */
public enum DiagnosticCheck {
    /** The tenant exists in the application's cloud (AADSTS90002 means it does not, or lives in another cloud). */
    TENANT("Tenant reachable and known"),
    /** The application's credential is accepted and not about to expire. */
    CREDENTIAL("App credential valid"),
    /** The tenant's administrator granted admin consent to the application. */
    CONSENT("Admin consent present"),
    /** The application permissions granted (the token's roles) cover what the connection needs. */
    PERMISSIONS("Permissions granted"),
    /** One mailbox of the scope: reachable, Exchange Online enabled, of the recorded type, not denied. */
    MAILBOX("Mailbox reachable"),
    /** The tenant-side restriction (application access policy or RBAC for Applications) is in force. */
    RESTRICTION("Tenant-side restriction"),
    /** One folder's sync: last successful round, lag, throttling, delta resets, backfill, sink failures. */
    SYNC("Sync health");

    private final String title;

    DiagnosticCheck(String title) {
        this.title = title;
    }

    /** A short title for reports ("App credential valid"). */
    public String title() {
        return title;
    }
}
