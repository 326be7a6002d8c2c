package com.tekst.outlook.internal.jdbc;

import com.tekst.outlook.Connection;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionPermissions;
import com.tekst.outlook.ConnectionStatus;
import com.tekst.outlook.ConnectionType;
import com.tekst.outlook.MailAccess;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.PermissionProfile;
import com.tekst.outlook.TenantId;
import com.tekst.outlook.internal.jdbc.JdbcExecutor.Work;
import com.tekst.outlook.mailbox.AppliedRestriction;
import com.tekst.outlook.mailbox.FolderRef;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.mailbox.MailboxType;
import com.tekst.outlook.mailbox.RestrictionMechanism;
import com.tekst.outlook.mailbox.ScopeMode;
import com.tekst.outlook.store.ConsentNonce;
import com.tekst.outlook.store.MailboxLease;
import com.tekst.outlook.store.MailboxRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Connections and their scope in a JDBC store, with all of their SQL (the same on SQLite and PostgreSQL): connections,
 * consent nonces, the mailboxes of a connection with their folders and aliases, the scope mode and the tenant-side
 * restriction applied. {@link com.tekst.outlook.store.JdbcOutlookStore} delegates to it; a fenced status write checks
 * its lease through {@link JdbcLeases#checkFence}. Thread-safe.
 */
public final class ConnectionTables {
    static final String CONNECTIONS = "tekst_outlook_connections";
    static final String NONCES = "tekst_outlook_consent_nonces";
    static final String MAILBOXES = "tekst_outlook_mailboxes";
    static final String FOLDERS = "tekst_outlook_mailbox_folders";
    static final String ALIASES = "tekst_outlook_mailbox_aliases";
    static final String SCOPE_MODES = "tekst_outlook_scope_modes";
    static final String APPLIED_RESTRICTIONS = "tekst_outlook_applied_restrictions";

    private static final String CONNECTION_COLUMNS =
            "connection_id, type, tenant_id, status, created_at, connected_at, permission_profile, mail_access";
    private static final String NONCE_COLUMNS = "digest, connection_id, redirect_uri, issued_at, expires_at";
    private static final String MAILBOX_SELECT = "SELECT m.connection_id, m.mailbox_id, m.address, m.display_name,"
            + " m.type, m.status, m.status_until, m.status_detail, m.added_at, m.aliases, f.position, f.folder_id, f.path"
            + " FROM " + MAILBOXES + " m LEFT JOIN " + FOLDERS + " f"
            + " ON f.connection_id = m.connection_id AND f.mailbox_id = m.mailbox_id";

    private static final Comparator<MailboxRecord> MAILBOX_ORDER =
            Comparator.comparing((MailboxRecord m) -> m.address().value()).thenComparing(MailboxRecord::mailboxId);

    private final JdbcExecutor db;

    public ConnectionTables(JdbcExecutor db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /**
     * Inside the caller's transaction: deletes a connection's rows (a connection's, or only one mailbox's when
     * {@code mailboxId} is given), parent first, then dependants.
     *
     * @return whether the connection (or mailbox) existed
     */
    public static boolean deleteRows(java.sql.Connection c, ConnectionId connection, MailboxId mailboxId)
            throws SQLException {
        boolean existed;
        if (mailboxId == null) {
            existed = JdbcRows.delete(c, CONNECTIONS, connection, null) > 0;
            JdbcRows.delete(c, MAILBOXES, connection, null);
        } else {
            existed = JdbcRows.delete(c, MAILBOXES, connection, mailboxId) > 0;
        }
        JdbcRows.delete(c, FOLDERS, connection, mailboxId);
        JdbcRows.delete(c, ALIASES, connection, mailboxId);
        if (mailboxId == null) {
            JdbcRows.delete(c, NONCES, connection, null);
            JdbcRows.delete(c, SCOPE_MODES, connection, null);
            JdbcRows.delete(c, APPLIED_RESTRICTIONS, connection, null);
        }
        return existed;
    }

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
            JdbcRows.delete(c, ALIASES, mailbox.connection(), mailbox.mailboxId());
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
            JdbcRows.delete(c, FOLDERS, mailbox.connection(), mailbox.mailboxId());
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

    public boolean updateMailboxStatus(ConnectionId connection, MailboxId mailboxId, MailboxStatus expected,
                                       MailboxStatus next, Instant until, String detail, MailboxLease lease) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(mailboxId, "mailboxId");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(next, "next");
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

    public ScopeMode findScopeMode(ConnectionId connection) {
        Objects.requireNonNull(connection, "connection");
        return db.autocommit("find scope mode", c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT mode FROM " + SCOPE_MODES + " WHERE connection_id = ?")) {
                select.setString(1, connection.value());
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? JdbcRows.enumValue(ScopeMode.class, row.getString("mode")) : ScopeMode.RESTRICTED;
                }
            }
        });
    }

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
                    return Optional.of(JdbcRows.readRow("applied restriction", () -> new AppliedRestriction(
                            JdbcRows.enumValue(RestrictionMechanism.class, row.getString("mechanism")),
                            EpochMicros.read(row, "applied_at"))));
                }
            }
        });
    }

    // ---- rows ------------------------------------------------------------------------------------------------------

    private static Connection connection(ResultSet row) throws SQLException {
        String tenant = row.getString("tenant_id");
        return JdbcRows.readRow("connection", () -> new Connection(
                ConnectionId.of(row.getString("connection_id")),
                JdbcRows.enumValue(ConnectionType.class, row.getString("type")),
                tenant == null ? null : TenantId.of(tenant),
                JdbcRows.enumValue(ConnectionStatus.class, row.getString("status")),
                EpochMicros.read(row, "created_at"),
                EpochMicros.read(row, "connected_at"),
                new ConnectionPermissions(JdbcRows.enumValue(PermissionProfile.class, row.getString("permission_profile")),
                        JdbcRows.enumValue(MailAccess.class, row.getString("mail_access")))));
    }

    private static ConsentNonce nonce(ResultSet row) throws SQLException {
        return JdbcRows.readRow("consent nonce", () -> new ConsentNonce(
                row.getString("digest"),
                ConnectionId.of(row.getString("connection_id")),
                row.getString("redirect_uri"),
                EpochMicros.read(row, "issued_at"),
                EpochMicros.read(row, "expires_at")));
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
                    folders.get(mailboxId).add(JdbcRows.readRow("mailbox folder", () -> new FolderRef(folderId, path)));
                }
            }
        }
        List<MailboxRecord> result = new ArrayList<>(rows.size());
        for (MailboxRow m : rows.values()) {
            result.add(JdbcRows.readRow("mailbox", () -> new MailboxRecord(
                    ConnectionId.of(m.connectionId()), m.mailboxId(), MailboxAddress.of(m.address()),
                    m.displayName(), JdbcRows.enumValue(MailboxType.class, m.type()), folders.get(m.mailboxId()),
                    JdbcRows.enumValue(MailboxStatus.class, m.status()), m.statusUntil(), m.statusDetail(), m.addedAt(),
                    splitAliases(m.aliases()))));
        }
        return result;
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

    private record MailboxRow(String connectionId, MailboxId mailboxId, String address, String displayName, String type,
                              String status, Instant statusUntil, String statusDetail, Instant addedAt,
                              String aliases) {
    }
}
