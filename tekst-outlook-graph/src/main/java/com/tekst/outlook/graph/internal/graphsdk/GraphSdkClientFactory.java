package com.tekst.outlook.graph.internal.graphsdk;

import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.core.requests.options.GraphClientOption;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.AnonymousAuthenticationProvider;
import com.microsoft.kiota.http.middleware.RetryHandler;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.OutlookException;
import com.tekst.outlook.Sleeper;
import com.tekst.outlook.TenantId;
import com.tekst.outlook.graph.internal.http.GraphCall;
import com.tekst.outlook.graph.internal.http.GraphHttp;
import com.tekst.outlook.graph.internal.http.MailboxLimiter;
import com.tekst.outlook.graph.internal.http.RetryInterceptor;
import com.tekst.outlook.graph.internal.scope.ScopeGuards;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/** Builds one connection's Graph SDK client (the chain is described on {@link BoundGraphClients}). Internal. */
final class GraphSdkClientFactory {
    private GraphSdkClientFactory() {
    }

    static GraphServiceClient create(GraphHttp http, ScopeGuards guards, MailboxLimiter limiter, Clock clock,
                                     Sleeper sleeper, URI graphBaseUrl, ConnectionId connection, TenantId tenant) {
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
