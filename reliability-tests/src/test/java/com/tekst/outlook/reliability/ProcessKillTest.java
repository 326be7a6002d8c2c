package com.tekst.outlook.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the soak relies on: on Linux {@link Process#destroyForcibly()} is SIGKILL — the child gets no chance to run a
 * shutdown hook, flush or close anything, and exits with 137 (128 + 9) — while {@link Process#destroy()} is SIGTERM
 * (hooks run, 143). Run on every build (not tagged {@code soak}).
 */
class ProcessKillTest {
    @TempDir
    Path dir;

    @Test
    void destroyForciblyIsSigkillAndDestroyIsSigterm() throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux"),
                "the exit codes 137/143 are Linux's; the soak runs on Linux");
        Path killed = dir.resolve("killed.txt");
        Process p = start(killed);
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("exit code after destroyForcibly (SIGKILL = 128 + 9)").isEqualTo(137);
        assertThat(killed).as("a SIGKILLed JVM runs no shutdown hook").doesNotExist();

        Path terminated = dir.resolve("terminated.txt");
        Process q = start(terminated);
        q.destroy();
        assertThat(q.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(q.exitValue()).as("exit code after destroy (SIGTERM = 128 + 15)").isEqualTo(143);
        assertThat(terminated).as("a SIGTERMed JVM runs its shutdown hooks").exists();
    }

    private static Process start(Path marker) throws Exception {
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), SigkillProbe.class.getName(),
                marker.toString())).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("the probe started").isEqualTo("READY");
        assertThat(Files.exists(marker)).isFalse();
        return p;
    }
}
