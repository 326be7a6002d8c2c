package com.tekst.outlook.store;

import static org.junit.jupiter.api.Assertions.fail;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the PostgreSQL tests run: the server named by {@value #URL_VARIABLE} (for example
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}), each test database a schema of its own with a
 * random name, dropped afterwards. Without the variable the tests are skipped, except under CI ({@code CI=true}),
 * where they fail: CI must run them.
 */
public final class PostgresTestDatabase {
    public static final String URL_VARIABLE = "TEKST_TEST_POSTGRES_URL";
    private static final SecureRandom RANDOM = new SecureRandom();

    private PostgresTestDatabase() {
    }

    /** The server's JDBC URL; skips the calling test class, or fails it under CI, when none is configured. */
    public static String serverUrl() {
        String url = System.getenv(URL_VARIABLE);
        if (url == null || url.isBlank()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("PostgreSQL is required under CI: set " + URL_VARIABLE + " to a JDBC URL such as"
                        + " jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres (.ci/run starts a server and sets it)");
            }
            Assumptions.abort(URL_VARIABLE + " is not set: PostgreSQL store tests skipped");
        }
        return url;
    }

    /** Creates a schema with a random name and returns the name. */
    public static String createSchema(String serverUrl) throws SQLException {
        String schema = "tekst_test_" + HexFormat.of().formatHex(RANDOM.generateSeed(6));
        execute(serverUrl, "CREATE SCHEMA " + schema);
        return schema;
    }

    public static void dropSchema(String serverUrl, String schema) throws SQLException {
        execute(serverUrl, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    /** The server URL with {@code currentSchema} set: tables are created and found in that schema. */
    public static String urlFor(String serverUrl, String schema) {
        return serverUrl + (serverUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement statement = c.createStatement()) {
            statement.execute(sql);
        }
    }
}
