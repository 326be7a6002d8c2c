package com.tekst.outlook.graph.internal.consent;

import com.tekst.outlook.Connection;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionPermissions;
import com.tekst.outlook.ConnectionStatus;
import com.tekst.outlook.ConnectionType;
import com.tekst.outlook.ConsentException;
import com.tekst.outlook.CredentialException;
import com.tekst.outlook.ErrorDetails;
import com.tekst.outlook.InvalidValueException;
import com.tekst.outlook.MailAccess;
import com.tekst.outlook.MalformedResponseException;
import com.tekst.outlook.OutlookClientException;
import com.tekst.outlook.PermissionProfile;
import com.tekst.outlook.Sleeper;
import com.tekst.outlook.TenantException;
import com.tekst.outlook.TenantHint;
import com.tekst.outlook.TenantId;
import com.tekst.outlook.ThrottledException;
import com.tekst.outlook.consent.AdminConsentFlow;
import com.tekst.outlook.consent.ConsentCallback;
import com.tekst.outlook.consent.ConsentOutcome;
import com.tekst.outlook.consent.ConsentRequest;
import com.tekst.outlook.consent.ConsentVerification.Status;
import com.tekst.outlook.consent.ConsentVerification;
import com.tekst.outlook.consent.RejectionReason;
import com.tekst.outlook.graph.CloudEndpoints;
import com.tekst.outlook.graph.internal.Mdc;
import com.tekst.outlook.graph.internal.auth.AccessToken;
import com.tekst.outlook.graph.internal.auth.TokenClaims;
import com.tekst.outlook.graph.internal.auth.TokenProvider;
import com.tekst.outlook.mailbox.MailboxProbe;
import com.tekst.outlook.store.ConsentNonce;
import com.tekst.outlook.store.MailboxRecord;
import com.tekst.outlook.store.OutlookStore;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link AdminConsentFlow} against Microsoft's v2 admin-consent endpoint, with a signed, expiring, single-use
 * {@code state} ({@link ConsentState}) and verification by an app-only token's {@code roles}. Immutable and
 * thread-safe. Never logs the {@code state}, a token or a secret. Internal.
 */
public final class GraphAdminConsentFlow implements AdminConsentFlow {
    /** The longest redirect URI accepted (Microsoft allows 256 characters per registered URI). */
    public static final int MAX_REDIRECT_URI_LENGTH = 1024;
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration MAX_RETRY = Duration.ofSeconds(16);
    private static final Set<String> SINGLE_VALUED = Set.of("state", "tenant", "admin_consent", "scope", "error",
            "error_description", "error_uri", "error_subcode");

    private static final Logger log = LoggerFactory.getLogger(GraphAdminConsentFlow.class);

    private final String clientId;
    private final CloudEndpoints cloud;
    private final OutlookStore store;
    private final Clock clock;
    private final Sleeper sleeper;
    private final ConsentState states;
    private final TokenProvider tokens;
    private final ConnectionPermissions defaultPermissions;
    private final MailboxProver prover;
    private final Duration stateLifetime;
    private final Duration propagationWindow;
    private final SecureRandom random = new SecureRandom();

    public GraphAdminConsentFlow(String clientId, CloudEndpoints cloud, OutlookStore store, Clock clock,
                                 Sleeper sleeper, ConsentState states, TokenProvider tokens,
                                 ConnectionPermissions defaultPermissions, MailboxProver prover,
                                 Duration stateLifetime, Duration propagationWindow) {
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.cloud = Objects.requireNonNull(cloud, "cloud");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.states = Objects.requireNonNull(states, "states");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.defaultPermissions = Objects.requireNonNull(defaultPermissions, "defaultPermissions");
        this.prover = Objects.requireNonNull(prover, "prover");
        this.stateLifetime = Objects.requireNonNull(stateLifetime, "stateLifetime");
        this.propagationWindow = Objects.requireNonNull(propagationWindow, "propagationWindow");
    }

