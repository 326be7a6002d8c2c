package com.tekst.outlook.internal.jdbc;

import com.tekst.outlook.StoreException;
import com.tekst.outlook.UnsupportedSchemaVersionException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a database's store schema up to date with the migrations shipped in the jar.
 *
 * <p>Migrations are SQL scripts under {@value #RESOURCE_DIRECTORY}, named {@code V<NNN>__<description>.sql} and listed
 * in {@link #MIGRATIONS} in order (a jar's directory cannot be listed portably; a test checks that the list and the
 * directory agree). Each applied migration is a row of {@value #VERSION_TABLE}. All pending migrations run in one
 * transaction that first takes the schema lock (SQLite: {@code BEGIN IMMEDIATE}; PostgreSQL: an advisory lock), so
 * two processes starting at once apply each migration exactly once and neither sees a half-migrated schema. A schema
 * newer than {@link #latestVersion()} is refused.
 *
 * <p>Script format: statements end with a semicolon at the end of a line; {@code --} starts a comment line. The same
 * scripts run on SQLite and PostgreSQL, so they use only types and statements both understand.
 */
public final class Migrator {
    /** Where the scripts are, on the class path. */
    public static final String RESOURCE_DIRECTORY = "/com/tekst/outlook/store/migrations/";
    /** The table recording applied migrations. */
    public static final String VERSION_TABLE = "tekst_outlook_schema_version";

    /** Every migration, in order: versions 1, 2, 3… without gaps. */
    public static final List<String> MIGRATIONS = List.of(
            "V001__initial.sql",
            "V002__mailbox_scope.sql",
            "V003__synced_messages.sql",
            "V004__permissions_and_health.sql",
            "V005__leases.sql",
            "V006__synced_folder_numbers.sql");

    private static final Pattern NAME = Pattern.compile("V(\\d{3})__([a-z0-9_]+)\\.sql");
    private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);

    private final Clock clock;

    public Migrator(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The schema version this code writes and reads. */
    public static int latestVersion() {
        return MIGRATIONS.size();
    }

    /**
     * Applies the pending migrations.
     *
     * @return the versions applied now (empty when the schema was up to date)
     * @throws UnsupportedSchemaVersionException if the database's schema is newer than this code
     */
    public List<Integer> migrate(JdbcExecutor executor) {
        List<Script> scripts = load();
        Dialect dialect = executor.dialect();
        List<Integer> applied = executor.transaction("migrate schema", connection -> {
            dialect.lockForMigration(connection);
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS " + VERSION_TABLE + " ("
                        + " version INTEGER NOT NULL PRIMARY KEY,"
                        + " description TEXT NOT NULL,"
                        + " applied_at BIGINT NOT NULL)");
            }
            int current = currentVersion(connection);
            if (current > scripts.size()) {
                throw new UnsupportedSchemaVersionException(current, scripts.size());
            }
            List<Integer> done = new ArrayList<>();
            for (Script script : scripts.subList(current, scripts.size())) {
                apply(connection, script);
                done.add(script.version());
            }
            return done;
        });
        for (Integer version : applied) {
            Script script = scripts.get(version - 1);
            LOG.debug("applied store schema migration {} ({}) on {}", version, script.description(),
                    dialect.productName());
        }
        return applied;
    }

    /** The schema version recorded in a database: 0 for none. */
    public static int currentVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT MAX(version) FROM " + VERSION_TABLE)) {
            return row.next() ? row.getInt(1) : 0;
        }
    }

    private void apply(Connection connection, Script script) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : script.statements()) {
                statement.execute(sql);
            }
        }
        try (PreparedStatement record = connection.prepareStatement(
                "INSERT INTO " + VERSION_TABLE + " (version, description, applied_at) VALUES (?, ?, ?)")) {
            record.setInt(1, script.version());
            record.setString(2, script.description());
            record.setLong(3, EpochMicros.of(clock.instant()));
            record.executeUpdate();
        }
    }

    /** The shipped scripts, parsed, in order. */
    static List<Script> load() {
        List<Script> scripts = new ArrayList<>();
        for (int i = 0; i < MIGRATIONS.size(); i++) {
            String name = MIGRATIONS.get(i);
            Matcher matcher = NAME.matcher(name);
            if (!matcher.matches() || Integer.parseInt(matcher.group(1)) != i + 1) {
                throw new IllegalStateException("migration " + name + " is out of order or misnamed");
            }
            scripts.add(new Script(i + 1, matcher.group(2).replace('_', ' '), statements(read(name))));
        }
        return scripts;
    }

    private static String read(String name) {
        try (InputStream in = Migrator.class.getResourceAsStream(RESOURCE_DIRECTORY + name)) {
            if (in == null) {
                throw new StoreException("store schema migration " + name + " is missing from the class path", null);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StoreException("store schema migration " + name + " could not be read", e);
        }
    }

    /** Splits a script into statements: each ends with ';' at the end of a line; '--' lines are comments. */
    static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\r?\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            if (trimmed.endsWith(";")) {
                current.append(trimmed, 0, trimmed.length() - 1);
                statements.add(current.toString().strip());
                current.setLength(0);
            } else {
                current.append(trimmed).append('\n');
            }
        }
        if (!current.toString().isBlank()) {
            throw new IllegalStateException("a store migration ends without ';' after its last statement");
        }
        return List.copyOf(statements);
    }

    /** One parsed migration. */
    record Script(int version, String description, List<String> statements) {
    }
}
