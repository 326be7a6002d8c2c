package com.tekst.outlook.examples.wizard;

import com.tekst.outlook.Connection;
import com.tekst.outlook.ConnectionStatus;
import com.tekst.outlook.graph.AppCredential;
import com.tekst.outlook.graph.CloudEndpoints;
import com.tekst.outlook.graph.OutlookClient;
import com.tekst.outlook.graph.StateKey;
import com.tekst.outlook.store.JdbcOutlookStore;
import com.tekst.outlook.sync.SyncEngine;
import com.tekst.outlook.testkit.FakeApp;
import com.tekst.outlook.testkit.FakeClock;
import com.tekst.outlook.testkit.FakeMailbox;
import com.tekst.outlook.testkit.FakeMessage;
import com.tekst.outlook.testkit.FakeMicrosoftCloud;
import com.tekst.outlook.testkit.FakeTenant;
import com.tekst.outlook.testkit.TenantGenerator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The connection wizard as a small web app on the SDK's public API: connect → consent → choose mailboxes → finish,
 * then a status page with live sync and diagnostics.
 *
 * <p>By default it embeds a {@link FakeMicrosoftCloud} with a generated tenant (Contoso: 24 user, 4 shared and 2 room
 * mailboxes, about 5,000 messages; a new message every few seconds) and keeps its state in an SQLite file under the
 * data folder, so a restart resumes. With {@code TEKST_OUTLOOK_CLIENT_ID} and {@code TEKST_OUTLOOK_CLIENT_SECRET} in
 * the environment it connects to real Microsoft 365 instead (see the README). Binds to 127.0.0.1.
 */
public final class WizardApp implements AutoCloseable {
    static final String FAKE_CLIENT_ID = "5f0a6f0e-7b1c-4c55-9d7e-3a9b2f6c1d20";
    static final String FAKE_SECRET = "wizard-fake-secret-not-a-real-one";
    static final String FAKE_ADMIN = "admin@contoso.com";
    static final long TENANT_SEED = 20261203L;

    private final HttpServerHolder http;
    private final FakeMicrosoftCloud cloud;
    private final FakeTenant tenant;
    private final JdbcOutlookStore store;
    private final OutlookClient client;
    private final SyncEngine engine;
    private final ScheduledExecutorService ticker;
    private final WizardServer server;

    /** Settings; {@link #fromEnvironment} reads them from the process environment. */
    record Settings(int port, Path dataDir, String clientId, String clientSecret, URI redirectUri, String stateKey,
                    Duration newMailEvery) {
        boolean fake() {
            return clientId == null;
        }

        static Settings fromEnvironment(Map<String, String> env, String[] args) {
            int port = Integer.parseInt(env.getOrDefault("WIZARD_PORT", "8080"));
            Path data = Path.of(env.getOrDefault("WIZARD_DATA_DIR", "data"));
            for (int i = 0; i + 1 < args.length; i += 2) {
                switch (args[i]) {
                    case "--port" -> port = Integer.parseInt(args[i + 1]);
                    case "--data" -> data = Path.of(args[i + 1]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + " (options: --port N, --data DIR)");
                }
            }
            String clientId = blankToNull(env.get("TEKST_OUTLOOK_CLIENT_ID"));
            String secret = blankToNull(env.get("TEKST_OUTLOOK_CLIENT_SECRET"));
            if (clientId != null && secret == null) {
                throw new IllegalArgumentException("TEKST_OUTLOOK_CLIENT_ID is set without TEKST_OUTLOOK_CLIENT_SECRET");
            }
            String redirect = blankToNull(env.get("TEKST_OUTLOOK_REDIRECT_URI"));
            return new Settings(port, data, clientId, secret, redirect == null ? null : URI.create(redirect),
                    blankToNull(env.get("TEKST_OUTLOOK_STATE_KEY")), Duration.ofSeconds(4));
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s.strip();
        }
    }

