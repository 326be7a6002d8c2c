package com.tekst.outlook.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The contract on PostgreSQL: every database of this class is a fresh schema on the server named by
 * {@value PostgresTestDatabase#URL_VARIABLE}, dropped after the class.
 */
class PostgresOutlookStoreTest extends JdbcOutlookStoreContractTest {
    private String serverUrl;
    private final List<String> schemas = new ArrayList<>();

    @Override
    protected void setUpDatabases() {
        serverUrl = PostgresTestDatabase.serverUrl();
    }

    @Override
    protected Database newDatabase() throws SQLException {
        String schema = PostgresTestDatabase.createSchema(serverUrl);
        schemas.add(schema);
        return new PostgresSchema(PostgresTestDatabase.urlFor(serverUrl, schema));
    }

    @Override
    protected void tearDownDatabases() throws SQLException {
        for (String schema : schemas) {
            PostgresTestDatabase.dropSchema(serverUrl, schema);
        }
    }

    @Override
    protected void breakCheckpointWrites(java.sql.Connection raw) throws SQLException {
        // PostgreSQL reports a check violation with "Detail: Failing row contains (...)": the whole row, links too
        try (Statement statement = raw.createStatement()) {
            statement.execute("ALTER TABLE tekst_outlook_folder_checkpoints"
                    + " ADD CONSTRAINT refuse_links CHECK (delta_link IS NULL)");
        }
    }

    @Override
    protected String productName() {
        return "PostgreSQL";
    }

    record PostgresSchema(String url) implements Database {
        @Override
        public JdbcOutlookStore open() {
            return JdbcOutlookStore.builder().jdbcUrl(url).build();
        }

        @Override
        public java.sql.Connection connect() throws SQLException {
            return DriverManager.getConnection(url);
        }

        @Override
        public DataSource dataSource() {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setURL(url);
            return dataSource;
        }
    }

    @Test
    void writersOfDifferentFoldersDoNotWaitForEachOther() throws Exception {
        FolderKey locked = key(CONN, MBX_A, "locked");
        FolderKey free = key(CONN, MBX_A, "free");
        store.commitCheckpoint(checkpoint(locked, 1, "d", null), 0);
        store.commitCheckpoint(checkpoint(free, 1, "d", null), 0);
        try (java.sql.Connection otherWorker = database().connect();
             Statement statement = otherWorker.createStatement()) {
            otherWorker.setAutoCommit(false);
            statement.executeUpdate("UPDATE tekst_outlook_folder_checkpoints SET version = 2, next_link = 'other'"
                    + " WHERE folder_id = 'locked'");

            // another folder's write goes through while the row lock is held
            assertThat(store.commitCheckpoint(checkpoint(free, 2, "d2", null), 1)).isTrue();
            assertThat(store.findCheckpoint(locked).orElseThrow().version()).isEqualTo(1);
            // the locked folder's write waits for the other worker, then loses to it
            CompletableFuture<Boolean> sameRow = CompletableFuture.supplyAsync(
                    () -> store.commitCheckpoint(checkpoint(locked, 2, "mine", null), 1));
            assertThat(sameRow).failsWithin(300, TimeUnit.MILLISECONDS)
                    .withThrowableOfType(java.util.concurrent.TimeoutException.class);
            otherWorker.commit();
            assertThat(sameRow.get(10, TimeUnit.SECONDS)).isFalse();
        }
        assertThat(store.findCheckpoint(locked).orElseThrow().nextLink()).contains("other");
        assertThat(store.findCheckpoint(free)).contains(checkpoint(free, 2, "d2", null));
    }
}
