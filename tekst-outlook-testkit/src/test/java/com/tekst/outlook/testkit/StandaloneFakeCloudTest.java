package com.tekst.outlook.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The launcher, run in this JVM: one JSON line on stdout, a working fake behind it, stops when stdin closes. */
class StandaloneFakeCloudTest {

    @Test
    void printsOneJsonLineThenServesUntilStdinCloses() throws Exception {
        PipedOutputStream stdinWriter = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(stdinWriter);
        PipedInputStream stdoutReader = new PipedInputStream(1 << 16);
        PrintStream stdout = new PrintStream(new PipedOutputStream(stdoutReader), true, StandardCharsets.UTF_8);
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
            try {
                return StandaloneFakeCloud.run(new String[] {"--port", "0", "--seed", "7", "--mailboxes", "2",
                    "--shared-mailboxes=1", "--messages-per-mailbox", "12", "--clock", "frozen", "--start",
                    "2026-01-05T09:00:00Z"}, stdin, stdout, new PrintStream(stderr, true, StandardCharsets.UTF_8));
            } finally {
                stdout.close();
            }
        });
        BufferedReader out = new BufferedReader(new InputStreamReader(stdoutReader, StandardCharsets.UTF_8));
        JsonNode line = GraphHttp.MAPPER.readTree(out.readLine());
        assertThat(line.path("graphBaseUrl").asText()).startsWith("https://localhost:").endsWith("/v1.0");
        assertThat(line.path("loginBaseUrl").asText()).isEqualTo(line.path("graphBaseUrl").asText().replace("/v1.0", ""));
        assertThat(line.path("tenantId").asText()).isEqualTo(FakeTenant.deriveId("contoso").value());
        assertThat(line.path("clientId").asText()).isNotBlank();
        assertThat(line.path("clientSecret").asText()).isNotBlank();
        assertThat(line.path("permissions")).extracting(JsonNode::asText)
                .containsExactly("Mail.Read", "MailboxSettings.Read", "User.Read.All");
        assertThat(line.path("mailboxes")).hasSize(3);
        assertThat(line.path("mailboxes")).extracting(m -> m.path("type").asText())
                .containsExactly("user", "user", "shared");

        LauncherClient client = new LauncherClient(line);
        String token = client.token();
        JsonNode users = client.get(token, "/users");
        List<String> ids = new ArrayList<>();
        users.path("value").forEach(u -> ids.add(u.path("id").asText()));
        List<String> advertised = new ArrayList<>();
        line.path("mailboxes").forEach(m -> advertised.add(m.path("objectId").asText()));
        assertThat(ids).containsExactlyElementsOf(advertised);
        String first = advertised.get(0);
        assertThat(client.get(token, "/users/" + first + "/messages?$top=50").path("value")).hasSize(12);

        stdinWriter.close();
        assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
        assertThat(out.readLine()).as("nothing but the one line on stdout").isNull();
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("listening on").contains("stdin closed");
        assertThat(stderr.toString(StandardCharsets.UTF_8)).doesNotContain(line.path("clientSecret").asText())
                .doesNotContain(token);
    }

    @Test
    void helpAndBadOptions() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(StandaloneFakeCloud.run(new String[] {"--help"}, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out), new PrintStream(err))).isZero();
        assertThat(out.toString()).contains("--port").contains("--messages-per-mailbox");
        assertThat(StandaloneFakeCloud.run(new String[] {"--mailboxes", "many"}, new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err))).isEqualTo(2);
        assertThat(StandaloneFakeCloud.run(new String[] {"--colour", "red"}, new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err))).isEqualTo(2);
        assertThat(err.toString()).contains("bad option value").contains("unknown option: --colour");
    }
}
