package com.tekst.outlook.graph.internal.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.IClientCredential;
import com.tekst.outlook.ErrorDetails;
import com.tekst.outlook.OutlookClientException;
import com.tekst.outlook.OutlookException;
import com.tekst.outlook.ServiceException;
import com.tekst.outlook.Sleeper;
import com.tekst.outlook.TenantId;
import com.tekst.outlook.ThrottledException;
import com.tekst.outlook.graph.CloudEndpoints;
import com.tekst.outlook.graph.internal.Mdc;
import java.net.MalformedURLException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * App-only tokens from msal4j (client credentials), for every customer tenant through ONE
 * {@link ConfidentialClientApplication} with the tenant set per request.
 *
 * <ul>
 *   <li><b>Cache</b>: the SDK's own, per tenant, on the SDK's {@link Clock}; a token is renewed 5 minutes before it
 *       expires (half its lifetime for tokens shorter than 10 minutes). msal4j's cache is bypassed
 *       ({@code skipCache(true)}): it runs on the system clock, and with an authority that has a port it never hits
 *       (it stores under the host and looks up under host:port). See docs/design/003-token-cache-and-msal4j.md.</li>
 *   <li><b>Single flight</b>: concurrent requests for one tenant's token cause one token request; the others wait for
 *       its result. Different tenants never wait for each other.</li>
 *   <li><b>Retries</b> are the SDK's: msal4j's internal retry is disabled; transient failures (5xx, I/O) are retried
 *       twice with exponential backoff through the {@link Sleeper}; a 429's {@code Retry-After} fences the tenant:
 *       until it elapses, requests fail fast with {@link ThrottledException} without reaching Microsoft.</li>
 *   <li><b>Instance discovery</b>: for Microsoft's login hosts msal4j discovers as usual; for any other host (a fake
 *       cloud) the SDK hands msal4j the metadata itself, so msal4j never calls login.microsoftonline.com.</li>
 *   <li><b>Trust</b>: an optional {@link X509TrustManager} becomes msal4j's SSL socket factory.</li>
 * </ul>
 *
 * <p>Thread-safe. Never logs a token, secret or assertion. Internal.
 */
