package com.tekst.outlook.consent;

/** Why a consent callback cannot be trusted or read. */
public enum RejectionReason {
    STATE_MISSING("the callback has no state parameter"),
    STATE_MALFORMED("the state parameter is not one the SDK issued"),
    STATE_FORGED("the state signature does not verify"),
    STATE_EXPIRED("the state has expired; start the consent again"),
    STATE_REPLAYED("the state was already used or is unknown; start the consent again"),
    STATE_WRONG_CONNECTION("the state belongs to another connection"),
    PARAMETER_MISSING("a required parameter is missing"),
    PARAMETER_DUPLICATED("a parameter occurs more than once"),
    CALLBACK_OVERSIZED("the callback is larger than 8 KB"),
    CALLBACK_MALFORMED("the callback is not well-formed (bad percent-encoding or not UTF-8)"),
    TENANT_INVALID("the tenant parameter is not a tenant id"),
    RESPONSE_UNRECOGNIZED("the callback is neither a success nor an error response");

    private final String explanation;

    RejectionReason(String explanation) {
        this.explanation = explanation;
    }

    public String explanation() {
        return explanation;
    }
}
