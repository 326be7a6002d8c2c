package com.tekst.outlook.internal.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/**
 * Instants as epoch microseconds in a {@code BIGINT} column: lossless to the microsecond, portable across databases
 * and time zones, ordered like the instants. Nanoseconds below a microsecond are truncated, exactly as
 * {@code instant.truncatedTo(ChronoUnit.MICROS)} does (towards the past, also before 1970).
 */
public final class EpochMicros {
    private static final long MICROS_PER_SECOND = 1_000_000L;

    private EpochMicros() {
    }

    /**
     * @throws IllegalArgumentException if the instant is more than about 292,000 years away from 1970
     */
    public static long of(Instant instant) {
        try {
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), MICROS_PER_SECOND),
                    instant.getNano() / 1_000);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("instant " + instant + " is outside the range a JDBC store keeps"
                    + " (epoch microseconds in a 64-bit integer, about 292,000 years either side of 1970)", e);
        }
    }

    public static Instant toInstant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, MICROS_PER_SECOND),
                Math.floorMod(micros, MICROS_PER_SECOND) * 1_000L);
    }

    /** Binds an instant, or SQL {@code NULL} for {@code null}. */
    public static void bind(PreparedStatement statement, int index, Instant instant) throws SQLException {
        if (instant == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, of(instant));
        }
    }

    /** Reads an instant column; {@code null} for SQL {@code NULL}. */
    public static Instant read(ResultSet row, String column) throws SQLException {
        long micros = row.getLong(column);
        return row.wasNull() ? null : toInstant(micros);
    }
}
