package com.tekst.outlook.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.tekst.outlook.StoreException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JdbcExecutorTest {
    /** Hands out inert connections and records whether each came back reusable. */
    static final class RecordingSource implements ConnectionSource {
        final List<Boolean> released = new ArrayList<>();

        @Override
        public Connection acquire() {
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, (proxy, method, args) -> null);
        }

        @Override
        public void release(Connection connection, boolean reusable) {
            released.add(reusable);
        }

        @Override
        public void close() {
        }
    }

    static SQLException sqliteBusy() {
        return new SQLException("[SQLITE_BUSY] The database file is locked (database is locked)", null, 5);
    }

    @Test
    void aBusyDatabaseIsRetriedAndTheBrokenConnectionsAreNotReused() {
        RecordingSource source = new RecordingSource();
        JdbcExecutor executor = new JdbcExecutor(source, Dialect.SQLITE);
        AtomicInteger calls = new AtomicInteger();

        String result = executor.autocommit("test", c -> {
            if (calls.incrementAndGet() < 3) {
                throw sqliteBusy();
            }
            return "done";
        });

        assertThat(result).isEqualTo("done");
        assertThat(calls).hasValue(3);
        assertThat(source.released).containsExactly(false, false, true);
    }

    @Test
    void retriesAreBoundedAndTheFailureIsRetryable() {
        RecordingSource source = new RecordingSource();
        JdbcExecutor executor = new JdbcExecutor(source, Dialect.SQLITE);
        AtomicInteger calls = new AtomicInteger();

        StoreException failure = catchThrowableOfType(StoreException.class, () -> executor.autocommit("busy work",
                c -> {
                    calls.incrementAndGet();
                    throw sqliteBusy();
                }));

        assertThat(calls).hasValue(JdbcExecutor.MAX_ATTEMPTS);
        assertThat(failure.isRetryable()).isTrue();
        assertThat(failure.getMessage()).contains("'busy work'").contains("busy through " + JdbcExecutor.MAX_ATTEMPTS);
    }

    @Test
    void otherErrorsAreNotRetriedNorRetryable() {
        RecordingSource source = new RecordingSource();
        JdbcExecutor executor = new JdbcExecutor(source, Dialect.POSTGRESQL);
        AtomicInteger calls = new AtomicInteger();

        StoreException failure = catchThrowableOfType(StoreException.class, () -> executor.autocommit("write",
                c -> {
                    calls.incrementAndGet();
                    throw new SQLException("ERROR: duplicate key value", "23505", 0);
                }));

        assertThat(calls).hasValue(1);
        assertThat(failure.isRetryable()).isFalse();
        assertThat(failure.getMessage()).isEqualTo("store operation 'write' failed (SQLState 23505, error code 0)");
    }

    @Test
    void serializationFailuresAndDeadlocksAreRetriedOnPostgres() {
        RecordingSource source = new RecordingSource();
        JdbcExecutor executor = new JdbcExecutor(source, Dialect.POSTGRESQL);
        AtomicInteger calls = new AtomicInteger();

        int result = executor.autocommit("write", c -> {
            int call = calls.incrementAndGet();
            if (call == 1) {
                throw new SQLException("ERROR: deadlock detected", "40P01", 0);
            }
            if (call == 2) {
                throw new SQLException("ERROR: could not serialize access", "40001", 0);
            }
            return call;
        });

        assertThat(result).isEqualTo(3);
    }

    @Test
    void aLostConnectionIsRetryableButNotRetriedInside() {
        SQLException lost = new SQLException("An I/O error occurred while sending to the backend.", "08006", 0);

        StoreException failure = JdbcExecutor.translate("commit checkpoint", lost, false);

        assertThat(failure.isRetryable()).isTrue();
    }

    @Test
    void onlyTheFirstLineOfADriverMessageIsKept() {
        SQLException detailed = new SQLException("ERROR: new row violates check constraint \"c\"\n"
                + "  Detail: Failing row contains (conn, mbx, inbox, https://graph/delta?$deltatoken=SECRET).",
                "23514", 0);

        SQLException redacted = JdbcExecutor.redacted(detailed);

        assertThat(redacted.getMessage()).isEqualTo(
                "java.sql.SQLException: ERROR: new row violates check constraint \"c\"");
        assertThat(redacted.getSQLState()).isEqualTo("23514");
        assertThat(redacted.getStackTrace()).isEqualTo(detailed.getStackTrace());
        assertThat(JdbcExecutor.redacted(new SQLException("x".repeat(1000))).getMessage()).hasSizeLessThan(260);
    }

    @Test
    void uncheckedExceptionsOfTheWorkPassThroughAndKeepTheConnection() {
        RecordingSource source = new RecordingSource();
        JdbcExecutor executor = new JdbcExecutor(source, Dialect.POSTGRESQL);

        IllegalStateException thrown = catchThrowableOfType(IllegalStateException.class,
                () -> executor.transaction("work", c -> {
                    throw new IllegalStateException("caller's mistake");
                }));

        assertThat(thrown).hasMessage("caller's mistake");
        assertThat(source.released).containsExactly(true);
    }
}
