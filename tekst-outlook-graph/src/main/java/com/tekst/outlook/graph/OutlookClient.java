package com.tekst.outlook.graph;

import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.tekst.outlook.Connection;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionPermissions;
import com.tekst.outlook.ConnectionStatus;
import com.tekst.outlook.InvalidValueException;
import com.tekst.outlook.OutlookClientException;
import com.tekst.outlook.Sleeper;
import com.tekst.outlook.TenantId;
import com.tekst.outlook.TestCloud;
import com.tekst.outlook.consent.AdminConsentFlow;
import com.tekst.outlook.graph.internal.auth.MsalTokenProvider;
import com.tekst.outlook.graph.internal.consent.ConsentState;
import com.tekst.outlook.graph.internal.consent.GraphAdminConsentFlow;
import com.tekst.outlook.diagnostics.ConnectionDiagnostics;
import com.tekst.outlook.graph.internal.diagnostics.GraphConnectionDiagnostics;
import com.tekst.outlook.graph.internal.graphsdk.BoundGraphClients;
import com.tekst.outlook.graph.internal.http.GraphHttp;
import com.tekst.outlook.graph.internal.http.MailboxLimiter;
import com.tekst.outlook.graph.internal.mailbox.GraphMailboxDirectory;
import com.tekst.outlook.graph.internal.mailbox.GraphMailboxScope;
import com.tekst.outlook.graph.internal.mailbox.GraphTenantRestriction;
import com.tekst.outlook.graph.internal.mailbox.MailboxGraph;
import com.tekst.outlook.graph.internal.scope.ScopeGuards;
import com.tekst.outlook.graph.internal.sync.GraphMailSource;
import com.tekst.outlook.mailbox.MailboxDirectory;
import com.tekst.outlook.mailbox.MailboxScope;
import com.tekst.outlook.mailbox.TenantRestriction;
import com.tekst.outlook.store.InMemoryOutlookStore;
import com.tekst.outlook.store.MailboxRecord;
import com.tekst.outlook.store.OutlookStore;
import com.tekst.outlook.sync.BackfillWindow;
import com.tekst.outlook.sync.ConnectionProgress;
import com.tekst.outlook.sync.MessageSink;
import com.tekst.outlook.sync.SyncEngine;
import com.tekst.outlook.sync.SyncListener;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;

/**
 * The entry point of the Tekst Outlook SDK for Microsoft 365: one per application (Tekst's multi-tenant app
 * registration), serving every customer tenant.
 *
 * <pre>{@code
 * OutlookClient client = OutlookClient.builder()
 *         .clientId("b2094c09-0651-49c4-b2c2-ed3b739e2a8c")
 *         .credential(AppCredential.secret(secretFromVault))
 *         .stateKeys(StateKey.fromBase64(currentKey), StateKey.fromBase64(previousKey))
 *         .store(store)
 *         .build();
 * AdminConsentFlow consent = client.adminConsent();
 * }</pre>
 *
 * <h2>Share one client</h2>
 * A client holds the msal4j application, the per-tenant token cache and its threads. Create one at start-up and share
 * it; it is immutable and thread-safe. {@link #close()} it when the application stops.
 *
 * <h2>Time</h2>
 * Every decision that depends on time (state expiry, token refresh, consent propagation retries) reads the
 * {@link Builder#clock(Clock) clock} and waits through the {@link Builder#sleeper(Sleeper) sleeper}; tests pass the
 * testkit's {@code FakeClock} as both.
 */
public final class OutlookClient implements AutoCloseable {
    public static final Duration DEFAULT_CONSENT_STATE_LIFETIME = Duration.ofMinutes(10);
    public static final Duration DEFAULT_CONSENT_PROPAGATION_WINDOW = Duration.ofSeconds(60);
    /** Exchange Online's limit of concurrent requests per application and mailbox. */
    public static final int DEFAULT_MAX_REQUESTS_PER_MAILBOX = 4;
    /**
     * The most bytes of one Graph response body the SDK buffers (sync pages, directory reads, probes) unless
     * configured otherwise: {@value} (32 MiB), about ten times a 1,000-message page with ~2 KB HTML bodies and every
     * field the sync selects (3,255,190 bytes from the testkit's fake, measured by {@code ResponseBodyCapTest}), so
     * a full page of mail averaging up to ~30 KB per message passes.
     */
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 33_554_432L;
    /** The smallest and largest {@link Builder#maxResponseBytes} (a body is buffered in one byte array). */
    static final long MIN_MAX_RESPONSE_BYTES = 1024;
    static final long MAX_MAX_RESPONSE_BYTES = Integer.MAX_VALUE - 8;


