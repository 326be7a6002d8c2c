package com.tekst.outlook.graph.internal.mailbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tekst.outlook.Connection;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionPermissions;
import com.tekst.outlook.ConnectionType;
import com.tekst.outlook.ErrorDetails;
import com.tekst.outlook.MailAccess;
import com.tekst.outlook.MailboxAccessException;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MalformedResponseException;
import com.tekst.outlook.OutlookClientException;
import com.tekst.outlook.OutlookException;
import com.tekst.outlook.PermissionProfile;
import com.tekst.outlook.Sleeper;
import com.tekst.outlook.TenantId;
import com.tekst.outlook.graph.internal.auth.TokenClaims;
import com.tekst.outlook.graph.internal.auth.TokenProvider;
import com.tekst.outlook.graph.internal.http.GraphCall;
import com.tekst.outlook.graph.internal.http.GraphHttp;
import com.tekst.outlook.graph.internal.http.GraphResponse;
import com.tekst.outlook.graph.internal.http.GraphUrls;
import com.tekst.outlook.graph.internal.http.MailboxLimiter;
import com.tekst.outlook.graph.internal.http.RetryInterceptor;
import com.tekst.outlook.graph.internal.scope.GuardTicket;
import com.tekst.outlook.graph.internal.scope.ScopeGuards;
import com.tekst.outlook.store.OutlookStore;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * What the mailbox-scope services share: the connection's tenant from the store, an OkHttp client per connection
 * with the SDK chain (client-request-id → scope guard → retry → per-mailbox limiter → auth → redacted logging), URL
 * building, JSON reading, and the refinement of a 403 into a tenant policy or a missing permission. Thread-safe.
 * Internal.
 */
public final class MailboxGraph {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    final OutlookStore store;
    final GraphHttp http;
    final GraphUrls urls;
    final ScopeGuards guards;
    final MailboxLimiter limiter;
    final TokenProvider tokens;
    final Clock clock;
    final Sleeper sleeper;
    final String clientId;
    private final Map<ConnectionId, Target> clients = new ConcurrentHashMap<>();

    public MailboxGraph(OutlookStore store, GraphHttp http, URI graphBaseUrl, ScopeGuards guards,
                        MailboxLimiter limiter, TokenProvider tokens, Clock clock, Sleeper sleeper, String clientId) {
        this.store = Objects.requireNonNull(store, "store");
        this.http = Objects.requireNonNull(http, "http");
        this.urls = new GraphUrls(graphBaseUrl);
        this.guards = Objects.requireNonNull(guards, "guards");
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.clientId = Objects.requireNonNull(clientId, "clientId");
    }

    /** A verified organization-wide connection and the client its requests go through. */
    record Target(ConnectionId connection, TenantId tenant, OkHttpClient client, ConnectionPermissions permissions) {
        MailAccess mailAccess() {
            return permissions.mailAccess();
        }

        GraphCall call() {
            return GraphCall.forTenant(tenant, connection).withMailAccess(mailAccess());
        }

        ErrorDetails details() {
            return ErrorDetails.forTenant(tenant).withConnection(connection);
        }
    }

    /**
     * The connection, which must be organization-wide with verified consent.
     *
     * @throws OutlookClientException otherwise
     */
    Target target(ConnectionId connection) {
        Objects.requireNonNull(connection, "connection");
        Connection stored = store.findConnection(connection).orElseThrow(() -> new OutlookClientException(
                "Unknown connection " + connection + ": start it with adminConsent().begin(...)"));
        if (stored.type() != ConnectionType.ORGANIZATION_WIDE) {
            throw new OutlookClientException("Connection " + connection + " is " + stored.type()
                    + "; a mailbox scope belongs to an organization-wide connection");
        }
        TenantId tenant = stored.tenant().orElseThrow(() -> new OutlookClientException("Connection " + connection
                + " has no verified tenant yet (status " + stored.status() + "): complete and verify admin consent"
                + " first"));
        ConnectionPermissions permissions = stored.permissions();
        Target cached = clients.get(connection);
        if (cached != null && cached.tenant().equals(tenant) && cached.permissions().equals(permissions)) {
            return cached;
        }
        OkHttpClient client = http.client(List.of(guards.forConnection(connection, tenant),
                new RetryInterceptor(clock, sleeper), limiter.interceptor(MailboxLimiter.FenceMode.WAIT)));
        Target target = new Target(connection, tenant, client, permissions);
        clients.put(connection, target);
        return target;
    }

