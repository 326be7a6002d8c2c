package com.tekst.outlook.graph.internal.diagnostics;

import com.tekst.outlook.Connection;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionPermissions;
import com.tekst.outlook.ConnectionType;
import com.tekst.outlook.ConsentException;
import com.tekst.outlook.CredentialException;
import com.tekst.outlook.ErrorDetails;
import com.tekst.outlook.MailAccess;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.OutlookClientException;
import com.tekst.outlook.OutlookException;
import com.tekst.outlook.PermissionProfile;
import com.tekst.outlook.TenantException;
import com.tekst.outlook.TenantHint;
import com.tekst.outlook.TenantId;
import com.tekst.outlook.ThrottledException;
import com.tekst.outlook.consent.AdminConsentFlow;
import com.tekst.outlook.diagnostics.Audience;
import com.tekst.outlook.diagnostics.CheckOutcome;
import com.tekst.outlook.diagnostics.CheckResult;
import com.tekst.outlook.diagnostics.ConnectionDiagnostics;
import com.tekst.outlook.diagnostics.DiagnosticCheck;
import com.tekst.outlook.diagnostics.DiagnosticReport;
import com.tekst.outlook.diagnostics.Evidence;
import com.tekst.outlook.diagnostics.Remediation;
import com.tekst.outlook.graph.CloudEndpoints;
import com.tekst.outlook.graph.internal.Mdc;
import com.tekst.outlook.graph.internal.auth.AccessToken;
import com.tekst.outlook.graph.internal.auth.TokenClaims;
import com.tekst.outlook.graph.internal.auth.TokenProvider;
import com.tekst.outlook.graph.internal.consent.GraphAdminConsentFlow;
import com.tekst.outlook.graph.internal.http.MailboxLimiter;
import com.tekst.outlook.graph.internal.mailbox.GraphTenantRestriction;
import com.tekst.outlook.mailbox.AppliedRestriction;
import com.tekst.outlook.mailbox.FolderRef;
import com.tekst.outlook.mailbox.MailboxProbe;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.mailbox.RestrictionCheck;
import com.tekst.outlook.mailbox.RestrictionMechanism;
import com.tekst.outlook.mailbox.RestrictionVerification;
import com.tekst.outlook.mailbox.ScopeMode;
import com.tekst.outlook.store.BackfillCursor;
import com.tekst.outlook.store.FolderCheckpoint;
import com.tekst.outlook.store.FolderEvent;
import com.tekst.outlook.store.FolderKey;
import com.tekst.outlook.store.MailboxRecord;
import com.tekst.outlook.store.OutlookStore;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs the checks of {@link DiagnosticCheck} in order with one token request (a new token, so the credential and
 * consent are judged now), one content-free probe per mailbox (its Inbox's id, shared with the restriction
 * verification) and the restriction's canary reads; the sync checks read only the store. Nothing is written.
 * Thread-safe. Internal.
 */
public final class GraphConnectionDiagnostics implements ConnectionDiagnostics {
    /** A certificate that expires within this time is a WARN. */
    public static final Duration CERTIFICATE_WARNING = Duration.ofDays(30);

    /** The window over which delta resets and sink failures are counted. */
    public static final Duration EVENT_WINDOW = Duration.ofHours(24);

    private final OutlookStore store;
    private final TokenProvider tokens;
    private final Instant certificateNotAfter;
    private final GraphTenantRestriction restriction;
    private final MailboxLimiter limiter;
    private final CloudEndpoints cloud;
    private final Clock clock;
    private final Duration staleAfter;
    private final AdminConsentFlow consent;

    /**
     * @param certificateNotAfter the credential certificate's expiry, or {@code null} for a client secret
     * @param staleAfter          a folder without a successful write for longer is stale
     */
    public GraphConnectionDiagnostics(OutlookStore store, TokenProvider tokens, Instant certificateNotAfter, GraphTenantRestriction restriction,
                                      MailboxLimiter limiter, CloudEndpoints cloud, Clock clock, Duration staleAfter,
                                      AdminConsentFlow consent) {
        this.store = Objects.requireNonNull(store, "store");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.certificateNotAfter = certificateNotAfter;
        this.restriction = Objects.requireNonNull(restriction, "restriction");
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.cloud = Objects.requireNonNull(cloud, "cloud");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.staleAfter = Objects.requireNonNull(staleAfter, "staleAfter");
        this.consent = Objects.requireNonNull(consent, "consent");
    }