    private final String clientId;
    private final CloudEndpoints cloud;
    private final AppCredential credential;
    private final MsalTokenProvider tokens;
    private final GraphHttp http;
    private final AdminConsentFlow adminConsent;
    private final OutlookStore store;
    private final Clock clock;
    private final GraphMailSource mailSource;
    // mailbox scope (step 3): the guard factory and the per-mailbox limiter are shared by every Graph request of this
    // client (sync, discovery, probes, the bound GraphServiceClient)
    private final ScopeGuards scopeGuards;
    private final MailboxLimiter mailboxLimiter;
    private final GraphMailboxDirectory mailboxDirectory;
    private final GraphMailboxScope mailboxScope;
    private final GraphTenantRestriction tenantRestriction;
    private final BoundGraphClients graphClients;
    private final GraphConnectionDiagnostics diagnostics;
    private final Duration staleAfter;

    private OutlookClient(Builder b) {
        this.clientId = b.clientId;
        this.cloud = b.cloud;
        this.credential = b.credential;
        ConsentState states = new ConsentState(key(b.currentKey),
                b.previousKeys.stream().map(OutlookClient::key).toList());
        this.tokens = new MsalTokenProvider(b.clientId, b.credential.toMsal(), b.cloud, b.trustManager, b.clock,
                b.sleeper);
        this.http = new GraphHttp(b.trustManager, tokens, b.clock, b.maxResponseBytes);
        this.store = b.store;
        this.clock = b.clock;
        this.staleAfter = b.staleAfter;
        this.scopeGuards = new ScopeGuards(b.store, b.cloud.graphBaseUrl());
        this.mailboxLimiter = new MailboxLimiter(b.maxRequestsPerMailbox, b.clock, b.sleeper);
        MailboxGraph mailboxGraph = new MailboxGraph(b.store, http, b.cloud.graphBaseUrl(), scopeGuards, mailboxLimiter,
                tokens, b.clock, b.sleeper, b.clientId);
        this.mailboxDirectory = new GraphMailboxDirectory(mailboxGraph);
        this.mailboxScope = new GraphMailboxScope(mailboxGraph, mailboxDirectory);
        this.tenantRestriction = new GraphTenantRestriction(mailboxGraph, mailboxDirectory);
        this.adminConsent = new GraphAdminConsentFlow(b.clientId, b.cloud, b.store, b.clock, b.sleeper, states, tokens,
                b.permissions, tenantRestriction::probe, b.consentStateLifetime, b.consentPropagationWindow);
        this.graphClients = new BoundGraphClients(b.store, http, scopeGuards, mailboxLimiter, b.clock, b.sleeper,
                b.cloud.graphBaseUrl());
        this.mailSource = new GraphMailSource(http, syncHttpClients(), b.cloud.graphBaseUrl());
        this.diagnostics = new GraphConnectionDiagnostics(b.store, tokens,
                b.credential.expiresAt().orElse(null), tenantRestriction, mailboxLimiter, b.cloud, b.clock,
                b.staleAfter, adminConsent);
    }