    /** GET, returning the JSON body. */
    JsonNode get(Target t, HttpUrl url, GraphCall call, GuardTicket ticket) {
        Request.Builder b = new Request.Builder().url(url).get().tag(GraphCall.class, call);
        if (ticket != null) {
            b.tag(GuardTicket.class, ticket);
        }
        return json(http.execute(t.client(), b.build()), call);
    }

    /** POST of a JSON body, returning the JSON body. */
    JsonNode post(Target t, HttpUrl url, byte[] body, GraphCall call, GuardTicket ticket) {
        Request.Builder b = new Request.Builder().url(url).post(RequestBody.create(body, JSON_TYPE))
                .tag(GraphCall.class, call);
        if (ticket != null) {
            b.tag(GuardTicket.class, ticket);
        }
        return json(http.execute(t.client(), b.build()), call);
    }

    private static JsonNode json(GraphResponse response, GraphCall call) {
        try {
            JsonNode node = JSON.readTree(response.body());
            if (node == null || !node.isObject()) {
                throw new IOException("not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new MalformedResponseException("Microsoft Graph answered something that is not the JSON expected",
                    ErrorDetails.forTenant(call.tenant()).withConnection(call.connection()).withMailbox(call.mailbox())
                            .withRequestId(response.requestId()).withClientRequestId(response.clientRequestId()),
                    e);
        }
    }

    /** The roles of the tenant's current app-only token (empty when it cannot be read). */
    Set<String> roles(TenantId tenant) {
        try {
            return TokenClaims.of(tokens.token(tenant).value()).map(TokenClaims::roles).orElse(Set.of());
        } catch (OutlookException e) {
            return Set.of();
        }
    }

    /**
     * A 403 for a mailbox as {@link MailboxAccessException} {@code ACCESS_DENIED} with its
     * {@link MailboxAccessException.Denial}: the tenant's policy when Graph says so ("Access to OData is disabled."),
     * when the token carries a permission the request needs (an application access policy excludes the mailbox), or
     * when the connection's mailbox permissions come from RBAC for Applications (the mailbox is outside the role
     * assignment's scope); a missing permission otherwise. Other failures are returned unchanged.
     */
    OutlookException refine403(OutlookException e, Target t, Set<String> needsAnyOf, String what) {
        if (e.details().httpStatus().orElse(0) != 403) {
            return e;
        }
        if (e instanceof MailboxAccessException m && m.denial().isPresent()) {
            return e;
        }
        boolean held = roles(t.tenant()).stream().anyMatch(needsAnyOf::contains);
        boolean rbac = t.mailAccess() == MailAccess.EXCHANGE_RBAC
                && needsAnyOf.stream().anyMatch(PermissionProfile::isExchangeGranted);
        MailboxAccessException.Denial denial = held || rbac ? MailboxAccessException.Denial.TENANT_POLICY
                : MailboxAccessException.Denial.MISSING_PERMISSION;
        String summary = held
                ? "The tenant's restriction denies the application access to " + what
                : rbac ? "The tenant's RBAC for Applications does not grant the application access to " + what
                        + " (outside the role assignment's management scope, or the role is not assigned)"
                : "The application lacks the permission to read " + what + " (one of " + new java.util.TreeSet<>(needsAnyOf)
                        + " is needed)";
        return new MailboxAccessException(MailboxAccessException.Reason.ACCESS_DENIED, denial, summary, e.details(), e);
    }

    /** A name from Graph as a {@link MailboxAddress}, or {@code null} when it is absent or not acceptable. */
    static MailboxAddress address(JsonNode node) {
        if (node == null || !node.isTextual() || !MailboxAddress.isValid(node.asText())) {
            return null;
        }
        return MailboxAddress.of(node.asText());
    }
}