    @Override
    public DiagnosticReport run(ConnectionId connection) {
        return runChecks(connection);
    }

    @Override
    public DiagnosticReport run(ConnectionId connection, URI consentRedirectUri) {
        GraphAdminConsentFlow.checkRedirectUri(consentRedirectUri);
        DiagnosticReport report = runChecks(connection);
        List<CheckResult> checks = new ArrayList<>();
        boolean linked = false;
        for (CheckResult r : report.checks()) {
            boolean consentFix = !linked && r.outcome() == CheckOutcome.FAIL && r.remediation().isPresent()
                    && r.remediation().get().audience() == Audience.MICROSOFT_365_ADMINISTRATOR
                    && (r.check() == DiagnosticCheck.CONSENT || r.check() == DiagnosticCheck.PERMISSIONS
                    || (r.check() == DiagnosticCheck.TENANT && report.tenant().isEmpty()));
            if (consentFix) {
                TenantHint hint = report.tenant().map(TenantHint::of).orElse(TenantHint.ORGANIZATIONS);
                URI link = consent.begin(connection, consentRedirectUri, hint).consentUrl();
                checks.add(r.withRemediation(r.remediation().get().withLink(link)));
                linked = true;
            } else {
                checks.add(r);
            }
        }
        return new DiagnosticReport(connection, report.tenant().orElse(null), report.startedAt(),
                report.finishedAt(), checks);
    }

    @SuppressWarnings("try") // the MDC scope is held for its effect on log lines
    private DiagnosticReport runChecks(ConnectionId connection) {
        Objects.requireNonNull(connection, "connection");
        Instant started = clock.instant();
        Connection stored = store.findConnection(connection).orElseThrow(() -> new OutlookClientException(
                "Unknown connection " + connection));
        if (stored.type() != ConnectionType.ORGANIZATION_WIDE) {
            throw new OutlookClientException("Connection " + connection + " is not organization-wide");
        }
        List<CheckResult> out = new ArrayList<>();
        Optional<TenantId> tenant = stored.tenant();
        if (tenant.isEmpty()) {
            out.add(CheckResult.fail(DiagnosticCheck.TENANT, null, "The connection has no tenant yet: admin consent"
                            + " was never granted and verified (status " + stored.status() + ")",
                    Evidence.builder().fact("connectionStatus", stored.status()).build(),
                    Remediation.administrator(consentAdvice(null))));
            skipFrom(out, DiagnosticCheck.CREDENTIAL, DiagnosticCheck.TENANT);
            return new DiagnosticReport(connection, null, started, clock.instant(), out);
        }
        try (Mdc.Scope ignored = Mdc.put(Mdc.CONNECTION, connection.value(), Mdc.TENANT, tenant.get().value())) {
            run(stored, tenant.get(), out);
        }
        return new DiagnosticReport(connection, tenant.get(), started, clock.instant(), out);
    }

    private void run(Connection stored, TenantId tenant, List<CheckResult> out) {
        AccessToken token;
        try {
            token = tokens.refresh(tenant);
        } catch (OutlookException e) {
            tokenFailure(tenant, e, out);
            return;
        }
        out.add(CheckResult.pass(DiagnosticCheck.TENANT, null, "Tenant " + tenant.value() + " is known to "
                + cloud.loginBaseUrl().getHost() + " and issued a token", Evidence.builder()
                .fact("loginHost", cloud.loginBaseUrl().getHost()).build()));
        out.add(credentialOk());
        if (out.get(out.size() - 1).outcome() == com.tekst.outlook.diagnostics.CheckOutcome.FAIL) {
            skipFrom(out, DiagnosticCheck.CONSENT, DiagnosticCheck.CREDENTIAL);
            return;
        }
        Set<String> roles = TokenClaims.of(token.value()).map(TokenClaims::roles).orElse(Set.of());
        if (roles.isEmpty()) {
            out.add(CheckResult.fail(DiagnosticCheck.CONSENT, null, "Admin consent is missing: the tenant issued a"
                            + " token without application permissions (consent removed, or never granted)",
                    Evidence.builder().fact("roles", "[]").build(), Remediation.administrator(consentAdvice(tenant))));
            skipFrom(out, DiagnosticCheck.PERMISSIONS, DiagnosticCheck.CONSENT);
            return;
        }
        out.add(CheckResult.pass(DiagnosticCheck.CONSENT, null, "Admin consent is present: the token carries "
                + roles.size() + " application permission(s)", Evidence.none()));
        out.add(permissions(roles, stored.permissions()));
        List<MailboxRecord> mailboxes = store.listMailboxes(stored.id());
        mailboxesAndRestriction(stored, tenant, roles, mailboxes, out);
        sync(stored.id(), mailboxes, out);
    }

