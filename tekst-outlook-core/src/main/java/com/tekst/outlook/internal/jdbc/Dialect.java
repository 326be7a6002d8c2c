package com.tekst.outlook.internal.jdbc;

import com.tekst.outlook.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What differs between the two supported databases. The SQL of the store itself is the same for both (standard SQL
 * plus {@code INSERT ... ON CONFLICT}, which both speak); what differs is how a write transaction starts, how schema
 * migrations are serialized between processes, and which errors are transient.
 */
public enum Dialect {
    /**
     * SQLite: one writer at a time per database file. Write transactions start with {@code BEGIN IMMEDIATE}, so a
     * transaction takes the write lock before it reads and waits ({@code busy_timeout}) instead of failing when
     * another connection holds it. The database runs in WAL mode, so readers never wait for the writer.
     */
    SQLITE("SQLite") {
        @Override
        void begin(Connection connection) throws SQLException {
            execute(connection, "BEGIN IMMEDIATE");
        }

        @Override
        void commit(Connection connection) throws SQLException {
            execute(connection, "COMMIT");
        }

        @Override
        void rollback(Connection connection) throws SQLException {
            execute(connection, "ROLLBACK");
        }

        @Override
        void end(Connection connection) {
            // autocommit was never turned off: BEGIN/COMMIT are statements
        }

        @Override
        void prepare(Connection connection) throws SQLException {
            execute(connection, "PRAGMA busy_timeout = " + SQLITE_BUSY_TIMEOUT_MILLIS);
            // In WAL mode NORMAL never corrupts the database; a power loss may forget the last commits, which the
            // sync engine replays (delivery is at-least-once).
            execute(connection, "PRAGMA synchronous = NORMAL");
        }

        @Override
        void prepareDatabase(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement();
                 ResultSet mode = statement.executeQuery("PRAGMA journal_mode = WAL")) {
                mode.next();
            }
        }

        @Override
        void lockForMigration(Connection connection) {
            // BEGIN IMMEDIATE already holds the database's write lock: a second process waits for it.
        }

        @Override
        boolean isTransient(SQLException e) {
            int primary = e.getErrorCode() & 0xff;
            return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
        }
    },

    /**
     * PostgreSQL: {@code READ COMMITTED} transactions with row locks only. Migrations are serialized by a
     * transaction-scoped advisory lock keyed by the current schema.
     */
    POSTGRESQL("PostgreSQL") {
        @Override
        void begin(Connection connection) throws SQLException {
            connection.setAutoCommit(false);
        }

        @Override
        void commit(Connection connection) throws SQLException {
            connection.commit();
        }

        @Override
        void rollback(Connection connection) throws SQLException {
            connection.rollback();
        }

        @Override
        void end(Connection connection) throws SQLException {
            connection.setAutoCommit(true);
        }

        @Override
        void prepare(Connection connection) {
            // nothing per connection
        }

        @Override
        void prepareDatabase(Connection connection) {
            // nothing per database
        }

        @Override
        void lockForMigration(Connection connection) throws SQLException {
            String schema;
            try (Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery("SELECT current_schema()")) {
                schema = row.next() ? row.getString(1) : null;
            }
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?, ?)")) {
                lock.setInt(1, MIGRATION_LOCK_CLASS);
                lock.setInt(2, schema == null ? 0 : schema.hashCode());
                lock.execute();
            }
        }

        @Override
        boolean isTransient(SQLException e) {
            String state = e.getSQLState();
            return "40001".equals(state) || "40P01".equals(state);
        }
    };

    /** How long an SQLite connection waits for another writer before it reports SQLITE_BUSY. */
    public static final int SQLITE_BUSY_TIMEOUT_MILLIS = 10_000;

    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    /** "TEKS": the first key of the PostgreSQL advisory lock that serializes migrations. */
    private static final int MIGRATION_LOCK_CLASS = 0x54454B53;

    private final String productName;

    Dialect(String productName) {
        this.productName = productName;
    }

    /** The database's product name as its JDBC driver reports it. */
    public String productName() {
        return productName;
    }

    /**
     * The dialect of the database behind a connection.
     *
     * @throws StoreException if the database is neither SQLite nor PostgreSQL
     */
    public static Dialect of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName();
        for (Dialect dialect : values()) {
            if (dialect.productName.equalsIgnoreCase(product)) {
                return dialect;
            }
        }
        throw new StoreException("unsupported database '" + product
                + "': the JDBC store supports SQLite and PostgreSQL", null);
    }

    /** Starts a write transaction on a connection in autocommit mode. */
    abstract void begin(Connection connection) throws SQLException;

    abstract void commit(Connection connection) throws SQLException;

    abstract void rollback(Connection connection) throws SQLException;

    /** Returns the connection to autocommit mode after {@link #commit} or {@link #rollback}. */
    abstract void end(Connection connection) throws SQLException;

    /** Settings every connection needs before its first statement. */
    abstract void prepare(Connection connection) throws SQLException;

    /** Settings kept by the database itself, applied once when a store starts (outside a transaction). */
    abstract void prepareDatabase(Connection connection) throws SQLException;

    /** Inside the migration transaction: waits until no other process migrates the same schema. */
    abstract void lockForMigration(Connection connection) throws SQLException;

    /** Whether the error means the transaction did nothing and the same work may simply be run again. */
    abstract boolean isTransient(SQLException e);

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
