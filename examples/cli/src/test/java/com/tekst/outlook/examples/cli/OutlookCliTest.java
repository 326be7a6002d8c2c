package com.tekst.outlook.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end against its embedded fake tenant, one process run per command as a script would run it. */
class OutlookCliTest {
    @TempDir
    Path data;

    record Run(int code, String out, String err) {
    }

    Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("--data", data.toString()));
        all.addAll(List.of(args));
        int code = OutlookCli.run(all.toArray(String[]::new), Map.of(), new PrintWriter(out, true),
                new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void connectChooseRestrictSyncDiagnoseAcrossRuns() {
        Run connect = run("connect");
        assertThat(connect.code()).as(connect.err()).isZero();
        assertThat(connect.out()).contains("is CONNECTED to tenant").contains("state=…").doesNotContain("state=v1.");

        Run search = run("mailboxes", "search", "s");
        assertThat(search.code()).isZero();
        assertThat(search.out()).contains("support@contoso.com", "SHARED");
        assertThat(run("mailboxes", "add", "support@contoso.com").out()).contains("Added support@contoso.com (SHARED");
        assertThat(run("mailboxes", "add", "room.berlin@contoso.com", "--folder", "Inbox").code()).isZero();
        Run list = run("mailboxes", "list", "--json");
        assertThat(list.out()).startsWith("[{\"address\":\"room.berlin@contoso.com\"").contains("\"type\":\"SHARED\"");

        Run script = run("restriction", "script", "--group", "tekst-mailboxes@contoso.com", "--outside",
                "admin@contoso.com", "--apply-in-fake");
        assertThat(script.code()).as(script.err()).isZero();
        assertThat(script.out()).contains("New-ApplicationAccessPolicy");
        Run verify = run("restriction", "verify");
        assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).startsWith("ENFORCED");
        Run applied = run("restriction", "applied");
        assertThat(applied.code()).isZero();
        assertThat(applied.out()).startsWith("Recorded APPLICATION_ACCESS_POLICY applied at");

        Run sync = run("sync", "--backfill", "90d", "--progress", "lines");
        assertThat(sync.code()).as(sync.out() + sync.err()).isZero();
        assertThat(sync.out()).contains("support@contoso.com", "backfill 100%", "(backfill complete)",
                "Synced:").doesNotContain("\u001b[");

        Run doctor = run("doctor");
        assertThat(doctor.code()).as(doctor.out()).isZero();
        assertThat(doctor.out()).contains("PASS    Tenant reachable and known", "Sync health");
        assertThat(run("doctor", "--json").out()).startsWith("{\"schemaVersion\":1,");
        Run status = run("status", "--json");
        assertThat(status.out()).contains("\"status\":\"CONNECTED\"", "support@contoso.com");
    }

    @Test
    void exitCodesAScriptCanRelyOn() {
        assertThat(run("mailboxes", "list").code()).as("no connection yet").isEqualTo(OutlookCli.EXIT_NOT_FOUND);
        Run declined = run("connect", "--decline");
        assertThat(declined.code()).isEqualTo(OutlookCli.EXIT_NOT_DONE);
        assertThat(declined.out()).contains("Admin consent is missing");
        Run process = run("--connection", "process", "connect", "--profile", "PROCESS");
        assertThat(process.code()).as("the fake tenant consents to READ_ONLY only").isEqualTo(OutlookCli.EXIT_NOT_DONE);
        assertThat(process.out()).contains("Admin consent is missing permissions: [Mail.ReadWrite]");
        assertThat(run("--connection", "acme", "connect").code()).isZero();
        assertThat(run("mailboxes", "list").code()).as("two connections, none named")
                .isEqualTo(OutlookCli.EXIT_USAGE);
        Run nobody = run("--connection", "acme", "mailboxes", "add", "nobody@contoso.com");
        assertThat(nobody.code()).isEqualTo(OutlookCli.EXIT_NOT_FOUND);
        assertThat(nobody.err()).startsWith("tekst-outlook: ");
        assertThat(run("--connection", "acme", "mailboxes", "add", "not an address").code())
                .isEqualTo(OutlookCli.EXIT_USAGE);
        assertThat(run("--connection", "acme", "mailboxes", "search", " ").code()).isEqualTo(OutlookCli.EXIT_USAGE);
        assertThat(run("--connection", "acme", "sync", "--backfill", "3y").code()).isEqualTo(OutlookCli.EXIT_USAGE);
        assertThat(run("frobnicate").code()).isEqualTo(OutlookCli.EXIT_USAGE);
        assertThat(run("--connection", "nope", "status").code()).isZero();
        assertThat(run("--connection", "nope", "doctor").code()).isEqualTo(OutlookCli.EXIT_NOT_FOUND);
    }
}
