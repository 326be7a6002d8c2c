package com.tekst.outlook.graph.internal.graphsdk;

import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.tekst.outlook.Connection;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionType;
import com.tekst.outlook.OutlookClientException;
import com.tekst.outlook.Sleeper;
import com.tekst.outlook.TenantId;
import com.tekst.outlook.graph.internal.http.GraphHttp;
import com.tekst.outlook.graph.internal.http.MailboxLimiter;
import com.tekst.outlook.graph.internal.scope.ScopeGuards;
import com.tekst.outlook.store.OutlookStore;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tenant-bound, scope-guarded Graph SDK clients, one per connection. The OkHttp client comes from the Graph SDK's own
 * factory ({@link GraphClientFactory}: URL replacement, telemetry, redirects, parameter-name decoding, user agent,
 * header inspection) without its {@link RetryHandler}, on the SDK's shared connection pool, dispatcher and TLS trust,
 * followed by the SDK's chain:
 * <pre>
 *   unwrap SDK exceptions → Graph SDK handlers → tenant tag → client-request-id → scope guard → retry (Retry-After
 *   exactly, through the Sleeper) → per-mailbox limiter (shared with sync) → auth (the tenant's app-only token) →
 *   redacted logging
 * </pre>
 * Graph's error answers reach the caller as the Graph SDK's {@code ODataError}; a refusal of the SDK's own (the scope
 * guard's {@code MailboxOutOfScopeException}, a token failure) is thrown as itself, not wrapped. Thread-safe. Internal.
 * <p>
 * {@code microsoft-graph} is an optional dependency of this module: this class names Graph SDK types only in
 * signatures, so it loads without them; {@link GraphSdkClientFactory}, which builds the clients, is loaded on the
 * first {@link #forConnection} call.
 */
public final class BoundGraphClients {
    private final OutlookStore store;
    private final GraphHttp http;
    private final ScopeGuards guards;
    private final MailboxLimiter limiter;
    private final Clock clock;
    private final Sleeper sleeper;
    private final URI graphBaseUrl;
    private final Map<ConnectionId, Bound> clients = new ConcurrentHashMap<>();

    private record Bound(TenantId tenant, GraphServiceClient client) {
    }

    public BoundGraphClients(OutlookStore store, GraphHttp http, ScopeGuards guards, MailboxLimiter limiter,
                             Clock clock, Sleeper sleeper, URI graphBaseUrl) {
        this.store = Objects.requireNonNull(store, "store");
        this.http = Objects.requireNonNull(http, "http");
        this.guards = Objects.requireNonNull(guards, "guards");
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.graphBaseUrl = Objects.requireNonNull(graphBaseUrl, "graphBaseUrl");
    }

    /**
     * The client of a verified organization-wide connection (the same instance while its tenant is the same).
     *
     * @throws OutlookClientException if the connection is unknown, personal, or has no verified tenant
     */
    public GraphServiceClient forConnection(ConnectionId connection) {
        Objects.requireNonNull(connection, "connection");
        Connection stored = store.findConnection(connection).orElseThrow(() -> new OutlookClientException(
                "Unknown connection " + connection));
        if (stored.type() != ConnectionType.ORGANIZATION_WIDE) {
            throw new OutlookClientException("Connection " + connection + " is not organization-wide");
        }
        TenantId tenant = stored.tenant().orElseThrow(() -> new OutlookClientException("Connection " + connection
                + " has no verified tenant yet (status " + stored.status() + ")"));
        Bound bound = clients.compute(connection, (id, existing) ->
                existing != null && existing.tenant().equals(tenant) ? existing : new Bound(tenant, build(id, tenant)));
        return bound.client();
    }

    private GraphServiceClient build(ConnectionId connection, TenantId tenant) {
        // Graph SDK classes are loaded here first: without microsoft-graph on the classpath (an optional dependency)
        // nothing else of the SDK needs them.
        return GraphSdkClientFactory.create(http, guards, limiter, clock, sleeper, graphBaseUrl, connection, tenant);
    }
}
