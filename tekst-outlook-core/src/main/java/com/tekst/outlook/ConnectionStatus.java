package com.tekst.outlook;

/**
 * Where a connection stands, and what an operator has to do about it.
 *
 * <p>{@code PENDING_CONSENT → CONNECTED ⇄ DEGRADED}; the other states stop every mailbox of the connection until the
 * cause is fixed. Fixing the cause (re-consent, a new secret) resumes sync from the stored checkpoints: reconnecting
 * is not deleting.
 */
public enum ConnectionStatus {
    /** The connection was started; admin consent has not been granted and verified yet. */
    PENDING_CONSENT(false, "Ask a Microsoft 365 administrator to open the consent link and accept."),
    /** Consent is verified; mailboxes sync. */
    CONNECTED(false, "Nothing to do."),
    /** Connected, but some requests fail transiently (throttling, service errors); the SDK keeps retrying. */
    DEGRADED(false, "Nothing to do yet: the SDK retries. If it lasts, run the connection's diagnostics"
            + " (OutlookClient.diagnostics()): they name the failing check, its evidence and who must do what. The"
            + " engine's progress, listener events and logs carry tenant, connection, mailbox and request id."),
    /** No admin consent for this application exists in the tenant. */
    CONSENT_MISSING(true, "Admin consent is missing. Ask a Microsoft 365 administrator to grant admin consent again."),
    /** Consent existed and was removed (the enterprise application was deleted or its permissions revoked). */
    CONSENT_REVOKED(true, "Admin consent was revoked in the tenant. A Microsoft 365 administrator must grant consent"
            + " again; sync then resumes where it stopped."),
    /** The application's own credential (client secret or certificate) is wrong or expired. */
    CREDENTIAL_INVALID(true, "The application's client secret or certificate is wrong or expired. Configure a valid"
            + " credential; sync then resumes where it stopped."),
    /** The tenant does not exist (deleted, or the id is from another cloud). */
    TENANT_NOT_FOUND(true, "The Microsoft 365 tenant was not found. Check the tenant id and the cloud, or connect again."),
    /** The application is disabled, in the tenant or by Microsoft. */
    APP_DISABLED(true, "The application is disabled in the tenant. An administrator must enable the enterprise"
            + " application again."),
    /** The user disconnected the connection. */
    DISCONNECTED(true, "The connection was disconnected. Connect again to resume.");

    private final boolean stopsSync;
    private final String remediation;

    ConnectionStatus(boolean stopsSync, String remediation) {
        this.stopsSync = stopsSync;
        this.remediation = remediation;
    }

    /** Whether every mailbox of a connection in this state stops until the cause is fixed. */
    public boolean stopsSync() {
        return stopsSync;
    }

    /** What to do about this state, in words for an operator or a status page. */
    public String remediation() {
        return remediation;
    }
}
