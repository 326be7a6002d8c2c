package com.tekst.outlook.store;

import com.tekst.outlook.Connection;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionStatus;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.StoreException;
import com.tekst.outlook.internal.jdbc.ConnectionSource;
import com.tekst.outlook.internal.jdbc.ConnectionTables;
import com.tekst.outlook.internal.jdbc.DataSourceConnections;
import com.tekst.outlook.internal.jdbc.Dialect;
import com.tekst.outlook.internal.jdbc.DriverConnections;
import com.tekst.outlook.internal.jdbc.JdbcExecutor;
import com.tekst.outlook.internal.jdbc.JdbcLeases;
import com.tekst.outlook.internal.jdbc.Migrator;
import com.tekst.outlook.internal.jdbc.SqliteEngineLock;
import com.tekst.outlook.internal.jdbc.SyncStateTables;
import com.tekst.outlook.mailbox.AppliedRestriction;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.mailbox.ScopeMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * An {@link OutlookStore} in a relational database over plain JDBC: an SQLite file (the embedded default) or
 * PostgreSQL (production).
 *
 * <pre>{@code
 * // embedded: one file, created with its directory if missing
 * try (JdbcOutlookStore store = JdbcOutlookStore.sqlite(Path.of("data", "outlook.db"))) { ... }
 *
 * // production: the application's pooled DataSource (or builder().jdbcUrl(url, properties))
 * JdbcOutlookStore store = JdbcOutlookStore.builder().dataSource(dataSource).build();
 * }</pre>
 *
 * <p><b>Drivers.</b> The SDK does not bring a JDBC driver: the application adds {@code org.xerial:sqlite-jdbc} or
 * {@code org.postgresql:postgresql}. Other databases are refused when the store starts.
 *
 * <p><b>Schema.</b> Starting a store applies the schema migrations shipped in the jar that the database lacks, in
 * order, and records them in the table {@code tekst_outlook_schema_version}; every table is named
 * {@code tekst_outlook_*}. It is safe for several processes to start at once (SQLite: {@code BEGIN IMMEDIATE};
 * PostgreSQL: an advisory lock per schema). A database migrated by a newer SDK is refused with
 * {@link com.tekst.outlook.UnsupportedSchemaVersionException}. On PostgreSQL the tables go to the connection's current schema (set
 * {@code currentSchema} in the URL or on the data source to use another one).
 *
 * <p><b>Precision.</b> Instants are stored as epoch microseconds: values read back are the values written, truncated
 * to the microsecond ({@code instant.truncatedTo(ChronoUnit.MICROS)}). Instants more than about 292,000 years away
 * from 1970 are refused ({@link IllegalArgumentException}).
 *
 * <p><b>Transactions.</b> Every method is atomic: one statement, or one transaction. A checkpoint or cursor write is a
 * single compare-and-set statement on {@code version}; on PostgreSQL it locks one row, so writers of different folders
 * never wait for each other. SQLite allows one writer at a time per file: the store puts the database in WAL mode
 * (readers never wait), sets {@code busy_timeout} so writers wait for each other instead of failing, sets
 * {@code synchronous=NORMAL} (a power loss may forget the last commits, never corrupts; sync replays the pages) and
 * retries a busy database a few times. Failures surface as {@link StoreException}; messages never contain stored links
 * or the JDBC URL.
 *
 * <p><b>Connections.</b> With a {@link DataSource} the store takes one connection per operation and closes it, and
 * {@link #close()} leaves the data source open: give it a pooled data source in production. With a JDBC URL (and with
 * {@link #sqlite(Path)}) the store opens connections through {@link java.sql.DriverManager} and keeps up to four
 * open between operations; {@link #close()} closes them.
 *
 * <p>Thread-safe. Ordering of lists is that of {@link InMemoryOutlookStore} ({@link String#compareTo}), independent of
 * the database's collation.
 */
public final class JdbcOutlookStore implements OutlookStore, AutoCloseable {
    /** Connections kept open between operations when the store opens them itself. */
    private static final int IDLE_CONNECTIONS = 4;

    private final JdbcExecutor db;
    /** Connections, consent nonces, mailboxes, scope mode, applied restriction. */
    private final ConnectionTables connections;
    /** Checkpoints, backfill cursors, synced messages, folder events. */
    private final SyncStateTables syncState;
    /** The worker registry and leases; {@code null} on SQLite. */
    private final JdbcLeases leases;

    private JdbcOutlookStore(JdbcExecutor db) {
        this.db = db;
        this.connections = new ConnectionTables(db);
        this.syncState = new SyncStateTables(db);
        this.leases = db.dialect() == Dialect.POSTGRESQL ? new JdbcLeases(db) : null;
    }

    /**
     * A store in an SQLite file, created (with its parent directories) if missing. Needs {@code org.xerial:sqlite-jdbc}
     * on the class path.
     *
     * @throws StoreException if the file cannot be created or opened, or its schema cannot be migrated
     */
    public static JdbcOutlookStore sqlite(Path file) {
        Objects.requireNonNull(file, "file");
        Path absolute = file.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        if (parent != null) {
            try {
                Files.createDirectories(parent);
            } catch (IOException e) {
                throw new StoreException("cannot create the directory of the SQLite store file " + absolute, e);
            }
        }
        return builder().jdbcUrl("jdbc:sqlite:" + absolute).build();
    }

    /** A builder for a store on a {@link DataSource} or a JDBC URL. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Closes the connections the store opened itself; a {@link DataSource} given to the builder stays open. Calls
     * after closing fail with {@link IllegalStateException}. Idempotent.
     */
    @Override
    public void close() {
        db.close();
    }

    @Override
    public String toString() {
        return "JdbcOutlookStore[" + db.dialect().productName() + "]";
    }

    // ---- connections and their scope -------------------------------------------------------------------------------

    @Override
    public void saveConnection(Connection connection) {
        connections.saveConnection(connection);
    }

    @Override
    public boolean updateConnectionStatus(ConnectionId id, ConnectionStatus expected, ConnectionStatus next) {
        return connections.updateConnectionStatus(id, expected, next);
    }

    @Override
    public Optional<Connection> findConnection(ConnectionId id) {
        return connections.findConnection(id);
    }

    @Override
    public List<Connection> listConnections() {
        return connections.listConnections();
    }

    @Override
    public boolean deleteConnection(ConnectionId id) {
        Objects.requireNonNull(id, "id");
        return db.transaction("delete connection", c -> {
            // leases first (a fenced write locks the lease before the row it writes), then parent first, then
            // dependants: the same lock order as every other write
            JdbcLeases.deleteRows(c, id, null);
            boolean existed = ConnectionTables.deleteRows(c, id, null);
            SyncStateTables.deleteRows(c, id, null);
            return existed;
        });
    }

    @Override
    public void saveConsentNonce(ConsentNonce nonce) {
        connections.saveConsentNonce(nonce);
    }

    @Override
    public Optional<ConsentNonce> consumeConsentNonce(String digest) {
        return connections.consumeConsentNonce(digest);
    }

    @Override
    public int purgeExpiredConsentNonces(Instant now) {
        return connections.purgeExpiredConsentNonces(now);
    }

    @Override
    public void saveMailbox(MailboxRecord mailbox) {
        connections.saveMailbox(mailbox);
    }

    @Override
    public Optional<MailboxRecord> findMailbox(ConnectionId connection, MailboxId mailboxId) {
        return connections.findMailbox(connection, mailboxId);
    }

    @Override
    public List<MailboxRecord> findMailboxesByName(ConnectionId connection, MailboxAddress name) {
        return connections.findMailboxesByName(connection, name);
    }

    @Override
    public List<MailboxRecord> listMailboxes(ConnectionId connection) {
        return connections.listMailboxes(connection);
    }

    @Override
    public boolean updateMailboxStatus(ConnectionId connection, MailboxId mailboxId, MailboxStatus expected,
                                       MailboxStatus next, Instant until, String detail) {
        return connections.updateMailboxStatus(connection, mailboxId, expected, next, until, detail, null);
    }

    @Override
    public boolean updateMailboxStatus(ConnectionId connection, MailboxId mailboxId, MailboxStatus expected,
                                       MailboxStatus next, Instant until, String detail, MailboxLease lease) {
        requireFenceFor(lease, connection, mailboxId);
        return connections.updateMailboxStatus(connection, mailboxId, expected, next, until, detail, lease);
    }

    @Override
    public boolean removeMailbox(ConnectionId connection, MailboxId mailboxId) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(mailboxId, "mailboxId");
        return db.transaction("remove mailbox", c -> {
            JdbcLeases.deleteRows(c, connection, mailboxId);
            boolean existed = ConnectionTables.deleteRows(c, connection, mailboxId);
            SyncStateTables.deleteRows(c, connection, mailboxId);
            return existed;
        });
    }

    @Override
    public ScopeMode findScopeMode(ConnectionId connection) {
        return connections.findScopeMode(connection);
    }

    @Override
    public void saveScopeMode(ConnectionId connection, ScopeMode mode) {
        connections.saveScopeMode(connection, mode);
    }

    @Override
    public void saveAppliedRestriction(ConnectionId connection, AppliedRestriction applied) {
        connections.saveAppliedRestriction(connection, applied);
    }

    @Override
    public Optional<AppliedRestriction> findAppliedRestriction(ConnectionId connection) {
        return connections.findAppliedRestriction(connection);
    }

    // ---- sync state ------------------------------------------------------------------------------------------------

    @Override
    public Optional<FolderCheckpoint> findCheckpoint(FolderKey key) {
        return syncState.findCheckpoint(key);
    }

    @Override
    public List<FolderCheckpoint> listCheckpoints(ConnectionId connection, MailboxId mailboxId) {
        return syncState.listCheckpoints(connection, mailboxId);
    }

    @Override
    public boolean commitCheckpoint(FolderCheckpoint next, long expectedVersion, SyncedChanges changes) {
        return commitCheckpoint(next, expectedVersion, changes, null);
    }

    @Override
    public boolean commitCheckpoint(FolderCheckpoint next, long expectedVersion, SyncedChanges changes,
                                    MailboxLease lease) {
        Objects.requireNonNull(next, "next");
        requireFenceFor(lease, next.key().connection(), next.key().mailboxId());
        Objects.requireNonNull(changes, "changes");
        InMemoryOutlookStore.requireNextVersion(next.version(), expectedVersion);
        return syncState.commitCheckpoint(next, expectedVersion, changes, lease);
    }

    @Override
    public Optional<BackfillCursor> findBackfillCursor(FolderKey key) {
        return syncState.findBackfillCursor(key);
    }

    @Override
    public List<BackfillCursor> listBackfillCursors(ConnectionId connection, MailboxId mailboxId) {
        return syncState.listBackfillCursors(connection, mailboxId);
    }

    @Override
    public boolean commitBackfillCursor(BackfillCursor next, long expectedVersion, SyncedChanges changes) {
        return commitBackfillCursor(next, expectedVersion, changes, null);
    }

    @Override
    public boolean commitBackfillCursor(BackfillCursor next, long expectedVersion, SyncedChanges changes,
                                        MailboxLease lease) {
        Objects.requireNonNull(next, "next");
        requireFenceFor(lease, next.key().connection(), next.key().mailboxId());
        Objects.requireNonNull(changes, "changes");
        InMemoryOutlookStore.requireNextVersion(next.version(), expectedVersion);
        return syncState.commitBackfillCursor(next, expectedVersion, changes, lease);
    }

    @Override
    public List<SyncedMessage> listSyncedMessages(FolderKey key, Instant from, Instant to) {
        return syncState.listSyncedMessages(key, from, to);
    }

    @Override
    public long countSyncedMessages(FolderKey key) {
        return syncState.countSyncedMessages(key);
    }

    @Override
    public void recordFolderEvent(FolderKey key, FolderEvent event, Instant at) {
        syncState.recordFolderEvent(key, event, at, InMemoryOutlookStore.FOLDER_EVENT_RETENTION);
    }

    @Override
    public int countFolderEvents(FolderKey key, FolderEvent event, Instant since) {
        return syncState.countFolderEvents(key, event, since);
    }

    // ---- engines sharing the store ---------------------------------------------------------------------------------

    /** On PostgreSQL: the worker registry and mailbox leases. Empty on SQLite, which serves one engine. */
    @Override
    public Optional<WorkerLeases> workerLeases() {
        return Optional.ofNullable(leases);
    }

    /**
     * On SQLite: an exclusive lock of the database file for one engine ({@code <file>.engine-lock}, naming its holder);
     * a second engine, in this process or another, is refused with {@link com.tekst.outlook.StoreInUseException}
     * naming the file and the holder. The operating system drops the lock when the holding process ends, however
     * it ends. On PostgreSQL: {@link EngineLock#NONE} (engines share the store through {@link #workerLeases()}).
     */
    @Override
    public EngineLock lockSingleEngine(String holder) {
        Objects.requireNonNull(holder, "holder");
        if (db.dialect() != Dialect.SQLITE) {
            return EngineLock.NONE;
        }
        String file = db.autocommit("find database file", c -> {
            try (java.sql.Statement statement = c.createStatement();
                 ResultSet row = statement.executeQuery("PRAGMA database_list")) {
                while (row.next()) {
                    if ("main".equals(row.getString("name"))) {
                        return row.getString("file");
                    }
                }
                return null;
            }
        });
        if (file == null || file.isEmpty()) {
            return EngineLock.NONE; // a temporary database: nobody else can open it
        }
        return SqliteEngineLock.acquire(Path.of(file));
    }

    private void requireFenceFor(MailboxLease lease, ConnectionId connection, MailboxId mailboxId) {
        if (lease == null) {
            return;
        }
        if (leases == null) {
            throw new IllegalStateException("this store grants no leases: write without one");
        }
        if (!lease.connection().equals(connection) || !lease.mailboxId().equals(mailboxId)) {
            throw new IllegalArgumentException("the lease is for another mailbox");
        }
    }

    /**
     * Builds a {@link JdbcOutlookStore}: set exactly one of {@link #dataSource} or {@link #jdbcUrl}. Not thread-safe;
     * the store it builds is.
     */
    public static final class Builder {
        private DataSource dataSource;
        private String jdbcUrl;
        private Properties properties;

        private Builder() {
        }

        /**
         * Connections come from this data source, one per operation, closed after it: use a pooled data source.
         * The store never closes the data source.
         */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /** Connections are opened from this JDBC URL ({@code jdbc:sqlite:...} or {@code jdbc:postgresql:...}). */
        public Builder jdbcUrl(String url) {
            return jdbcUrl(url, new Properties());
        }

        /**
         * As {@link #jdbcUrl(String)}, with driver properties such as {@code user} and {@code password}. The URL and
         * properties are never logged nor put into an exception message.
         */
        public Builder jdbcUrl(String url, Properties properties) {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(properties, "properties");
            if (!url.regionMatches(true, 0, "jdbc:", 0, 5)) {
                throw new IllegalArgumentException("a JDBC URL starts with 'jdbc:'");
            }
            String lower = url.toLowerCase(Locale.ROOT);
            if (lower.startsWith("jdbc:sqlite:") && (lower.equals("jdbc:sqlite:") || lower.contains(":memory:")
                    || lower.contains("mode=memory"))) {
                throw new IllegalArgumentException("an in-memory SQLite database lives only as long as one"
                        + " connection: use an SQLite file, or InMemoryOutlookStore");
            }
            this.jdbcUrl = url;
            this.properties = new Properties();
            this.properties.putAll(properties);
            return this;
        }

        /**
         * Connects, checks the database and applies pending schema migrations.
         *
         * @throws IllegalStateException             if not exactly one of a data source and a JDBC URL was set
         * @throws com.tekst.outlook.UnsupportedSchemaVersionException if a newer SDK migrated the database
         * @throws StoreException                    if the database cannot be reached, is not supported, or
         *                                           migrating fails
         */
        public JdbcOutlookStore build() {
            if ((dataSource == null) == (jdbcUrl == null)) {
                throw new IllegalStateException("set either a DataSource or a JDBC URL");
            }
            ConnectionSource source = dataSource != null
                    ? new DataSourceConnections(dataSource)
                    : new DriverConnections(jdbcUrl, properties, IDLE_CONNECTIONS);
            try {
                JdbcExecutor executor = JdbcExecutor.connect(source);
                new Migrator(Clock.systemUTC()).migrate(executor);
                return new JdbcOutlookStore(executor);
            } catch (RuntimeException e) {
                source.close();
                throw e;
            }
        }
    }
}
