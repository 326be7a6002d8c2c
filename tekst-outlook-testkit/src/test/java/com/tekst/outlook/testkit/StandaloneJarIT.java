package com.tekst.outlook.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The packaged {@code -standalone.jar}, run as a separate process the way tools and apps run it. */
class StandaloneJarIT {
    static Process start(String... options) throws IOException {
        Path jar = Path.of(System.getProperty("standalone.jar", "target/missing-standalone.jar"));
        assertThat(jar).exists();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new java.util.ArrayList<>(List.of(java, "-jar", jar.toString()));
        command.addAll(List.of(options));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    static JsonNode firstLine(BufferedReader out) throws Exception {
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(60, TimeUnit.SECONDS);
        assertThat(line).isNotNull();
        return GraphHttp.MAPPER.readTree(line);
    }

    @Test
    void servesUntilStdinClosesAndPrintsNothingElse() throws Exception {
        Process p = start("--port", "0", "--seed", "42", "--mailboxes", "2", "--shared-mailboxes", "1",
                "--messages-per-mailbox", "20");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            JsonNode line = firstLine(out);
            assertThat(Files.readString(Path.of(line.path("caCertificatePemPath").asText())))
                    .startsWith("-----BEGIN CERTIFICATE-----");
            LauncherClient client = new LauncherClient(line);
            String token = client.token();
            String mailbox = line.path("mailboxes").get(2).path("objectId").asText();
            assertThat(client.get(token, "/users/" + mailbox + "/mailboxSettings").path("userPurpose").asText())
                    .isEqualTo("shared");
            JsonNode delta = client.get(token, "/users/" + mailbox + "/mailFolders/inbox/messages/delta");
            assertThat(delta.has("@odata.nextLink") || delta.has("@odata.deltaLink")).isTrue();

            p.getOutputStream().close();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
            assertThat(out.readLine()).isNull();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void stopsOnSigterm() throws Exception {
        Process p = start("--mailboxes", "1", "--shared-mailboxes", "0", "--messages-per-mailbox", "1");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            JsonNode line = firstLine(out);
            LauncherClient client = new LauncherClient(line);
            assertThat(client.token()).isNotBlank();
            // SIGTERM alone: Process.destroy() also closes the child's stdin, and end of stdin stops it too (exit 0),
            // which raced the signal
            Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).inheritIO().start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(143);
            assertThat(org.assertj.core.api.Assertions.catchThrowable(client::token)).isInstanceOf(IOException.class);
        } finally {
            p.destroyForcibly();
        }
    }
}
