package com.tekst.outlook.internal.jdbc;

import com.tekst.outlook.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs units of work on a connection from a {@link ConnectionSource}: either as they are (autocommit, for a single
 * statement, which the database runs atomically) or in one transaction. Transient failures (SQLite busy or locked,
 * PostgreSQL serialization failure or deadlock: the transaction did nothing) are retried a bounded number of times
 * with a short jittered pause; SQLite's {@code busy_timeout} does the real waiting. Every other {@link SQLException}
 * becomes a {@link StoreException}; unchecked exceptions thrown by the work roll the transaction back and pass
 * through unchanged.
 *
 * <p>Thread-safe.
 */
public final class JdbcExecutor implements AutoCloseable {
    /** Attempts for one unit of work when the database reports a transient failure. */
    static final int MAX_ATTEMPTS = 5;
    private static final int MAX_MESSAGE_LENGTH = 200;

    /** A unit of work on one connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final ConnectionSource source;
    private final Dialect dialect;
    private final AtomicBoolean closed = new AtomicBoolean();

    public JdbcExecutor(ConnectionSource source, Dialect dialect) {
        this.source = Objects.requireNonNull(source, "source");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
    }

    /**
     * An executor for the database behind a source: opens one connection to learn which database it is, then applies
     * the database-wide settings of its dialect ({@link Dialect#prepareDatabase}).
     *
     * @throws StoreException if the database cannot be reached or is not supported
     */
    public static JdbcExecutor connect(ConnectionSource source) {
        Dialect dialect;
        try {
            Connection connection = source.acquire();
            boolean reusable = false;
            try {
                dialect = Dialect.of(connection);
                reusable = true;
            } finally {
                source.release(connection, reusable);
            }
        } catch (SQLException e) {
            throw translate("connect", e, false);
        }
        JdbcExecutor executor = new JdbcExecutor(source, dialect);
        executor.autocommit("prepare database", connection -> {
            dialect.prepareDatabase(connection);
            return null;
        });
        return executor;
    }

    public Dialect dialect() {
        return dialect;
    }

    /**
     * Runs work in autocommit mode: for one statement, or for reads and writes that need no atomicity together.
     *
     * @param operation what the work does, for error messages ("find connection"); never a stored value
     */
    public <T> T autocommit(String operation, Work<T> work) {
        return run(operation, false, work);
    }

    /** Runs work in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T transaction(String operation, Work<T> work) {
        return run(operation, true, work);
    }

    /** Closes the source; later calls fail with {@link IllegalStateException}. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            source.close();
        }
    }

    private <T> T run(String operation, boolean transactional, Work<T> work) {
        if (closed.get()) {
            throw new IllegalStateException("the JDBC store is closed");
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return once(transactional, work);
            } catch (SQLException e) {
                boolean transientFailure = dialect.isTransient(e);
                if (transientFailure && attempt < MAX_ATTEMPTS) {
                    pause(attempt);
                    continue;
                }
                throw translate(operation, e, transientFailure);
            }
        }
    }

    private <T> T once(boolean transactional, Work<T> work) throws SQLException {
        try (Lease lease = new Lease(source)) {
            Connection connection = lease.connection;
            try {
                if (!transactional) {
                    return work.run(connection);
                }
                dialect.begin(connection);
                T result;
                try {
                    result = work.run(connection);
                    dialect.commit(connection);
                } catch (SQLException | RuntimeException | Error e) {
                    try {
                        dialect.rollback(connection);
                    } catch (SQLException rollbackFailure) {
                        lease.reusable = false;
                        e.addSuppressed(rollbackFailure);
                    }
                    throw e;
                } finally {
                    dialect.end(connection);
                }
                return result;
            } catch (SQLException | Error e) {
                // the connection may be broken or still inside a transaction: never hand it out again
                lease.reusable = false;
                throw e;
            }
        }
    }

    /** Turns a database error into the SDK's exception, keeping only the first line of the driver's message. */
    static StoreException translate(String operation, SQLException e, boolean transientFailure) {
        String state = e.getSQLState();
        boolean connectionFailure = state != null && state.startsWith("08");
        String summary = "store operation '" + operation + "' failed (SQLState " + (state == null ? "none" : state)
                + ", error code " + e.getErrorCode() + ")";
        if (transientFailure) {
            summary += ": the database stayed busy through " + MAX_ATTEMPTS + " attempts";
        }
        return new StoreException(summary, redacted(e), transientFailure || connectionFailure);
    }

    /**
     * A copy of a driver exception without anything after its first line. PostgreSQL appends "Detail:" lines that
     * can quote a whole row ("Failing row contains (...)"), which may include a delta or next link.
     */
    static SQLException redacted(SQLException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline);
        }
        if (message.length() > MAX_MESSAGE_LENGTH) {
            message = message.substring(0, MAX_MESSAGE_LENGTH) + "...";
        }
        SQLException copy = new SQLException(e.getClass().getName() + ": " + message.strip(), e.getSQLState(),
                e.getErrorCode());
        copy.setStackTrace(e.getStackTrace());
        return copy;
    }

    private static void pause(int attempt) {
        long millis = ThreadLocalRandom.current().nextLong(1, 1L + 5L * attempt);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    /** One borrowed connection; given back on close, or thrown away after a database error on it. */
    private static final class Lease implements AutoCloseable {
        private final ConnectionSource source;
        private final Connection connection;
        private boolean reusable = true;

        Lease(ConnectionSource source) throws SQLException {
            this.source = source;
            this.connection = source.acquire();
        }

        @Override
        public void close() {
            source.release(connection, reusable);
        }
    }
}
