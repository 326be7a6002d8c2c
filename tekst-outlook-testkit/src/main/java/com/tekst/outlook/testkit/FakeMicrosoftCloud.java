package com.tekst.outlook.testkit;

import com.tekst.outlook.TenantId;
import com.tekst.outlook.testkit.internal.CloudContext;
import com.tekst.outlook.testkit.internal.CloudDispatcher;
import com.tekst.outlook.testkit.internal.Json;
import com.tekst.outlook.testkit.internal.TokenService;
import com.tekst.outlook.testkit.internal.identity.IdentityEndpoints;
import com.tekst.outlook.testkit.internal.mail.TenantMail;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509TrustManager;
import mockwebserver3.MockWebServer;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/**
 * A fake Microsoft cloud on loopback HTTPS: the identity platform ({@code /{tenant}/oauth2/v2.0/token}, admin consent,
 * instance discovery) and Microsoft Graph ({@code /v1.0}) on one server, serving {@link FakeTenant}s to one
 * multi-tenant {@link FakeApp} (Tekst's application).
 *
 * <pre>{@code
 * try (FakeMicrosoftCloud cloud = FakeMicrosoftCloud.builder()
 *         .tenant(FakeTenant.builder("contoso").administrator("admin@contoso.onmicrosoft.com").consentGranted())
 *         .start()) {
 *     // point the SDK at cloud.loginBaseUrl() and cloud.graphBaseUrl(), trusting cloud.trustManager()
 * }
 * }</pre>
 *
 * <p>The server's certificate is issued by a throwaway root made at start; clients trust it through
 * {@link #trustManager()}, {@link #sslSocketFactory()} or {@link #caCertificatePem()}. Everything the fake decides
 * by chance (ids, secrets, token lifetimes) is drawn from the seed, so the same seed gives the same cloud. Time is the
 * {@link FakeClock}. Thread-safe.
 */
public final class FakeMicrosoftCloud implements AutoCloseable, com.tekst.outlook.TestCloud {
    /** Default seed: a fixed number, so two runs without a seed are the same run. */
    public static final long DEFAULT_SEED = 20260105L;

    private final FakeClock clock;
    private final long seed;
    private final FakeApp app;
    private final List<FakeApp> apps = new CopyOnWriteArrayList<>();
    private final List<FakeTenant> tenants = new CopyOnWriteArrayList<>();
    private final RequestJournal journal;
    private final Faults faults = new Faults();
    private final TokenService tokens;
    private final MockWebServer server = new MockWebServer();
    private final HeldCertificate root;
    private final HandshakeCertificates clientTrust;
    private final String baseUrl;
    private volatile MailboxThrottling mailboxThrottling;
    private volatile Duration deltaTokenLifetime;
    private volatile int deltaPageOverlap;
    private volatile double deltaPageOverlapFraction;
    private volatile int filteredDeltaLimit;
    private volatile int emptyDeltaPageEvery;
    private volatile double emptyDeltaPageProbability;
    private volatile boolean syncResetLocation;
    private volatile boolean retryAfterAsHttpDate;
    private volatile boolean shuffleBatchResponses;

