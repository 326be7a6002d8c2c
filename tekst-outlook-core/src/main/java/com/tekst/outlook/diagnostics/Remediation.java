package com.tekst.outlook.diagnostics;

import java.util.Objects;

/**
 * What to do about a failed or warning check, and who does it.
 *
 * @param audience who can act
 * @param text     the steps, in plain sentences; never carries a secret, token or consent {@code state}
 */
public record Remediation(Audience audience, String text) {
    /** @throws NullPointerException for a null component; {@link IllegalArgumentException} for a blank text */
    public Remediation {
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            throw new IllegalArgumentException("a remediation needs a text");
        }
    }

    /** For the Microsoft 365 administrator. */
    public static Remediation administrator(String text) {
        return new Remediation(Audience.MICROSOFT_365_ADMINISTRATOR, text);
    }

    /** For the Tekst operator. */
    public static Remediation operator(String text) {
        return new Remediation(Audience.TEKST_OPERATOR, text);
    }
}
