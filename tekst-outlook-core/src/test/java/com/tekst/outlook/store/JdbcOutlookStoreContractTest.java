package com.tekst.outlook.store;

import com.tekst.outlook.UnsupportedSchemaVersionException;

import com.tekst.outlook.StoreException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import com.tekst.outlook.Connection;
import com.tekst.outlook.OutlookException;
import com.tekst.outlook.internal.jdbc.Migrator;
import com.tekst.outlook.mailbox.FolderRef;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.opentest4j.TestAbortedException;

/**
 * The contract on a JDBC store, plus what only a database has: precision, migrations, restarts, a newer schema,
 * error redaction, data sources. One subclass per database; each test class works in a database of its own (an SQLite
 * file, a PostgreSQL schema) and empties its tables before every test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JdbcOutlookStoreContractTest extends OutlookStoreContractTest {
    static final List<String> TABLES = List.of("tekst_outlook_connections", "tekst_outlook_consent_nonces",
            "tekst_outlook_mailboxes", "tekst_outlook_mailbox_folders", "tekst_outlook_folder_checkpoints",
            "tekst_outlook_backfill_cursors", "tekst_outlook_mailbox_aliases", "tekst_outlook_scope_modes",
            "tekst_outlook_leases", "tekst_outlook_workers");
    static final String SECRET = "SECRET-DELTA-TOKEN-8f14e45fceea167a";

    /** A database the test can open stores on and look into. */
    interface Database {
        /** A new store on this database (migrates it on first use). */
        JdbcOutlookStore open();

        /** A raw connection, for looking at and tampering with tables. */
        java.sql.Connection connect() throws SQLException;

        /** A data source for this database, from the driver's own classes. */
        DataSource dataSource();
    }

    private Database database;
    private JdbcOutlookStore classStore;
    /** Why this class's database is not available (its tests are then skipped one by one, visibly). */
    private TestAbortedException unavailable;

    /**
     * Called once per class: prepares where the class's databases live. Throws {@link TestAbortedException} (an
     * assumption) when the database is not available, which skips every test of the class.
     */
    protected abstract void setUpDatabases() throws Exception;

    /** A new, empty database (an SQLite file, a PostgreSQL schema), removed after the class. */
    protected abstract Database newDatabase() throws Exception;

    /** Called once per class after its tests: removes every database the class made. */
    protected abstract void tearDownDatabases() throws Exception;

    @BeforeAll
    final void openClassStore() throws Exception {
        try {
            setUpDatabases();
        } catch (TestAbortedException e) {
            unavailable = e;
            return;
        }
        database = newDatabase();
        classStore = database.open();
    }

    @AfterAll
    final void closeClassStore() throws Exception {
        try {
            if (classStore != null) {
                classStore.close();
            }
        } finally {
            tearDownDatabases();
        }
    }

    @Override
    protected OutlookStore emptyStore() throws Exception {
        if (unavailable != null) {
            Assumptions.abort(unavailable.getMessage());
        }
        try (java.sql.Connection c = database.connect(); Statement statement = c.createStatement()) {
            for (String table : TABLES) {
                statement.executeUpdate("DELETE FROM " + table);
            }
        }
        return classStore;
    }

    protected Database database() {
        return database;
    }

    static List<List<Object>> schemaVersions(Database db) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (java.sql.Connection c = db.connect(); Statement statement = c.createStatement();
             ResultSet row = statement.executeQuery(
                     "SELECT version, description, applied_at FROM " + Migrator.VERSION_TABLE + " ORDER BY version")) {
            while (row.next()) {
                rows.add(List.of(row.getInt(1), row.getString(2), row.getLong(3)));
            }
        }
        return rows;
    }

    static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    // ---- precision -------------------------------------------------------------------------------------------------

    @Test
    void instantsAreTruncatedToMicroseconds() {
        FolderKey key = key(CONN, MBX_A, "inbox");
        Instant withNanos = Instant.parse("2026-11-26T10:15:30.123456789Z");
        Instant beforeEpoch = Instant.ofEpochSecond(-1, 999_999_999);
        store.commitCheckpoint(new FolderCheckpoint(key, null, null, beforeEpoch, null, 1, withNanos), 0);
        store.saveConnection(Connection.pending(CONN, com.tekst.outlook.ConnectionType.PERSONAL, withNanos));

        FolderCheckpoint found = store.findCheckpoint(key).orElseThrow();

        assertThat(found.updatedAt()).isEqualTo(Instant.parse("2026-11-26T10:15:30.123456Z"));
        assertThat(found.lastReceivedAt()).contains(Instant.ofEpochSecond(-1, 999_999_000))
                .contains(beforeEpoch.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
        assertThat(store.findConnection(CONN).orElseThrow().createdAt())
                .isEqualTo(withNanos.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
    }

    @Test
    void instantsOutsideTheStoredRangeAreRefused() {
        FolderKey key = key(CONN, MBX_A, "inbox");

        assertThatThrownBy(() -> store.commitCheckpoint(
                new FolderCheckpoint(key, null, null, Instant.MAX, null, 1, T0), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside the range");
        assertThat(store.findCheckpoint(key)).isEmpty();
    }

    // ---- schema and lifecycle --------------------------------------------------------------------------------------

    @Test
    void firstStartAppliesEveryMigrationAndLogsItAtDebug() throws Exception {
        Database fresh = newDatabase();

        try (LogCapture logs = new LogCapture(); JdbcOutlookStore started = fresh.open()) {
            started.saveConnection(pending(CONN));
            assertThat(logs.events())
                    .filteredOn(e -> e.getLoggerName().equals(Migrator.class.getName()))
                    .extracting(e -> e.getLevel(), e -> e.getFormattedMessage())
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(Level.DEBUG,
                            "applied store schema migration 1 (initial) on " + productName()),
                            org.assertj.core.groups.Tuple.tuple(Level.DEBUG,
                            "applied store schema migration 2 (mailbox scope) on " + productName()),
                            org.assertj.core.groups.Tuple.tuple(Level.DEBUG,
                            "applied store schema migration 3 (synced messages) on " + productName()),
                            org.assertj.core.groups.Tuple.tuple(Level.DEBUG,
                            "applied store schema migration 4 (permissions and health) on " + productName()),
                            org.assertj.core.groups.Tuple.tuple(Level.DEBUG,
                            "applied store schema migration 5 (leases) on " + productName()),
                            org.assertj.core.groups.Tuple.tuple(Level.DEBUG,
                            "applied store schema migration 6 (synced folder numbers) on " + productName()));
        }
        assertThat(schemaVersions(fresh)).extracting(row -> row.get(0))
                .containsExactly(1, 2, 3, 4, 5, 6).hasSize(Migrator.latestVersion());
        try (JdbcOutlookStore reopened = fresh.open()) {
            assertThat(reopened.findConnection(CONN)).contains(pending(CONN));
        }
    }

    @Test
    void reopeningKeepsTheDataAndDoesNotMigrateAgain() throws Exception {
        Database fresh = newDatabase();
        Connection connection = connected(CONN);
        FolderCheckpoint checkpoint = checkpoint(key(CONN, MBX_A, "inbox"), 1, link("delta", 4096), null);
        try (JdbcOutlookStore first = fresh.open()) {
            first.saveConnection(connection);
            first.saveMailbox(mailbox(CONN, MBX_A, "a@contoso.com", FolderRef.INBOX, new FolderRef("x", "X")));
            first.commitCheckpoint(checkpoint, 0);
        }
        List<List<Object>> versionsAfterFirstStart = schemaVersions(fresh);

        try (LogCapture logs = new LogCapture(); JdbcOutlookStore second = fresh.open()) {
            assertThat(second.findConnection(CONN)).contains(connection);
            assertThat(second.findMailbox(CONN, MBX_A).orElseThrow().folders()).hasSize(2);
            assertThat(second.findCheckpoint(checkpoint.key())).contains(checkpoint);
            assertThat(second.commitCheckpoint(checkpoint(checkpoint.key(), 2, "d2", null), 1)).isTrue();
            assertThat(logs.events()).noneMatch(e -> e.getLoggerName().equals(Migrator.class.getName()));
        }
        assertThat(schemaVersions(fresh)).isEqualTo(versionsAfterFirstStart);
    }

    /** Creates the version table and runs these migration scripts as an older release would have (no version rows). */
    static void schemaUpTo(Statement statement, String... scripts) throws Exception {
        statement.execute("CREATE TABLE " + Migrator.VERSION_TABLE
                + " (version INTEGER NOT NULL PRIMARY KEY, description TEXT NOT NULL, applied_at BIGINT NOT NULL)");
        for (String script : scripts) {
            String text;
            try (java.io.InputStream in = Migrator.class.getResourceAsStream(Migrator.RESOURCE_DIRECTORY + script)) {
                text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            StringBuilder sql = new StringBuilder();
            for (String line : text.split("\n")) {
                if (!line.strip().startsWith("--")) {
                    sql.append(line).append('\n');
                }
            }
            for (String ddl : sql.toString().split(";")) {
                if (!ddl.isBlank()) {
                    statement.execute(ddl);
                }
            }
        }
    }

    @Test
    void aVersion3MailboxGetsAFreeLeaseRowWhenMigrated() throws Exception {
        Database fresh = newDatabase();
        try (java.sql.Connection c = fresh.connect(); Statement statement = c.createStatement()) {
            schemaUpTo(statement, "V001__initial.sql", "V002__mailbox_scope.sql", "V003__synced_messages.sql");
            statement.execute("INSERT INTO " + Migrator.VERSION_TABLE + " VALUES (1, 'initial', 0)");
            statement.execute("INSERT INTO " + Migrator.VERSION_TABLE + " VALUES (2, 'mailbox scope', 0)");
            statement.execute("INSERT INTO " + Migrator.VERSION_TABLE + " VALUES (3, 'synced messages', 0)");
            statement.execute("INSERT INTO tekst_outlook_mailboxes (connection_id, mailbox_id, address, display_name,"
                    + " type, status, status_until, status_detail, added_at, aliases) VALUES ('conn-1', '" + MBX_A
                    + "', 'a@contoso.com', 'A', 'SHARED', 'IDLE', NULL, '', 0, '')");
        }
        try (JdbcOutlookStore migrated = fresh.open()) {
            assertThat(migrated.listConnections()).isEmpty();
        }
        try (java.sql.Connection c = fresh.connect(); Statement statement = c.createStatement();
             ResultSet row = statement.executeQuery("SELECT mailbox_id, worker_id, epoch FROM tekst_outlook_leases")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString(1)).isEqualTo(MBX_A.value());
            assertThat(row.getString(2)).isNull();
            assertThat(row.getLong(3)).isZero();
            assertThat(row.next()).isFalse();
        }
    }

    @Test
    void aVersion1DatabaseIsMigratedKeepingItsMailboxesWhichHaveNoAliasesYet() throws Exception {
        Database fresh = newDatabase();
        try (java.sql.Connection c = fresh.connect(); Statement statement = c.createStatement()) {
            schemaUpTo(statement, "V001__initial.sql");
            statement.execute("INSERT INTO " + Migrator.VERSION_TABLE + " VALUES (1, 'initial', 0)");
            statement.execute("INSERT INTO tekst_outlook_mailboxes (connection_id, mailbox_id, address, display_name,"
                    + " type, status, status_until, status_detail, added_at) VALUES ('conn-1', '" + MBX_A
                    + "', 'a@contoso.com', 'A', 'SHARED', 'IDLE', NULL, '', 0)");
            statement.execute("INSERT INTO tekst_outlook_mailbox_folders (connection_id, mailbox_id, position,"
                    + " folder_id, path) VALUES ('conn-1', '" + MBX_A + "', 0, 'inbox', 'Inbox')");
        }

        try (JdbcOutlookStore migrated = fresh.open()) {
            MailboxRecord found = migrated.findMailbox(CONN, MBX_A).orElseThrow();
            assertThat(found.aliases()).isEmpty();
            assertThat(found.folders()).containsExactly(FolderRef.INBOX);
            assertThat(migrated.findMailboxesByName(CONN, com.tekst.outlook.MailboxAddress.of("A@contoso.com")))
                    .containsExactly(found);
            assertThat(migrated.findScopeMode(CONN)).isEqualTo(com.tekst.outlook.mailbox.ScopeMode.RESTRICTED);
            migrated.saveMailbox(found.withAliases(List.of(com.tekst.outlook.MailboxAddress.of("b@contoso.com"))));
            assertThat(migrated.findMailboxesByName(CONN, com.tekst.outlook.MailboxAddress.of("b@contoso.com")))
                    .hasSize(1);
        }
        assertThat(schemaVersions(fresh)).extracting(row -> row.get(0)).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void aVersion5DatabaseKeepsItsSyncedMessagesPerFolderWhenMigrated() throws Exception {
        Database fresh = newDatabase();
        String[] scripts = {"V001__initial.sql", "V002__mailbox_scope.sql", "V003__synced_messages.sql",
                "V004__permissions_and_health.sql", "V005__leases.sql"};
        try (java.sql.Connection c = fresh.connect(); Statement statement = c.createStatement()) {
            schemaUpTo(statement, scripts);
            for (int v = 1; v <= scripts.length; v++) {
                statement.execute("INSERT INTO " + Migrator.VERSION_TABLE + " VALUES (" + v + ", 'v" + v + "', 0)");
            }
            String[][] rows = {{"conn-1", MBX_A.value(), "inbox", "m1", "1000000"},
                    {"conn-1", MBX_A.value(), "inbox", "m2", "2000000"},
                    {"conn-1", MBX_A.value(), "archive", "m1", "3000000"},
                    {"conn-2", MBX_A.value(), "inbox", "m3", "4000000"}};
            for (String[] r : rows) {
                statement.execute("INSERT INTO tekst_outlook_synced_messages (connection_id, mailbox_id, folder_id,"
                        + " message_id, received_at) VALUES ('" + r[0] + "', '" + r[1] + "', '" + r[2] + "', '"
                        + r[3] + "', " + r[4] + ")");
            }
        }
        FolderKey inbox = new FolderKey(com.tekst.outlook.ConnectionId.of("conn-1"), MBX_A, "inbox");
        FolderKey archive = new FolderKey(com.tekst.outlook.ConnectionId.of("conn-1"), MBX_A, "archive");
        FolderKey other = new FolderKey(com.tekst.outlook.ConnectionId.of("conn-2"), MBX_A, "inbox");
        FolderKey sent = new FolderKey(com.tekst.outlook.ConnectionId.of("conn-1"), MBX_A, "sent");
        Instant from = Instant.EPOCH;
        Instant to = Instant.ofEpochSecond(100);
        try (JdbcOutlookStore migrated = fresh.open()) {
            assertThat(migrated.listSyncedMessages(inbox, from, to)).containsExactly(
                    new SyncedMessage("m2", Instant.ofEpochSecond(2)), new SyncedMessage("m1", Instant.ofEpochSecond(1)));
            assertThat(migrated.listSyncedMessages(archive, from, to))
                    .containsExactly(new SyncedMessage("m1", Instant.ofEpochSecond(3)));
            assertThat(migrated.countSyncedMessages(other)).isEqualTo(1);
            assertThat(migrated.countSyncedMessages(sent)).isZero();

            // a migrated folder goes on under its number; a new folder gets one of its own
            FolderCheckpoint first = new FolderCheckpoint(inbox, null, "next", null, null, 1, Instant.ofEpochSecond(9));
            assertThat(migrated.commitCheckpoint(first, 0, new SyncedChanges(
                    List.of(new SyncedMessage("m4", Instant.ofEpochSecond(4))), List.of("m1")))).isTrue();
            FolderCheckpoint elsewhere = new FolderCheckpoint(sent, null, "next", null, null, 1,
                    Instant.ofEpochSecond(9));
            assertThat(migrated.commitCheckpoint(elsewhere, 0, new SyncedChanges(
                    List.of(new SyncedMessage("m1", Instant.ofEpochSecond(5))), List.of()))).isTrue();
            assertThat(migrated.listSyncedMessages(inbox, from, to)).extracting(SyncedMessage::id)
                    .containsExactly("m4", "m2");
            assertThat(migrated.listSyncedMessages(sent, from, to)).extracting(SyncedMessage::id)
                    .containsExactly("m1");
            assertThat(migrated.listSyncedMessages(archive, from, to)).extracting(SyncedMessage::id)
                    .containsExactly("m1");
        }
        try (java.sql.Connection c = fresh.connect(); Statement statement = c.createStatement();
             ResultSet row = statement.executeQuery("SELECT COUNT(DISTINCT folder_no), COUNT(*) FROM"
                     + " tekst_outlook_synced_folders")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getLong(1)).as("one number per folder").isEqualTo(4);
            assertThat(row.getLong(2)).isEqualTo(4);
        }
    }

    @Test
    void aVersion3ConnectionReadsBackAsReadOnlyConsentedInEntra() throws Exception {
        Database fresh = newDatabase();
        try (java.sql.Connection c = fresh.connect(); Statement statement = c.createStatement()) {
            schemaUpTo(statement, "V001__initial.sql", "V002__mailbox_scope.sql", "V003__synced_messages.sql");
            statement.execute("INSERT INTO " + Migrator.VERSION_TABLE + " VALUES (1, 'initial', 0)");
            statement.execute("INSERT INTO " + Migrator.VERSION_TABLE + " VALUES (2, 'mailbox scope', 0)");
            statement.execute("INSERT INTO " + Migrator.VERSION_TABLE + " VALUES (3, 'synced messages', 0)");
            statement.execute("INSERT INTO tekst_outlook_connections (connection_id, type, tenant_id, status,"
                    + " created_at, connected_at) VALUES ('conn-1', 'ORGANIZATION_WIDE', '" + TENANT.value()
                    + "', 'CONNECTED', 0, 1000000)");
        }

        try (JdbcOutlookStore migrated = fresh.open()) {
            Connection found = migrated.findConnection(CONN).orElseThrow();
            assertThat(found.permissions()).isEqualTo(com.tekst.outlook.ConnectionPermissions.DEFAULT);
            assertThat(found.tenant()).contains(TENANT);
            assertThat(migrated.findAppliedRestriction(CONN)).isEmpty();
        }
        assertThat(schemaVersions(fresh)).extracting(row -> row.get(0)).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void aDatabaseWithANewerSchemaIsRefused() throws Exception {
        Database fresh = newDatabase();
        try (JdbcOutlookStore first = fresh.open()) {
            first.saveConnection(pending(CONN));
        }
        int newer = Migrator.latestVersion() + 1;
        try (java.sql.Connection c = fresh.connect(); PreparedStatement insert = c.prepareStatement(
                "INSERT INTO " + Migrator.VERSION_TABLE + " (version, description, applied_at) VALUES (?, ?, ?)")) {
            insert.setInt(1, newer);
            insert.setString(2, "from the future");
            insert.setLong(3, 0);
            insert.executeUpdate();
        }

        UnsupportedSchemaVersionException refused =
                catchThrowableOfType(UnsupportedSchemaVersionException.class, fresh::open);

        assertThat(refused).isInstanceOf(StoreException.class).isInstanceOf(OutlookException.class);
        assertThat(refused.databaseVersion()).isEqualTo(newer);
        assertThat(refused.supportedVersion()).isEqualTo(Migrator.latestVersion());
        assertThat(refused.getMessage()).contains("schema version " + newer)
                .contains("version " + Migrator.latestVersion()).contains("upgrade the SDK");
        assertThat(schemaVersions(fresh)).hasSize(Migrator.latestVersion() + 1);
        try (java.sql.Connection c = fresh.connect(); Statement statement = c.createStatement();
             ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM tekst_outlook_connections")) {
            count.next();
            assertThat(count.getInt(1)).isEqualTo(1);
        }
    }

    @Test
    void aVersion2BackfillCursorListsAgainFromTheNewestEndAndItsCheckpointIsNotYetReconciled() throws Exception {
        Database fresh = newDatabase();
        try (java.sql.Connection c = fresh.connect(); Statement statement = c.createStatement()) {
            schemaUpTo(statement, "V001__initial.sql", "V002__mailbox_scope.sql");
            statement.execute("INSERT INTO " + Migrator.VERSION_TABLE + " VALUES (1, 'initial', 0)");
            statement.execute("INSERT INTO " + Migrator.VERSION_TABLE + " VALUES (2, 'mailbox scope', 0)");
            statement.execute("INSERT INTO tekst_outlook_backfill_cursors (connection_id, mailbox_id, folder_id,"
                    + " from_at, until_at, next_link, delivered, estimated_total, state, version, updated_at)"
                    + " VALUES ('conn-1', '" + MBX_A + "', 'inbox', 0, 1000000, 'https://graph/skip', 300, 900,"
                    + " 'RUNNING', 4, 5)");
            statement.execute("INSERT INTO tekst_outlook_folder_checkpoints (connection_id, mailbox_id, folder_id,"
                    + " delta_link, next_link, last_received_at, version, updated_at)"
                    + " VALUES ('conn-1', '" + MBX_A + "', 'inbox', 'https://graph/delta', NULL, 7, 2, 8)");
        }

        try (JdbcOutlookStore migrated = fresh.open()) {
            FolderKey key = key(CONN, MBX_A, "inbox");
            BackfillCursor cursor = migrated.findBackfillCursor(key).orElseThrow();
            assertThat(cursor.position()).isEqualTo(BackfillPosition.before(Instant.ofEpochSecond(1)));
            assertThat(cursor.delivered()).isEqualTo(300);
            assertThat(cursor.version()).isEqualTo(4);
            FolderCheckpoint checkpoint = migrated.findCheckpoint(key).orElseThrow();
            assertThat(checkpoint.deltaLink()).contains("https://graph/delta");
            assertThat(checkpoint.reconciledAt()).isEmpty();
            assertThat(migrated.countSyncedMessages(key)).isZero();
        }
        assertThat(schemaVersions(fresh)).extracting(row -> row.get(0)).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void storesStartingAtOnceOnAnEmptyDatabaseMigrateItOnce() throws Exception {
        Database fresh = newDatabase();

        List<JdbcOutlookStore> stores = Concurrently.run(4, thread -> fresh.open());
        try {
            for (int i = 0; i < stores.size(); i++) {
                stores.get(i).saveConnection(pending(com.tekst.outlook.ConnectionId.of("started-" + i)));
            }
            assertThat(stores.get(0).listConnections()).hasSize(4);
        } finally {
            stores.forEach(JdbcOutlookStore::close);
        }
        assertThat(schemaVersions(fresh)).extracting(row -> row.get(0)).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void aClosedStoreRefusesCallsAndClosingTwiceIsHarmless() {
        JdbcOutlookStore other = database().open();
        other.saveConnection(pending(CONN));

        other.close();
        other.close();

        assertThatThrownBy(() -> other.findConnection(CONN)).isInstanceOf(IllegalStateException.class);
        assertThat(store.findConnection(CONN)).isPresent();
    }

    @Test
    void aStoreOnADataSourceWorksAndLeavesTheDataSourceOpen() throws Exception {
        DataSource dataSource = database().dataSource();
        JdbcOutlookStore onDataSource = JdbcOutlookStore.builder().dataSource(dataSource).build();
        FolderCheckpoint checkpoint = checkpoint(key(CONN, MBX_A, "inbox"), 1, "d", null);

        onDataSource.saveConnection(connected(CONN));
        assertThat(onDataSource.commitCheckpoint(checkpoint, 0)).isTrue();
        assertThat(onDataSource.commitCheckpoint(checkpoint, 0)).isFalse();
        onDataSource.close();

        assertThatThrownBy(() -> onDataSource.findConnection(CONN)).isInstanceOf(IllegalStateException.class);
        assertThat(store.findConnection(CONN)).contains(connected(CONN));
        assertThat(store.findCheckpoint(checkpoint.key())).contains(checkpoint);
        try (java.sql.Connection c = dataSource.getConnection()) {
            assertThat(c.isValid(5)).isTrue();
        }
    }

    // ---- errors ----------------------------------------------------------------------------------------------------

    /** Makes every later checkpoint write fail in the database (on a database of the test's own). */
    protected abstract void breakCheckpointWrites(java.sql.Connection raw) throws SQLException;

    protected abstract String productName();

    @Test
    void aDatabaseFailureIsAStoreExceptionWithoutTheLinkInItsMessagesOrLogs() throws Exception {
        Database fresh = newDatabase();
        try (JdbcOutlookStore broken = fresh.open(); LogCapture logs = new LogCapture()) {
            try (java.sql.Connection raw = fresh.connect()) {
                breakCheckpointWrites(raw);
            }
            FolderCheckpoint withSecret = new FolderCheckpoint(key(CONN, MBX_A, "inbox"),
                    "https://graph.microsoft.com/v1.0/delta?$deltatoken=" + SECRET,
                    "https://graph.microsoft.com/v1.0/delta?$skiptoken=" + SECRET, T0, null, 1, T0);

            StoreException failure = catchThrowableOfType(StoreException.class,
                    () -> broken.commitCheckpoint(withSecret, 0));

            assertThat(failure).isNotNull();
            assertThat(failure.summary()).startsWith("store operation 'commit checkpoint' failed (SQLState ");
            assertThat(failure.getCause()).isInstanceOf(SQLException.class);
            assertThat(stackTrace(failure)).doesNotContain(SECRET).doesNotContain("deltatoken");
            assertThat(logs.text()).doesNotContain(SECRET);
        }
    }

    @Test
    void nothingWrittenOrReadPutsALinkIntoTheLogs() throws Exception {
        FolderKey key = key(CONN, MBX_A, "inbox");
        try (LogCapture logs = new LogCapture()) {
            store.commitCheckpoint(new FolderCheckpoint(key, "delta?" + SECRET, "next?" + SECRET, T0, null, 1, T0), 0);
            store.commitBackfillCursor(new BackfillCursor(key, Instant.EPOCH, T0,
                    new BackfillPosition(T0.minusSeconds(5), true, java.util.Set.of("id?" + SECRET)), 0, -1,
                    BackfillCursor.State.RUNNING, 1, T0), 0);
            store.findCheckpoint(key);
            store.listBackfillCursors(CONN, MBX_A);
            store.commitCheckpoint(new FolderCheckpoint(key, "delta?" + SECRET, null, T0, null, 1, T0), 0);

            assertThat(logs.text()).doesNotContain(SECRET);
        }
    }
}