    private FakeMicrosoftCloud(Builder b) throws IOException {
        this.clock = b.clock;
        this.seed = b.seed;
        this.mailboxThrottling = b.mailboxThrottling;
        this.deltaTokenLifetime = b.deltaTokenLifetime;
        this.deltaPageOverlap = b.deltaPageOverlap;
        this.deltaPageOverlapFraction = b.deltaPageOverlapFraction;
        this.filteredDeltaLimit = b.filteredDeltaLimit;
        this.emptyDeltaPageEvery = b.emptyDeltaPageEvery;
        this.emptyDeltaPageProbability = b.emptyDeltaPageProbability;
        this.syncResetLocation = b.syncResetLocation;
        this.retryAfterAsHttpDate = b.retryAfterAsHttpDate;
        this.shuffleBatchResponses = b.shuffleBatchResponses;
        this.journal = new RequestJournal(b.journalCapacity);
        this.tokens = new TokenService(seed);
        Random random = new Random(seed);
        FakeApp.Builder ab = b.app;
        String clientId = ab.clientId != null ? ab.clientId : new UUID(random.nextLong(), random.nextLong()).toString();
        this.app = new FakeApp(clientId, ab.displayName, ab.permissions, ab.multiTenant, ab.redirectUris, clock);
        String secret = ab.secret != null ? ab.secret : secretFrom(random);
        app.addSecret(secret, ab.secretValidity);
        apps.add(app);

        this.root = new HeldCertificate.Builder()
                .certificateAuthority(0)
                .commonName("Tekst FakeMicrosoftCloud Root")
                .validityInterval(System.currentTimeMillis() - TimeUnit.DAYS.toMillis(1),
                        System.currentTimeMillis() + TimeUnit.DAYS.toMillis(3650))
                .build();
        HeldCertificate serverCert = new HeldCertificate.Builder()
                .commonName("localhost")
                .addSubjectAlternativeName("localhost")
                .addSubjectAlternativeName("127.0.0.1")
                .signedBy(root)
                .validityInterval(System.currentTimeMillis() - TimeUnit.DAYS.toMillis(1),
                        System.currentTimeMillis() + TimeUnit.DAYS.toMillis(3650))
                .build();
        HandshakeCertificates serverCerts = new HandshakeCertificates.Builder()
                .heldCertificate(serverCert, root.certificate())
                .build();
        this.clientTrust = new HandshakeCertificates.Builder().addTrustedCertificate(root.certificate()).build();
        server.useHttps(new com.tekst.outlook.testkit.internal.ServerTls(serverCerts.sslSocketFactory()));
        server.setDispatcher(new CloudDispatcher(new Context(), this::drainServerQueue));
        if (!b.http2) {
            server.setProtocols(List.of(okhttp3.Protocol.HTTP_1_1));
        }
        server.start(InetAddress.getByName("localhost"), b.port);
        this.baseUrl = "https://localhost:" + server.getPort();
        for (FakeTenant.Builder tb : b.tenants) {
            addTenant(tb.build());
        }
    }

    /** A cloud with the default seed, clock and app, and no tenant yet. */
    public static FakeMicrosoftCloud start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---- endpoints and trust ---------------------------------------------------------------------------------------

    /** The identity platform's base URL, e.g. {@code https://localhost:PORT} (what {@code login.microsoftonline.com} is to Microsoft). */
    public URI loginBaseUrl() {
        return URI.create(baseUrl);
    }

    /** Graph's base URL, e.g. {@code https://localhost:PORT/v1.0} (no trailing slash). */
    public URI graphBaseUrl() {
        return URI.create(baseUrl + "/v1.0");
    }

    /** The msal4j authority for a tenant: {@code https://localhost:PORT/{tenant}/}. */
    public String authority(TenantId tenant) {
        return baseUrl + "/" + tenant.value() + "/";
    }

    public int port() {
        return server.getPort();
    }

    /** Trusts the fake's certificate (and nothing else). */
    public X509TrustManager trustManager() {
        return clientTrust.trustManager();
    }

    /** An SSL socket factory trusting the fake's certificate (for msal4j's {@code sslSocketFactory}). */
    public SSLSocketFactory sslSocketFactory() {
        return clientTrust.sslSocketFactory();
    }

    /** The root certificate to trust, PEM-encoded (for browsers and tools outside the JVM). */
    public String caCertificatePem() {
        return root.certificatePem();
    }

    /**
     * Instance-discovery metadata for msal4j's {@code aadInstanceDiscoveryResponse(...)}, so it makes no call to
     * login.microsoftonline.com and its token cache works with a host and port.
     */
    public String instanceDiscoveryJson(TenantId tenant) {
        return Json.write(IdentityEndpoints.instanceDiscovery(baseUrl, tenant.value()));
    }

    // ---- admin consent --------------------------------------------------------------------------------------------