    /** Content-free probes of a connection's mailboxes (the restriction's probe). */
    @FunctionalInterface
    public interface MailboxProver {
        List<MailboxProbe> probe(ConnectionId connection, List<MailboxRecord> mailboxes);
    }

    // ---- begin -----------------------------------------------------------------------------------------------------

    @Override
    public ConsentRequest begin(ConnectionId connection, URI redirectUri, TenantHint hint) {
        return begin(connection, redirectUri, hint, null);
    }

    @Override
    public ConsentRequest begin(ConnectionId connection, URI redirectUri, TenantHint hint,
                                ConnectionPermissions permissions) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(hint, "hint");
        String redirect = checkRedirectUri(redirectUri);
        return start(connection, redirect, hint, permissions);
    }

    @SuppressWarnings("try") // the MDC scope is held for its effect on log lines
    private ConsentRequest start(ConnectionId connection, String redirect, TenantHint hint,
                                 ConnectionPermissions permissions) {
        try (Mdc.Scope ignored = Mdc.put(Mdc.CONNECTION, connection.value())) {
            Instant now = clock.instant();
            Optional<Connection> existing = store.findConnection(connection);
            existing.ifPresent(GraphAdminConsentFlow::requireOrganizationWide);
            if (existing.isEmpty()) {
                store.saveConnection(Connection.pending(connection, ConnectionType.ORGANIZATION_WIDE,
                        permissions != null ? permissions : defaultPermissions, now));
            } else if (permissions != null && !existing.get().permissions().equals(permissions)) {
                store.saveConnection(existing.get().withPermissions(permissions));
            }
            store.purgeExpiredConsentNonces(now);
            byte[] nonce = new byte[ConsentState.NONCE_LENGTH];
            random.nextBytes(nonce);
            Instant expiresAt = now.plus(stateLifetime);
            store.saveConsentNonce(new ConsentNonce(ConsentState.digest(nonce), connection, redirect, now, expiresAt));
            String state = states.sign(nonce, now, connection, redirect);
            URI consentUrl = URI.create(cloud.loginBaseUrl() + "/" + encode(hint.value()) + "/v2.0/adminconsent"
                    + "?client_id=" + encode(clientId)
                    + "&scope=" + encode(cloud.graphScope())
                    + "&redirect_uri=" + encode(redirect)
                    + "&state=" + encode(state));
            log.info("Admin consent started for directory '{}'; the consent link expires at {}", hint, expiresAt);
            return new ConsentRequest(connection, consentUrl, state, expiresAt);
        }
    }

    /** Absolute https (http only on loopback), with a host, no user info, no fragment, at most 1,024 characters. */
    public static String checkRedirectUri(URI uri) {
        if (uri == null) {
            throw new InvalidValueException("redirect URI", "must not be null");
        }
        String s = uri.toString();
        if (s.length() > MAX_REDIRECT_URI_LENGTH) {
            throw new InvalidValueException("redirect URI", "must be at most " + MAX_REDIRECT_URI_LENGTH
                    + " characters", s);
        }
        if (!uri.isAbsolute() || uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new InvalidValueException("redirect URI", "must be an absolute URL with a host", s);
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        boolean loopback = host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
        if (!scheme.equals("https") && !(scheme.equals("http") && loopback)) {
            throw new InvalidValueException("redirect URI", "must use https (plain http only on localhost, as"
                    + " Microsoft allows)", s);
        }
        if (uri.getRawFragment() != null) {
            throw new InvalidValueException("redirect URI", "must not have a fragment", s);
        }
        if (uri.getRawUserInfo() != null) {
            throw new InvalidValueException("redirect URI", "must not carry user info", s);
        }
        return s;
    }

    // ---- complete --------------------------------------------------------------------------------------------------

    @Override
    @SuppressWarnings("try") // the MDC scope is held for its effect on log lines
    public ConsentOutcome complete(ConnectionId expectedConnection, ConsentCallback callback) {
        Objects.requireNonNull(expectedConnection, "expectedConnection");
        Objects.requireNonNull(callback, "callback");
        try (Mdc.Scope ignored = Mdc.put(Mdc.CONNECTION, expectedConnection.value())) {
            ConsentOutcome outcome = evaluate(expectedConnection, callback);
            if (outcome instanceof ConsentOutcome.Granted g) {
                log.info("Microsoft reports admin consent for tenant {}; verification pending", g.claimedTenant());
            } else if (outcome instanceof ConsentOutcome.Denied d) {
                log.info("Admin consent was not granted: {}{}", d.reason(),
                        d.aadstsCode() == 0 ? "" : " (AADSTS" + d.aadstsCode() + ")");
            } else if (outcome instanceof ConsentOutcome.Rejected r) {
                log.warn("Consent callback rejected: {} ({})", r.reason(), r.detail());
            }
            return outcome;
        }
    }

    private ConsentOutcome evaluate(ConnectionId expected, ConsentCallback callback) {
        switch (callback.defect()) {
            case OVERSIZED:
                return new ConsentOutcome.Rejected(RejectionReason.CALLBACK_OVERSIZED, "");
            case MALFORMED_ENCODING:
                return new ConsentOutcome.Rejected(RejectionReason.CALLBACK_MALFORMED, "");
            default:
                break;
        }
        for (String name : new TreeSet<>(SINGLE_VALUED)) {
            if (callback.isDuplicated(name)) {
                return new ConsentOutcome.Rejected(RejectionReason.PARAMETER_DUPLICATED,
                        "parameter '" + name + "' occurs " + callback.parameters().get(name).size() + " times");
            }
        }
        Optional<String> state = callback.first("state").filter(s -> !s.isBlank());
        if (state.isEmpty()) {
            return new ConsentOutcome.Rejected(RejectionReason.STATE_MISSING, "");
        }
        ConsentState.Check check = states.verify(state.get());
        if (check instanceof ConsentState.Malformed m) {
            return new ConsentOutcome.Rejected(RejectionReason.STATE_MALFORMED, m.detail());
        }
        if (check instanceof ConsentState.Forged f) {
            return new ConsentOutcome.Rejected(RejectionReason.STATE_FORGED, f.detail());
        }
        ConsentState.Payload payload = ((ConsentState.Valid) check).payload();
        // The signature is ours: burn the nonce now, whatever else is wrong with the callback.
        Optional<ConsentNonce> nonce = store.consumeConsentNonce(payload.nonceDigest());
        Instant now = clock.instant();
        if (now.isAfter(payload.issuedAt().plus(stateLifetime))) {
            return new ConsentOutcome.Rejected(RejectionReason.STATE_EXPIRED, "issued at " + payload.issuedAt()
                    + ", valid for " + stateLifetime.toMinutes() + " min");
        }
        if (!payload.connection().equals(expected)) {
            return new ConsentOutcome.Rejected(RejectionReason.STATE_WRONG_CONNECTION, "");
        }
        if (nonce.isEmpty()) {
            return new ConsentOutcome.Rejected(RejectionReason.STATE_REPLAYED, "");
        }
        if (!nonce.get().connection().equals(payload.connection())
                || !nonce.get().redirectUri().equals(payload.redirectUri())) {
            return new ConsentOutcome.Rejected(RejectionReason.STATE_FORGED, "the stored nonce belongs elsewhere");
        }
        return MicrosoftAnswer.read(payload.connection(), callback);
    }

    // ---- verify ----------------------------------------------------------------------------------------------------

    @Override
    @SuppressWarnings("try") // the MDC scope is held for its effect on log lines
    public ConsentVerification verify(ConsentOutcome.Granted granted) {
        Objects.requireNonNull(granted, "granted");
        ConnectionId id = granted.connection();
        TenantId tenant = granted.claimedTenant();
        try (Mdc.Scope ignored = Mdc.put(Mdc.CONNECTION, id.value(), Mdc.TENANT, tenant.value())) {
            Optional<Connection> stored = store.findConnection(id);
            stored.ifPresent(GraphAdminConsentFlow::requireOrganizationWide);
            Optional<TenantId> bound = stored.flatMap(Connection::tenant);
            if (bound.isPresent() && !bound.get().equals(tenant)) {
                log.warn("Consent was granted in tenant {} but the connection is bound to tenant {}; nothing changed",
                        tenant, bound.get());
                return new ConsentVerification(id, tenant, Status.TENANT_MISMATCH, Set.of(), Set.of(), null,
                        "The connection is bound to tenant " + bound.get() + "; consent granted in another tenant"
                                + " needs a new connection");
            }
            ConnectionPermissions permissions = stored.map(Connection::permissions).orElse(defaultPermissions);
            ConsentVerification verdict = prove(id, tenant, permissions);
            Optional<ConnectionStatus> status = verdict.connectionStatus();
            if (status.isPresent()) {
                Instant now = clock.instant();
                Connection base = stored.orElseGet(() -> Connection.pending(id, ConnectionType.ORGANIZATION_WIDE,
                        permissions, now));
                store.saveConnection(verdict.isVerified() ? base.connectedTo(tenant, now)
                        : base.withStatus(status.get()));
            }
            if (verdict.isVerified()) {
                log.info("Admin consent verified; the connection is CONNECTED to tenant {}", tenant);
            } else {
                log.warn("Admin consent not verified: {}. {}", verdict.status(), verdict.detail());
            }
            return verdict;
        }
    }

    /**
     * Acquires a new token for the tenant and checks it. "Application not found" right after consent may only mean
     * the consent has not propagated yet: it is retried within the propagation window, waiting 1 s, 2 s, 4 s … (at
     * most 16 s, the last wait cut to end exactly at the window's end) through the sleeper and measured on the clock.
     */
    private ConsentVerification prove(ConnectionId id, TenantId tenant, ConnectionPermissions permissions) {
        Instant deadline = clock.instant().plus(propagationWindow);
        Duration wait = FIRST_RETRY;
        for (int attempt = 1; ; attempt++) {
            try {
                return judge(id, tenant, tokens.refresh(tenant), permissions);
            } catch (ConsentException e) {
                Instant now = clock.instant();
                String code = e.details().errorCode().orElse("no code");
                if (!now.isBefore(deadline)) {
                    return verdict(id, tenant, Status.CONSENT_MISSING, "Admin consent is missing: the tenant has not"
                            + " consented to the application (" + code + (attempt > 1 ? ", " + attempt
                            + " checks over " + propagationWindow.toSeconds() + " s" : "") + ")");
                }
                Duration pause = wait.compareTo(Duration.between(now, deadline)) < 0
                        ? wait : Duration.between(now, deadline);
                log.debug("Consent not visible to the token endpoint yet ({}); checking again in {} ms", code,
                        pause.toMillis());
                sleep(pause);
                wait = wait.multipliedBy(2).compareTo(MAX_RETRY) < 0 ? wait.multipliedBy(2) : MAX_RETRY;
            } catch (CredentialException e) {
                return verdict(id, tenant, Status.CREDENTIAL_INVALID, e.summary() + codeOf(e.details()));
            } catch (TenantException e) {
                return verdict(id, tenant, e.reason() == TenantException.Reason.TENANT_NOT_FOUND
                        ? Status.TENANT_NOT_FOUND : Status.APP_DISABLED, e.summary() + codeOf(e.details()));
            } catch (ThrottledException e) {
                return new ConsentVerification(id, tenant, Status.THROTTLED, Set.of(), Set.of(), e.retryAfter(),
                        "The identity platform throttled the check; verify again after " + e.retryAfter().toSeconds()
                                + " s");
            }
        }
    }

    private ConsentVerification judge(ConnectionId id, TenantId tenant, AccessToken token,
                                      ConnectionPermissions permissions) {
        TokenClaims claims = TokenClaims.of(token.value()).orElseThrow(() -> new MalformedResponseException(
                "The access token is not a JWT; its permissions cannot be checked", ErrorDetails.forTenant(tenant),
                null));
        if (!claims.tenantId().equalsIgnoreCase(tenant.value())) {
            return verdict(id, tenant, Status.CONSENT_MISSING, "Admin consent is missing: the token was issued for"
                    + " another tenant");
        }
        Set<String> required = permissions.tokenPermissions();
        Set<String> missing = new TreeSet<>();
        for (String r : required) {
            if (claims.roles().stream().noneMatch(granted -> granted.equalsIgnoreCase(r))) {
                missing.add(r);
            }
        }
        if (!missing.isEmpty()) {
            return new ConsentVerification(id, tenant, Status.PERMISSIONS_MISSING, claims.roles(), missing, null,
                    "Admin consent is missing permissions: " + missing + " (granted: " + new TreeSet<>(claims.roles())
                            + "). Add them to the app registration's API permissions and ask the administrator to"
                            + " consent again");
        }
        if (permissions.mailAccess() == MailAccess.EXCHANGE_RBAC) {
            return judgeRbac(id, tenant, claims.roles(), permissions);
        }
        return new ConsentVerification(id, tenant, Status.VERIFIED, claims.roles(), Set.of(), null,
                "Admin consent verified: the application holds " + new TreeSet<>(required));
    }

    /**
     * RBAC for Applications: Exchange evaluates the mail roles server-side, so the token cannot show them. With
     * mailboxes in the connection, one content-free read of an Inbox id proves (or disproves) the grant.
     */
    private ConsentVerification judgeRbac(ConnectionId id, TenantId tenant, Set<String> roles,
                                          ConnectionPermissions permissions) {
        String entra = "Admin consent verified for " + new TreeSet<>(permissions.tokenPermissions());
        boolean tenantWideMail = roles.stream().anyMatch(PermissionProfile::isExchangeGranted);
        String caveat = tenantWideMail ? "; the token also carries a tenant-wide mail permission from Entra ID, so"
                + " the RBAC scope restricts nothing until that consent is removed" : "";
        List<MailboxRecord> mailboxes = store.findConnection(id).flatMap(Connection::tenant).isPresent()
                ? store.listMailboxes(id) : List.of();
        MailboxRecord denied = null;
        for (MailboxRecord m : mailboxes) {
            MailboxProbe p = prover.probe(id, List.of(m)).get(0);
            if (p.outcome() == MailboxProbe.Outcome.READABLE) {
                return new ConsentVerification(id, tenant, Status.VERIFIED, roles, Set.of(), null, entra
                        + "; mail access granted by Exchange RBAC for Applications (mailbox " + m.address()
                        + " readable, no content read)" + caveat);
            }
            if (p.outcome() == MailboxProbe.Outcome.DENIED && denied == null) {
                denied = m;
            }
        }
        if (denied != null) {
            return new ConsentVerification(id, tenant, Status.PERMISSIONS_MISSING, roles,
                    new TreeSet<>(permissions.profile().exchangeRoles()), null, entra + ", but Exchange denies every"
                    + " mailbox of the connection probed (first: " + denied.address() + "): assign the application"
                    + " the roles " + permissions.profile().exchangeRoles() + " over a management scope that includes"
                    + " the connection's mailboxes (New-ManagementRoleAssignment; Exchange takes 30 minutes to 2"
                    + " hours to apply it)");
        }
        return new ConsentVerification(id, tenant, Status.VERIFIED, roles, Set.of(), null, entra + "; the mail"
                + " roles granted by Exchange RBAC for Applications are proven by the connection's first readable"
                + " mailbox (none yet)" + caveat);
    }

    private static ConsentVerification verdict(ConnectionId id, TenantId tenant, Status status, String detail) {
        return new ConsentVerification(id, tenant, status, Set.of(), Set.of(), null, detail);
    }

    private static String codeOf(ErrorDetails details) {
        return details.errorCode().map(c -> " (" + c + ")").orElse("");
    }

    private static void requireOrganizationWide(Connection connection) {
        if (connection.type() != ConnectionType.ORGANIZATION_WIDE) {
            throw new OutlookClientException("Connection " + connection.id() + " is a "
                    + connection.type().displayName() + "; admin consent applies to organization-wide connections");
        }
    }

    private void sleep(Duration d) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutlookClientException("Interrupted while waiting for consent to propagate", e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
