package com.tekst.outlook.store;

import com.tekst.outlook.Connection;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionPermissions;
import com.tekst.outlook.ConnectionStatus;
import com.tekst.outlook.ConnectionType;
import com.tekst.outlook.MailAccess;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.PermissionProfile;
import com.tekst.outlook.StoreException;
import com.tekst.outlook.TenantId;
import com.tekst.outlook.internal.jdbc.ConnectionSource;
import com.tekst.outlook.internal.jdbc.DataSourceConnections;
import com.tekst.outlook.internal.jdbc.Dialect;
import com.tekst.outlook.internal.jdbc.JdbcLeases;
import com.tekst.outlook.internal.jdbc.SqliteEngineLock;
import com.tekst.outlook.internal.jdbc.DriverConnections;
import com.tekst.outlook.internal.jdbc.EpochMicros;
import com.tekst.outlook.internal.jdbc.JdbcExecutor.Work;
import com.tekst.outlook.internal.jdbc.JdbcExecutor;
import com.tekst.outlook.internal.jdbc.Migrator;
import com.tekst.outlook.mailbox.AppliedRestriction;
import com.tekst.outlook.mailbox.FolderRef;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.mailbox.MailboxType;
import com.tekst.outlook.mailbox.RestrictionMechanism;
import com.tekst.outlook.mailbox.ScopeMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    private static final String CONNECTIONS = "tekst_outlook_connections";
    private static final String NONCES = "tekst_outlook_consent_nonces";
    private static final String MAILBOXES = "tekst_outlook_mailboxes";
    private static final String FOLDERS = "tekst_outlook_mailbox_folders";
    private static final String CHECKPOINTS = "tekst_outlook_folder_checkpoints";
    private static final String CURSORS = "tekst_outlook_backfill_cursors";
    private static final String ALIASES = "tekst_outlook_mailbox_aliases";
    private static final String SCOPE_MODES = "tekst_outlook_scope_modes";
    private static final String SYNCED = "tekst_outlook_synced_messages";
    private static final String APPLIED_RESTRICTIONS = "tekst_outlook_applied_restrictions";
    private static final String FOLDER_EVENTS = "tekst_outlook_folder_events";

    private static final String CONNECTION_COLUMNS =
            "connection_id, type, tenant_id, status, created_at, connected_at, permission_profile, mail_access";
    private static final String NONCE_COLUMNS = "digest, connection_id, redirect_uri, issued_at, expires_at";
    private static final String CHECKPOINT_COLUMNS =
            "connection_id, mailbox_id, folder_id, delta_link, next_link, last_received_at, reconciled_at, version,"
                    + " updated_at";
    private static final String CURSOR_COLUMNS = "connection_id, mailbox_id, folder_id, from_at, until_at,"
            + " position_at, position_inclusive, position_ids, delivered, estimated_total, state, version, updated_at";
    private static final String MAILBOX_SELECT = "SELECT m.connection_id, m.mailbox_id, m.address, m.display_name,"
            + " m.type, m.status, m.status_until, m.status_detail, m.added_at, m.aliases, f.position, f.folder_id, f.path"
            + " FROM " + MAILBOXES + " m LEFT JOIN " + FOLDERS + " f"
            + " ON f.connection_id = m.connection_id AND f.mailbox_id = m.mailbox_id";

    private static final Comparator<MailboxRecord> MAILBOX_ORDER =
            Comparator.comparing((MailboxRecord m) -> m.address().value()).thenComparing(MailboxRecord::mailboxId);

    private final JdbcExecutor db;
    /** The worker registry and leases; {@code null} on SQLite. */
    private final JdbcLeases leases;

    private JdbcOutlookStore(JdbcExecutor db) {
        this.db = db;
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

    // ---- connections -----------------------------------------------------------------------------------------------

    @Override
    public void saveConnection(Connection connection) {
        Objects.requireNonNull(connection, "connection");
        long createdAt = EpochMicros.of(connection.createdAt());
        db.autocommit("save connection", c -> {
            try (PreparedStatement upsert = c.prepareStatement("INSERT INTO " + CONNECTIONS
                    + " (" + CONNECTION_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (connection_id) DO UPDATE SET type = excluded.type,"
                    + " tenant_id = excluded.tenant_id, status = excluded.status, created_at = excluded.created_at,"
                    + " connected_at = excluded.connected_at, permission_profile = excluded.permission_profile,"
                    + " mail_access = excluded.mail_access")) {
                upsert.setString(1, connection.id().value());
                upsert.setString(2, connection.type().name());
                upsert.setString(3, connection.tenant().map(TenantId::value).orElse(null));
                upsert.setString(4, connection.status().name());
                upsert.setLong(5, createdAt);
                EpochMicros.bind(upsert, 6, connection.connectedAt().orElse(null));
                upsert.setString(7, connection.permissions().profile().name());
                upsert.setString(8, connection.permissions().mailAccess().name());
                return upsert.executeUpdate();
            }
        });
    }

    @Override
    public boolean updateConnectionStatus(ConnectionId id, ConnectionStatus expected, ConnectionStatus next) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(next, "next");
        return db.transaction("update connection status", c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT " + CONNECTION_COLUMNS + " FROM " + CONNECTIONS + " WHERE connection_id = ?")) {
                select.setString(1, id.value());
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return false;
                    }
                    Connection current = connection(row);
                    if (current.status() != expected) {
                        return false;
                    }
                    current.withStatus(next); // validates the transition as the in-memory store does
                }
            }
            try (PreparedStatement update = c.prepareStatement("UPDATE " + CONNECTIONS
                    + " SET status = ? WHERE connection_id = ? AND status = ?")) {
                update.setString(1, next.name());
                update.setString(2, id.value());
                update.setString(3, expected.name());
                return update.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Optional<Connection> findConnection(ConnectionId id) {
        Objects.requireNonNull(id, "id");
        return db.autocommit("find connection", c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT " + CONNECTION_COLUMNS + " FROM " + CONNECTIONS + " WHERE connection_id = ?")) {
                select.setString(1, id.value());
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? Optional.of(connection(row)) : Optional.<Connection>empty();
                }
            }
        });
    }

    @Override
    public List<Connection> listConnections() {
        List<Connection> all = db.autocommit("list connections", c -> {
            List<Connection> list = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT " + CONNECTION_COLUMNS + " FROM " + CONNECTIONS);
                 ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    list.add(connection(row));
                }
            }
            return list;
        });
        all.sort(Comparator.comparing(connection -> connection.id().value()));
        return List.copyOf(all);
    }

    @Override
    public boolean deleteConnection(ConnectionId id) {
        Objects.requireNonNull(id, "id");
        return db.transaction("delete connection", c -> {
            // leases first (a fenced write locks the lease before the row it writes), then parent first, then
            // dependants: the same lock order as every other write
            delete(c, JdbcLeases.TABLE, id, null);
            boolean existed = delete(c, CONNECTIONS, id, null) > 0;
            delete(c, MAILBOXES, id, null);
            delete(c, FOLDERS, id, null);
            delete(c, ALIASES, id, null);
            delete(c, CHECKPOINTS, id, null);
            delete(c, CURSORS, id, null);
            delete(c, SYNCED, id, null);
            delete(c, NONCES, id, null);
            delete(c, SCOPE_MODES, id, null);
            delete(c, APPLIED_RESTRICTIONS, id, null);
            delete(c, FOLDER_EVENTS, id, null);
            return existed;
        });
    }

    // ---- consent nonces --------------------------------------------------------------------------------------------

    @Override
    public void saveConsentNonce(ConsentNonce nonce) {
        Objects.requireNonNull(nonce, "nonce");
        long issuedAt = EpochMicros.of(nonce.issuedAt());
        long expiresAt = EpochMicros.of(nonce.expiresAt());
        int inserted = db.autocommit("save consent nonce", c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + NONCES + " (" + NONCE_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?) ON CONFLICT (digest) DO NOTHING")) {
                insert.setString(1, nonce.digest());
                insert.setString(2, nonce.connection().value());
                insert.setString(3, nonce.redirectUri());
                insert.setLong(4, issuedAt);
                insert.setLong(5, expiresAt);
                return insert.executeUpdate();
            }
        });
        if (inserted == 0) {
            throw new IllegalStateException("a consent nonce with this digest already exists");
        }
    }

    @Override
    public Optional<ConsentNonce> consumeConsentNonce(String digest) {
        Objects.requireNonNull(digest, "digest");
        // Read, then delete: only the transaction whose DELETE removed the row returns it. Concurrent consumers wait
        // for the row lock (PostgreSQL) or the write lock (SQLite) and then delete nothing.
        return db.transaction("consume consent nonce", c -> {
            ConsentNonce found;
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT " + NONCE_COLUMNS + " FROM " + NONCES + " WHERE digest = ?")) {
                select.setString(1, digest);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return Optional.<ConsentNonce>empty();
                    }
                    found = nonce(row);
                }
            }
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + NONCES + " WHERE digest = ?")) {
                delete.setString(1, digest);
                return delete.executeUpdate() == 1 ? Optional.of(found) : Optional.<ConsentNonce>empty();
            }
        });
    }

    @Override
    public int purgeExpiredConsentNonces(Instant now) {
        Objects.requireNonNull(now, "now");
        long cutoff = EpochMicros.of(now);
        return db.autocommit("purge expired consent nonces", c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + NONCES + " WHERE expires_at < ?")) {
                delete.setLong(1, cutoff);
                return delete.executeUpdate();
            }
        });
    }

    // ---- mailboxes of a connection ---------------------------------------------------------------------------------

    @Override
    public void saveMailbox(MailboxRecord mailbox) {
        Objects.requireNonNull(mailbox, "mailbox");
        long addedAt = EpochMicros.of(mailbox.addedAt());
        db.transaction("save mailbox", c -> {
            try (PreparedStatement upsert = c.prepareStatement("INSERT INTO " + MAILBOXES
                    + " (connection_id, mailbox_id, address, display_name, type, status, status_until, status_detail,"
                    + " added_at, aliases) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (connection_id, mailbox_id) DO UPDATE SET address = excluded.address,"
                    + " display_name = excluded.display_name, type = excluded.type, status = excluded.status,"
                    + " status_until = excluded.status_until, status_detail = excluded.status_detail,"
                    + " added_at = excluded.added_at, aliases = excluded.aliases")) {
                upsert.setString(1, mailbox.connection().value());
                upsert.setString(2, mailbox.mailboxId().value());
                upsert.setString(3, mailbox.address().value());
                upsert.setString(4, mailbox.displayName());
                upsert.setString(5, mailbox.type().name());
                upsert.setString(6, mailbox.status().name());
                EpochMicros.bind(upsert, 7, mailbox.throttledUntil().orElse(null));
                upsert.setString(8, mailbox.statusDetail());
                upsert.setLong(9, addedAt);
                upsert.setString(10, joinAliases(mailbox.aliases()));
                upsert.executeUpdate();
            }
            JdbcLeases.addMailbox(c, mailbox.connection(), mailbox.mailboxId());
            delete(c, ALIASES, mailbox.connection(), mailbox.mailboxId());
            if (!mailbox.aliases().isEmpty()) {
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + ALIASES
                        + " (connection_id, mailbox_id, alias) VALUES (?, ?, ?)")) {
                    for (MailboxAddress alias : mailbox.aliases()) {
                        insert.setString(1, mailbox.connection().value());
                        insert.setString(2, mailbox.mailboxId().value());
                        insert.setString(3, alias.value());
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            }
            delete(c, FOLDERS, mailbox.connection(), mailbox.mailboxId());
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + FOLDERS
                    + " (connection_id, mailbox_id, position, folder_id, path) VALUES (?, ?, ?, ?, ?)")) {
                List<FolderRef> folders = mailbox.folders();
                for (int position = 0; position < folders.size(); position++) {
                    insert.setString(1, mailbox.connection().value());
                    insert.setString(2, mailbox.mailboxId().value());
                    insert.setInt(3, position);
                    insert.setString(4, folders.get(position).id());
                    insert.setString(5, folders.get(position).path());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    @Override
    public Optional<MailboxRecord> findMailbox(ConnectionId connection, MailboxId mailboxId) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(mailboxId, "mailboxId");
        List<MailboxRecord> found = db.autocommit("find mailbox", c -> {
            try (PreparedStatement select = c.prepareStatement(MAILBOX_SELECT
                    + " WHERE m.connection_id = ? AND m.mailbox_id = ? ORDER BY f.position")) {
                select.setString(1, connection.value());
                select.setString(2, mailboxId.value());
                return mailboxes(select);
            }
        });
        return found.stream().findFirst();
    }

    @Override
    public List<MailboxRecord> findMailboxesByName(ConnectionId connection, MailboxAddress name) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(name, "name");
        // one statement, so the names matched and the records read come from the same state
        String where = name.isObjectId()
                ? " WHERE m.connection_id = ? AND m.mailbox_id = ?"
                : " WHERE m.connection_id = ? AND (m.address = ? OR m.mailbox_id IN (SELECT a.mailbox_id FROM "
                        + ALIASES + " a WHERE a.connection_id = ? AND a.alias = ?))";
        List<MailboxRecord> found = db.autocommit("find mailboxes by name", c -> {
            try (PreparedStatement select = c.prepareStatement(MAILBOX_SELECT + where
                    + " ORDER BY m.mailbox_id, f.position")) {
                select.setString(1, connection.value());
                select.setString(2, name.value());
                if (!name.isObjectId()) {
                    select.setString(3, connection.value());
                    select.setString(4, name.value());
                }
                return mailboxes(select);
            }
        });
        found.removeIf(m -> !m.answersTo(name));
        found.sort(MAILBOX_ORDER);
        return List.copyOf(found);
    }

    @Override
    public List<MailboxRecord> listMailboxes(ConnectionId connection) {
        Objects.requireNonNull(connection, "connection");
        List<MailboxRecord> all = db.autocommit("list mailboxes", c -> {
            try (PreparedStatement select = c.prepareStatement(MAILBOX_SELECT
                    + " WHERE m.connection_id = ? ORDER BY m.mailbox_id, f.position")) {
                select.setString(1, connection.value());
                return mailboxes(select);
            }
        });
        all.sort(MAILBOX_ORDER);
        return List.copyOf(all);
    }

    @Override
    public boolean updateMailboxStatus(ConnectionId connection, MailboxId mailboxId, MailboxStatus expected,
                                       MailboxStatus next, Instant until, String detail) {
        return updateMailboxStatus(connection, mailboxId, expected, next, until, detail, null);
    }

    @Override
    public boolean updateMailboxStatus(ConnectionId connection, MailboxId mailboxId, MailboxStatus expected,
                                       MailboxStatus next, Instant until, String detail, MailboxLease lease) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(mailboxId, "mailboxId");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(next, "next");
        requireFenceFor(lease, connection, mailboxId);
        Work<Boolean> work = c -> {
            if (lease != null) {
                JdbcLeases.checkFence(c, lease);
            }
            try (PreparedStatement update = c.prepareStatement("UPDATE " + MAILBOXES
                    + " SET status = ?, status_until = ?, status_detail = ?"
                    + " WHERE connection_id = ? AND mailbox_id = ? AND status = ?")) {
                update.setString(1, next.name());
                EpochMicros.bind(update, 2, until);
                update.setString(3, detail == null ? "" : detail);
                update.setString(4, connection.value());
                update.setString(5, mailboxId.value());
                update.setString(6, expected.name());
                return update.executeUpdate() == 1;
            }
        };
        return lease == null ? db.autocommit("update mailbox status", work)
                : db.transaction("update mailbox status", work);
    }

    @Override
    public boolean removeMailbox(ConnectionId connection, MailboxId mailboxId) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(mailboxId, "mailboxId");
        return db.transaction("remove mailbox", c -> {
            delete(c, JdbcLeases.TABLE, connection, mailboxId);
            boolean existed = delete(c, MAILBOXES, connection, mailboxId) > 0;
            delete(c, FOLDERS, connection, mailboxId);
            delete(c, ALIASES, connection, mailboxId);
            delete(c, CHECKPOINTS, connection, mailboxId);
            delete(c, CURSORS, connection, mailboxId);
            delete(c, SYNCED, connection, mailboxId);
            delete(c, FOLDER_EVENTS, connection, mailboxId);
            return existed;
        });
    }

    // ---- mailbox scope mode ----------------------------------------------------------------------------------------

    @Override
    public ScopeMode findScopeMode(ConnectionId connection) {
        Objects.requireNonNull(connection, "connection");
        return db.autocommit("find scope mode", c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT mode FROM " + SCOPE_MODES + " WHERE connection_id = ?")) {
                select.setString(1, connection.value());
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? enumValue(ScopeMode.class, row.getString("mode")) : ScopeMode.RESTRICTED;
                }
            }
        });
    }

    @Override
    public void saveScopeMode(ConnectionId connection, ScopeMode mode) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(mode, "mode");
        db.autocommit("save scope mode", c -> {
            try (PreparedStatement upsert = c.prepareStatement("INSERT INTO " + SCOPE_MODES
                    + " (connection_id, mode) VALUES (?, ?)"
                    + " ON CONFLICT (connection_id) DO UPDATE SET mode = excluded.mode")) {
                upsert.setString(1, connection.value());
                upsert.setString(2, mode.name());
                return upsert.executeUpdate();
            }
        });
    }

    // ---- live sync checkpoints -------------------------------------------------------------------------------------

    @Override
    public Optional<FolderCheckpoint> findCheckpoint(FolderKey key) {
        Objects.requireNonNull(key, "key");
        return db.autocommit("find checkpoint", c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT " + CHECKPOINT_COLUMNS + " FROM " + CHECKPOINTS
                    + " WHERE connection_id = ? AND mailbox_id = ? AND folder_id = ?")) {
                bindKey(select, key);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? Optional.of(checkpoint(row)) : Optional.<FolderCheckpoint>empty();
                }
            }
        });
    }

    @Override
    public List<FolderCheckpoint> listCheckpoints(ConnectionId connection, MailboxId mailboxId) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(mailboxId, "mailboxId");
        List<FolderCheckpoint> all = db.autocommit("list checkpoints", c -> {
            List<FolderCheckpoint> list = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT " + CHECKPOINT_COLUMNS + " FROM " + CHECKPOINTS
                    + " WHERE connection_id = ? AND mailbox_id = ?")) {
                select.setString(1, connection.value());
                select.setString(2, mailboxId.value());
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        list.add(checkpoint(row));
                    }
                }
            }
            return list;
        });
        all.sort(Comparator.comparing(checkpoint -> checkpoint.key().folderId()));
        return List.copyOf(all);
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
        Long lastReceivedAt = next.lastReceivedAt().map(EpochMicros::of).orElse(null);
        Long reconciledAt = next.reconciledAt().map(EpochMicros::of).orElse(null);
        long updatedAt = EpochMicros.of(next.updatedAt());
        String sql;
        if (expectedVersion == 0) {
            // absent and version 0 are the same: insert, or take over a row still at 0; a row at any other version
            // (someone else won) is left alone and nothing is written
            sql = "INSERT INTO " + CHECKPOINTS + " (delta_link, next_link, last_received_at, reconciled_at, version,"
                    + " updated_at, connection_id, mailbox_id, folder_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (connection_id, mailbox_id, folder_id) DO UPDATE SET"
                    + " delta_link = excluded.delta_link, next_link = excluded.next_link,"
                    + " last_received_at = excluded.last_received_at, reconciled_at = excluded.reconciled_at,"
                    + " version = excluded.version, updated_at = excluded.updated_at"
                    + " WHERE " + CHECKPOINTS + ".version = 0";
        } else {
            sql = "UPDATE " + CHECKPOINTS + " SET delta_link = ?, next_link = ?, last_received_at = ?,"
                    + " reconciled_at = ?, version = ?, updated_at = ?"
                    + " WHERE connection_id = ? AND mailbox_id = ? AND folder_id = ? AND version = ?";
        }
        Work<Boolean> work = c -> {
            if (lease != null) {
                JdbcLeases.checkFence(c, lease);
            }
            try (PreparedStatement write = c.prepareStatement(sql)) {
                write.setString(1, next.deltaLink().orElse(null));
                write.setString(2, next.nextLink().orElse(null));
                bindNullableLong(write, 3, lastReceivedAt);
                bindNullableLong(write, 4, reconciledAt);
                write.setLong(5, next.version());
                write.setLong(6, updatedAt);
                write.setString(7, next.key().connection().value());
                write.setString(8, next.key().mailboxId().value());
                write.setString(9, next.key().folderId());
                if (expectedVersion != 0) {
                    write.setLong(10, expectedVersion);
                }
                if (write.executeUpdate() != 1) {
                    return false;
                }
            }
            applySynced(c, next.key(), changes);
            return true;
        };
        return changes.isEmpty() && lease == null ? db.autocommit("commit checkpoint", work)
                : db.transaction("commit checkpoint", work);
    }

    // ---- backfill cursors ------------------------------------------------------------------------------------------

    @Override
    public Optional<BackfillCursor> findBackfillCursor(FolderKey key) {
        Objects.requireNonNull(key, "key");
        return db.autocommit("find backfill cursor", c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT " + CURSOR_COLUMNS + " FROM " + CURSORS
                    + " WHERE connection_id = ? AND mailbox_id = ? AND folder_id = ?")) {
                bindKey(select, key);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? Optional.of(cursor(row)) : Optional.<BackfillCursor>empty();
                }
            }
        });
    }

    @Override
    public List<BackfillCursor> listBackfillCursors(ConnectionId connection, MailboxId mailboxId) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(mailboxId, "mailboxId");
        List<BackfillCursor> all = db.autocommit("list backfill cursors", c -> {
            List<BackfillCursor> list = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT " + CURSOR_COLUMNS + " FROM " + CURSORS
                    + " WHERE connection_id = ? AND mailbox_id = ?")) {
                select.setString(1, connection.value());
                select.setString(2, mailboxId.value());
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        list.add(cursor(row));
                    }
                }
            }
            return list;
        });
        all.sort(Comparator.comparing(cursor -> cursor.key().folderId()));
        return List.copyOf(all);
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
        long from = EpochMicros.of(next.from());
        long until = EpochMicros.of(next.until());
        long updatedAt = EpochMicros.of(next.updatedAt());
        BackfillPosition position = next.position();
        boolean fresh = position.equals(BackfillPosition.before(next.until()));
        Long positionAt = fresh ? null : EpochMicros.of(position.upTo());
        String positionIds = String.join("\n", position.deliveredAtUpTo());
        String sql;
        if (expectedVersion == 0) {
            sql = "INSERT INTO " + CURSORS + " (from_at, until_at, position_at, position_inclusive, position_ids,"
                    + " delivered, estimated_total, state, version, updated_at, connection_id, mailbox_id, folder_id)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (connection_id, mailbox_id, folder_id) DO UPDATE SET"
                    + " from_at = excluded.from_at, until_at = excluded.until_at,"
                    + " position_at = excluded.position_at, position_inclusive = excluded.position_inclusive,"
                    + " position_ids = excluded.position_ids,"
                    + " delivered = excluded.delivered, estimated_total = excluded.estimated_total,"
                    + " state = excluded.state, version = excluded.version, updated_at = excluded.updated_at"
                    + " WHERE " + CURSORS + ".version = 0";
        } else {
            sql = "UPDATE " + CURSORS + " SET from_at = ?, until_at = ?, position_at = ?, position_inclusive = ?,"
                    + " position_ids = ?, delivered = ?, estimated_total = ?, state = ?, version = ?, updated_at = ?"
                    + " WHERE connection_id = ? AND mailbox_id = ? AND folder_id = ? AND version = ?";
        }
        Work<Boolean> work = c -> {
            if (lease != null) {
                JdbcLeases.checkFence(c, lease);
            }
            try (PreparedStatement write = c.prepareStatement(sql)) {
                write.setLong(1, from);
                write.setLong(2, until);
                bindNullableLong(write, 3, positionAt);
                write.setInt(4, position.inclusive() ? 1 : 0);
                write.setString(5, positionIds);
                write.setLong(6, next.delivered());
                write.setLong(7, next.estimatedTotal());
                write.setString(8, next.state().name());
                write.setLong(9, next.version());
                write.setLong(10, updatedAt);
                write.setString(11, next.key().connection().value());
                write.setString(12, next.key().mailboxId().value());
                write.setString(13, next.key().folderId());
                if (expectedVersion != 0) {
                    write.setLong(14, expectedVersion);
                }
                if (write.executeUpdate() != 1) {
                    return false;
                }
            }
            applySynced(c, next.key(), changes);
            return true;
        };
        return changes.isEmpty() && lease == null ? db.autocommit("commit backfill cursor", work)
                : db.transaction("commit backfill cursor", work);
    }

    // ---- synced messages -------------------------------------------------------------------------------------------

    /** Inside the caller's transaction: upserts the added messages, deletes the removed ids, in batches. */
    private static void applySynced(java.sql.Connection c, FolderKey key, SyncedChanges changes) throws SQLException {
        if (!changes.added().isEmpty()) {
            try (PreparedStatement upsert = c.prepareStatement("INSERT INTO " + SYNCED
                    + " (connection_id, mailbox_id, folder_id, message_id, received_at) VALUES (?, ?, ?, ?, ?)"
                    + " ON CONFLICT (connection_id, mailbox_id, folder_id, message_id)"
                    + " DO UPDATE SET received_at = excluded.received_at")) {
                for (SyncedMessage m : changes.added()) {
                    bindKey(upsert, key);
                    upsert.setString(4, m.id());
                    upsert.setLong(5, EpochMicros.of(m.receivedAt()));
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
        }
        if (!changes.removed().isEmpty()) {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + SYNCED
                    + " WHERE connection_id = ? AND mailbox_id = ? AND folder_id = ? AND message_id = ?")) {
                for (String id : changes.removed()) {
                    bindKey(delete, key);
                    delete.setString(4, id);
                    delete.addBatch();
                }
                delete.executeBatch();
            }
        }
    }

    @Override
    public List<SyncedMessage> listSyncedMessages(FolderKey key, Instant from, Instant to) {
        Objects.requireNonNull(key, "key");
        long lower = EpochMicros.of(Objects.requireNonNull(from, "from"));
        long upper = EpochMicros.of(Objects.requireNonNull(to, "to"));
        return db.autocommit("list synced messages", c -> {
            List<SyncedMessage> list = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT message_id, received_at FROM " + SYNCED
                    + " WHERE connection_id = ? AND mailbox_id = ? AND folder_id = ? AND received_at >= ?"
                    + " AND received_at <= ? ORDER BY received_at DESC, message_id")) {
                bindKey(select, key);
                select.setLong(4, lower);
                select.setLong(5, upper);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        list.add(readRow("synced message", () -> new SyncedMessage(row.getString("message_id"),
                                EpochMicros.read(row, "received_at"))));
                    }
                }
            }
            return List.copyOf(list);
        });
    }

    @Override
    public long countSyncedMessages(FolderKey key) {
        Objects.requireNonNull(key, "key");
        return db.autocommit("count synced messages", c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT COUNT(*) FROM " + SYNCED
                    + " WHERE connection_id = ? AND mailbox_id = ? AND folder_id = ?")) {
                bindKey(select, key);
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                    return row.getLong(1);
                }
            }
        });
    }

    // ---- tenant-side restriction -----------------------------------------------------------------------------------

    @Override
    public void saveAppliedRestriction(ConnectionId connection, AppliedRestriction applied) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(applied, "applied");
        db.autocommit("save applied restriction", c -> {
            try (PreparedStatement upsert = c.prepareStatement("INSERT INTO " + APPLIED_RESTRICTIONS
                    + " (connection_id, mechanism, applied_at) VALUES (?, ?, ?)"
                    + " ON CONFLICT (connection_id) DO UPDATE SET mechanism = excluded.mechanism,"
                    + " applied_at = excluded.applied_at")) {
                upsert.setString(1, connection.value());
                upsert.setString(2, applied.mechanism().name());
                upsert.setLong(3, EpochMicros.of(applied.appliedAt()));
                return upsert.executeUpdate();
            }
        });
    }

    @Override
    public Optional<AppliedRestriction> findAppliedRestriction(ConnectionId connection) {
        Objects.requireNonNull(connection, "connection");
        return db.autocommit("find applied restriction", c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT mechanism, applied_at FROM "
                    + APPLIED_RESTRICTIONS + " WHERE connection_id = ?")) {
                select.setString(1, connection.value());
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return Optional.<AppliedRestriction>empty();
                    }
                    return Optional.of(readRow("applied restriction", () -> new AppliedRestriction(
                            enumValue(RestrictionMechanism.class, row.getString("mechanism")),
                            EpochMicros.read(row, "applied_at"))));
                }
            }
        });
    }

    // ---- folder events ---------------------------------------------------------------------------------------------

    @Override
    public void recordFolderEvent(FolderKey key, FolderEvent event, Instant at) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(at, "at");
        long atMicros = EpochMicros.of(at);
        long horizon = EpochMicros.of(at.minus(InMemoryOutlookStore.FOLDER_EVENT_RETENTION));
        db.transaction("record folder event", c -> {
            try (PreparedStatement prune = c.prepareStatement("DELETE FROM " + FOLDER_EVENTS
                    + " WHERE connection_id = ? AND mailbox_id = ? AND folder_id = ? AND at < ?")) {
                bindKey(prune, key);
                prune.setLong(4, horizon);
                prune.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + FOLDER_EVENTS
                    + " (connection_id, mailbox_id, folder_id, kind, at) VALUES (?, ?, ?, ?, ?)")) {
                bindKey(insert, key);
                insert.setString(4, event.name());
                insert.setLong(5, atMicros);
                return insert.executeUpdate();
            }
        });
    }

    @Override
    public int countFolderEvents(FolderKey key, FolderEvent event, Instant since) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(since, "since");
        return db.autocommit("count folder events", c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT COUNT(*) FROM " + FOLDER_EVENTS
                    + " WHERE connection_id = ? AND mailbox_id = ? AND folder_id = ? AND kind = ? AND at >= ?")) {
                bindKey(select, key);
                select.setString(4, event.name());
                select.setLong(5, EpochMicros.of(since));
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                    return row.getInt(1);
                }
            }
        });
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

    // ---- rows ------------------------------------------------------------------------------------------------------

    /** Deletes a connection's rows from a table, or only one mailbox's when {@code mailboxId} is given. */
    private static int delete(java.sql.Connection c, String table, ConnectionId connection, MailboxId mailboxId)
            throws SQLException {
        String sql = "DELETE FROM " + table + " WHERE connection_id = ?"
                + (mailboxId == null ? "" : " AND mailbox_id = ?");
        try (PreparedStatement delete = c.prepareStatement(sql)) {
            delete.setString(1, connection.value());
            if (mailboxId != null) {
                delete.setString(2, mailboxId.value());
            }
            return delete.executeUpdate();
        }
    }

    private static void bindKey(PreparedStatement statement, FolderKey key) throws SQLException {
        statement.setString(1, key.connection().value());
        statement.setString(2, key.mailboxId().value());
        statement.setString(3, key.folderId());
    }

    private static void bindNullableLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, java.sql.Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }

    private static Connection connection(ResultSet row) throws SQLException {
        String tenant = row.getString("tenant_id");
        return readRow("connection", () -> new Connection(
                ConnectionId.of(row.getString("connection_id")),
                enumValue(ConnectionType.class, row.getString("type")),
                tenant == null ? null : TenantId.of(tenant),
                enumValue(ConnectionStatus.class, row.getString("status")),
                EpochMicros.read(row, "created_at"),
                EpochMicros.read(row, "connected_at"),
                new ConnectionPermissions(enumValue(PermissionProfile.class, row.getString("permission_profile")),
                        enumValue(MailAccess.class, row.getString("mail_access")))));
    }

    private static ConsentNonce nonce(ResultSet row) throws SQLException {
        return readRow("consent nonce", () -> new ConsentNonce(
                row.getString("digest"),
                ConnectionId.of(row.getString("connection_id")),
                row.getString("redirect_uri"),
                EpochMicros.read(row, "issued_at"),
                EpochMicros.read(row, "expires_at")));
    }

    private static FolderKey key(ResultSet row) throws SQLException {
        return new FolderKey(ConnectionId.of(row.getString("connection_id")), MailboxId.of(row.getString("mailbox_id")),
                row.getString("folder_id"));
    }

    private static FolderCheckpoint checkpoint(ResultSet row) throws SQLException {
        return readRow("folder checkpoint", () -> new FolderCheckpoint(
                key(row),
                row.getString("delta_link"),
                row.getString("next_link"),
                EpochMicros.read(row, "last_received_at"),
                EpochMicros.read(row, "reconciled_at"),
                row.getLong("version"),
                EpochMicros.read(row, "updated_at")));
    }

    private static BackfillCursor cursor(ResultSet row) throws SQLException {
        Instant until = EpochMicros.read(row, "until_at");
        Instant positionAt = EpochMicros.read(row, "position_at");
        boolean inclusive = row.getInt("position_inclusive") != 0;
        String ids = row.getString("position_ids");
        return readRow("backfill cursor", () -> new BackfillCursor(
                key(row),
                EpochMicros.read(row, "from_at"),
                until,
                positionAt == null ? BackfillPosition.before(until) : new BackfillPosition(positionAt, inclusive,
                        ids == null || ids.isEmpty() ? java.util.Set.of() : java.util.Set.of(ids.split("\n"))),
                row.getLong("delivered"),
                row.getLong("estimated_total"),
                enumValue(BackfillCursor.State.class, row.getString("state")),
                row.getLong("version"),
                EpochMicros.read(row, "updated_at")));
    }

    /** Mailboxes joined with their folders (rows of one mailbox ordered by position). */
    private static List<MailboxRecord> mailboxes(PreparedStatement select) throws SQLException {
        Map<MailboxId, List<FolderRef>> folders = new LinkedHashMap<>();
        Map<MailboxId, MailboxRow> rows = new LinkedHashMap<>();
        try (ResultSet row = select.executeQuery()) {
            while (row.next()) {
                MailboxId mailboxId = MailboxId.of(row.getString("mailbox_id"));
                if (!rows.containsKey(mailboxId)) {
                    rows.put(mailboxId, new MailboxRow(
                            row.getString("connection_id"), mailboxId, row.getString("address"),
                            row.getString("display_name"), row.getString("type"), row.getString("status"),
                            EpochMicros.read(row, "status_until"), row.getString("status_detail"),
                            EpochMicros.read(row, "added_at"), row.getString("aliases")));
                    folders.put(mailboxId, new ArrayList<>());
                }
                String folderId = row.getString("folder_id");
                if (folderId != null) {
                    String path = row.getString("path");
                    folders.get(mailboxId).add(readRow("mailbox folder", () -> new FolderRef(folderId, path)));
                }
            }
        }
        List<MailboxRecord> result = new ArrayList<>(rows.size());
        for (MailboxRow m : rows.values()) {
            result.add(readRow("mailbox", () -> new MailboxRecord(
                    ConnectionId.of(m.connectionId()), m.mailboxId(), MailboxAddress.of(m.address()),
                    m.displayName(), enumValue(MailboxType.class, m.type()), folders.get(m.mailboxId()),
                    enumValue(MailboxStatus.class, m.status()), m.statusUntil(), m.statusDetail(), m.addedAt(),
                    splitAliases(m.aliases()))));
        }
        return result;
    }

    private record MailboxRow(String connectionId, MailboxId mailboxId, String address, String displayName, String type,
                              String status, Instant statusUntil, String statusDetail, Instant addedAt,
                              String aliases) {
    }

    /** Aliases in the mailbox row: newline-separated (an address never contains white space). */
    private static String joinAliases(List<MailboxAddress> aliases) {
        StringBuilder sb = new StringBuilder();
        for (MailboxAddress alias : aliases) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append(alias.value());
        }
        return sb.toString();
    }

    private static List<MailboxAddress> splitAliases(String stored) {
        if (stored == null || stored.isEmpty()) {
            return List.of();
        }
        List<MailboxAddress> aliases = new ArrayList<>();
        for (String alias : stored.split("\n")) {
            aliases.add(MailboxAddress.of(alias));
        }
        return aliases;
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String name) {
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new StoreException("the store holds " + type.getSimpleName() + " value '" + name
                    + "' that this SDK does not know", null);
        }
    }

    @FunctionalInterface
    private interface RowReader<T> {
        T read() throws SQLException;
    }

    /** Builds a record from a row; a row the records refuse is reported as a store error, not as the caller's. */
    private static <T> T readRow(String what, RowReader<T> reader) throws SQLException {
        try {
            return reader.read();
        } catch (StoreException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StoreException("a stored " + what + " row is not valid: " + e.getClass().getSimpleName(), e);
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