    /**
     * Answers an admin-consent URL as an administrator would in a browser, without parsing HTML: posts the consent
     * page's form ({@code login} = {@code account}, Accept or Cancel) to this cloud over HTTPS, through the same code
     * path as the page's buttons, and returns where the browser would be redirected, e.g.
     * {@code https://app.example/callback?admin_consent=True&tenant=…&scope=…&state=…}.
     *
     * <p>Accepting as an administrator of the tenant records consent (after the tenant's consent propagation delay);
     * a non-administrator, an account of another directory or Cancel give Microsoft's error redirects.
     *
     * @param consentUrl the {@code /{tenant}/v2.0/adminconsent} (or v1 {@code /{tenant}/adminconsent}) URL
     * @param account    the signing-in account's user principal name
     * @param accept     Accept ({@code true}) or Cancel ({@code false})
     * @return the redirect the browser would follow
     * @throws IllegalArgumentException if the URL is not this cloud's
     * @throws IllegalStateException    if the fake answers with an error page instead of a redirect (an unknown
     *                                  application, an unregistered redirect URI, an unknown account…); the message
     *                                  carries the page's {@code AADSTS} line
     */
    public URI adminConsent(URI consentUrl, String account, boolean accept) {
        Objects.requireNonNull(consentUrl, "consentUrl");
        Objects.requireNonNull(account, "account");
        okhttp3.HttpUrl url = okhttp3.HttpUrl.parse(consentUrl.toString());
        if (url == null || !url.scheme().equals("https") || url.port() != port()
                || !(url.host().equals("localhost") || url.host().equals("127.0.0.1"))) {
            throw new IllegalArgumentException("not an admin-consent URL of this fake cloud (" + baseUrl + ")");
        }
        okhttp3.FormBody.Builder form = new okhttp3.FormBody.Builder();
        for (String name : url.queryParameterNames()) {
            for (String value : url.queryParameterValues(name)) {
                form.add(name, value == null ? "" : value);
            }
        }
        form.add("login", account).add("action", accept ? "accept" : "cancel");
        okhttp3.Request request = new okhttp3.Request.Builder()
                .url(url.newBuilder().query(null).build())
                .post(form.build())
                .build();
        try (okhttp3.Response response = browser().newCall(request).execute()) {
            String location = response.header("Location");
            if (response.isRedirect() && location != null) {
                return URI.create(location);
            }
            String body = response.body().string();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("AADSTS\\d+:[^<]*").matcher(body);
            throw new IllegalStateException("the fake identity platform answered HTTP " + response.code()
                    + " instead of redirecting" + (m.find() ? ": " + m.group() : ""));
        } catch (IOException e) {
            throw new UncheckedIOException("admin consent request to the fake cloud failed", e);
        }
    }

    /** The browser-like client of {@link #adminConsent}; created on first use, closed with the cloud. */
    private okhttp3.OkHttpClient browser;

    private okhttp3.OkHttpClient browser() {
        synchronized (this) {
            if (browser == null) {
                browser = new okhttp3.OkHttpClient.Builder()
                        .sslSocketFactory(clientTrust.sslSocketFactory(), clientTrust.trustManager())
                        .followRedirects(false)
                        .build();
            }
            return browser;
        }
    }

    /**
     * Every access token this cloud issued (the most recent 10,000), oldest first: for tests that prove no token
     * reaches a log line or an exception message.
     */
    public List<String> issuedAccessTokens() {
        return tokens.minted();
    }

    // ---- model ----------------------------------------------------------------------------------------------------

    /** The cloud's clock; also its {@link #sleeper()}. */
    @Override
    public FakeClock clock() {
        return clock;
    }

    /** The cloud's clock: a client waiting through it waits in fake time. */
    @Override
    public com.tekst.outlook.Sleeper sleeper() {
        return clock;
    }

    /** The client id of {@link #app()}. */
    @Override
    public String clientId() {
        return app.clientId();
    }

    public long seed() {
        return seed;
    }

    /** Tekst's application registration. */
    public FakeApp app() {
        return app;
    }

    /** The first valid client secret of {@link #app()}. */
    public String clientSecret() {
        return app.validSecrets().stream().findFirst().map(FakeApp.Secret::value)
                .orElseThrow(() -> new IllegalStateException("the app has no valid client secret"));
    }

