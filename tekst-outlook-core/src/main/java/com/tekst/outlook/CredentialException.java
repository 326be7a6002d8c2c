package com.tekst.outlook;

/**
 * The application's own credential was refused: the client secret is wrong or expired (AADSTS7000215, AADSTS7000222),
 * or the certificate assertion failed (AADSTS700027). Fixed in the application's configuration, not by the tenant.
 */
public class CredentialException extends OutlookException {
    private final boolean expired;

    public CredentialException(boolean expired, String summary, ErrorDetails details, Throwable cause) {
        super(summary, details, cause);
        this.expired = expired;
    }

    /** Whether the identity platform said the credential expired (as opposed to being wrong). */
    public boolean isExpired() {
        return expired;
    }

    /** Always {@link ConnectionStatus#CREDENTIAL_INVALID}. */
    public ConnectionStatus connectionStatus() {
        return ConnectionStatus.CREDENTIAL_INVALID;
    }
}
