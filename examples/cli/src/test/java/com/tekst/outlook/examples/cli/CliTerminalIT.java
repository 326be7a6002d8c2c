package com.tekst.outlook.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sync} in a real pseudo-terminal: the packaged jar runs under util-linux {@code script}, so
 * {@code System.console()} is a terminal and the progress bars are redrawn in place; the same command with its output
 * in a file prints plain lines.
 */
class CliTerminalIT {
    @TempDir
    Path data;

    @Test
    void onATerminalSyncDrawsProgressBarsInPlace() throws Exception {
        Path script = Path.of("/usr/bin/script");
        assertThat(script).as("util-linux script (Debian's bsdutils), for a pseudo-terminal").isExecutable();
        prepare();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = java + " -jar " + System.getProperty("cli.jar") + " --data " + data + " sync --backfill all";
        Path typescript = data.resolve("typescript");
        Process p = new ProcessBuilder(script.toString(), "-q", "-e", "-c", command, typescript.toString())
                .redirectErrorStream(true).redirectOutput(data.resolve("script.log").toFile()).start();
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("sync finished").isTrue();
        String screen = Files.readString(typescript, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(screen).isZero();
        assertThat(screen).contains("\u001b[2A", "] 100% ", "[" + "#".repeat(Progress.WIDTH) + "]",
                "support@contoso.com", "Synced:");
    }

    @Test
    void withoutATerminalSyncPrintsPlainLines() throws Exception {
        prepare();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = data.resolve("sync.log");
        Process p = new ProcessBuilder(List.of(java, "-jar", System.getProperty("cli.jar"), "--data", data.toString(),
                "sync", "--backfill", "all")).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
        String out = Files.readString(log);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).doesNotContain("\u001b[").contains("backfill 100%", "Synced:");
    }

    /** connect and add two mailboxes, in-process, on the same data folder. */
    private void prepare() {
        for (String[] args : List.of(new String[] {"connect"}, new String[] {"mailboxes", "add", "support@contoso.com"},
                new String[] {"mailboxes", "add", "room.berlin@contoso.com"})) {
            String[] all = new String[args.length + 2];
            all[0] = "--data";
            all[1] = data.toString();
            System.arraycopy(args, 0, all, 2, args.length);
            StringWriter err = new StringWriter();
            assertThat(OutlookCli.run(all, Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(err)))
                    .as(err.toString()).isZero();
        }
    }
}