    /** Adds a tenant while the cloud runs and returns it. */
    public FakeTenant addTenant(FakeTenant tenant) {
        Objects.requireNonNull(tenant, "tenant");
        for (FakeTenant existing : tenants) {
            if (existing.id().equals(tenant.id())) {
                throw new IllegalArgumentException("a tenant with id " + tenant.id() + " exists");
            }
        }
        tenant.attach(this);
        tenants.add(tenant);
        return tenant;
    }

    /** Builds and adds a tenant. */
    public FakeTenant addTenant(FakeTenant.Builder tenant) {
        return addTenant(tenant.build());
    }

    public List<FakeTenant> tenants() {
        return List.copyOf(tenants);
    }

    /** The tenant with this id; {@link IllegalArgumentException} when there is none. */
    public FakeTenant tenant(TenantId id) {
        return findTenant(id.value()).orElseThrow(() -> new IllegalArgumentException("no tenant " + id));
    }

    /** A tenant by id or verified domain. */
    public Optional<FakeTenant> findTenant(String idOrDomain) {
        return tenants.stream().filter(t -> t.isNamed(idOrDomain)).findFirst();
    }

    /**
     * A tenant by name (as given to {@link FakeTenant#builder(String)}), id or verified domain;
     * {@link IllegalArgumentException} when there is none.
     */
    public FakeTenant tenant(String name) {
        for (FakeTenant t : tenants) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return findTenant(name).orElseThrow(() -> new IllegalArgumentException("no tenant " + name));
    }

    /**
     * An app-only Graph access token for a tenant, as the token endpoint issues it after a client-credentials request
     * (roles = the permissions the tenant granted {@link #app()}), without an HTTP round trip: for tests that call
     * Graph with a plain HTTP client. {@link IllegalStateException} when the tenant has not consented.
     */
    public String accessToken(TenantId tenant) {
        FakeTenant t = tenant(tenant);
        if (t.consentState(app) != FakeTenant.ConsentState.GRANTED) {
            throw new IllegalStateException("tenant " + t.name() + " has not consented to " + app.displayName());
        }
        return accessToken(tenant, t.grantedPermissions(app));
    }

    /**
     * An app-only Graph access token for a tenant carrying exactly these roles, whatever was consented: for tests of
     * what Graph answers a token without a permission. Valid for 60 minutes of fake time.
     */
    public String accessToken(TenantId tenant, java.util.Set<String> roles) {
        FakeTenant t = tenant(tenant);
        Context c = new Context();
        return tokens.mint(t.id().value(), app.clientId(), app.displayName(), c.servicePrincipalId(app, t),
                roles, clock.instant(), Duration.ofMinutes(60)).accessToken();
    }

    // ---- Graph behaviour -------------------------------------------------------------------------------------------

    /** The per-application, per-mailbox limits Graph enforces (default {@link MailboxThrottling#exchangeOnline()}). */
    public MailboxThrottling mailboxThrottling() {
        return mailboxThrottling;
    }

    /** Changes the mailbox limits while clients run; counters start afresh. */
    public void setMailboxThrottling(MailboxThrottling value) {
        this.mailboxThrottling = Objects.requireNonNull(value, "mailboxThrottling");
    }

    /** How long delta and skip tokens stay valid in fake time; empty means until their sync state is expired. */
    public Optional<Duration> deltaTokenLifetime() {
        return Optional.ofNullable(deltaTokenLifetime);
    }

    /**
     * Makes delta and skip tokens older than {@code lifetime} (fake time, counted from the response that issued them)
     * answer {@code 410 SyncStateNotFound}; {@code null} lets them live until expired on demand
     * ({@link FakeMailbox#expireDeltaTokens()}).
     */
    public void setDeltaTokenLifetime(Duration lifetime) {
        if (lifetime != null && (lifetime.isNegative() || lifetime.isZero())) {
            throw new IllegalArgumentException("a token lifetime is positive: " + lifetime);
        }
        this.deltaTokenLifetime = lifetime;
    }

