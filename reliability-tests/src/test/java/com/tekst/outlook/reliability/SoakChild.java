package com.tekst.outlook.reliability;

import com.tekst.outlook.ErrorDetails;
import com.tekst.outlook.Connection;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionStatus;
import com.tekst.outlook.ConnectionType;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.Sleeper;
import com.tekst.outlook.TenantId;
import com.tekst.outlook.ThrottledException;
import com.tekst.outlook.graph.AppCredential;
import com.tekst.outlook.graph.CloudEndpoints;
import com.tekst.outlook.graph.OutlookClient;
import com.tekst.outlook.graph.StateKey;
import com.tekst.outlook.mailbox.FolderRef;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.mailbox.MailboxType;
import com.tekst.outlook.store.BackfillCursor;
import com.tekst.outlook.store.FolderKey;
import com.tekst.outlook.store.JdbcOutlookStore;
import com.tekst.outlook.store.MailboxRecord;
import com.tekst.outlook.sync.BackfillWindow;
import com.tekst.outlook.sync.MessagePage;
import com.tekst.outlook.sync.SyncEngine;
import com.tekst.outlook.sync.SyncListener;
import java.io.InputStream;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The child JVM of the soak: the SDK as an application runs it. Builds an {@link OutlookClient} against the fake
 * cloud (endpoints, app credentials and the CA certificate from the parent's files), opens the JDBC store (SQLite file
 * or PostgreSQL schema), and runs a {@link SyncEngine} whose sink is a {@link SinkLog} (its own file, or tables of the
 * PostgreSQL schema when {@code sinkUrl} is set). On the first start
 * ({@code --first}) it stores the connection and its mailboxes as the wizard would have and calls
 * {@code finishSetup} with a 90-day backfill; later starts only start the engine, which resumes from the store.
 * Prints {@code READY} when running; stops when its standard input closes (the parent went away) — or, as the soak
 * intends, dies by SIGKILL at any moment.
 *
 * <p>Usage: {@code SoakChild <config.properties> <run number> [--first]}. Never prints a secret or message content.
 */
public final class SoakChild {
    private SoakChild() {
    }