public final class MsalTokenProvider implements TokenProvider, AutoCloseable {
    /** How long before expiry a cached token is renewed. */
    public static final Duration REFRESH_BEFORE_EXPIRY = Duration.ofMinutes(5);
    /** Attempts for one token request when failures are transient. */
    static final int MAX_ATTEMPTS = 3;
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(MsalTokenProvider.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConfidentialClientApplication app;
    private final String scope;
    private final Clock clock;
    private final Sleeper sleeper;
    private final ExecutorService executor;
    private final ConcurrentHashMap<TenantId, AccessToken> cache = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<TenantId, CompletableFuture<AccessToken>> inFlight = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<TenantId, Instant> throttledUntil = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param trustManager the trust for the identity platform's TLS certificate, or {@code null} for the JVM's
     */
    public MsalTokenProvider(String clientId, IClientCredential credential, CloudEndpoints cloud,
                             X509TrustManager trustManager, Clock clock, Sleeper sleeper) {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(credential, "credential");
        Objects.requireNonNull(cloud, "cloud");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.scope = cloud.graphScope();
        this.executor = mdcPropagatingExecutor();
        try {
            ConfidentialClientApplication.Builder builder = ConfidentialClientApplication.builder(clientId, credential)
                    .authority(cloud.loginBaseUrl() + "/organizations/")
                    .disableInternalRetries()
                    .executorService(executor)
                    .logPii(false)
                    .connectTimeoutForDefaultHttpClient(10_000)
                    .readTimeoutForDefaultHttpClient(30_000);
            if (!cloud.isMicrosoftLoginHost()) {
                builder.aadInstanceDiscoveryResponse(instanceDiscoveryMetadata(cloud.loginBaseUrl()));
            }
            if (trustManager != null) {
                SSLContext tls = SSLContext.getInstance("TLS");
                tls.init(null, new TrustManager[] {trustManager}, null);
                builder.sslSocketFactory(tls.getSocketFactory());
            }
            this.app = builder.build();
        } catch (MalformedURLException | GeneralSecurityException | RuntimeException e) {
            executor.shutdownNow();
            throw new OutlookClientException("Cannot set up msal4j for " + cloud.loginBaseUrl() + " ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }

    @Override
    public AccessToken token(TenantId tenant) {
        Objects.requireNonNull(tenant, "tenant");
        ensureOpen();
        AccessToken cached = cache.get(tenant);
        if (cached != null && isFresh(cached)) {
            return cached;
        }
        return singleFlight(tenant, false);
    }

    @Override
    public AccessToken refresh(TenantId tenant) {
        Objects.requireNonNull(tenant, "tenant");
        ensureOpen();
        return singleFlight(tenant, true);
    }

    /** Stops msal4j's threads; later calls fail with {@link OutlookClientException}. */
    @Override
    public void close() {
        closed = true;
        executor.shutdownNow();
        cache.clear();
    }

    private AccessToken singleFlight(TenantId tenant, boolean force) {
        CompletableFuture<AccessToken> mine = new CompletableFuture<>();
        CompletableFuture<AccessToken> running = inFlight.putIfAbsent(tenant, mine);
        if (running != null) {
            return await(running);
        }
        try {
            AccessToken again = cache.get(tenant);
            if (!force && again != null && isFresh(again)) {
                // another thread finished a request between our cache check and taking the slot
                mine.complete(again);
                return again;
            }
            AccessToken fetched = fetchWithRetries(tenant);
            cache.put(tenant, fetched);
            mine.complete(fetched);
            return fetched;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(tenant, mine);
        }
    }

    private static AccessToken await(CompletableFuture<AccessToken> running) {
        try {
            return running.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutlookClientException("Interrupted while waiting for a token", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new ServiceException(false, "The token request failed", ErrorDetails.NONE, e.getCause());
        }
    }

    private AccessToken fetchWithRetries(TenantId tenant) {
        Instant fence = throttledUntil.get(tenant);
        Instant now = clock.instant();
        if (fence != null) {
            if (now.isBefore(fence)) {
                throw new ThrottledException(ThrottledException.Scope.TOKEN_ENDPOINT, Duration.between(now, fence),
                        "The identity platform asked to wait before the next token request",
                        ErrorDetails.forTenant(tenant), null);
            }
            throttledUntil.remove(tenant, fence);
        }
        Duration backoff = FIRST_BACKOFF;
        for (int attempt = 1; ; attempt++) {
            try {
                return fetchOnce(tenant);
            } catch (ThrottledException e) {
                throttledUntil.put(tenant, clock.instant().plus(e.retryAfter()));
                throw e;
            } catch (ServiceException e) {
                if (!e.isRetryable() || attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
                log.debug("Token request failed transiently ({}); attempt {} of {}, retrying in {} ms",
                        e.details().errorCode().orElse("no code"), attempt, MAX_ATTEMPTS, backoff.toMillis());
                sleep(backoff);
                backoff = backoff.multipliedBy(2);
            }
        }
    }

    @SuppressWarnings("try") // the MDC scope is held for its effect on log lines
    private AccessToken fetchOnce(TenantId tenant) {
        try (Mdc.Scope ignored = Mdc.put(Mdc.TENANT, tenant.value())) {
            log.debug("Requesting an app-only token");
            ClientCredentialParameters parameters = ClientCredentialParameters.builder(Set.of(scope))
                    .tenant(tenant.value())
                    .skipCache(true)
                    .build();
            IAuthenticationResult result;
            try {
                result = app.acquireToken(parameters).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OutlookClientException("Interrupted while requesting a token", e);
            } catch (ExecutionException | RuntimeException e) {
                OutlookException mapped = closed
                        ? new OutlookClientException("The OutlookClient is closed", e)
                        : MsalErrors.map(e, tenant, clock);
                log.debug("Token request failed: {}", mapped.getMessage());
                throw mapped;
            }
            Instant acquiredAt = clock.instant();
            Duration lifetime = remainingLifetime(result.expiresOnDate());
            log.debug("Acquired an app-only token valid for {} s", lifetime.toSeconds());
            return new AccessToken(tenant, result.accessToken(), acquiredAt, acquiredAt.plus(lifetime));
        }
    }

    /**
     * msal4j states expiry as an absolute time on the system clock ({@code now + expires_in}); the SDK keeps the
     * remaining lifetime and applies it to its own clock.
     */
    private static Duration remainingLifetime(Date expiresOn) {
        if (expiresOn == null) {
            return Duration.ZERO;
        }
        long millis = expiresOn.getTime() - System.currentTimeMillis();
        return Duration.ofSeconds(Math.max(0, Math.round(millis / 1000.0)));
    }

    private boolean isFresh(AccessToken token) {
        Duration lifetime = Duration.between(token.acquiredAt(), token.expiresAt());
        Duration margin = lifetime.dividedBy(2).compareTo(REFRESH_BEFORE_EXPIRY) < 0
                ? lifetime.dividedBy(2) : REFRESH_BEFORE_EXPIRY;
        return clock.instant().isBefore(token.expiresAt().minus(margin));
    }

    private void sleep(Duration d) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutlookClientException("Interrupted while waiting to retry a token request", e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new OutlookClientException("The OutlookClient is closed");
        }
    }

    /**
     * Instance-discovery metadata for a login host msal4j does not know: the host is its own preferred network and
     * cache alias, with and without the port (msal4j stores under the host and looks up under host:port).
     */
    static String instanceDiscoveryMetadata(URI loginBaseUrl) {
        String host = loginBaseUrl.getHost();
        String hostPort = loginBaseUrl.getPort() > 0 ? host + ":" + loginBaseUrl.getPort() : host;
        ObjectNode root = JSON.createObjectNode();
        root.put("tenant_discovery_endpoint", loginBaseUrl + "/organizations/v2.0/.well-known/openid-configuration");
        root.put("api-version", "1.1");
        ObjectNode entry = root.putArray("metadata").addObject();
        entry.put("preferred_network", host);
        entry.put("preferred_cache", hostPort);
        var aliases = entry.putArray("aliases").add(hostPort);
        if (!hostPort.equals(host)) {
            aliases.add(host);
        }
        return root.toString();
    }

    /**
     * msal4j's threads: daemon, created on demand, idle ones end after a minute; each task runs with the submitting
     * thread's MDC, so msal4j's own log lines carry {@code tenant} and {@code connection} too.
     */
    private static ExecutorService mdcPropagatingExecutor() {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory daemons = r -> {
            Thread t = new Thread(r, "tekst-outlook-msal-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), daemons) {
            @Override
            public void execute(Runnable command) {
                Map<String, String> context = MDC.getCopyOfContextMap();
                super.execute(() -> {
                    Map<String, String> previous = MDC.getCopyOfContextMap();
                    setContext(context);
                    try {
                        command.run();
                    } finally {
                        setContext(previous);
                    }
                });
            }
        };
    }

    private static void setContext(Map<String, String> context) {
        if (context == null) {
            MDC.clear();
        } else {
            MDC.setContextMap(context);
        }
    }
}
