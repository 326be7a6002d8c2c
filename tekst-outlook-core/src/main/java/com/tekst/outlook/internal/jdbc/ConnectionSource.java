package com.tekst.outlook.internal.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/** Where the store gets its JDBC connections. Implementations are thread-safe. */
public interface ConnectionSource extends AutoCloseable {

    /** A connection in autocommit mode, prepared for its dialect ({@link Dialect#prepare}). */
    Connection acquire() throws SQLException;

    /**
     * Gives a connection back. {@code reusable} is {@code false} after any error on it: such a connection is closed,
     * never handed out again.
     */
    void release(Connection connection, boolean reusable);

    /** Closes what the source holds itself; a borrowed {@link javax.sql.DataSource} is left open. */
    @Override
    void close();
}