    public static void main(String[] args) throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8)) {
            p.load(r);
        }
        int run = Integer.parseInt(args[1]);
        boolean first = args.length > 2 && args[2].equals("--first");

        SharedClock clock = SharedClock.open(Path.of(p.getProperty("clockFile")));
        JdbcOutlookStore store = p.getProperty("store").equals("sqlite")
                ? JdbcOutlookStore.sqlite(Path.of(p.getProperty("sqliteFile")))
                : JdbcOutlookStore.builder().jdbcUrl(p.getProperty("postgresUrl")).build();
        ConnectionId connection = ConnectionId.of(p.getProperty("connection"));
        TenantId tenant = TenantId.of(p.getProperty("tenantId"));
        Instant connectedAt = Instant.parse(p.getProperty("connectedAt"));
        if (first) {
            store.saveConnection(Connection.pending(connection, ConnectionType.ORGANIZATION_WIDE,
                    connectedAt.minus(Duration.ofMinutes(5))).connectedTo(tenant, connectedAt));
            for (int i = 0; i < Integer.parseInt(p.getProperty("mailboxes")); i++) {
                String prefix = "mailbox." + i + ".";
                List<FolderRef> folders = new ArrayList<>();
                for (int f = 0; p.getProperty(prefix + "folder." + f + ".id") != null; f++) {
                    folders.add(new FolderRef(p.getProperty(prefix + "folder." + f + ".id"),
                            p.getProperty(prefix + "folder." + f + ".path")));
                }
                store.saveMailbox(new MailboxRecord(connection, MailboxId.of(p.getProperty(prefix + "id")),
                        MailboxAddress.of(p.getProperty(prefix + "address")), p.getProperty(prefix + "name"),
                        MailboxType.USER, folders, MailboxStatus.PENDING, null, "", connectedAt));
            }
        }
        if (store.findConnection(connection).map(Connection::status).orElse(null) == null) {
            throw new IllegalStateException("the store has no connection " + connection + ": start with --first");
        }

        OutlookClient client = OutlookClient.builder()
                .clientId(p.getProperty("clientId"))
                .credential(AppCredential.secret(Files.readString(Path.of(p.getProperty("secretFile"))).trim()))
                .stateKeys(StateKey.random())
                .store(store)
                .cloud(CloudEndpoints.of(URI.create(p.getProperty("loginBaseUrl")),
                        URI.create(p.getProperty("graphBaseUrl"))))
                .clock(clock)
                .sleeper(Sleeper.system())
                .trustManager(trust(Path.of(p.getProperty("caPemFile"))))
                .build();
        SinkLog sink = p.getProperty("sinkUrl") != null ? SinkLog.open(p.getProperty("sinkUrl"), run)
                : SinkLog.open(Path.of(p.getProperty("sinkFile")), run);
        sink.event("start", null, first ? "first" : "restart");
        SyncEngine engine = client.syncEngine()
                .sink(sink)
                .listener(new Events(sink))
                .threads(Integer.parseInt(p.getProperty("threads", "6")))
                .pageSize(Integer.parseInt(p.getProperty("pageSize")))
                .backfillPageSize(Integer.parseInt(p.getProperty("backfillPageSize")))
                .pollInterval(Duration.parse(p.getProperty("pollInterval")))
                .reconcileInterval(Duration.parse(p.getProperty("reconcileInterval")))
                .timerResolution(Duration.ofMillis(10))
                .leases(Duration.ofSeconds(2), Duration.ofMillis(500)) // a killed run's leases expire soon (PostgreSQL)
                .backoff(Duration.ofMillis(250), Duration.ofSeconds(4))
                .random(new Random(Long.parseLong(p.getProperty("seed")) * 31 + run))
                .build();
        engine.start();
        if (first) {
            client.finishSetup(engine, connection, BackfillWindow.last90Days());
        }
        System.out.println("READY " + run);
        System.out.flush();

        InputStream in = System.in;
        byte[] buffer = new byte[64];
        while (in.read(buffer) >= 0) {
            // runs until the parent closes standard input (or kills this process)
        }
        engine.stopNow();
        engine.awaitIdle(Duration.ofSeconds(10));
        client.close();
        sink.close();
        store.close();
        System.exit(0);
    }

    private static X509TrustManager trust(Path pem) throws Exception {
        X509Certificate ca;
        try (InputStream in = Files.newInputStream(pem)) {
            ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore keys = KeyStore.getInstance(KeyStore.getDefaultType());
        keys.load(null, null);
        keys.setCertificateEntry("fake-cloud-ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(keys);
        for (var tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new IllegalStateException("no X509TrustManager");
    }

    /** Engine events into the sink file: what the summary counts (retries, throttling, delta resets). */
    private record Events(SinkLog log) implements SyncListener {
        @Override
        public void deltaExpired(FolderKey folder, Instant restartFrom) {
            log.event("deltaExpired", folder.folderId(), null);
        }

        @Override
        public void retryScheduled(FolderKey folder, MessagePage.Kind kind, Throwable cause, Instant retryAt) {
            log.event("retry", folder.folderId(), kind + " " + cause.getClass().getSimpleName());
        }

        @Override
        public void throttled(ConnectionId connection, MailboxId mailboxId, ThrottledException.Scope scope,
                              Duration retryAfter, Instant until, ErrorDetails details) {
            log.event("throttled", String.valueOf(mailboxId), scope + " " + retryAfter.toMillis());
        }

        @Override
        public void backfillStateChanged(FolderKey folder, BackfillCursor.State from, BackfillCursor.State to) {
            log.event("backfill" + to, folder.folderId(), from + "->" + to);
        }

        @Override
        public void connectionStatusChanged(ConnectionId connection, ConnectionStatus from, ConnectionStatus to,
                                            String reason, ErrorDetails details) {
            log.event("connection" + to, null, String.valueOf(from));
        }
    }
}
