package com.tekst.outlook.internal.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connections from an application's {@link DataSource}, used as given: one per operation, closed (returned to the
 * application's pool) afterwards. The data source itself belongs to the application and is never closed here.
 */
public final class DataSourceConnections implements ConnectionSource {
    private static final Logger LOG = LoggerFactory.getLogger(DataSourceConnections.class);

    private final DataSource dataSource;

    public DataSourceConnections(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public Connection acquire() throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            if (!connection.getAutoCommit()) {
                connection.setAutoCommit(true);
            }
            Dialect.of(connection).prepare(connection);
            return connection;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    @Override
    public void release(Connection connection, boolean reusable) {
        closeQuietly(connection);
    }

    @Override
    public void close() {
        // the data source belongs to the application
    }

    static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("closing a JDBC connection failed (SQLState {}, error code {})", e.getSQLState(),
                    e.getErrorCode());
        }
    }
}