    private CheckResult credentialOk() {
        if (certificateNotAfter == null) {
            return CheckResult.pass(DiagnosticCheck.CREDENTIAL, null, "The client secret was accepted",
                    Evidence.builder().fact("credential", "client secret").build());
        }
        Instant now = clock.instant();
        Evidence evidence = Evidence.builder().fact("credential", "certificate")
                .fact("certificateExpiresAt", certificateNotAfter).build();
        if (!certificateNotAfter.isAfter(now)) {
            return CheckResult.fail(DiagnosticCheck.CREDENTIAL, null, "The credential certificate expired at "
                    + certificateNotAfter, evidence, Remediation.operator(newCertificateAdvice()));
        }
        Duration left = Duration.between(now, certificateNotAfter);
        if (left.compareTo(CERTIFICATE_WARNING) <= 0) {
            return CheckResult.warn(DiagnosticCheck.CREDENTIAL, null, "The credential certificate expires in "
                    + left.toDays() + " day(s), at " + certificateNotAfter, evidence,
                    Remediation.operator(newCertificateAdvice()));
        }
        return CheckResult.pass(DiagnosticCheck.CREDENTIAL, null, "The credential certificate was accepted; it"
                + " expires in " + left.toDays() + " days", evidence);
    }

    private void tokenFailure(TenantId tenant, OutlookException e, List<CheckResult> out) {
        Evidence evidence = evidence(e.details());
        String code = e.details().errorCode().map(c -> " (" + c + ")").orElse("");
        if (e instanceof TenantException t) {
            String summary = switch (t.reason()) {
                case TENANT_NOT_FOUND -> "Tenant " + tenant.value() + " was not found by "
                        + cloud.loginBaseUrl().getHost() + code;
                case APP_DISABLED -> "The application is disabled in the tenant" + code;
                case POLICY_BLOCKED -> "A Conditional Access policy of the tenant blocks the application" + code;
                case TENANT_MISCONFIGURED -> "Microsoft Graph is not available in the tenant" + code;
            };
            Remediation fix = switch (t.reason()) {
                case TENANT_NOT_FOUND -> Remediation.operator("Check the tenant id. If the customer's tenant is in a"
                        + " national cloud (US Government, China operated by 21Vianet), the client must be built with"
                        + " that cloud's endpoints (OutlookClient.Builder.cloud); this client uses "
                        + cloud.loginBaseUrl().getHost() + ". Otherwise connect the customer again.");
                case APP_DISABLED -> Remediation.administrator("Enable the application: Entra admin center →"
                        + " Enterprise applications → the application → Properties → \"Enabled for users to sign"
                        + " in?\" = Yes.");
                case POLICY_BLOCKED -> Remediation.administrator("Exclude the application (a workload identity)"
                        + " from the Conditional Access policy that blocks it.");
                case TENANT_MISCONFIGURED -> Remediation.administrator("Microsoft Graph's service principal is"
                        + " missing in the tenant; contact Microsoft support for the tenant.");
            };
            out.add(CheckResult.fail(DiagnosticCheck.TENANT, null, summary, evidence, fix));
            skipFrom(out, DiagnosticCheck.CREDENTIAL, DiagnosticCheck.TENANT);
            return;
        }
        if (e instanceof CredentialException c) {
            out.add(tenantAnswered(tenant));
            out.add(CheckResult.fail(DiagnosticCheck.CREDENTIAL, null, (c.isExpired()
                            ? "The application's client secret has expired" : "The application's credential was refused")
                            + code, evidence,
                    Remediation.operator(c.isExpired() || certificateNotAfter == null ? newSecretAdvice()
                            : newCertificateAdvice())));
            skipFrom(out, DiagnosticCheck.CONSENT, DiagnosticCheck.CREDENTIAL);
            return;
        }
        if (e instanceof ConsentException) {
            out.add(tenantAnswered(tenant));
            out.add(CheckResult.pass(DiagnosticCheck.CREDENTIAL, null, "Not refused: the tenant answered that the"
                    + " application is not consented there" + code, Evidence.none()));
            out.add(CheckResult.fail(DiagnosticCheck.CONSENT, null, "Admin consent is missing: the tenant does not"
                    + " know the application (consent never granted, or revoked)" + code, evidence,
                    Remediation.administrator(consentAdvice(tenant))));
            skipFrom(out, DiagnosticCheck.PERMISSIONS, DiagnosticCheck.CONSENT);
            return;
        }
        if (e instanceof ThrottledException t) {
            out.add(tenantAnswered(tenant));
            out.add(CheckResult.fail(DiagnosticCheck.CREDENTIAL, null, "Not checked: the identity platform"
                            + " throttled the token request for " + t.retryAfter().toSeconds() + " s" + code, evidence,
                    Remediation.operator("Run diagnostics again after " + t.retryAfter().toSeconds() + " s. Many"
                            + " token requests in a short time are throttled: the SDK caches tokens per tenant.")));
            skipFrom(out, DiagnosticCheck.CONSENT, DiagnosticCheck.CREDENTIAL);
            return;
        }
        out.add(CheckResult.fail(DiagnosticCheck.TENANT, null, "The identity platform could not be asked: "
                        + e.summary() + code, evidence,
                Remediation.operator("Check the network path from Tekst to " + cloud.loginBaseUrl().getHost()
                        + " and run diagnostics again; a transient failure of the identity platform passes by"
                        + " itself.")));
        skipFrom(out, DiagnosticCheck.CREDENTIAL, DiagnosticCheck.TENANT);
    }

