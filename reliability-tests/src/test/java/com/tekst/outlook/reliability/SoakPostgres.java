package com.tekst.outlook.reliability;

import static org.junit.jupiter.api.Assertions.fail;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL server of the soak: the one named by {@value #URL_VARIABLE} (what {@code .ci/run} starts and
 * exports). Each run gets a schema of its own with a random name, dropped afterwards. Without the variable the
 * PostgreSQL soak is skipped with that reason — except under CI ({@code CI=true}), where it fails.
 */
final class SoakPostgres {
    static final String URL_VARIABLE = "TEKST_TEST_POSTGRES_URL";
    private static final SecureRandom RANDOM = new SecureRandom();

    private SoakPostgres() {
    }

    static String serverUrl() {
        String url = System.getenv(URL_VARIABLE);
        if (url == null || url.isBlank()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("PostgreSQL is required under CI: set " + URL_VARIABLE + " to a JDBC URL such as"
                        + " jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres (.ci/run starts a server and sets it)");
            }
            Assumptions.abort(URL_VARIABLE + " is not set: the PostgreSQL soak is skipped (set it, or run .ci/run)");
        }
        return url;
    }

    static String createSchema(String serverUrl) throws SQLException {
        String schema = "tekst_soak_" + HexFormat.of().formatHex(RANDOM.generateSeed(6));
        execute(serverUrl, "CREATE SCHEMA " + schema);
        return schema;
    }

    static void dropSchema(String serverUrl, String schema) throws SQLException {
        execute(serverUrl, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    /** The server URL with {@code currentSchema}: the store's tables go to that schema. */
    static String urlFor(String serverUrl, String schema) {
        return serverUrl + (serverUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
