package com.tekst.outlook.mailbox;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The result of probing a tenant's restriction.
 *
 * @param verdict         what the probes show
 * @param probes          every probe, in-scope mailboxes first
 * @param findings        what else the verification noticed
 * @param checkedAt       when it ran (the SDK's clock)
 * @param recheckAt       when to verify again: a restriction changed in the last two hours may not have reached
 *                        Microsoft Graph yet
 * @param propagationNote how long changes take, for the wizard
 */
public record RestrictionVerification(Verdict verdict, List<MailboxProbe> probes, List<Finding> findings,
                                      Instant checkedAt, Instant recheckAt, String propagationNote) {
    /** How long tenant-side changes take to reach Microsoft Graph (Microsoft says 30 minutes to 2 hours). */
    public static final String PROPAGATION_NOTE = "Changes to an application access policy or to RBAC for"
            + " Applications take 30 minutes to 2 hours to reach Microsoft Graph (Test-ApplicationAccessPolicy and"
            + " Test-ServicePrincipalAuthorization can show the new state sooner). Verify again after the re-check"
            + " time before concluding.";

    /** What the probes show. */
    public enum Verdict {
        /** Every in-scope mailbox is readable and every canary is denied. */
        ENFORCED,
        /** A canary is readable: the application still reaches mailboxes outside the scope. */
        NOT_ENFORCED,
        /** An in-scope mailbox is denied: the restriction (or a permission) leaves out a mailbox Tekst needs. */
        MISCONFIGURED,
        /** The probes could not tell (no canary with a mailbox, no mailbox in the scope, or probes failed). */
        INCONCLUSIVE
    }

    /** What else a verification noticed. */
    public enum Finding {
        /**
         * The application's token carries a tenant-wide mail permission from Entra ID. RBAC for Applications adds to
         * it and restricts nothing while it is granted.
         */
        TENANT_WIDE_MAIL_PERMISSION("The application holds a tenant-wide mail permission (Mail.Read, Mail.ReadBasic.All"
                + " or Mail.ReadWrite) consented in Entra ID. RBAC for Applications adds to it and restricts nothing"
                + " while it is granted: remove that permission's admin consent, or use an application access"
                + " policy."),
        /** No mailbox outside the scope could be probed. */
        NO_CANARY("No mailbox outside the scope was available to probe, so the restriction could not be tested."),
        /** The connection has no mailbox in its scope. */
        NO_MAILBOX_IN_SCOPE("The connection has no mailboxes in its scope."),
        /** Some probes failed (throttling, a service error). */
        PROBE_FAILED("Some probes failed (throttling or a service error); verify again."),
        /**
         * The restriction was recorded as applied recently ({@link TenantRestriction#recordApplied}) and Exchange may
         * still be applying it: the verdict may change by the re-check time.
         */
        PROPAGATING("The restriction was applied recently and Exchange may still be applying it (up to 30 minutes for"
                + " an application access policy, 2 hours for RBAC for Applications); verify again at the re-check"
                + " time before concluding.");

        private final String description;

        Finding(String description) {
            this.description = description;
        }

        /** A sentence for the wizard. */
        public String description() {
            return description;
        }
    }

    public RestrictionVerification {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(checkedAt, "checkedAt");
        Objects.requireNonNull(recheckAt, "recheckAt");
        Objects.requireNonNull(propagationNote, "propagationNote");
        probes = List.copyOf(probes);
        findings = List.copyOf(findings);
    }

    /** The probes of in-scope mailboxes. */
    public List<MailboxProbe> inScope() {
        return probes.stream().filter(MailboxProbe::inScope).toList();
    }

    /** The probes of canaries (out-of-scope mailboxes). */
    public List<MailboxProbe> canaries() {
        return probes.stream().filter(p -> !p.inScope()).toList();
    }
}