    private CheckResult tenantAnswered(TenantId tenant) {
        return CheckResult.pass(DiagnosticCheck.TENANT, null, "Tenant " + tenant.value() + " is known to "
                + cloud.loginBaseUrl().getHost(), Evidence.builder().fact("loginHost", cloud.loginBaseUrl().getHost())
                .build());
    }

    private CheckResult permissions(Set<String> roles, ConnectionPermissions permissions) {
        Set<String> required = permissions.tokenPermissions();
        Set<String> missing = new TreeSet<>();
        for (String r : required) {
            if (roles.stream().noneMatch(granted -> granted.equalsIgnoreCase(r))) {
                missing.add(r);
            }
        }
        boolean rbac = permissions.mailAccess() == MailAccess.EXCHANGE_RBAC;
        Evidence evidence = Evidence.builder().fact("profile", permissions.profile())
                .fact("mailAccess", permissions.mailAccess()).fact("granted", new TreeSet<>(roles))
                .fact("required", new TreeSet<>(required)).build();
        if (missing.isEmpty()) {
            return CheckResult.pass(DiagnosticCheck.PERMISSIONS, null, "Every permission of profile "
                    + permissions.profile() + " the token must carry is granted: " + new TreeSet<>(required)
                    + (rbac ? "; mail access granted by Exchange RBAC for Applications, scoped (roles "
                    + permissions.profile().exchangeRoles() + ", proven per mailbox below)" : ""), evidence);
        }
        List<String> lost = new ArrayList<>();
        for (String m : missing) {
            lost.add(m + " (" + PermissionProfile.featuresOf(m) + ")");
        }
        return CheckResult.fail(DiagnosticCheck.PERMISSIONS, null, "Missing application permission(s) of profile "
                        + permissions.profile() + ": " + String.join(", ", lost), evidence,
                Remediation.administrator("Grant the missing application permission(s) " + missing + " to the"
                        + " application: Entra admin center → Enterprise applications → the application → Permissions"
                        + " → \"Grant admin consent\" (the application's registration must list them)."));
    }

