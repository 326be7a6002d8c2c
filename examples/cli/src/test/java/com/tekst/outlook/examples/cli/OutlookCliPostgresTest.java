package com.tekst.outlook.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --store jdbc:postgresql://…}: the CLI on a PostgreSQL store (a fresh schema of TEKST_TEST_POSTGRES_URL). */
class OutlookCliPostgresTest {
    @TempDir
    Path data;

    @Test
    void connectAddAndStatusOnAPostgresStore() throws Exception {
        String url = System.getenv("TEKST_TEST_POSTGRES_URL");
        if ("true".equals(System.getenv("CI"))) {
            assertThat(url).as("TEKST_TEST_POSTGRES_URL must be set under CI (.ci/run starts PostgreSQL)").isNotBlank();
        }
        Assumptions.assumeTrue(url != null && !url.isBlank(), "no TEKST_TEST_POSTGRES_URL");
        String schema = "cli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        String store = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        assertThat(run("--store", store, "connect")).isZero();
        assertThat(run("--store", store, "mailboxes", "add", "support@contoso.com")).isZero();
        StringWriter out = new StringWriter();
        int code = OutlookCli.run(new String[] {"--data", data.toString(), "--store", store, "status", "--json"},
                Map.of(), new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
        assertThat(code).isZero();
        assertThat(out.toString()).contains("\"status\":\"CONNECTED\"", "support@contoso.com");
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private int run(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--data";
        all[1] = data.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        StringWriter err = new StringWriter();
        int code = OutlookCli.run(all, Map.of(), new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(err.toString()).as("stderr").doesNotContain("unexpected");
        return code;
    }
}
