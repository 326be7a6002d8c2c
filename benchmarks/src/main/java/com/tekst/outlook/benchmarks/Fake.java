package com.tekst.outlook.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tekst.outlook.Connection;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionType;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.TenantId;
import com.tekst.outlook.graph.AppCredential;
import com.tekst.outlook.graph.CloudEndpoints;
import com.tekst.outlook.graph.OutlookClient;
import com.tekst.outlook.graph.StateKey;
import com.tekst.outlook.mailbox.FolderRef;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.mailbox.MailboxType;
import com.tekst.outlook.store.JdbcOutlookStore;
import com.tekst.outlook.store.MailboxRecord;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.X509TrustManager;

/** A {@link BenchFakeHost} in its own JVM (pinned to CPU 0 where {@code taskset} exists), and what a client needs of it. */
final class Fake implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    final JsonNode info;
    final X509TrustManager trust;
    final Instant start;
    private final Process process;
    private final PrintWriter in;
    private final BufferedReader out;

    private Fake(Process process) throws Exception {
        this.process = process;
        this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null) {
            throw new IllegalStateException("the fake cloud ended before it started");
        }
        this.info = JSON.readTree(line);
        this.trust = BenchmarkSuite.trust(Path.of(info.path("caCertificatePemPath").asText()));
        this.start = Instant.parse(info.path("start").asText());
    }

    /** A fake another JVM started: its start line only, no commands. */
    private Fake(JsonNode info) throws Exception {
        this.process = null;
        this.in = null;
        this.out = null;
        this.info = info;
        this.trust = BenchmarkSuite.trust(Path.of(info.path("caCertificatePemPath").asText()));
        this.start = Instant.parse(info.path("start").asText());
    }

    /** Starts a fake with {@code mailboxes} × {@code messages} (2,048-byte bodies) spread over {@code days}. */
    static Fake start(boolean taskset, String xmx, int mailboxes, int messages, int days) throws Exception {
        String jar = Path.of(Fake.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        List<String> cmd = new ArrayList<>();
        if (taskset) {
            cmd.addAll(List.of("taskset", "-c", "0"));
        }
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + xmx, "-cp",
                jar, BenchFakeHost.class.getName(), Integer.toString(mailboxes), Integer.toString(messages), "2048",
                "42", Integer.toString(days)));
        return new Fake(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start());
    }

    static Fake attach(JsonNode info) throws Exception {
        return new Fake(info);
    }

    synchronized JsonNode command(String c) throws Exception {
        in.println(c);
        return JSON.readTree(out.readLine());
    }

    List<JsonNode> mailboxes() {
        List<JsonNode> list = new ArrayList<>();
        info.path("mailboxes").forEach(list::add);
        return list;
    }

    OutlookClient.Builder sdk(JdbcOutlookStore store) {
        return OutlookClient.builder()
                .clientId(info.path("clientId").asText())
                .credential(AppCredential.secret(info.path("clientSecret").asText()))
                .stateKeys(StateKey.random())
                .store(store)
                .cloud(CloudEndpoints.of(URI.create(info.path("loginBaseUrl").asText()),
                        URI.create(info.path("graphBaseUrl").asText())))
                .trustManager(trust);
    }

    /** Saves a connected connection with the given mailboxes, every folder of each. */
    void addConnection(JdbcOutlookStore store, ConnectionId id, Instant connectedAt, List<JsonNode> boxes) {
        store.saveConnection(Connection.pending(id, ConnectionType.ORGANIZATION_WIDE,
                connectedAt.minus(Duration.ofMinutes(5))).connectedTo(TenantId.of(info.path("tenantId").asText()),
                connectedAt));
        for (JsonNode box : boxes) {
            List<FolderRef> folders = new ArrayList<>();
            box.path("folders").forEach(f -> folders.add(new FolderRef(f.path("id").asText(),
                    f.path("name").asText())));
            store.saveMailbox(new MailboxRecord(id, MailboxId.of(box.path("objectId").asText()),
                    MailboxAddress.of(box.path("address").asText()), box.path("displayName").asText(),
                    MailboxType.USER, folders, MailboxStatus.PENDING, null, "", connectedAt, List.of()));
        }
    }

    @Override
    public void close() throws Exception {
        if (process == null) {
            return;
        }
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroy();
        }
    }
}