    // ---- mailboxes and the tenant-side restriction -----------------------------------------------------------------

    private void mailboxesAndRestriction(Connection stored, TenantId tenant, Set<String> roles,
                                         List<MailboxRecord> mailboxes, List<CheckResult> out) {
        ConnectionId connection = stored.id();
        boolean rbac = stored.permissions().mailAccess() == MailAccess.EXCHANGE_RBAC;
        Instant now = clock.instant();
        Set<MailboxId> throttled = new HashSet<>();
        Map<MailboxId, Instant> fences = new HashMap<>();
        for (MailboxRecord m : mailboxes) {
            Instant fence = limiter.fence(tenant, m.mailboxId().value());
            Instant recorded = m.status() == MailboxStatus.THROTTLED ? m.throttledUntil().orElse(null) : null;
            Instant until = later(fence, recorded);
            if (until != null && until.isAfter(now)) {
                throttled.add(m.mailboxId());
                fences.put(m.mailboxId(), until);
            }
        }
        ScopeMode mode = store.findScopeMode(connection);
        Map<MailboxId, MailboxProbe> probes = new LinkedHashMap<>();
        RestrictionVerification verification = null;
        OutlookException restrictionFailure = null;
        List<MailboxRecord> toProbe = mailboxes.stream().filter(m -> !throttled.contains(m.mailboxId())).toList();
        try {
            if (mode == ScopeMode.RESTRICTED && !mailboxes.isEmpty()) {
                verification = restriction.verify(connection, RestrictionCheck.automatic(), throttled);
                verification.inScope().forEach(p -> probes.put(p.mailboxId(), p));
            } else if (!toProbe.isEmpty()) {
                restriction.probe(connection, toProbe).forEach(p -> probes.put(p.mailboxId(), p));
            }
        } catch (OutlookException e) {
            restrictionFailure = e;
        }
        boolean hasMailRole = roles.stream().anyMatch(r -> r.toLowerCase(Locale.ROOT).startsWith("mail."));
        boolean byPolicy = hasMailRole && !rbac;
        for (MailboxRecord m : mailboxes) {
            String subject = m.address().value();
            Evidence.Builder ev = Evidence.builder().fact("type", m.type()).fact("status", m.status());
            if (throttled.contains(m.mailboxId())) {
                out.add(CheckResult.warn(DiagnosticCheck.MAILBOX, subject, "Throttled by Microsoft until "
                                + fences.get(m.mailboxId()) + ": not asked", ev.fact("throttledUntil",
                                fences.get(m.mailboxId())).build(),
                        Remediation.operator("Nothing to do: the SDK waits for Microsoft's Retry-After, then"
                                + " continues. Run diagnostics again after " + fences.get(m.mailboxId()) + ".")));
                continue;
            }
            MailboxProbe p = probes.get(m.mailboxId());
            if (p == null) {
                out.add(CheckResult.warn(DiagnosticCheck.MAILBOX, subject, "Not probed: "
                                + (restrictionFailure == null ? "no answer" : restrictionFailure.summary()),
                        restrictionFailure == null ? ev.build() : merge(ev, restrictionFailure.details()),
                        Remediation.operator("Run diagnostics again; a transient failure passes by itself.")));
                continue;
            }
            ev.errorCode(p.errorCode().orElse(null)).requestId(p.requestId().orElse(null));
            switch (p.outcome()) {
                case READABLE -> out.add(CheckResult.pass(DiagnosticCheck.MAILBOX, subject, "Reachable ("
                        + m.type().name().toLowerCase(Locale.ROOT) + " mailbox)", ev.build()));
                case NOT_ENABLED -> out.add(CheckResult.fail(DiagnosticCheck.MAILBOX, subject, "The account has no"
                                + " Exchange Online mailbox (unlicensed, on-premises, soft-deleted or a guest)",
                        ev.httpStatus(404).build(), Remediation.administrator("Give " + subject + " an Exchange"
                                + " Online license (or remove the mailbox from Tekst's connection).")));
                case NOT_FOUND -> out.add(CheckResult.fail(DiagnosticCheck.MAILBOX, subject, "The account no longer"
                                + " exists in the tenant", ev.httpStatus(404).build(),
                        Remediation.operator("Remove " + subject + " from the connection, or restore the account in"
                                + " the tenant and resume the mailbox.")));
                case DENIED -> out.add(CheckResult.fail(DiagnosticCheck.MAILBOX, subject, byPolicy
                                ? "Denied by the tenant's policy: the token carries a mail permission, so an"
                                + " application access policy of the tenant excludes this mailbox"
                                : rbac ? "Denied by the tenant's RBAC for Applications: no role assignment of the"
                                + " application covers this mailbox (outside its management scope)"
                                : "Denied: no permission covers this mailbox (the token carries no mail permission"
                                + " and no RBAC for Applications role assignment of the application includes it)",
                        ev.httpStatus(403).build(), Remediation.administrator(byPolicy
                                ? "Add " + subject + " to the mail-enabled security group of the application"
                                + " access policy (Exchange takes 30 minutes to 2 hours to apply it)."
                                : "Add " + subject + " to the management scope of the application's RBAC for"
                                + " Applications role assignment (Exchange takes 30 minutes to 2 hours to apply"
                                + " it).")));
                case FAILED -> out.add(CheckResult.warn(DiagnosticCheck.MAILBOX, subject, "No answer to the probe",
                        ev.build(), Remediation.operator("Run diagnostics again; a transient failure passes by"
                                + " itself.")));
            }
        }
        out.add(restriction(mode, mailboxes, verification, restrictionFailure,
                store.findAppliedRestriction(connection).orElse(null), now));
    }

