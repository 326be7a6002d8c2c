package com.tekst.outlook.internal.jdbc;

import com.tekst.outlook.StoreException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;

/**
 * Connections opened from a JDBC URL through {@link DriverManager}, with a few kept open between operations: a new
 * connection per operation would cost a TCP and authentication round trip on PostgreSQL, and on SQLite closing the
 * last connection checkpoints and removes the WAL file every time.
 *
 * <p>Any number of connections may be in use at once; at most {@code maxIdle} are kept when given back. A connection
 * that saw an error is closed, never reused. Thread-safe: the idle connections are guarded by one lock, held only to
 * take or put one.
 *
 * <p>The URL and properties may carry credentials: they are never logged nor put into an exception message.
 */
public final class DriverConnections implements ConnectionSource {
    private final String url;
    private final Properties properties;
    private final int maxIdle;
    private final Object lock = new Object();
    private final Deque<Connection> idle = new ArrayDeque<>();
    private boolean closed;

    /**
     * @throws StoreException if no JDBC driver on the class path accepts the URL
     */
    public DriverConnections(String url, Properties properties, int maxIdle) {
        this.url = Objects.requireNonNull(url, "url");
        this.properties = new Properties();
        this.properties.putAll(Objects.requireNonNull(properties, "properties"));
        if (maxIdle < 0) {
            throw new IllegalArgumentException("maxIdle must not be negative");
        }
        this.maxIdle = maxIdle;
        requireDriver(url);
    }

    @Override
    public Connection acquire() throws SQLException {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the JDBC store is closed");
            }
            Connection connection = idle.pollFirst();
            if (connection != null) {
                return connection;
            }
        }
        Connection connection;
        try {
            connection = DriverManager.getConnection(url, properties);
        } catch (SQLException e) {
            String message = e.getMessage();
            if (message != null && message.contains(url)) {
                // DriverManager quotes the URL, which may hold a password
                throw new SQLException("opening a connection to the configured JDBC URL failed", e.getSQLState(),
                        e.getErrorCode());
            }
            throw e;
        }
        try {
            Dialect.of(connection).prepare(connection);
            return connection;
        } catch (SQLException | RuntimeException e) {
            DataSourceConnections.closeQuietly(connection);
            throw e;
        }
    }

    @Override
    public void release(Connection connection, boolean reusable) {
        if (reusable) {
            synchronized (lock) {
                if (!closed && idle.size() < maxIdle) {
                    idle.addFirst(connection);
                    return;
                }
            }
        }
        DataSourceConnections.closeQuietly(connection);
    }

    @Override
    public void close() {
        List<Connection> toClose;
        synchronized (lock) {
            closed = true;
            toClose = new ArrayList<>(idle);
            idle.clear();
        }
        toClose.forEach(DataSourceConnections::closeQuietly);
    }

    private static void requireDriver(String url) {
        try {
            DriverManager.getDriver(url);
        } catch (SQLException e) {
            String lower = url.toLowerCase(Locale.ROOT);
            String hint;
            if (lower.startsWith("jdbc:sqlite:")) {
                hint = ": add org.xerial:sqlite-jdbc to the application's dependencies";
            } else if (lower.startsWith("jdbc:postgresql:")) {
                hint = ": add org.postgresql:postgresql to the application's dependencies";
            } else {
                hint = " (the JDBC store supports SQLite and PostgreSQL)";
            }
            throw new StoreException("no JDBC driver on the class path accepts the configured JDBC URL" + hint, null);
        }
    }
}
