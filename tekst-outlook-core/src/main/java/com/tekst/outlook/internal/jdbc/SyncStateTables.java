package com.tekst.outlook.internal.jdbc;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.internal.jdbc.JdbcExecutor.Work;
import com.tekst.outlook.store.BackfillCursor;
import com.tekst.outlook.store.BackfillPosition;
import com.tekst.outlook.store.FolderCheckpoint;
import com.tekst.outlook.store.FolderEvent;
import com.tekst.outlook.store.FolderKey;
import com.tekst.outlook.store.MailboxLease;
import com.tekst.outlook.store.SyncedChanges;
import com.tekst.outlook.store.SyncedMessage;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The sync state of a JDBC store, with all of its SQL (the same on SQLite and PostgreSQL): live-sync checkpoints,
 * backfill cursors, the synced-message index they commit with, and folder events. Checkpoint and cursor writes are
 * compare-and-set on {@code version}; a fenced one checks its lease through {@link JdbcLeases#checkFence} in the same
 * transaction. {@link com.tekst.outlook.store.JdbcOutlookStore} delegates to it. Thread-safe.
 */
public final class SyncStateTables {
    static final String CHECKPOINTS = "tekst_outlook_folder_checkpoints";
    static final String CURSORS = "tekst_outlook_backfill_cursors";
    static final String SYNCED = "tekst_outlook_synced_messages";
    /** Numbers the folders of {@link #SYNCED}, whose rows hold the number instead of the folder's key. */
    static final String SYNCED_FOLDERS = "tekst_outlook_synced_folders";
    /** The folder number of a {@link FolderKey} bound as parameters 1 to 3 of the statement. */
    private static final String FOLDER_NO = "(SELECT folder_no FROM " + SYNCED_FOLDERS
            + " WHERE connection_id = ? AND mailbox_id = ? AND folder_id = ?)";
    /** Attempts at numbering a folder while other transactions number others (each sees their number taken). */
    private static final int NUMBERING_ATTEMPTS = 5;
    static final String FOLDER_EVENTS = "tekst_outlook_folder_events";

    private static final String CHECKPOINT_COLUMNS =
            "connection_id, mailbox_id, folder_id, delta_link, next_link, last_received_at, reconciled_at, version,"
                    + " updated_at";
    private static final String CURSOR_COLUMNS = "connection_id, mailbox_id, folder_id, from_at, until_at,"
            + " position_at, position_inclusive, position_ids, delivered, estimated_total, state, version, updated_at";

    private final JdbcExecutor db;

    public SyncStateTables(JdbcExecutor db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /** Inside the caller's transaction: deletes a connection's sync state, or only one mailbox's. */
    public static void deleteRows(java.sql.Connection c, ConnectionId connection, MailboxId mailboxId)
            throws SQLException {
        JdbcRows.delete(c, CHECKPOINTS, connection, mailboxId);
        JdbcRows.delete(c, CURSORS, connection, mailboxId);
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + SYNCED + " WHERE folder_no IN"
                + " (SELECT folder_no FROM " + SYNCED_FOLDERS + " WHERE connection_id = ?"
                + (mailboxId == null ? "" : " AND mailbox_id = ?") + ")")) {
            delete.setString(1, connection.value());
            if (mailboxId != null) {
                delete.setString(2, mailboxId.value());
            }
            delete.executeUpdate();
        }
        JdbcRows.delete(c, SYNCED_FOLDERS, connection, mailboxId);
        JdbcRows.delete(c, FOLDER_EVENTS, connection, mailboxId);
    }

    public Optional<FolderCheckpoint> findCheckpoint(FolderKey key) {
        Objects.requireNonNull(key, "key");
        return db.autocommit("find checkpoint", c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT " + CHECKPOINT_COLUMNS + " FROM " + CHECKPOINTS
                    + " WHERE connection_id = ? AND mailbox_id = ? AND folder_id = ?")) {
                JdbcRows.bindKey(select, key);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? Optional.of(checkpoint(row)) : Optional.<FolderCheckpoint>empty();
                }
            }
        });
    }

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

    public boolean commitCheckpoint(FolderCheckpoint next, long expectedVersion, SyncedChanges changes,
                                    MailboxLease lease) {
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(changes, "changes");
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
                JdbcRows.bindNullableLong(write, 3, lastReceivedAt);
                JdbcRows.bindNullableLong(write, 4, reconciledAt);
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

    public Optional<BackfillCursor> findBackfillCursor(FolderKey key) {
        Objects.requireNonNull(key, "key");
        return db.autocommit("find backfill cursor", c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT " + CURSOR_COLUMNS + " FROM " + CURSORS
                    + " WHERE connection_id = ? AND mailbox_id = ? AND folder_id = ?")) {
                JdbcRows.bindKey(select, key);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? Optional.of(cursor(row)) : Optional.<BackfillCursor>empty();
                }
            }
        });
    }

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

    public boolean commitBackfillCursor(BackfillCursor next, long expectedVersion, SyncedChanges changes,
                                        MailboxLease lease) {
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(changes, "changes");
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
                JdbcRows.bindNullableLong(write, 3, positionAt);
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

    public List<SyncedMessage> listSyncedMessages(FolderKey key, Instant from, Instant to) {
        Objects.requireNonNull(key, "key");
        long lower = EpochMicros.of(Objects.requireNonNull(from, "from"));
        long upper = EpochMicros.of(Objects.requireNonNull(to, "to"));
        return db.autocommit("list synced messages", c -> {
            List<SyncedMessage> list = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT message_id, received_at FROM " + SYNCED
                    + " WHERE folder_no = " + FOLDER_NO + " AND received_at >= ?"
                    + " AND received_at <= ? ORDER BY received_at DESC, message_id")) {
                JdbcRows.bindKey(select, key);
                select.setLong(4, lower);
                select.setLong(5, upper);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        list.add(JdbcRows.readRow("synced message", () -> new SyncedMessage(row.getString("message_id"),
                                EpochMicros.read(row, "received_at"))));
                    }
                }
            }
            return List.copyOf(list);
        });
    }

    public long countSyncedMessages(FolderKey key) {
        Objects.requireNonNull(key, "key");
        return db.autocommit("count synced messages", c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT COUNT(*) FROM " + SYNCED
                    + " WHERE folder_no = " + FOLDER_NO)) {
                JdbcRows.bindKey(select, key);
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                    return row.getLong(1);
                }
            }
        });
    }

    public void recordFolderEvent(FolderKey key, FolderEvent event, Instant at, Duration retention) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(at, "at");
        long atMicros = EpochMicros.of(at);
        long horizon = EpochMicros.of(at.minus(retention));
        db.transaction("record folder event", c -> {
            try (PreparedStatement prune = c.prepareStatement("DELETE FROM " + FOLDER_EVENTS
                    + " WHERE connection_id = ? AND mailbox_id = ? AND folder_id = ? AND at < ?")) {
                JdbcRows.bindKey(prune, key);
                prune.setLong(4, horizon);
                prune.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + FOLDER_EVENTS
                    + " (connection_id, mailbox_id, folder_id, kind, at) VALUES (?, ?, ?, ?, ?)")) {
                JdbcRows.bindKey(insert, key);
                insert.setString(4, event.name());
                insert.setLong(5, atMicros);
                return insert.executeUpdate();
            }
        });
    }

    public int countFolderEvents(FolderKey key, FolderEvent event, Instant since) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(since, "since");
        return db.autocommit("count folder events", c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT COUNT(*) FROM " + FOLDER_EVENTS
                    + " WHERE connection_id = ? AND mailbox_id = ? AND folder_id = ? AND kind = ? AND at >= ?")) {
                JdbcRows.bindKey(select, key);
                select.setString(4, event.name());
                select.setLong(5, EpochMicros.of(since));
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                    return row.getInt(1);
                }
            }
        });
    }

    // ---- rows ------------------------------------------------------------------------------------------------------

    /** Inside the caller's transaction: upserts the added messages, deletes the removed ids, in batches. */
    private static void applySynced(java.sql.Connection c, FolderKey key, SyncedChanges changes) throws SQLException {
        if (!changes.added().isEmpty()) {
            long folderNo = folderNo(c, key);
            try (PreparedStatement upsert = c.prepareStatement("INSERT INTO " + SYNCED
                    + " (folder_no, message_id, received_at) VALUES (?, ?, ?)"
                    + " ON CONFLICT (folder_no, message_id) DO UPDATE SET received_at = excluded.received_at")) {
                for (SyncedMessage m : changes.added()) {
                    upsert.setLong(1, folderNo);
                    upsert.setString(2, m.id());
                    upsert.setLong(3, EpochMicros.of(m.receivedAt()));
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
        }
        if (!changes.removed().isEmpty()) {
            Long folderNo = findFolderNo(c, key);
            if (folderNo == null) {
                return; // the folder never had a synced message: nothing to remove
            }
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + SYNCED
                    + " WHERE folder_no = ? AND message_id = ?")) {
                for (String id : changes.removed()) {
                    delete.setLong(1, folderNo);
                    delete.setString(2, id);
                    delete.addBatch();
                }
                delete.executeBatch();
            }
        }
    }

    private static Long findFolderNo(java.sql.Connection c, FolderKey key) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT folder_no FROM " + SYNCED_FOLDERS
                + " WHERE connection_id = ? AND mailbox_id = ? AND folder_id = ?")) {
            JdbcRows.bindKey(select, key);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getLong(1) : null;
            }
        }
    }

    /**
     * Inside the caller's transaction: the folder's number, assigned now (the largest plus one) if it has none. Two
     * transactions numbering folders at once compute the same number; the one that loses inserts nothing and tries
     * again with the next. If that keeps happening the caller's transaction is retried as a whole.
     */
    private static long folderNo(java.sql.Connection c, FolderKey key) throws SQLException {
        for (int attempt = 0; attempt < NUMBERING_ATTEMPTS; attempt++) {
            Long found = findFolderNo(c, key);
            if (found != null) {
                return found;
            }
            // WHERE 1 = 1: SQLite's parser needs a WHERE before ON CONFLICT in INSERT ... SELECT
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + SYNCED_FOLDERS
                    + " (folder_no, connection_id, mailbox_id, folder_id)"
                    + " SELECT COALESCE(MAX(folder_no), 0) + 1, ?, ?, ? FROM " + SYNCED_FOLDERS + " WHERE 1 = 1"
                    + " ON CONFLICT DO NOTHING")) {
                JdbcRows.bindKey(insert, key);
                insert.executeUpdate();
            }
        }
        // the database's code for a serialization failure: JdbcExecutor retries the transaction
        throw new SQLException("numbering a folder's synced messages met concurrent numbering " + NUMBERING_ATTEMPTS
                + " times", "40001");
    }

    private static FolderCheckpoint checkpoint(ResultSet row) throws SQLException {
        return JdbcRows.readRow("folder checkpoint", () -> new FolderCheckpoint(
                JdbcRows.key(row),
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
        return JdbcRows.readRow("backfill cursor", () -> new BackfillCursor(
                JdbcRows.key(row),
                EpochMicros.read(row, "from_at"),
                until,
                positionAt == null ? BackfillPosition.before(until) : new BackfillPosition(positionAt, inclusive,
                        ids == null || ids.isEmpty() ? java.util.Set.of() : java.util.Set.of(ids.split("\n"))),
                row.getLong("delivered"),
                row.getLong("estimated_total"),
                JdbcRows.enumValue(BackfillCursor.State.class, row.getString("state")),
                row.getLong("version"),
                EpochMicros.read(row, "updated_at")));
    }
}
