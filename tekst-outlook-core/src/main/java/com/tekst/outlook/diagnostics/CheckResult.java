package com.tekst.outlook.diagnostics;

import java.util.Objects;
import java.util.Optional;

/**
 * The result of one check, for the connection or for one mailbox or folder ({@link #subject()}). A {@code WARN} or
 * {@code FAIL} carries a {@link Remediation}; a {@code SKIPPED} result names the check whose failure skipped it.
 * Immutable.
 */
public final class CheckResult {
    private final DiagnosticCheck check;
    private final String subject;
    private final CheckOutcome outcome;
    private final String summary;
    private final Evidence evidence;
    private final Remediation remediation;
    private final DiagnosticCheck skippedBecause;

    private CheckResult(DiagnosticCheck check, String subject, CheckOutcome outcome, String summary, Evidence evidence,
                        Remediation remediation, DiagnosticCheck skippedBecause) {
        this.check = Objects.requireNonNull(check, "check");
        this.subject = subject == null || subject.isBlank() ? null : subject;
        this.outcome = Objects.requireNonNull(outcome, "outcome");
        this.summary = Objects.requireNonNull(summary, "summary");
        this.evidence = Objects.requireNonNull(evidence, "evidence");
        this.remediation = remediation;
        this.skippedBecause = skippedBecause;
        if (summary.isBlank()) {
            throw new IllegalArgumentException("a check result needs a summary");
        }
    }

    /** Nothing wrong. {@code subject} may be {@code null} for a check of the connection as a whole. */
    public static CheckResult pass(DiagnosticCheck check, String subject, String summary, Evidence evidence) {
        return new CheckResult(check, subject, CheckOutcome.PASS, summary, evidence, null, null);
    }

    /** Works, needs attention. */
    public static CheckResult warn(DiagnosticCheck check, String subject, String summary, Evidence evidence,
                                   Remediation remediation) {
        return new CheckResult(check, subject, CheckOutcome.WARN, summary, evidence,
                Objects.requireNonNull(remediation, "remediation"), null);
    }

    /** Broken. */
    public static CheckResult fail(DiagnosticCheck check, String subject, String summary, Evidence evidence,
                                   Remediation remediation) {
        return new CheckResult(check, subject, CheckOutcome.FAIL, summary, evidence,
                Objects.requireNonNull(remediation, "remediation"), null);
    }

    /**
     * This result with another remediation (a {@code WARN} or {@code FAIL} keeps needing one).
     *
     * @throws IllegalStateException for a {@code PASS} or {@code SKIPPED} result, which has none
     */
    public CheckResult withRemediation(Remediation value) {
        Objects.requireNonNull(value, "remediation");
        if (remediation == null) {
            throw new IllegalStateException("a " + outcome + " result has no remediation");
        }
        return new CheckResult(check, subject, outcome, summary, evidence, value, skippedBecause);
    }

    /** Not run because {@code because} failed. */
    public static CheckResult skipped(DiagnosticCheck check, String subject, DiagnosticCheck because) {
        Objects.requireNonNull(because, "because");
        return new CheckResult(check, subject, CheckOutcome.SKIPPED, "Skipped: \"" + because.title() + "\" failed",
                Evidence.none(), null, because);
    }

    public DiagnosticCheck check() {
        return check;
    }

    /** The mailbox ({@code alice@contoso.com}) or folder ({@code alice@contoso.com/Inbox}) checked, if not the whole connection. */
    public Optional<String> subject() {
        return Optional.ofNullable(subject);
    }

    public CheckOutcome outcome() {
        return outcome;
    }

    /** One sentence: what the check found. */
    public String summary() {
        return summary;
    }

    public Evidence evidence() {
        return evidence;
    }

    /** What to do, for {@code WARN} and {@code FAIL}. */
    public Optional<Remediation> remediation() {
        return Optional.ofNullable(remediation);
    }

    /** For {@code SKIPPED}: the earlier check that failed. */
    public Optional<DiagnosticCheck> skippedBecause() {
        return Optional.ofNullable(skippedBecause);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CheckResult r && check == r.check && Objects.equals(subject, r.subject)
                && outcome == r.outcome && summary.equals(r.summary) && evidence.equals(r.evidence)
                && Objects.equals(remediation, r.remediation) && skippedBecause == r.skippedBecause;
    }

    @Override
    public int hashCode() {
        return Objects.hash(check, subject, outcome, summary, evidence, remediation, skippedBecause);
    }

    @Override
    public String toString() {
        return outcome + " " + check + (subject == null ? "" : " " + subject) + ": " + summary;
    }
}
