package com.tekst.outlook;

/**
 * The tenant has not granted (or no longer grants) the application what it needs: admin consent is missing or was
 * revoked, or a required application permission is not granted. Fixed by an administrator granting consent again.
 */
public class ConsentException extends OutlookException {
    /** Which consent problem. */
    public enum Reason {
        /** No consent for the application exists in the tenant (AADSTS700016, AADSTS65001). */
        CONSENT_MISSING,
        /** Consent existed for this connection and was removed. */
        CONSENT_REVOKED,
        /** Consent exists but a required application permission is not in the token's roles. */
        PERMISSIONS_MISSING
    }

    private final Reason reason;

    public ConsentException(Reason reason, String summary, ErrorDetails details, Throwable cause) {
        super(summary, details, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** The connection status this failure puts a connection in. */
    public ConnectionStatus connectionStatus() {
        return reason == Reason.CONSENT_REVOKED ? ConnectionStatus.CONSENT_REVOKED : ConnectionStatus.CONSENT_MISSING;
    }
}
