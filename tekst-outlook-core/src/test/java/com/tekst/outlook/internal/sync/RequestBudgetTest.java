package com.tekst.outlook.internal.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RequestBudgetTest {
    private static final Instant T0 = Instant.parse("2026-01-05T09:00:00Z");

    @Test
    void neverAdmitsMoreThanTheLimitInAnySlidingWindow() {
        RequestBudget budget = new RequestBudget(50, Duration.ofMinutes(1));
        Random random = new Random(3);
        java.util.List<Instant> admitted = new java.util.ArrayList<>();
        Instant now = T0;
        for (int i = 0; i < 20_000; i++) {
            now = now.plusMillis(random.nextInt(400));
            if (budget.available(now, 0)) {
                budget.consume(now);
                admitted.add(now);
            }
        }
        for (int i = 0; i + 50 < admitted.size(); i++) {
            assertThat(Duration.between(admitted.get(i), admitted.get(i + 50))).as("51 calls span more than 1 min")
                    .isGreaterThanOrEqualTo(Duration.ofMinutes(1));
        }
        assertThat(admitted.size()).as("and it does admit close to the rate").isGreaterThan(50 * 60 * 9 / 10);
    }

    @Test
    void nextAvailableIsWhenTheOldestCallsLeaveTheWindowAndTheReserveIsKept() {
        RequestBudget budget = new RequestBudget(10, Duration.ofMinutes(1));
        for (int i = 0; i < 9; i++) {
            budget.consume(T0);
        }
        assertThat(budget.available(T0, 0)).isTrue();
        assertThat(budget.available(T0, 1)).as("the reserve is kept for live sync").isFalse();
        budget.consume(T0);
        assertThat(budget.available(T0, 0)).isFalse();
        Instant next = budget.nextAvailable(T0, 0);
        assertThat(next).isAfterOrEqualTo(T0.plusSeconds(60)).isBeforeOrEqualTo(T0.plusSeconds(62));
        assertThat(budget.available(next.minusMillis(1), 0)).isFalse();
        assertThat(budget.available(next, 0)).isTrue();
    }

    @Test
    void backoffDoublesWithJitterUpToTheCap() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), new Random(11));
        for (int failures = 1; failures <= 12; failures++) {
            long full = Math.min(30_000, 1000L << Math.min(failures - 1, 20));
            for (int i = 0; i < 50; i++) {
                assertThat(backoff.delay(failures).toMillis()).isBetween(full / 2, full);
            }
        }
        assertThat(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), new Random(5)).delay(3))
                .isEqualTo(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), new Random(5)).delay(3));
    }
}