    WizardApp(Settings settings) throws IOException {
        Files.createDirectories(settings.dataDir());
        http = new HttpServerHolder(new InetSocketAddress("127.0.0.1", settings.port()));
        URI base = URI.create("http://127.0.0.1:" + http.port());
        URI callback = settings.redirectUri() != null ? settings.redirectUri() : base.resolve("/callback");
        store = JdbcOutlookStore.sqlite(settings.dataDir().resolve("tekst-outlook-wizard.db"));
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wizard-ticker");
            t.setDaemon(true);
            return t;
        });
        RecentMessages recent = new RecentMessages(20);
        if (settings.fake()) {
            FakeClock clock = new FakeClock(Instant.now());
            cloud = FakeMicrosoftCloud.builder()
                    .clock(clock)
                    .app(FakeApp.builder().clientId(FAKE_CLIENT_ID).secret(FAKE_SECRET).displayName("Tekst")
                            .redirectUri(callback.toString()))
                    .tenant(FakeTenant.builder("contoso").domain("contoso.com").displayName("Contoso Ltd")
                            .administrator(FAKE_ADMIN)
                            .roomMailbox("room.berlin@contoso.com").roomMailbox("room.paris@contoso.com")
                            .generate(TenantGenerator.builder(TENANT_SEED).userMailboxes(24).sharedMailboxes(4)
                                    .messagesPerMailbox(178).between(clock.instant().minus(Duration.ofDays(400)),
                                            clock.instant().minus(Duration.ofMinutes(5))).build()))
                    .start();
            tenant = cloud.tenant("contoso");
            // the fake's state lives in memory: what the administrator granted before a restart, they grant again
            for (Connection c : store.listConnections()) {
                if (c.tenant().filter(tenant.id()::equals).isPresent()
                        && c.status() != ConnectionStatus.CONSENT_REVOKED) {
                    tenant.grantConsent(cloud.app());
                }
            }
            // a ticking clock: the fake's time follows the wall clock
            long[] last = {System.nanoTime()};
            ticker.scheduleAtFixedRate(() -> {
                long now = System.nanoTime();
                clock.advance(Duration.ofNanos(now - last[0]));
                last[0] = now;
            }, 100, 100, TimeUnit.MILLISECONDS);
            Random random = new Random(TENANT_SEED);
            ticker.scheduleAtFixedRate(() -> deliverOne(random, clock), settings.newMailEvery().toMillis(),
                    settings.newMailEvery().toMillis(), TimeUnit.MILLISECONDS);
            client = OutlookClient.builder()
                    .clientId(cloud.app().clientId())
                    .credential(AppCredential.secret(FAKE_SECRET))
                    .stateKeys(StateKey.random())
                    .store(store)
                    .cloud(CloudEndpoints.of(cloud.loginBaseUrl(), cloud.graphBaseUrl()))
                    .trustManager(cloud.trustManager())
                    .clock(clock)
                    .build();
        } else {
            cloud = null;
            tenant = null;
            client = OutlookClient.builder()
                    .clientId(settings.clientId())
                    .credential(AppCredential.secret(settings.clientSecret()))
                    .stateKeys(settings.stateKey() == null ? StateKey.random() : StateKey.fromBase64(settings.stateKey()))
                    .store(store)
                    .build();
        }
        engine = client.syncEngine()
                .sink(recent)
                .pollInterval(settings.fake() ? Duration.ofSeconds(2) : Duration.ofMinutes(1))
                .build();
        engine.start();
        server = new WizardServer(client, engine, store, recent, callback, cloud, tenant, FAKE_ADMIN);
        http.start(server);
    }

    private void deliverOne(Random random, Clock clock) {
        try {
            List<FakeMailbox> mailboxes = tenant.mailboxes();
            if (mailboxes.isEmpty()) {
                return;
            }
            FakeMailbox to = mailboxes.get(random.nextInt(mailboxes.size()));
            String[] subjects = {"Invoice", "Order confirmation", "Meeting notes", "Support request", "Quote"};
            to.deliver(FakeMessage.builder()
                    .subject(subjects[random.nextInt(subjects.length)] + " #" + (1000 + random.nextInt(9000)))
                    .from("Customer " + random.nextInt(100), "customer" + random.nextInt(100) + "@fabrikam.com")
                    .to(to.address())
                    .receivedAt(clock.instant())
                    .body("<p>Hello, this is a message delivered by the wizard's fake tenant.</p>"));
        } catch (RuntimeException e) {
            System.err.println("wizard: could not deliver a new message: " + e);
        }
    }

    /** Where the app listens. */
    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + http.port() + "/");
    }

    FakeMicrosoftCloud cloud() {
        return cloud;
    }

    @Override
    public void close() {
        http.stop();
        ticker.shutdownNow();
        try {
            engine.stop(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
        store.close();
        if (cloud != null) {
            cloud.close();
        }
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromEnvironment(System.getenv(), args);
        WizardApp app = new WizardApp(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "wizard-shutdown"));
        System.out.println("Tekst Outlook wizard: open " + app.baseUrl() + " (" + (settings.fake()
                ? "embedded fake Microsoft 365 tenant Contoso; its administrator is " + FAKE_ADMIN
                : "Microsoft 365, application " + settings.clientId()) + "; data in "
                + settings.dataDir().toAbsolutePath() + "). Ctrl+C stops it.");
        Objects.requireNonNull(app);
        Thread.currentThread().join();
    }
}
