package com.tekst.outlook.diagnostics;

/** Who can carry out a remediation. */
public enum Audience {
    /** The customer's Microsoft 365 (Entra ID / Exchange Online) administrator. */
    MICROSOFT_365_ADMINISTRATOR,
    /** The Tekst operator running the SDK (configuration, credentials, the sink, the store). */
    TEKST_OPERATOR
}
