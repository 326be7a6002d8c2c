package com.tekst.outlook;

/**
 * The tenant itself cannot be used: it does not exist (AADSTS90002), the application is disabled (AADSTS7000112,
 * AADSTS70001), a Conditional Access policy blocks it (AADSTS53003) or the tenant lacks Microsoft Graph (AADSTS500011).
 */
public class TenantException extends OutlookException {
    /** Which tenant problem. */
    public enum Reason {
        TENANT_NOT_FOUND,
        APP_DISABLED,
        POLICY_BLOCKED,
        TENANT_MISCONFIGURED
    }

    private final Reason reason;

    public TenantException(Reason reason, String summary, ErrorDetails details, Throwable cause) {
        super(summary, details, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** The connection status this failure puts a connection in. */
    public ConnectionStatus connectionStatus() {
        return switch (reason) {
            case TENANT_NOT_FOUND -> ConnectionStatus.TENANT_NOT_FOUND;
            case APP_DISABLED, POLICY_BLOCKED, TENANT_MISCONFIGURED -> ConnectionStatus.APP_DISABLED;
        };
    }
}
