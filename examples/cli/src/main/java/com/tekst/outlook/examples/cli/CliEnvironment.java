package com.tekst.outlook.examples.cli;

import com.tekst.outlook.Connection;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionStatus;
import com.tekst.outlook.graph.AppCredential;
import com.tekst.outlook.graph.CloudEndpoints;
import com.tekst.outlook.graph.OutlookClient;
import com.tekst.outlook.graph.StateKey;
import com.tekst.outlook.mailbox.ScopedMailbox;
import com.tekst.outlook.store.JdbcOutlookStore;
import com.tekst.outlook.testkit.FakeApp;
import com.tekst.outlook.testkit.FakeClock;
import com.tekst.outlook.testkit.FakeMicrosoftCloud;
import com.tekst.outlook.testkit.FakeTenant;
import com.tekst.outlook.testkit.TenantGenerator;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What one CLI run works on: the store (an SQLite file under the data folder, or a PostgreSQL URL), an OutlookClient,
 * and, unless Microsoft app credentials are in the environment, an embedded fake tenant. The fake lives as long as
 * the process; what its administrator did in earlier runs (consent, the restriction) is kept in
 * {@code fake-admin.properties} in the data folder and done again at start, so runs build on each other.
 */
final class CliEnvironment implements AutoCloseable {
    static final String FAKE_CLIENT_ID = "8c1f2e7a-3b4d-4e5f-9a6b-7c8d9e0f1a2b";
    static final String FAKE_SECRET = "cli-fake-secret-not-a-real-one";
    static final String FAKE_ADMIN = "admin@contoso.com";
    static final URI FAKE_REDIRECT = URI.create("http://localhost:8400/callback");
    static final long SEED = 20261203L;

    final Path data;
    final JdbcOutlookStore store;
    final OutlookClient client;
    final FakeMicrosoftCloud cloud;
    final FakeTenant tenant;
    final URI redirect;
    private final Path adminFile;
    private final Properties admin = new Properties();

    CliEnvironment(Path data, String storeUrl, Map<String, String> env) {
        this.data = data;
        try {
            Files.createDirectories(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        store = storeUrl == null ? JdbcOutlookStore.sqlite(data.resolve("tekst-outlook-cli.db"))
                : JdbcOutlookStore.builder().jdbcUrl(storeUrl, new Properties()).build();
        adminFile = data.resolve("fake-admin.properties");
        String clientId = env.get("TEKST_OUTLOOK_CLIENT_ID");
        if (clientId == null || clientId.isBlank()) {
            FakeClock clock = new FakeClock(Instant.now());
            cloud = FakeMicrosoftCloud.builder()
                    .clock(clock)
                    .app(FakeApp.builder().clientId(FAKE_CLIENT_ID).secret(FAKE_SECRET).displayName("Tekst")
                            .redirectUri(FAKE_REDIRECT.toString()))
                    .tenant(FakeTenant.builder("contoso").domain("contoso.com").displayName("Contoso Ltd")
                            .administrator(FAKE_ADMIN)
                            .roomMailbox("room.berlin@contoso.com")
                            .generate(TenantGenerator.builder(SEED).userMailboxes(12).sharedMailboxes(3)
                                    .messagesPerMailbox(120).between(clock.instant().minus(Duration.ofDays(400)),
                                            clock.instant().minus(Duration.ofMinutes(5))).build()))
                    .start();
            tenant = cloud.tenant("contoso");
            redirect = FAKE_REDIRECT;
            replayAdministrator();
            client = OutlookClient.builder()
                    .clientId(FAKE_CLIENT_ID)
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
            String secret = env.get("TEKST_OUTLOOK_CLIENT_SECRET");
            if (secret == null || secret.isBlank()) {
                throw new CliException(OutlookCli.EXIT_USAGE, "TEKST_OUTLOOK_CLIENT_ID is set without"
                        + " TEKST_OUTLOOK_CLIENT_SECRET");
            }
            String r = env.get("TEKST_OUTLOOK_REDIRECT_URI");
            redirect = URI.create(r == null || r.isBlank() ? "http://localhost:8400/callback" : r);
            String key = env.get("TEKST_OUTLOOK_STATE_KEY");
            client = OutlookClient.builder()
                    .clientId(clientId)
                    .credential(AppCredential.secret(secret))
                    .stateKeys(key == null || key.isBlank() ? StateKey.random() : StateKey.fromBase64(key))
                    .store(store)
                    .build();
        }
    }

    boolean fake() {
        return cloud != null;
    }

    /** The one connection of the store, or the one named; a typed error otherwise. */
    Connection connection(String id) {
        if (id != null) {
            return store.findConnection(ConnectionId.of(id)).orElseThrow(() -> new CliException(
                    OutlookCli.EXIT_NOT_FOUND, "no connection " + id + " in the store"));
        }
        List<Connection> all = store.listConnections();
        if (all.isEmpty()) {
            throw new CliException(OutlookCli.EXIT_NOT_FOUND, "no connection yet: run 'connect' first");
        }
        if (all.size() > 1) {
            throw new CliException(OutlookCli.EXIT_USAGE, "the store has " + all.size() + " connections: name one"
                    + " with --connection (" + all.stream().map(c -> c.id().value()).toList() + ")");
        }
        return all.get(0);
    }

    /** Records what the fake administrator did, so the next run's fake does it again. */
    void remember(String key, String value) {
        admin.setProperty(key, value);
        try (Writer w = Files.newBufferedWriter(adminFile)) {
            admin.store(w, "what the fake tenant's administrator did in earlier runs of the CLI");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fake administrator applies the application access policy to the connection's mailboxes. */
    void applyRestrictionInFake(List<ScopedMailbox> scope) {
        tenant.restrict(cloud.app(), FakeTenant.RestrictionMechanism.APPLICATION_ACCESS_POLICY);
        tenant.addToRestrictionGroup(cloud.app(), scope.stream().map(s -> s.address().value()).toArray(String[]::new));
        remember("restriction", String.join(",", scope.stream().map(s -> s.address().value()).toList()));
    }

    private void replayAdministrator() {
        if (Files.exists(adminFile)) {
            try (Reader r = Files.newBufferedReader(adminFile)) {
                admin.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        boolean consented = "true".equals(admin.getProperty("consent"))
                || store.listConnections().stream().anyMatch(c -> c.status() == ConnectionStatus.CONNECTED);
        if (consented) {
            tenant.grantConsent(cloud.app());
        }
        String restricted = admin.getProperty("restriction");
        if (restricted != null && !restricted.isBlank()) {
            tenant.restrict(cloud.app(), FakeTenant.RestrictionMechanism.APPLICATION_ACCESS_POLICY);
            tenant.addToRestrictionGroup(cloud.app(), restricted.split(","));
        }
    }

    @Override
    public void close() {
        client.close();
        store.close();
        if (cloud != null) {
            cloud.close();
        }
    }
}