    /** How long {@link #close()} lets a running engine built from this client finish its page: 5 seconds. */
    public static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    /** {@link Builder#staleAfter}'s default: 1 hour. */
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofHours(1);

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder wired to a test cloud such as the testkit's {@code FakeMicrosoftCloud}: its client id and client
     * secret, its endpoints, its TLS trust, its clock as clock and sleeper, a random state key and a new
     * {@link InMemoryOutlookStore}. Anything can be set again before {@link Builder#build()} (a store of your own, say):
     *
     * <pre>{@code
     * OutlookClient client = OutlookClient.builder(cloud).build();
     * }</pre>
     */
    public static Builder builder(TestCloud cloud) {
        Objects.requireNonNull(cloud, "cloud");
        return new Builder().clientId(cloud.clientId()).credential(AppCredential.secret(cloud.clientSecret()))
                .stateKeys(StateKey.random()).store(new InMemoryOutlookStore())
                .cloud(CloudEndpoints.of(cloud.loginBaseUrl(), cloud.graphBaseUrl()))
                .trustManager(cloud.trustManager()).clock(cloud.clock()).sleeper(cloud.sleeper());
    }

    /**
     * Step 2 of the connection wizard: Microsoft's admin-consent URL with a signed state, the callback, and the
     * verification of the consent with an app-only token. The same instance on every call.
     */
    public AdminConsentFlow adminConsent() {
        return adminConsent;
    }

    // ---- sync -------------------------------------------------------------------------------------------------------

    /**
     * A {@link SyncEngine} builder wired to this client: its {@linkplain Builder#store store}, its
     * {@linkplain Builder#clock clock}, and Microsoft Graph as the mail source (per-folder message delta and listing,
     * {@code Prefer: IdType="ImmutableId"} and {@code odata.maxpagesize} on every request, pages parsed with Jackson
     * streaming); the store, clock and source cannot be changed on it. Set the {@link EngineBuilder#sink sink}
     * (required) and whatever else you need ({@code listener}, {@code threads}, {@code pageSize}, {@code select}, …),
     * then build one engine per store and start it:
     *
     * <pre>{@code
     * SyncEngine engine = client.syncEngine().sink(page -> tekst.ingest(page)).listener(statusPage).build();
     * engine.start();
     * }</pre>
     *
     * The engine uses this client's connections to Microsoft and its tokens: {@link #close() closing} the client
     * stops every engine built here that still runs (each may finish its page within {@link #CLOSE_GRACE}), and an
     * engine built here cannot start once the client is closed. To change the client's credential (a new secret), stop the engine, build a new client and a new engine on the
     * same store, and {@link SyncEngine#resume(ConnectionId) resume} the connections stopped as
     * {@code CREDENTIAL_INVALID}: they continue from their checkpoints.
     */
    public EngineBuilder syncEngine() {
        return new EngineBuilder(SyncEngine.builder().store(store).clock(clock).staleAfter(staleAfter), mailSource);
    }

    /**
     * A {@link SyncEngine} builder bound to its {@link OutlookClient}: the store, the clock, the mail source and the
     * stale-after time ({@link Builder#staleAfter}) are
     * the client's and cannot be changed here; everything else is {@link SyncEngine.Builder}'s, with its defaults and
     * limits. Not thread-safe; {@link #build()} may be called more than once.
     */
    public static final class EngineBuilder {
        private final SyncEngine.Builder delegate;
        private final GraphMailSource source;

        private EngineBuilder(SyncEngine.Builder delegate, GraphMailSource source) {
            this.delegate = delegate;
            this.source = source;
        }

        /** Where pages of mail go. Required. See {@link SyncEngine.Builder#sink}. */
        public EngineBuilder sink(MessageSink value) {
            delegate.sink(value);
            return this;
        }

        /** Status and progress events. See {@link SyncEngine.Builder#listener}. */
        public EngineBuilder listener(SyncListener value) {
            delegate.listener(value);
            return this;
        }

        /** See {@link SyncEngine.Builder#threads}. */
        public EngineBuilder threads(int value) {
            delegate.threads(value);
            return this;
        }

        /** See {@link SyncEngine.Builder#maxConcurrentPerMailbox}. */
        public EngineBuilder maxConcurrentPerMailbox(int value) {
            delegate.maxConcurrentPerMailbox(value);
            return this;
        }

        /** See {@link SyncEngine.Builder#requestBudget}. */
        public EngineBuilder requestBudget(int requests, Duration window) {
            delegate.requestBudget(requests, window);
            return this;
        }

        /** See {@link SyncEngine.Builder#pageSize}. */
        public EngineBuilder pageSize(int value) {
            delegate.pageSize(value);
            return this;
        }

        /** See {@link SyncEngine.Builder#backfillPageSize}. */
        public EngineBuilder backfillPageSize(int value) {
            delegate.backfillPageSize(value);
            return this;
        }

        /** See {@link SyncEngine.Builder#pollInterval}. */
        public EngineBuilder pollInterval(Duration value) {
            delegate.pollInterval(value);
            return this;
        }

        /** See {@link SyncEngine.Builder#overlap}. */
        public EngineBuilder overlap(Duration value) {
            delegate.overlap(value);
            return this;
        }

        /** See {@link SyncEngine.Builder#reconcileInterval}. */
        public EngineBuilder reconcileInterval(Duration value) {
            delegate.reconcileInterval(value);
            return this;
        }

        /** See {@link SyncEngine.Builder#select}. */
        public EngineBuilder select(Set<String> fields) {
            delegate.select(fields);
            return this;
        }

        /** See {@link SyncEngine.Builder#backoff}. */
        public EngineBuilder backoff(Duration initial, Duration max) {
            delegate.backoff(initial, max);
            return this;
        }

        /** See {@link SyncEngine.Builder#random}. */
        public EngineBuilder random(java.util.Random value) {
            delegate.random(value);
            return this;
        }

        /** See {@link SyncEngine.Builder#leases}. */
        public EngineBuilder leases(Duration duration, Duration renewal) {
            delegate.leases(duration, renewal);
            return this;
        }

        /** See {@link SyncEngine.Builder#timerResolution}. */
        public EngineBuilder timerResolution(Duration value) {
            delegate.timerResolution(value);
            return this;
        }

        /**
         * The engine, not started.
         *
         * @throws OutlookClientException if the sink is missing (the message names it)
         */
        public SyncEngine build() {
            return delegate.source(source.forEngine()).build();
        }
    }

    /**
     * Step 4 of the connection wizard, "Finish": starts sync of every mailbox the connection has in the store, now
     * rather than at the engine's next poll, without a backfill. See {@link #finishSetup(SyncEngine, ConnectionId,
     * BackfillWindow)}.
     */
    public ConnectionProgress finishSetup(SyncEngine engine, ConnectionId connection) {
        return finish(engine, connection, null);
    }

    /**
     * Step 4 of the connection wizard, "Finish", with a backfill: starts a backfill of {@code backfill} (30 days,
     * 90 days, 12 months, everything, or since a date; counted back from the connection time) of every folder of
     * every mailbox the connection has in the store, and starts their live sync now rather than at the engine's next
     * poll. Calling it again is harmless: a backfill already running or complete is not started over.
     *
     * @return the connection's status and progress right after
     * @throws OutlookClientException if the connection is unknown, not connected (consent not verified, or stopped by a
     *                                failure: fix and {@link SyncEngine#resume(ConnectionId) resume} it first), or
     *                                has no mailbox yet
     */
    public ConnectionProgress finishSetup(SyncEngine engine, ConnectionId connection, BackfillWindow backfill) {
        return finish(engine, connection, Objects.requireNonNull(backfill, "backfill"));
    }

    private ConnectionProgress finish(SyncEngine engine, ConnectionId connection, BackfillWindow backfill) {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(connection, "connection");
        Connection stored = store.findConnection(connection).orElseThrow(() -> new OutlookClientException(
                "connection " + connection + " is unknown; begin and verify admin consent first"));
        if (stored.tenant().isEmpty() || (stored.status() != ConnectionStatus.CONNECTED
                && stored.status() != ConnectionStatus.DEGRADED)) {
            throw new OutlookClientException("connection " + connection + " is " + stored.status()
                    + "; sync starts once admin consent is verified and the connection is CONNECTED");
        }
        List<MailboxRecord> mailboxes = store.listMailboxes(connection);
        if (mailboxes.isEmpty()) {
            throw new OutlookClientException("connection " + connection + " has no mailbox to sync; add one first");
        }
        for (MailboxRecord mailbox : mailboxes) {
            if (backfill != null) {
                engine.startBackfill(connection, mailbox.mailboxId(), backfill);
            }
            engine.syncNow(connection, mailbox.mailboxId());
        }
        return engine.progress(connection).orElseThrow();
    }

    /**
     * The OkHttp client of each connection's sync requests: the SDK chain ({@link GraphHttp#client}) with the
     * connection's scope guard (a mailbox outside the scope is refused before any I/O) and the per-mailbox limiter
     * shared with every other request of this client, failing fast when a mailbox is fenced (the engine schedules
     * the mailbox itself). Keyed by connection and tenant: a connection's tenant never changes once verified.
     */
    private Function<ConnectionId, OkHttpClient> syncHttpClients() {
        Map<ConnectionId, OkHttpClient> clients = new ConcurrentHashMap<>();
        return connection -> clients.computeIfAbsent(connection, c -> {
            TenantId tenant = store.findConnection(c).flatMap(Connection::tenant).orElseThrow(
                    () -> new OutlookClientException("connection " + c + " has no verified tenant"));
            return http.client(List.of(scopeGuards.forConnection(c, tenant),
                    mailboxLimiter.interceptor(MailboxLimiter.FenceMode.FAIL_FAST)));
        });
    }
    // ---- mailbox scope: step 3 of the connection wizard ------------------------------------------------------------

    /**
     * The mailboxes each organization-wide connection processes, and its scope mode. The same instance on every call.
     * Every request the SDK sends for a mailbox outside a {@code RESTRICTED} connection's scope is refused before any
     * network I/O with {@link com.tekst.outlook.MailboxOutOfScopeException}.
     */
    public MailboxScope mailboxScope() {
        return mailboxScope;
    }

    /** Search and resolution of the tenant's mailboxes, for the mailbox picker. The same instance on every call. */
    public MailboxDirectory mailboxDirectory() {
        return mailboxDirectory;
    }

    /**
     * The tenant-side restriction: the Exchange Online PowerShell an administrator runs (application access policy or
     * RBAC for Applications) and its verification by probing. The same instance on every call.
     */
    public TenantRestriction tenantRestriction() {
        return tenantRestriction;
    }

    /**
     * A Microsoft Graph SDK client bound to a connection's tenant, for actions on mail (categorize, move, forward,
     * send) without handling tokens. Every request carries the tenant's app-only token and a
     * {@code client-request-id}, passes the connection's scope guard (a mailbox outside the scope, also inside a
     * {@code $batch}, fails with {@link com.tekst.outlook.MailboxOutOfScopeException} before any network I/O; so do
     * {@code /me}, resources other than {@code /users} and {@code $batch}, and any host other than Graph's) and
     * shares the per-mailbox limit with sync: at most {@link Builder#maxRequestsPerMailbox} in flight per mailbox, no
     * request before a mailbox's {@code Retry-After}. 429, 503 and 504 are retried up to 3 times, waiting
     * {@code Retry-After} exactly through the {@link Builder#sleeper(Sleeper) sleeper} (never more than 2 minutes;
     * longer waits come back as the Graph SDK's {@code ODataError}). Graph's errors arrive as {@code ODataError}.
     * The same instance for a connection while its tenant is the same; thread-safe.
     * <p>
     * Needs {@code com.microsoft.graph:microsoft-graph} on the classpath: an optional dependency of this artifact
     * (add it to your project; {@code tekst-outlook-bom} manages its version and keeps OkHttp 4 out). Nothing else of
     * the SDK loads the Graph SDK.
     *
     * @throws OutlookClientException if the connection is unknown, personal, or its consent was not verified
     */
    public GraphServiceClient graphServiceClient(ConnectionId connection) {
        return graphClients.forConnection(connection);
    }

    // ---- end of mailbox scope --------------------------------------------------------------------------------------

    /**
     * Diagnostics: why a connection is not syncing and what to do about it, checked end to end (tenant, credential,
     * consent, permissions, each mailbox, the tenant-side restriction, each folder's sync). A run requests one new
     * token for the tenant, probes each mailbox once (the id of its Inbox, no content) and the restriction's canaries,
     * and reads the store; it writes nothing. A mailbox Microsoft throttles is reported, not asked. A folder
     * without a successful sync for longer than {@link Builder#staleAfter} is stale.
     */
    public ConnectionDiagnostics diagnostics() {
        return diagnostics;
    }

    /** The application (client) id. */
    public String clientId() {
        return clientId;
    }

    public CloudEndpoints cloud() {
        return cloud;
    }

    /**
     * Stops every {@link SyncEngine} built from {@link #syncEngine()} that still runs, as
     * {@link SyncEngine#stop(Duration) stop(CLOSE_GRACE)} does (a page in progress may finish within
     * {@link #CLOSE_GRACE}, then it is abandoned unacknowledged and the engine's threads are interrupted), waits until
     * their threads have ended, then releases the HTTP connections, msal4j's threads and the token cache. Such an
     * engine cannot {@link SyncEngine#start() start} afterwards ({@link OutlookClientException}). Token requests,
     * and so {@link AdminConsentFlow#verify}, fail with {@link OutlookClientException} afterwards; {@code begin} and
     * {@code complete} need no token and keep working. Stopping the engines first yourself, with the grace you
     * choose, is still the orderly way; calling {@code close()} again does nothing more.
     */
    @Override
    public void close() {
        try {
            mailSource.stopEngines(CLOSE_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the engines were told to stop; release the rest all the same
        } finally {
            http.close();
            tokens.close();
        }
    }

    @Override
    public String toString() {
        return "OutlookClient[clientId=" + clientId + ", login=" + cloud.loginBaseUrl() + ", credential=" + credential
                + "]";
    }

    private static ConsentState.Key key(StateKey k) {
        return new ConsentState.Key(k.idBytes(), k.secretKey());
    }

    /**
     * Builds an {@link OutlookClient}. Required: {@link #clientId}, {@link #credential}, {@link #stateKeys} and
     * {@link #store}. Not thread-safe; {@link #build()} may be called more than once.
     */
    public static final class Builder {
        private String clientId;
        private AppCredential credential;
        private StateKey currentKey;
        private List<StateKey> previousKeys = List.of();
        private OutlookStore store;
        private CloudEndpoints cloud = CloudEndpoints.GLOBAL;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.system();
        private X509TrustManager trustManager;
        private ConnectionPermissions permissions = ConnectionPermissions.DEFAULT;
        private Duration consentStateLifetime = DEFAULT_CONSENT_STATE_LIFETIME;
        private Duration consentPropagationWindow = DEFAULT_CONSENT_PROPAGATION_WINDOW;
        private int maxRequestsPerMailbox = DEFAULT_MAX_REQUESTS_PER_MAILBOX;
        private long maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
        private Duration staleAfter = DEFAULT_STALE_AFTER;

        private Builder() {
        }

        /**
         * How long a synced folder may go without a successful sync (a page or a quiet round written to the store)
         * before {@link OutlookClient#diagnostics() diagnostics} call it stale, and a connection before an engine built
         * from this client tells its listener so ({@code SyncListener.connectionStaleChanged});
         * {@link #DEFAULT_STALE_AFTER} (1 hour) by default. Choose it well above the engine's poll interval.
         *
         * @throws InvalidValueException unless between 1 minute and 30 days
         */
        public Builder staleAfter(Duration value) {
            Objects.requireNonNull(value, "value");
            if (value.compareTo(Duration.ofMinutes(1)) < 0 || value.compareTo(Duration.ofDays(30)) > 0) {
                throw new InvalidValueException("stale-after time", "must be between 1 minute and 30 days",
                        value.toString());
            }
            this.staleAfter = value;
            return this;
        }

        /**
         * The most bytes of one Graph response body the SDK reads into memory: every page the sync reads (delta and
         * backfill), directory reads, folder lookups and restriction probes. A larger answer (by its
         * {@code Content-Length}, or once more bytes arrive, after decompression) fails that call with a
         * non-retryable {@link com.tekst.outlook.ServiceException} after reading no more than this many bytes plus
         * one read buffer (8 KiB), and nothing of it is used. {@link #DEFAULT_MAX_RESPONSE_BYTES} (32 MiB) by default. The bound
         * {@code GraphServiceClient} reads its answers through the Graph SDK and is not limited by it.
         *
         * @throws InvalidValueException unless between 1,024 bytes and 2 GiB − 9
         */
        public Builder maxResponseBytes(long value) {
            if (value < MIN_MAX_RESPONSE_BYTES || value > MAX_MAX_RESPONSE_BYTES) {
                throw new InvalidValueException("maximum response bytes", "must be between " + MIN_MAX_RESPONSE_BYTES
                        + " and " + MAX_MAX_RESPONSE_BYTES, Long.toString(value));
            }
            this.maxResponseBytes = value;
            return this;
        }

        /**
         * How many requests may be in flight per mailbox across everything this client sends (sync, discovery,
         * probes, the bound {@code GraphServiceClient}); 4 by default, Exchange's limit per application and mailbox.
         *
         * @throws InvalidValueException unless between 1 and 4
         */
        public Builder maxRequestsPerMailbox(int value) {
            if (value < 1 || value > 4) {
                throw new InvalidValueException("requests per mailbox", "must be between 1 and 4",
                        Integer.toString(value));
            }
            this.maxRequestsPerMailbox = value;
            return this;
        }

        /**
         * The application (client) id of Tekst's multi-tenant app registration, a GUID.
         *
         * @throws InvalidValueException if it is not a GUID
         */
        public Builder clientId(String value) {
            if (!TenantId.isValid(value)) {
                throw new InvalidValueException("client id", "must be the application (client) id, a GUID", value);
            }
            this.clientId = TenantId.of(value).value();
            return this;
        }

        /** The application's client secret or certificate. */
        public Builder credential(AppCredential value) {
            this.credential = Objects.requireNonNull(value, "credential");
            return this;
        }

        /**
         * The keys that sign the consent {@code state}: {@code current} signs new states; {@code previous} keys are
         * still accepted so keys can rotate without breaking consents in progress.
         *
         * @throws InvalidValueException if the same key is given twice
         */
        public Builder stateKeys(StateKey current, StateKey... previous) {
            Objects.requireNonNull(current, "current");
            List<StateKey> all = new ArrayList<>();
            all.add(current);
            for (StateKey k : previous) {
                Objects.requireNonNull(k, "previous key");
                if (all.stream().anyMatch(existing -> existing.id().equals(k.id()))) {
                    throw new InvalidValueException("state keys", "contain the key " + k.id() + " twice");
                }
                all.add(k);
            }
            this.currentKey = current;
            this.previousKeys = List.copyOf(all.subList(1, all.size()));
            return this;
        }

        /** Where connections and consent nonces are stored. */
        public Builder store(OutlookStore value) {
            this.store = Objects.requireNonNull(value, "store");
            return this;
        }

        /** The Microsoft cloud; {@link CloudEndpoints#GLOBAL} by default. */
        public Builder cloud(CloudEndpoints value) {
            this.cloud = Objects.requireNonNull(value, "cloud");
            return this;
        }

        /** The clock every time-based decision reads; the system UTC clock by default. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** How the SDK waits between retries; real waiting by default. */
        public Builder sleeper(Sleeper value) {
            this.sleeper = Objects.requireNonNull(value, "sleeper");
            return this;
        }

        /**
         * The trust for the identity platform's (and later Graph's) TLS certificates, for a private or fake cloud;
         * the JVM's default trust when not set.
         */
        public Builder trustManager(X509TrustManager value) {
            this.trustManager = Objects.requireNonNull(value, "trustManager");
            return this;
        }

        /**
         * The permissions a connection asks for when {@code adminConsent().begin} names none:
         * {@link ConnectionPermissions#DEFAULT} ({@code READ_ONLY} consented in Entra ID) unless set. A connection keeps
         * the permissions it was begun with; {@code begin(connection, redirectUri, hint, permissions)} changes them.
         */
        public Builder permissions(ConnectionPermissions value) {
            this.permissions = Objects.requireNonNull(value, "permissions");
            return this;
        }

        /**
         * How long a consent link ({@code state}) stays valid; 10 minutes by default.
         *
         * @throws InvalidValueException unless between 1 minute and 24 hours
         */
        public Builder consentStateLifetime(Duration value) {
            Objects.requireNonNull(value, "consentStateLifetime");
            if (value.compareTo(Duration.ofMinutes(1)) < 0 || value.compareTo(Duration.ofHours(24)) > 0) {
                throw new InvalidValueException("consent state lifetime", "must be between 1 minute and 24 hours",
                        value.toString());
            }
            this.consentStateLifetime = value;
            return this;
        }

        /**
         * How long right after consent "application not found" answers are retried before the verdict is
         * CONSENT_MISSING; 60 seconds by default, zero for no retry.
         *
         * @throws InvalidValueException unless between zero and 10 minutes
         */
        public Builder consentPropagationWindow(Duration value) {
            Objects.requireNonNull(value, "consentPropagationWindow");
            if (value.isNegative() || value.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new InvalidValueException("consent propagation window", "must be between 0 and 10 minutes",
                        value.toString());
            }
            this.consentPropagationWindow = value;
            return this;
        }

        /**
         * Builds the client.
         *
         * @throws OutlookClientException if a required setting is missing
         */
        public OutlookClient build() {
            List<String> missing = new ArrayList<>();
            if (clientId == null) {
                missing.add("clientId");
            }
            if (credential == null) {
                missing.add("credential");
            }
            if (currentKey == null) {
                missing.add("stateKeys");
            }
            if (store == null) {
                missing.add("store");
            }
            if (!missing.isEmpty()) {
                throw new OutlookClientException("OutlookClient.builder() needs " + String.join(", ", missing));
            }
            return new OutlookClient(this);
        }
    }
}