    private CheckResult restriction(ScopeMode mode, List<MailboxRecord> mailboxes, RestrictionVerification v,
                                    OutlookException failure, AppliedRestriction applied, Instant now) {
        if (mode == ScopeMode.ALL_MAILBOXES) {
            return CheckResult.warn(DiagnosticCheck.RESTRICTION, null, "The connection may reach every mailbox of"
                            + " the tenant (ALL_MAILBOXES): there is no scope to restrict", Evidence.none(),
                    Remediation.operator("Switch the connection to RESTRICTED and add the mailboxes to process, so"
                            + " the SDK and the tenant refuse every other mailbox."));
        }
        if (mailboxes.isEmpty()) {
            return CheckResult.warn(DiagnosticCheck.RESTRICTION, null, "No mailbox in the scope yet: nothing to"
                    + " verify", Evidence.none(), Remediation.operator("Add the mailboxes to process, then run the"
                    + " restriction script and verify it."));
        }
        if (v == null) {
            return CheckResult.warn(DiagnosticCheck.RESTRICTION, null, "Not verified: "
                            + (failure == null ? "no answer" : failure.summary()),
                    failure == null ? Evidence.none() : evidence(failure.details()),
                    Remediation.operator("Run diagnostics again; a transient failure passes by itself."));
        }
        Evidence.Builder eb = Evidence.builder().fact("verdict", v.verdict()).fact("findings", v.findings())
                .fact("checkedAt", v.checkedAt()).fact("recheckAt", v.recheckAt());
        String how = "";
        if (applied != null) {
            eb.fact("mechanism", applied.mechanism()).fact("appliedAt", applied.appliedAt());
            how = applied.mechanism() == RestrictionMechanism.RBAC_FOR_APPLICATIONS ? " via RBAC for Applications"
                    : " via an application access policy";
        }
        Evidence evidence = eb.build();
        if (v.verdict() != RestrictionVerification.Verdict.ENFORCED && applied != null && applied.isPropagating(now)) {
            return CheckResult.warn(DiagnosticCheck.RESTRICTION, null, "Propagating: " + v.verdict()
                            + " now; the restriction was applied" + how + " " + human(Duration.between(
                            applied.appliedAt(), now)) + " ago and Exchange takes up to "
                            + human(applied.propagation()) + " to enforce it", evidence,
                    Remediation.operator("Nothing to do yet: run diagnostics again at " + v.recheckAt() + "."));
        }
        return switch (v.verdict()) {
            case ENFORCED -> CheckResult.pass(DiagnosticCheck.RESTRICTION, null, "Enforced" + how + ": every"
                    + " in-scope mailbox probed is readable and every mailbox outside the scope probed is denied",
                    evidence);
            case NOT_ENFORCED -> CheckResult.fail(DiagnosticCheck.RESTRICTION, null, "Not enforced: a mailbox"
                            + " outside the scope is readable", evidence,
                    Remediation.administrator("Run the restriction script Tekst generated (application access"
                            + " policy or RBAC for Applications). If you ran it recently: Exchange takes 30 minutes"
                            + " to 2 hours to apply it; run diagnostics again at " + v.recheckAt() + "."));
            case MISCONFIGURED -> CheckResult.fail(DiagnosticCheck.RESTRICTION, null, "Misconfigured: a mailbox"
                            + " of the scope is denied", evidence,
                    Remediation.administrator("Add every mailbox of the scope to the restriction (the group of the"
                            + " application access policy, or the management scope of the RBAC role assignment)."));
            case INCONCLUSIVE -> CheckResult.warn(DiagnosticCheck.RESTRICTION, null, "Inconclusive: the probes"
                            + " did not show the restriction either way (" + v.findings() + ")", evidence,
                    Remediation.operator("Run diagnostics again at " + v.recheckAt() + "."));
        };
    }

