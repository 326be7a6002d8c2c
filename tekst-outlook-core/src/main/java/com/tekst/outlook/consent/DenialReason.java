package com.tekst.outlook.consent;

/**
 * Why Microsoft says admin consent was not granted. Every reason means the same thing for the connection: admin
 * consent is missing. They differ in what the user should do next.
 */
public enum DenialReason {
    /** The administrator cancelled or declined (AADSTS65004, {@code access_denied}, {@code permission_denied}). */
    DECLINED("the administrator declined or cancelled the consent request; open the consent link again and accept"),
    /**
     * The person who signed in cannot grant tenant-wide consent (AADSTS90094, 90093, 90008; 90095 when they sent an
     * admin-consent request instead).
     */
    ADMIN_REQUIRED("the account that signed in is not an administrator who can grant consent for the organization;"
            + " ask a Global Administrator, Privileged Role Administrator or Cloud Application Administrator"),
    /** The account belongs to another directory than the one consent was requested for (AADSTS50020). */
    ACCOUNT_IN_OTHER_DIRECTORY("the account that signed in belongs to another directory; sign in with an"
            + " administrator account of the organization being connected"),
    /** The redirect URI is not registered on the application (AADSTS50011). */
    REDIRECT_URI_MISMATCH("the redirect URI is not registered on the application; this is a Tekst configuration"
            + " error"),
    /** The application is not configured as multi-tenant (AADSTS50194). */
    APP_NOT_MULTI_TENANT("the application is not configured as multi-tenant; this is a Tekst configuration error"),
    /** The consent request was malformed ({@code invalid_request}), e.g. sent to {@code /common}. */
    INVALID_REQUEST("Microsoft refused the consent request as malformed"),
    /** An error Microsoft reported that the SDK does not classify; its code and description are kept. */
    UNKNOWN("Microsoft reported an error the SDK does not recognize; see the error code and description");

    private final String explanation;

    DenialReason(String explanation) {
        this.explanation = explanation;
    }

    /** What happened and what to do, in words for the user. */
    public String explanation() {
        return explanation;
    }
}
