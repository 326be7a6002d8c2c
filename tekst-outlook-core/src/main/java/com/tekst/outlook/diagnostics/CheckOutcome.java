package com.tekst.outlook.diagnostics;

/** The outcome of one check, from best to worst; {@link #SKIPPED} says an earlier check failed. */
public enum CheckOutcome {
    /** The check found nothing wrong. */
    PASS,
    /** Works today, needs attention soon (a certificate near expiry, a restriction still propagating, throttling). */
    WARN,
    /** Broken: the connection, or the mailbox or folder checked, does not sync until the remediation is done. */
    FAIL,
    /** Not run because an earlier check it depends on failed ({@link CheckResult#skippedBecause()} names it). */
    SKIPPED;

    /** The worse of two outcomes for a report's summary: FAIL over WARN over SKIPPED over PASS. */
    CheckOutcome worse(CheckOutcome other) {
        return rank(other) > rank(this) ? other : this;
    }

    private static int rank(CheckOutcome outcome) {
        return switch (outcome) {
            case PASS -> 0;
            case SKIPPED -> 1;
            case WARN -> 2;
            case FAIL -> 3;
        };
    }
}
