package com.tekst.outlook.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

class EpochMicrosTest {
    @Test
    void microsecondInstantsRoundTripExactly() {
        for (Instant instant : List.of(Instant.EPOCH, Instant.parse("2026-11-26T10:15:30.123456Z"),
                Instant.parse("1969-12-31T23:59:59.999999Z"), Instant.parse("0001-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999999Z"))) {
            assertThat(EpochMicros.toInstant(EpochMicros.of(instant))).isEqualTo(instant);
        }
        assertThat(EpochMicros.of(Instant.parse("1970-01-01T00:00:01.000002Z"))).isEqualTo(1_000_002L);
        assertThat(EpochMicros.of(Instant.parse("1969-12-31T23:59:59.999999Z"))).isEqualTo(-1L);
    }

    @Test
    void nanosecondsAreTruncatedTowardsThePastLikeTruncatedTo() {
        for (Instant instant : List.of(Instant.ofEpochSecond(0, 999), Instant.ofEpochSecond(-1, 1),
                Instant.ofEpochSecond(-1, 999_999_999), Instant.parse("2026-11-26T10:15:30.123456789Z"))) {
            assertThat(EpochMicros.toInstant(EpochMicros.of(instant)))
                    .isEqualTo(instant.truncatedTo(ChronoUnit.MICROS));
        }
    }

    @Test
    void instantsBeyondTheRangeAreRefused() {
        assertThatThrownBy(() -> EpochMicros.of(Instant.MAX)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EpochMicros.of(Instant.MIN)).isInstanceOf(IllegalArgumentException.class);
        assertThat(EpochMicros.toInstant(Long.MAX_VALUE)).isAfter(Instant.parse("+290000-01-01T00:00:00Z"));
    }
}
