package com.tekst.outlook.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * How far back a backfill reaches: 30 days, 90 days, 12 months, everything, or since a date. Immutable.
 *
 * <p>A backfill covers the mail received before the connection time (live sync covers everything from then on), so
 * relative windows count back from the connection time, not from the moment the backfill starts: a backfill of the
 * last 30 days started a week after connecting still covers the 30 days before the connection.
 */
public final class BackfillWindow {
    private enum Kind { DAYS, MONTHS, EVERYTHING, SINCE_INSTANT, SINCE_DATE }

    private final Kind kind;
    private final int amount;
    private final Instant sinceInstant;
    private final LocalDate sinceDate;

    private BackfillWindow(Kind kind, int amount, Instant sinceInstant, LocalDate sinceDate) {
        this.kind = kind;
        this.amount = amount;
        this.sinceInstant = sinceInstant;
        this.sinceDate = sinceDate;
    }

    /** The 30 days before the connection time. */
    public static BackfillWindow last30Days() {
        return new BackfillWindow(Kind.DAYS, 30, null, null);
    }

    /** The 90 days before the connection time. */
    public static BackfillWindow last90Days() {
        return new BackfillWindow(Kind.DAYS, 90, null, null);
    }

    /** The 12 calendar months before the connection time, in the clock's zone. */
    public static BackfillWindow last12Months() {
        return new BackfillWindow(Kind.MONTHS, 12, null, null);
    }

    /** Every message in the folder. */
    public static BackfillWindow everything() {
        return new BackfillWindow(Kind.EVERYTHING, 0, null, null);
    }

    /** Messages received at or after {@code instant}. */
    public static BackfillWindow since(Instant instant) {
        return new BackfillWindow(Kind.SINCE_INSTANT, 0, Objects.requireNonNull(instant, "instant"), null);
    }

    /** Messages received on or after {@code date}, from the start of that day in the clock's zone. */
    public static BackfillWindow since(LocalDate date) {
        return new BackfillWindow(Kind.SINCE_DATE, 0, null, Objects.requireNonNull(date, "date"));
    }

    /**
     * The oldest {@code receivedDateTime} included, for a connection made at {@code connectedAt}. Never after
     * {@code connectedAt} (a window starting later is empty) and never before {@link Instant#EPOCH}.
     *
     * @param connectedAt the connection time, the backfill's upper bound
     * @param clock       supplies the zone for calendar months and dates
     */
    public Instant resolveFrom(Instant connectedAt, Clock clock) {
        Objects.requireNonNull(connectedAt, "connectedAt");
        Objects.requireNonNull(clock, "clock");
        Instant from = switch (kind) {
            case DAYS -> connectedAt.minus(Duration.ofDays(amount));
            case MONTHS -> ZonedDateTime.ofInstant(connectedAt, clock.getZone()).minusMonths(amount).toInstant();
            case EVERYTHING -> Instant.EPOCH;
            case SINCE_INSTANT -> sinceInstant;
            case SINCE_DATE -> sinceDate.atStartOfDay(clock.getZone()).toInstant();
        };
        if (from.isAfter(connectedAt)) {
            return connectedAt;
        }
        return from.isBefore(Instant.EPOCH) ? Instant.EPOCH : from;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BackfillWindow w && w.kind == kind && w.amount == amount
                && Objects.equals(w.sinceInstant, sinceInstant) && Objects.equals(w.sinceDate, sinceDate);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, amount, sinceInstant, sinceDate);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case DAYS -> "BackfillWindow[last " + amount + " days]";
            case MONTHS -> "BackfillWindow[last " + amount + " months]";
            case EVERYTHING -> "BackfillWindow[everything]";
            case SINCE_INSTANT -> "BackfillWindow[since " + sinceInstant + "]";
            case SINCE_DATE -> "BackfillWindow[since " + sinceDate + "]";
        };
    }
}
