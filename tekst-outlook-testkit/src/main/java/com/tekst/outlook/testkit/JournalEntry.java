package com.tekst.outlook.testkit;

import com.tekst.outlook.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One request the fake cloud answered.
 *
 * @param sequence        order of arrival, from 1
 * @param kind            identity platform or Graph
 * @param method          HTTP method
 * @param path            the decoded path, e.g. {@code /v1.0/users/alice@contoso.com/messages}
 * @param query           the raw query string, or empty
 * @param headers         request headers, without {@code Authorization} (lower-case names)
 * @param tenant          the tenant the request addressed (path tenant, or the mailbox's tenant), or {@code null}
 * @param tokenTenant     the {@code tid} of the bearer token, or {@code null}
 * @param mailbox         the object id of the mailbox addressed, or {@code null}
 * @param clientRequestId the {@code client-request-id} header, or {@code null}
 * @param status          the HTTP status answered
 * @param retryAfter      the {@code Retry-After} answered (an HTTP date as the time from arrival to it), or
 *                        {@code null}
 * @param receivedAt      fake-clock time of arrival
 * @param startNanos      {@link System#nanoTime()} at arrival
 * @param endNanos        {@link System#nanoTime()} when the answer was produced
 * @param batchId         the id of the enclosing {@code $batch} request, or {@code null} for a top-level request
 */
public record JournalEntry(long sequence, Kind kind, String method, String path, String query,
                           Map<String, List<String>> headers, TenantId tenant, TenantId tokenTenant, String mailbox,
                           String clientRequestId, int status, Duration retryAfter, Instant receivedAt,
                           long startNanos, long endNanos, String batchId) {

    /** Which side of the fake cloud answered. */
    public enum Kind { IDENTITY, GRAPH }

    public JournalEntry {
        headers = Map.copyOf(headers);
        query = query == null ? "" : query;
    }

    public Optional<TenantId> addressedTenant() {
        return Optional.ofNullable(tenant);
    }

    public Optional<String> mailboxId() {
        return Optional.ofNullable(mailbox);
    }

    public Optional<Duration> retryAfterDuration() {
        return Optional.ofNullable(retryAfter);
    }

    /** The first value of a request header (case-insensitive). */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
}
