package com.tekst.outlook.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.tekst.outlook.Connection;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionType;
import com.tekst.outlook.sync.MailSource;
import com.tekst.outlook.sync.MessagePage;
import com.tekst.outlook.sync.SyncEngine;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Properties;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snippets of tekst-outlook-core/README.md, section "Store": they must compile, and the SQLite one runs. */
class ReadmeExamplesTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path workingDirectory;

    @Test
    void sqliteSnippetRuns() {
        Path data = workingDirectory.resolve("data");
        // --- README: SQLite (Path.of("data", ...) there; here below a temporary directory) ---
        try (JdbcOutlookStore store = JdbcOutlookStore.sqlite(data.resolve("tekst-outlook.db"))) {
            store.saveConnection(Connection.pending(ConnectionId.random(), ConnectionType.ORGANIZATION_WIDE, clock.instant()));
        }
        // ---
        try (JdbcOutlookStore reopened = JdbcOutlookStore.sqlite(data.resolve("tekst-outlook.db"))) {
            assertThat(reopened.listConnections()).hasSize(1);
        }
    }

    /** Compiled, not run: it needs a PostgreSQL server (the contract tests cover both paths). */
    static JdbcOutlookStore postgresFromDataSource(DataSource dataSource) {
        // --- README: PostgreSQL, data source ---
        // the application's pooled DataSource: one connection per store operation, returned right after
        JdbcOutlookStore store = JdbcOutlookStore.builder().dataSource(dataSource).build();
        // ---
        return store;
    }

    /** Compiled, not run: it needs a PostgreSQL server. */
    static JdbcOutlookStore postgresFromUrl() {
        // --- README: PostgreSQL, JDBC URL ---
        // or a JDBC URL: the store opens its own connections and keeps up to 4 idle ones
        Properties credentials = new Properties();
        credentials.setProperty("user", "tekst");
        credentials.setProperty("password", System.getenv("TEKST_DB_PASSWORD"));
        JdbcOutlookStore store = JdbcOutlookStore.builder()
                .jdbcUrl("jdbc:postgresql://db.internal:5432/app?currentSchema=tekst_outlook", credentials)
                .build();
        // ---
        return store;
    }

    /** What the README's sink calls. */
    interface Tekst {
        void ingest(MessagePage page);
    }

    /** Compiled, not run here: {@code SharedStoreEnginesTest} runs engines configured so on PostgreSQL. */
    static SyncEngine severalEngines(DataSource pool, MailSource mailSource, Tekst tekst) {
        // --- README: Several engines ---
        SyncEngine engine = SyncEngine.builder()
                .store(JdbcOutlookStore.builder().dataSource(pool).build())   // the same database in every pod
                .source(mailSource)
                .sink(page -> tekst.ingest(page))
                .leases(Duration.ofSeconds(30), Duration.ofSeconds(10))        // the defaults
                .build();
        engine.start();
        // ---
        return engine;
    }
}
