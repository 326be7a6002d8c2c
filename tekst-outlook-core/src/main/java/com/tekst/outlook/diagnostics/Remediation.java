package com.tekst.outlook.diagnostics;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * What to do about a failed or warning check, and who does it.
 *
 * <br>{@code audience}: who can act
 * <br>{@code text}: the steps, in plain sentences; never carries a secret, token or consent {@code state}
 * <br>{@code link}: a link the audience opens to act (a fresh admin-consent link), when diagnostics were asked for one
 */
public final class Remediation {
    private final Audience audience;
    private final String text;
    private final URI link;

    /** @throws NullPointerException for a null audience or text; {@link IllegalArgumentException} for a blank text */
    public Remediation(Audience audience, String text, URI link) {
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            throw new IllegalArgumentException("a remediation needs a text");
        }
        this.audience = audience;
        this.text = text;
        this.link = link;
    }

    /** For the Microsoft 365 administrator. */
    public static Remediation administrator(String text) {
        return new Remediation(Audience.MICROSOFT_365_ADMINISTRATOR, text, null);
    }

    /** For the Tekst operator. */
    public static Remediation operator(String text) {
        return new Remediation(Audience.TEKST_OPERATOR, text, null);
    }

    /** This remediation with a link to open. */
    public Remediation withLink(URI value) {
        return new Remediation(audience, text, Objects.requireNonNull(value, "link"));
    }

    public Audience audience() {
        return audience;
    }

    public String text() {
        return text;
    }

    /**
     * A link to open, such as a fresh admin-consent link. It carries a consent {@code state}:
     * {@link DiagnosticReport#toText()} shows it without that value, {@link DiagnosticReport#toJson()} in full (for
     * the administrator's browser).
     */
    public Optional<URI> link() {
        return Optional.ofNullable(link);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Remediation o && audience == o.audience && text.equals(o.text)
                && Objects.equals(link, o.link);
    }

    @Override
    public int hashCode() {
        return Objects.hash(audience, text, link);
    }

    /** Without the link's query (it carries a consent {@code state}). */
    @Override
    public String toString() {
        return "Remediation[audience=" + audience + ", text=" + text + (link == null ? "" : ", link="
                + DiagnosticReport.withoutState(link)) + "]";
    }
}