    /**
     * Makes every message delta page after the first repeat the last {@code items} items of the page before (capped
     * below the page size), as Graph's "duplicates across pages" that clients must merge idempotently. Default 0.
     */
    public void setDeltaPageOverlap(int items) {
        if (items < 0) {
            throw new IllegalArgumentException("overlap must not be negative: " + items);
        }
        this.deltaPageOverlap = items;
    }

    /**
     * Makes every message delta page after the first repeat a fraction of the items of the page before: the last
     * {@code ceil(fraction × items)} of them (capped below the page size; the larger of this and
     * {@link #setDeltaPageOverlap(int)} applies). {@code 0 <= fraction < 1}; default 0.
     */
    public void setDeltaPageOverlapFraction(double fraction) {
        this.deltaPageOverlapFraction = checkFraction(fraction);
    }

    /**
     * At most how many messages the first round of a message delta with {@code $filter} returns: Graph documents
     * that "applying {@code $filter} in delta returns only up to 5,000 messages". The round then ends with a delta
     * link as if it were complete; the older matching messages are not returned, and later rounds report only what
     * changed. Default {@link #FILTERED_DELTA_LIMIT}; lower it to exercise the limit on a small mailbox.
     */
    public void setFilteredDeltaLimit(int messages) {
        this.filteredDeltaLimit = checkLimit(messages);
    }

    /** Graph's limit on the first round of a filtered message delta: at most 5,000 messages. */
    public static final int FILTERED_DELTA_LIMIT = 5_000;

    /**
     * Makes every {@code n}-th page of a message delta round (counting from the first request of the round, empty
     * pages included) an empty page with an {@code @odata.nextLink} that goes on where the round was: Graph's "an
     * empty page may still carry a next link". {@code n} is at least 2; 0 turns it off (the default).
     */
    public void setEmptyDeltaPageEvery(int n) {
        this.emptyDeltaPageEvery = checkEvery(n);
    }

    /**
     * Makes each message delta page an empty page with an {@code @odata.nextLink} with probability {@code p}
     * ({@code 0 <= p < 1}; 0, the default, turns it off), drawn from the cloud's seed, the mailbox, the folder, the
     * round and the page's position: the same seed and requests give the same empty pages.
     */
    public void setEmptyDeltaPageProbability(double p) {
        this.emptyDeltaPageProbability = checkProbability(p);
    }

    /**
     * Makes the {@code 410 SyncStateNotFound} of an expired message delta or skip token carry a {@code Location}
     * header with the folder's delta URL, an empty {@code $deltatoken} and the round's {@code $select} and
     * {@code $filter} (Graph's "synchronization reset": start again with a full synchronization). Following it starts
     * a new first round. Default off.
     */
    public void setSyncResetLocation(boolean on) {
        this.syncResetLocation = on;
    }

    /**
     * Makes every {@code Retry-After} the fake sends (its own 429s, scripted throttling and 503s, inner {@code $batch}
     * answers) an HTTP date in IMF-fixdate form ({@code Mon, 05 Jan 2026 09:00:30 GMT}) instead of seconds: the time
     * of the request on the fake clock plus the seconds, rounded up to a whole second. Default off (seconds).
     */
    public void setRetryAfterAsHttpDate(boolean on) {
        this.retryAfterAsHttpDate = on;
    }

    /**
     * Whether {@code $batch} responses come back in a shuffled order (drawn from the cloud's seed and the batch's
     * request id) or in request order. Graph documents that they come back "in any order"; default on.
     */
    public void setShuffleBatchResponses(boolean on) {
        this.shuffleBatchResponses = on;
    }

    private static double checkFraction(double fraction) {
        if (!(fraction >= 0.0 && fraction < 1.0)) {
            throw new IllegalArgumentException("a fraction is in [0, 1): " + fraction);
        }
        return fraction;
    }

    private static int checkLimit(int messages) {
        if (messages < 1) {
            throw new IllegalArgumentException("a limit is at least 1: " + messages);
        }
        return messages;
    }

