package com.tekst.outlook.mailbox;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The tenant-side restriction an administrator reported as applied, and when: Exchange takes time to enforce it, so a
 * restriction applied recently is still propagating.
 *
 * @param mechanism how the tenant restricts the application
 * @param appliedAt when the administrator applied it (the SDK's clock when it was recorded)
 */
public record AppliedRestriction(RestrictionMechanism mechanism, Instant appliedAt) {
    /**
     * How long Exchange may take to enforce a new application access policy (Microsoft: up to 30 minutes).
     */
    public static final Duration POLICY_PROPAGATION = Duration.ofMinutes(30);
    /**
     * How long Exchange may take to enforce a new RBAC for Applications assignment (Microsoft: 30 minutes to 2 hours,
     * depending on the application's recent use).
     */
    public static final Duration RBAC_PROPAGATION = Duration.ofHours(2);

    public AppliedRestriction {
        Objects.requireNonNull(mechanism, "mechanism");
        Objects.requireNonNull(appliedAt, "appliedAt");
    }

    /** The longest time Exchange may take to enforce this mechanism. */
    public Duration propagation() {
        return mechanism == RestrictionMechanism.RBAC_FOR_APPLICATIONS ? RBAC_PROPAGATION : POLICY_PROPAGATION;
    }

    /** When Exchange enforces it at the latest. */
    public Instant enforcedBy() {
        return appliedAt.plus(propagation());
    }

    /** Whether Exchange may still be applying it at {@code now}. */
    public boolean isPropagating(Instant now) {
        return now.isBefore(enforcedBy());
    }
}
