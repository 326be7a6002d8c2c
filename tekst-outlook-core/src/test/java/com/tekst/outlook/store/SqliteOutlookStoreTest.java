package com.tekst.outlook.store;

import com.tekst.outlook.StoreException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tekst.outlook.internal.jdbc.Dialect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** The contract on SQLite files in a temporary directory of this class. */
class SqliteOutlookStoreTest extends JdbcOutlookStoreContractTest {
    @TempDir
    static Path directory;

    private final AtomicInteger files = new AtomicInteger();

    @Override
    protected void setUpDatabases() {
        // files live in the class's temporary directory
    }

    @Override
    protected Database newDatabase() {
        return new SqliteFile(directory.resolve("store-" + files.incrementAndGet() + ".db"));
    }

    @Override
    protected void tearDownDatabases() {
        // the temporary directory goes with the class
    }

    @Override
    protected void breakCheckpointWrites(java.sql.Connection raw) throws SQLException {
        try (Statement statement = raw.createStatement()) {
            statement.execute("CREATE TRIGGER refuse_checkpoints BEFORE INSERT ON tekst_outlook_folder_checkpoints"
                    + " BEGIN SELECT RAISE(ABORT, 'checkpoint writes are broken for this test'); END");
        }
    }

    @Override
    protected String productName() {
        return "SQLite";
    }

    record SqliteFile(Path file) implements Database {
        @Override
        public JdbcOutlookStore open() {
            return JdbcOutlookStore.sqlite(file);
        }

        @Override
        public java.sql.Connection connect() throws SQLException {
            Properties properties = new Properties();
            properties.setProperty("busy_timeout", "10000");
            return DriverManager.getConnection("jdbc:sqlite:" + file, properties);
        }

        @Override
        public DataSource dataSource() {
            SQLiteDataSource dataSource = new SQLiteDataSource();
            dataSource.setUrl("jdbc:sqlite:" + file);
            return dataSource;
        }
    }

    @Test
    void theFactoryCreatesTheFileWithItsDirectoriesInWalMode() throws Exception {
        Path file = directory.resolve("nested/deeper/outlook.db");

        try (JdbcOutlookStore created = JdbcOutlookStore.sqlite(file)) {
            created.saveConnection(pending(CONN));
        }

        assertThat(file).isRegularFile();
        try (java.sql.Connection c = new SqliteFile(file).connect(); Statement statement = c.createStatement();
             ResultSet mode = statement.executeQuery("PRAGMA journal_mode")) {
            mode.next();
            assertThat(mode.getString(1)).isEqualToIgnoringCase("wal");
        }
        try (JdbcOutlookStore reopened = JdbcOutlookStore.sqlite(file)) {
            assertThat(reopened.findConnection(CONN)).contains(pending(CONN));
        }
    }

    @Test
    void aWriterWaitsForAnotherProcessHoldingTheWriteLockInsteadOfFailing() throws Exception {
        FolderKey key = key(CONN, MBX_A, "inbox");
        try (java.sql.Connection otherProcess = database().connect();
             Statement statement = otherProcess.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
            statement.executeUpdate("INSERT INTO tekst_outlook_connections (connection_id, type, status, created_at)"
                    + " VALUES ('other-process', 'PERSONAL', 'PENDING_CONSENT', 0)");

            CompletableFuture<Boolean> write = CompletableFuture.supplyAsync(
                    () -> store.commitCheckpoint(checkpoint(key, 1, "d", null), 0));

            // the store's write cannot finish while the other connection holds the write lock
            assertThat(write).failsWithin(300, TimeUnit.MILLISECONDS)
                    .withThrowableOfType(java.util.concurrent.TimeoutException.class);
            statement.execute("COMMIT");
            assertThat(write.get(Dialect.SQLITE_BUSY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)).isTrue();
        }
        assertThat(store.findCheckpoint(key)).contains(checkpoint(key, 1, "d", null));
        assertThat(store.findConnection(com.tekst.outlook.ConnectionId.of("other-process"))).isPresent();
    }

    @Test
    void readersDoNotWaitForAWriter() throws Exception {
        store.saveConnection(pending(CONN));
        try (java.sql.Connection otherProcess = database().connect();
             Statement statement = otherProcess.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
            statement.executeUpdate("DELETE FROM tekst_outlook_connections");

            CompletableFuture<Boolean> read = CompletableFuture.supplyAsync(
                    () -> store.findConnection(CONN).isPresent());

            assertThat(read.get(5, TimeUnit.SECONDS)).isTrue();
            statement.execute("ROLLBACK");
        }
    }

    @Test
    void anInMemoryDatabaseIsRefused() {
        assertThatThrownBy(() -> JdbcOutlookStore.builder().jdbcUrl("jdbc:sqlite::memory:"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("InMemoryOutlookStore");
    }

    @Test
    void aFileThatCannotBeCreatedIsAStoreException() throws Exception {
        Path notADirectory = Files.writeString(directory.resolve("plain-file"), "x");

        assertThatThrownBy(() -> JdbcOutlookStore.sqlite(notADirectory.resolve("store.db")))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("plain-file");
    }
}
