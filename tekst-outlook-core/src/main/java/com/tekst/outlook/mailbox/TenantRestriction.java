package com.tekst.outlook.mailbox;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.OutlookClientException;

/**
 * The tenant-side restriction of an organization-wide connection: the Exchange Online PowerShell an administrator
 * runs to restrict the application to the connection's mailboxes, and a verification by probing that it took effect.
 *
 * <p>The SDK refuses out-of-scope mailboxes on its own side in any case; the tenant-side restriction makes Microsoft
 * enforce the same scope, so that a bug, a leaked credential or another use of the application cannot reach other
 * mailboxes either. Thread-safe.
 */
public interface TenantRestriction {

    /**
     * The PowerShell for the chosen mechanism, filled in with the application id, the connection's mailboxes and the
     * request's group. Generated locally; no network call.
     *
     * @throws OutlookClientException if the connection has no mailboxes, is in {@link ScopeMode#ALL_MAILBOXES} mode,
     *                                or the out-of-scope example is in its scope
     */
    RestrictionScript script(ConnectionId connection, RestrictionScriptRequest request);

    /**
     * Probes the tenant's restriction: reads one cheap, content-free resource (the Inbox's id) of every in-scope
     * mailbox, which must succeed, and of the canaries outside the scope, which must be denied.
     * {@link RestrictionVerification.Verdict#ENFORCED}, {@code NOT_ENFORCED} (a canary is readable) or
     * {@code MISCONFIGURED} (an in-scope mailbox is denied), with every probe, the propagation note and when to
     * check again. Probes of canaries are the only reads of out-of-scope mailboxes the SDK's scope guard allows, and
     * only for this call.
     *
     * @throws OutlookClientException if the connection is in {@link ScopeMode#ALL_MAILBOXES} mode or a given canary
     *                                is in its scope
     */
    RestrictionVerification verify(ConnectionId connection, RestrictionCheck check);

    /**
     * Records that the administrator applied the restriction now (the time of the SDK's clock), replacing an earlier
     * record. {@link #verify} then judges by that mechanism when the check names none, and while Exchange may still
     * be applying it (30 minutes for an application access policy, 2 hours for RBAC for Applications) a verdict
     * other than {@code ENFORCED} carries {@link RestrictionVerification.Finding#PROPAGATING} and a re-check time no
     * earlier than the end of that window. Diagnostics report it the same way. No network call.
     *
     * @return what was recorded
     */
    AppliedRestriction recordApplied(ConnectionId connection, RestrictionMechanism mechanism);

    /** The restriction last recorded as applied for the connection; empty when none was. */
    java.util.Optional<AppliedRestriction> applied(ConnectionId connection);
}
