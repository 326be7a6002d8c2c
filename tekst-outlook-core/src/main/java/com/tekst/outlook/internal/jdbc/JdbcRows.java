package com.tekst.outlook.internal.jdbc;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.StoreException;
import com.tekst.outlook.store.FolderKey;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Row helpers shared by the tables of a JDBC store: deletes by owner, binds, enum values, record validation. */
final class JdbcRows {
    private JdbcRows() {
    }

    /** Deletes a connection's rows from a table, or only one mailbox's when {@code mailboxId} is given. */
    static int delete(java.sql.Connection c, String table, ConnectionId connection, MailboxId mailboxId)
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

    static void bindKey(PreparedStatement statement, FolderKey key) throws SQLException {
        statement.setString(1, key.connection().value());
        statement.setString(2, key.mailboxId().value());
        statement.setString(3, key.folderId());
    }

    static void bindNullableLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, java.sql.Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }

    static FolderKey key(ResultSet row) throws SQLException {
        return new FolderKey(ConnectionId.of(row.getString("connection_id")), MailboxId.of(row.getString("mailbox_id")),
                row.getString("folder_id"));
    }

    static <E extends Enum<E>> E enumValue(Class<E> type, String name) {
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new StoreException("the store holds " + type.getSimpleName() + " value '" + name
                    + "' that this SDK does not know", null);
        }
    }

    /** Builds a record from a row; a row the records refuse is reported as a store error, not as the caller's. */
    static <T> T readRow(String what, RowReader<T> reader) throws SQLException {
        try {
            return reader.read();
        } catch (StoreException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StoreException("a stored " + what + " row is not valid: " + e.getClass().getSimpleName(), e);
        }
    }

    @FunctionalInterface
    interface RowReader<T> {
        T read() throws SQLException;
    }
}