    // ---- sync ------------------------------------------------------------------------------------------------------

    private void sync(ConnectionId connection, List<MailboxRecord> mailboxes, List<CheckResult> out) {
        Instant now = clock.instant();
        Instant since = now.minus(EVENT_WINDOW);
        for (MailboxRecord m : mailboxes) {
            for (FolderRef folder : m.folders()) {
                FolderKey key = new FolderKey(connection, m.mailboxId(), folder.id());
                String subject = m.address().value() + "/" + (folder.path().isEmpty() ? folder.id() : folder.path());
                Optional<FolderCheckpoint> cp = store.findCheckpoint(key);
                Optional<BackfillCursor> cursor = store.findBackfillCursor(key);
                Evidence.Builder ev = Evidence.builder().fact("mailboxStatus", m.status());
                cp.ifPresent(c -> {
                    ev.fact("lastWriteAt", c.updatedAt()).fact("deltaEstablished", c.deltaLink().isPresent());
                    if (c.lastReceivedAt().isPresent()) {
                        ev.fact("newestMessageAt", c.lastReceivedAt());
                    }
                });
                cursor.ifPresent(c -> ev.fact("backfill", c.state()).fact("backfillDelivered", c.delivered())
                        .fact("backfillEstimatedTotal", c.estimatedTotal()));
                int resets = store.countFolderEvents(key, FolderEvent.DELTA_RESET, since);
                int sinkFailures = store.countFolderEvents(key, FolderEvent.SINK_FAILURE, since);
                ev.fact("deltaResets24h", resets).fact("sinkFailures24h", sinkFailures);
                if (m.status().stopsSync()) {
                    out.add(CheckResult.fail(DiagnosticCheck.SYNC, subject, "Stopped: mailbox status " + m.status()
                                    + (m.statusDetail().isEmpty() ? "" : " (" + m.statusDetail() + ")"), ev.build(),
                            m.status() == MailboxStatus.ACCESS_DENIED || m.status() == MailboxStatus.NOT_ENABLED
                                    ? Remediation.administrator(m.status().remediation())
                                    : Remediation.operator(m.status().remediation())));
                    continue;
                }
                if (m.status() == MailboxStatus.PAUSED) {
                    out.add(CheckResult.warn(DiagnosticCheck.SYNC, subject, "Paused", ev.build(),
                            Remediation.operator(m.status().remediation())));
                    continue;
                }
                Instant last = cp.map(FolderCheckpoint::updatedAt).orElse(m.addedAt());
                Duration quiet = Duration.between(last, now);
                if (quiet.compareTo(staleAfter) > 0) {
                    out.add(CheckResult.fail(DiagnosticCheck.SYNC, subject, "Stale: no successful sync of this"
                                    + " folder for " + human(quiet) + (cp.isEmpty() ? " (none since it was added)" : ""),
                            ev.fact("staleAfter", staleAfter).build(),
                            Remediation.operator("Check that a SyncEngine runs for this store and that the"
                                    + " connection was finished (finishSetup); the engine's listener and logs name"
                                    + " the failing call.")));
                    continue;
                }
                if (m.status() == MailboxStatus.THROTTLED && m.throttledUntil().filter(u -> u.isAfter(now)).isPresent()) {
                    out.add(CheckResult.warn(DiagnosticCheck.SYNC, subject, "Throttled until " + m.throttledUntil().orElseThrow(),
                            ev.fact("throttledUntil", m.throttledUntil().orElseThrow()).build(),
                            Remediation.operator(MailboxStatus.THROTTLED.remediation())));
                    continue;
                }
                if (sinkFailures > 0) {
                    out.add(CheckResult.warn(DiagnosticCheck.SYNC, subject, "The sink failed " + sinkFailures
                                    + " time(s) in the last 24 h; last successful write " + human(quiet) + " ago",
                            ev.build(), Remediation.operator("Check the application's MessageSink (its logs name the"
                                    + " failure): the SDK delivers each failed page again, so nothing is lost.")));
                    continue;
                }
                if (resets > 0) {
                    out.add(CheckResult.warn(DiagnosticCheck.SYNC, subject, "Microsoft Graph reset the folder's"
                                    + " delta token " + resets + " time(s) in the last 24 h; the folder was synced again"
                                    + " from its newest message (last successful write " + human(quiet) + " ago)",
                            ev.build(), Remediation.operator("Nothing to do unless it repeats: a reset re-reads"
                                    + " recent mail and the sink may see those messages again (at-least-once).")));
                    continue;
                }
                out.add(CheckResult.pass(DiagnosticCheck.SYNC, subject, cp.isEmpty() ? "Waiting for its first"
                        + " round" : "Last successful write " + human(quiet) + " ago", ev.build()));
            }
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    private static void skipFrom(List<CheckResult> out, DiagnosticCheck first, DiagnosticCheck because) {
        for (DiagnosticCheck c : DiagnosticCheck.values()) {
            if (c.ordinal() >= first.ordinal()) {
                out.add(CheckResult.skipped(c, null, because));
            }
        }
    }

    private static Evidence evidence(ErrorDetails d) {
        return merge(Evidence.builder(), d);
    }

    private static Evidence merge(Evidence.Builder b, ErrorDetails d) {
        d.httpStatus().ifPresent(s -> {
            if (s >= 100 && s <= 599) {
                b.httpStatus(s);
            }
        });
        d.errorCode().ifPresent(b::errorCode);
        d.requestId().ifPresent(b::requestId);
        d.clientRequestId().ifPresent(b::clientRequestId);
        return b.build();
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    static String human(Duration d) {
        long minutes = d.toMinutes();
        if (minutes < 1) {
            return d.toSeconds() + " s";
        }
        if (minutes < 120) {
            return minutes + " min";
        }
        return d.toHours() + " h";
    }

    private static String consentAdvice(TenantId tenant) {
        return "Admin consent is missing. A Global Administrator or Privileged Role Administrator of "
                + (tenant == null ? "the customer's tenant" : "tenant " + tenant.value()) + " must grant admin"
                + " consent: in Tekst, Integrations → Outlook → Connect creates a fresh consent link (the SDK's"
                + " AdminConsentFlow.begin); after the administrator accepts, Tekst verifies the consent.";
    }

    private static String newSecretAdvice() {
        return "Create a new client secret for the application (Entra admin center → App registrations → the"
                + " application → Certificates & secrets), configure it in Tekst, build a new OutlookClient with it and"
                + " resume the engine.";
    }

    private static String newCertificateAdvice() {
        return "Upload a new certificate to the application's registration (Entra admin center → App registrations →"
                + " the application → Certificates & secrets), configure its key in Tekst, build a new OutlookClient"
                + " with it and resume the engine.";
    }
}
