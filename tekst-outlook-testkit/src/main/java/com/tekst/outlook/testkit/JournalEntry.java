package com.tekst.outlook.testkit;

import java.util.Objects;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One request the fake cloud answered.
 *
 * <br>{@code sequence}: order of arrival, from 1
 * <br>{@code kind}: identity platform or Graph
 * <br>{@code method}: HTTP method
 * <br>{@code path}: the decoded path, e.g. {@code /v1.0/users/alice@contoso.com/messages}
 * <br>{@code query}: the raw query string, or empty
 * <br>{@code headers}: request headers, without {@code Authorization} (lower-case names)
 * <br>{@code tenant}: the tenant the request addressed (path tenant, or the mailbox's tenant), or {@code null}
 * <br>{@code tokenTenant}: the {@code tid} of the bearer token, or {@code null}
 * <br>{@code mailbox}: the object id of the mailbox addressed, or {@code null}
 * <br>{@code clientRequestId}: the {@code client-request-id} header, or {@code null}
 * <br>{@code status}: the HTTP status answered
 * <br>{@code retryAfter}: the {@code Retry-After} answered (an HTTP date as the time from arrival to it), or
 *                        {@code null}
 * <br>{@code receivedAt}: fake-clock time of arrival
 * <br>{@code startNanos}: {@link System#nanoTime()} at arrival
 * <br>{@code endNanos}: {@link System#nanoTime()} when the answer was produced
 * <br>{@code batchId}: the id of the enclosing {@code $batch} request, or {@code null} for a top-level request
 */
public final class JournalEntry {
    private final long sequence;
    private final Kind kind;
    private final String method;
    private final String path;
    private final String query;
    private final Map<String, List<String>> headers;
    private final TenantId tenant;
    private final TenantId tokenTenant;
    private final MailboxId mailbox;
    private final String clientRequestId;
    private final int status;
    private final Duration retryAfter;
    private final Instant receivedAt;
    private final long startNanos;
    private final long endNanos;
    private final String batchId;

    /** Which side of the fake cloud answered. */
    public enum Kind { IDENTITY, GRAPH }

    public JournalEntry(long sequence, Kind kind, String method, String path, String query, Map<String, List<String>> headers, TenantId tenant, TenantId tokenTenant, MailboxId mailbox, String clientRequestId, int status, Duration retryAfter, Instant receivedAt, long startNanos, long endNanos, String batchId) {
        headers = Map.copyOf(headers);
        query = query == null ? "" : query;
        this.sequence = sequence;
        this.kind = kind;
        this.method = method;
        this.path = path;
        this.query = query;
        this.headers = headers;
        this.tenant = tenant;
        this.tokenTenant = tokenTenant;
        this.mailbox = mailbox;
        this.clientRequestId = clientRequestId;
        this.status = status;
        this.retryAfter = retryAfter;
        this.receivedAt = receivedAt;
        this.startNanos = startNanos;
        this.endNanos = endNanos;
        this.batchId = batchId;
    }

    public long sequence() {
        return sequence;
    }

    public Kind kind() {
        return kind;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    public String query() {
        return query;
    }

    public Map<String, List<String>> headers() {
        return headers;
    }

    public Optional<TenantId> tenant() {
        return Optional.ofNullable(tenant);
    }

    public Optional<TenantId> tokenTenant() {
        return Optional.ofNullable(tokenTenant);
    }

    public Optional<MailboxId> mailbox() {
        return Optional.ofNullable(mailbox);
    }

    public Optional<String> clientRequestId() {
        return Optional.ofNullable(clientRequestId);
    }

    public int status() {
        return status;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public Instant receivedAt() {
        return receivedAt;
    }

    public long startNanos() {
        return startNanos;
    }

    public long endNanos() {
        return endNanos;
    }

    public Optional<String> batchId() {
        return Optional.ofNullable(batchId);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JournalEntry o && Objects.equals(sequence, o.sequence) && Objects.equals(kind, o.kind) && Objects.equals(method, o.method) && Objects.equals(path, o.path) && Objects.equals(query, o.query) && Objects.equals(headers, o.headers) && Objects.equals(tenant, o.tenant) && Objects.equals(tokenTenant, o.tokenTenant) && Objects.equals(mailbox, o.mailbox) && Objects.equals(clientRequestId, o.clientRequestId) && Objects.equals(status, o.status) && Objects.equals(retryAfter, o.retryAfter) && Objects.equals(receivedAt, o.receivedAt) && Objects.equals(startNanos, o.startNanos) && Objects.equals(endNanos, o.endNanos) && Objects.equals(batchId, o.batchId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sequence, kind, method, path, query, headers, tenant, tokenTenant, mailbox, clientRequestId, status, retryAfter, receivedAt, startNanos, endNanos, batchId);
    }

    @Override
    public String toString() {
        return "JournalEntry[" + "sequence=" + sequence + ", " + "kind=" + kind + ", " + "method=" + method + ", " + "path=" + path + ", " + "query=" + query + ", " + "headers=" + headers + ", " + "tenant=" + tenant + ", " + "tokenTenant=" + tokenTenant + ", " + "mailbox=" + mailbox + ", " + "clientRequestId=" + clientRequestId + ", " + "status=" + status + ", " + "retryAfter=" + retryAfter + ", " + "receivedAt=" + receivedAt + ", " + "startNanos=" + startNanos + ", " + "endNanos=" + endNanos + ", " + "batchId=" + batchId + "]";
    }

    /** The first value of a request header (case-insensitive). */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
}
