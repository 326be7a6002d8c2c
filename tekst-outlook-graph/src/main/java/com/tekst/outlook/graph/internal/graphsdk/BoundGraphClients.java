package com.tekst.outlook.graph.internal.graphsdk;

import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.core.requests.options.GraphClientOption;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.AnonymousAuthenticationProvider;
import com.microsoft.kiota.http.middleware.RetryHandler;
import com.tekst.outlook.Connection;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionType;
import com.tekst.outlook.OutlookClientException;
import com.tekst.outlook.OutlookException;
import com.tekst.outlook.Sleeper;
import com.tekst.outlook.TenantId;
import com.tekst.outlook.graph.internal.http.GraphCall;
import com.tekst.outlook.graph.internal.http.GraphHttp;
import com.tekst.outlook.graph.internal.http.MailboxLimiter;
import com.tekst.outlook.graph.internal.http.RetryInterceptor;
import com.tekst.outlook.graph.internal.scope.ScopeGuards;
import com.tekst.outlook.store.OutlookStore;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;

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
        TenantId tenant = stored.tenantId().orElseThrow(() -> new OutlookClientException("Connection " + connection
                + " has no verified tenant yet (status " + stored.status() + ")"));
        Bound bound = clients.compute(connection, (id, existing) ->
                existing != null && existing.tenant().equals(tenant) ? existing : new Bound(tenant, build(id, tenant)));
        return bound.client();
    }

    private GraphServiceClient build(ConnectionId connection, TenantId tenant) {
        GraphClientOption option = new GraphClientOption();
        List<Interceptor> chain = new ArrayList<>();
        chain.add(new UnwrapSdkExceptions());
        Arrays.stream(GraphClientFactory.createDefaultGraphInterceptors(option))
                .filter(i -> !(i instanceof RetryHandler))
                .forEach(chain::add);
        chain.add(new TenantTag(GraphCall.forTenant(tenant, connection)));
        chain.addAll(http.interceptors(List.of(guards.forConnection(connection, tenant),
                new RetryInterceptor(clock, sleeper), limiter.interceptor(MailboxLimiter.FenceMode.WAIT))));
        OkHttpClient base = http.base();
        OkHttpClient okHttp = GraphClientFactory.create(option, chain)
                .connectionPool(base.connectionPool())
                .dispatcher(base.dispatcher())
                .sslSocketFactory(base.sslSocketFactory(), base.x509TrustManager())
                .connectTimeout(GraphHttp.CONNECT_TIMEOUT)
                .readTimeout(GraphHttp.READ_TIMEOUT)
                .writeTimeout(GraphHttp.READ_TIMEOUT)
                .callTimeout(GraphHttp.CALL_TIMEOUT)
                .followRedirects(false)
                .retryOnConnectionFailure(false)
                .build();
        GraphServiceClient client = new GraphServiceClient(new AnonymousAuthenticationProvider(), okHttp);
        client.getRequestAdapter().setBaseUrl(graphBaseUrl.toString());
        return client;
    }

    /** Tags every request with the connection's tenant, which authentication, the guard and the limiter read. */
    private static final class TenantTag implements Interceptor {
        private final GraphCall call;

        TenantTag(GraphCall call) {
            this.call = call;
        }

        @Override
        public okhttp3.Response intercept(Chain chain) throws IOException {
            Request request = chain.request();
            if (request.tag(GraphCall.class) == null) {
                request = request.newBuilder().tag(GraphCall.class, call).build();
            }
            return chain.proceed(request);
        }
    }

    /**
     * The outermost interceptor: a refusal of the SDK travels through OkHttp as an {@link IOException} whose cause is
     * the {@link OutlookException}; the Graph SDK would wrap that into a bare {@code RuntimeException}. Thrown as
     * itself here (unchecked), it reaches the caller of the Graph SDK unchanged.
     */
    private static final class UnwrapSdkExceptions implements Interceptor {
        @Override
        public okhttp3.Response intercept(Chain chain) throws IOException {
            try {
                return chain.proceed(chain.request());
            } catch (IOException e) {
                if (e.getCause() instanceof OutlookException sdk) {
                    throw sdk;
                }
                throw e;
            }
        }
    }
}