    private static int checkEvery(int n) {
        if (n != 0 && n < 2) {
            throw new IllegalArgumentException("every n-th page needs n >= 2 (0 turns it off): " + n);
        }
        return n;
    }

    private static double checkProbability(double p) {
        if (!(p >= 0.0 && p < 1.0)) {
            throw new IllegalArgumentException("a probability is in [0, 1): " + p);
        }
        return p;
    }

    public RequestJournal journal() {
        return journal;
    }

    /** The fault script. */
    public Faults faults() {
        return faults;
    }

    /** Stops the server. */
    @Override
    public void close() {
        synchronized (this) {
            if (browser != null) {
                browser.connectionPool().evictAll();
            }
        }
        try {
            server.close();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }

    @Override
    public String toString() {
        return "FakeMicrosoftCloud[" + baseUrl + ", tenants=" + tenants.size() + "]";
    }

    private void drainServerQueue() {
        try {
            while (server.takeRequest(0, TimeUnit.NANOSECONDS) != null) {
                // MockWebServer keeps every request for takeRequest(); the journal is our record
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String secretFrom(Random random) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789~._-";
        StringBuilder sb = new StringBuilder("fake~");
        for (int i = 0; i < 35; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private final class Context implements CloudContext {
        @Override
        public FakeClock clock() {
            return clock;
        }

        @Override
        public String baseUrl() {
            return baseUrl;
        }

        @Override
        public List<FakeApp> apps() {
            return apps;
        }

        @Override
        public List<FakeTenant> tenants() {
            return tenants;
        }

        @Override
        public Faults faults() {
            return faults;
        }

        @Override
        public TokenService tokens() {
            return tokens;
        }

        @Override
        public void record(JournalEntry entry) {
            journal.record(entry);
        }

        @Override
        public TenantMail mail(FakeTenant tenant) {
            return tenant.mail();
        }

        @Override
        public MailboxThrottling mailboxThrottling() {
            return mailboxThrottling;
        }

        @Override
        public Duration deltaTokenLifetime() {
            return deltaTokenLifetime;
        }

        @Override
        public int deltaPageOverlap() {
            return deltaPageOverlap;
        }

        @Override
        public double deltaPageOverlapFraction() {
            return deltaPageOverlapFraction;
        }

        @Override
        public int filteredDeltaLimit() {
            return filteredDeltaLimit;
        }

        @Override
        public int emptyDeltaPageEvery() {
            return emptyDeltaPageEvery;
        }

        @Override
        public double emptyDeltaPageProbability() {
            return emptyDeltaPageProbability;
        }

        @Override
        public boolean syncResetLocation() {
            return syncResetLocation;
        }

        @Override
        public boolean retryAfterAsHttpDate() {
            return retryAfterAsHttpDate;
        }

        @Override
        public boolean shuffleBatchResponses() {
            return shuffleBatchResponses;
        }

        @Override
        public long seed() {
            return seed;
        }
    }

    /** Builder for {@link FakeMicrosoftCloud}. */
    public static final class Builder {
        FakeClock clock = new FakeClock();
        long seed = DEFAULT_SEED;
        int port;
        FakeApp.Builder app = FakeApp.builder();
        final List<FakeTenant.Builder> tenants = new ArrayList<>();
        int journalCapacity = 100_000;
        MailboxThrottling mailboxThrottling = MailboxThrottling.exchangeOnline();
        Duration deltaTokenLifetime;
        int deltaPageOverlap;
        double deltaPageOverlapFraction;
        int filteredDeltaLimit = FILTERED_DELTA_LIMIT;
        int emptyDeltaPageEvery;
        double emptyDeltaPageProbability;
        boolean syncResetLocation;
        boolean retryAfterAsHttpDate;
        boolean shuffleBatchResponses = true;
        boolean http2 = true;

        private Builder() {
        }

        /**
         * Whether the cloud also speaks HTTP/2 (negotiated by ALPN; default true). With {@code false} it speaks
         * HTTP/1.1 only, so every request in flight has a connection of its own: a dropped connection
         * ({@link Fault#dropConnectionMidBody()}) then ends that one request, where over HTTP/2 it ends every stream
         * multiplexed on the connection while the cloud may still be working on them (their journal entries then
         * outlive what the client saw).
         */
        public Builder http2(boolean enabled) {
            this.http2 = enabled;
            return this;
        }

        /** See {@link FakeMicrosoftCloud#setDeltaPageOverlapFraction(double)} (default 0, off). */
        public Builder deltaPageOverlapFraction(double fraction) {
            this.deltaPageOverlapFraction = checkFraction(fraction);
            return this;
        }

        /** See {@link FakeMicrosoftCloud#setFilteredDeltaLimit(int)} (default {@link #FILTERED_DELTA_LIMIT}). */
        public Builder filteredDeltaLimit(int messages) {
            this.filteredDeltaLimit = checkLimit(messages);
            return this;
        }

        /** See {@link FakeMicrosoftCloud#setEmptyDeltaPageEvery(int)} (default 0, off). */
        public Builder emptyDeltaPageEvery(int n) {
            this.emptyDeltaPageEvery = checkEvery(n);
            return this;
        }

        /** See {@link FakeMicrosoftCloud#setEmptyDeltaPageProbability(double)} (default 0, off). */
        public Builder emptyDeltaPageProbability(double p) {
            this.emptyDeltaPageProbability = checkProbability(p);
            return this;
        }

        /** See {@link FakeMicrosoftCloud#setSyncResetLocation(boolean)} (default off). */
        public Builder syncResetLocation(boolean on) {
            this.syncResetLocation = on;
            return this;
        }

        /** See {@link FakeMicrosoftCloud#setRetryAfterAsHttpDate(boolean)} (default off). */
        public Builder retryAfterAsHttpDate(boolean on) {
            this.retryAfterAsHttpDate = on;
            return this;
        }

        /** See {@link FakeMicrosoftCloud#setShuffleBatchResponses(boolean)} (default on). */
        public Builder shuffleBatchResponses(boolean on) {
            this.shuffleBatchResponses = on;
            return this;
        }

        /** The per-mailbox limits Graph enforces (default {@link MailboxThrottling#exchangeOnline()}). */
        public Builder mailboxThrottling(MailboxThrottling value) {
            this.mailboxThrottling = Objects.requireNonNull(value);
            return this;
        }

        /** See {@link FakeMicrosoftCloud#setDeltaTokenLifetime(Duration)}. */
        public Builder deltaTokenLifetime(Duration value) {
            if (value != null && (value.isNegative() || value.isZero())) {
                throw new IllegalArgumentException("a token lifetime is positive: " + value);
            }
            this.deltaTokenLifetime = value;
            return this;
        }

        /** See {@link FakeMicrosoftCloud#setDeltaPageOverlap(int)}. */
        public Builder deltaPageOverlap(int items) {
            if (items < 0) {
                throw new IllegalArgumentException("overlap must not be negative: " + items);
            }
            this.deltaPageOverlap = items;
            return this;
        }

        public Builder clock(FakeClock value) {
            this.clock = Objects.requireNonNull(value);
            return this;
        }

        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** The port to listen on; 0 (default) picks a free one. */
        public Builder port(int value) {
            if (value < 0 || value > 65535) {
                throw new IllegalArgumentException("port out of range: " + value);
            }
            this.port = value;
            return this;
        }

        /** Configures Tekst's application registration. */
        public Builder app(FakeApp.Builder value) {
            this.app = Objects.requireNonNull(value);
            return this;
        }

        /** Adds a tenant at start. */
        public Builder tenant(FakeTenant.Builder value) {
            this.tenants.add(Objects.requireNonNull(value));
            return this;
        }

        /** How many requests the journal keeps (default 100,000). */
        public Builder journalCapacity(int value) {
            if (value < 10) {
                throw new IllegalArgumentException("journal capacity must be at least 10");
            }
            this.journalCapacity = value;
            return this;
        }

        /** Starts the cloud. */
        public FakeMicrosoftCloud start() {
            try {
                return new FakeMicrosoftCloud(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the fake Microsoft cloud", e);
            }
        }
    }


}
