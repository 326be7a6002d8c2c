package com.tekst.outlook;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What an operator needs to trace a failure: which tenant, connection and mailbox, Microsoft's {@code request-id},
 * the SDK's {@code client-request-id}, the error code and the HTTP status. Every field may be absent; each has one
 * accessor, returning an {@code Optional} ({@code OptionalInt} for the status). Built from {@link #NONE} or
 * {@link #forTenant} with the {@code with…} methods. Immutable.
 *
 * <p>None of these values is secret; an {@code ErrorDetails} never holds a token, secret, assertion, consent
 * {@code state} or message content.
 */
public final class ErrorDetails {
    /** No details. */
    public static final ErrorDetails NONE = new ErrorDetails(null, null, null, null, null, null, 0);

    private final TenantId tenant;
    private final ConnectionId connection;
    private final MailboxAddress mailbox;
    private final String requestId;
    private final String clientRequestId;
    private final String errorCode;
    private final int httpStatus;

    private ErrorDetails(TenantId tenant, ConnectionId connection, MailboxAddress mailbox, String requestId,
                         String clientRequestId, String errorCode, int httpStatus) {
        if (httpStatus < 0 || httpStatus > 999) {
            throw new IllegalArgumentException("httpStatus out of range: " + httpStatus);
        }
        this.tenant = tenant;
        this.connection = connection;
        this.mailbox = mailbox;
        this.requestId = requestId;
        this.clientRequestId = clientRequestId;
        this.errorCode = errorCode;
        this.httpStatus = httpStatus;
    }

    public static ErrorDetails forTenant(TenantId tenant) {
        return NONE.withTenant(tenant);
    }

    public ErrorDetails withTenant(TenantId value) {
        return new ErrorDetails(value, connection, mailbox, requestId, clientRequestId, errorCode, httpStatus);
    }

    public ErrorDetails withConnection(ConnectionId value) {
        return new ErrorDetails(tenant, value, mailbox, requestId, clientRequestId, errorCode, httpStatus);
    }

    public ErrorDetails withMailbox(MailboxAddress value) {
        return new ErrorDetails(tenant, connection, value, requestId, clientRequestId, errorCode, httpStatus);
    }

    public ErrorDetails withRequestId(String value) {
        return new ErrorDetails(tenant, connection, mailbox, value, clientRequestId, errorCode, httpStatus);
    }

    public ErrorDetails withClientRequestId(String value) {
        return new ErrorDetails(tenant, connection, mailbox, requestId, value, errorCode, httpStatus);
    }

    public ErrorDetails withErrorCode(String value) {
        return new ErrorDetails(tenant, connection, mailbox, requestId, clientRequestId, value, httpStatus);
    }

    public ErrorDetails withHttpStatus(int value) {
        return new ErrorDetails(tenant, connection, mailbox, requestId, clientRequestId, errorCode, value);
    }

    /** The tenant. */
    public Optional<TenantId> tenant() {
        return Optional.ofNullable(tenant);
    }

    /** The connection. */
    public Optional<ConnectionId> connection() {
        return Optional.ofNullable(connection);
    }

    /** The mailbox. */
    public Optional<MailboxAddress> mailbox() {
        return Optional.ofNullable(mailbox);
    }

    /** Graph's {@code request-id}, or the identity platform's trace id. */
    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    /** The {@code client-request-id} the SDK sent. */
    public Optional<String> clientRequestId() {
        return Optional.ofNullable(clientRequestId);
    }

    /** Graph's error code (e.g. {@code ErrorAccessDenied}) or the identity platform's ({@code AADSTS700016}). */
    public Optional<String> errorCode() {
        return Optional.ofNullable(errorCode);
    }

    /** The HTTP status; empty when there was no response. */
    public OptionalInt httpStatus() {
        return httpStatus == 0 ? OptionalInt.empty() : OptionalInt.of(httpStatus);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ErrorDetails d && httpStatus == d.httpStatus && Objects.equals(tenant, d.tenant)
                && Objects.equals(connection, d.connection) && Objects.equals(mailbox, d.mailbox)
                && Objects.equals(requestId, d.requestId) && Objects.equals(clientRequestId, d.clientRequestId)
                && Objects.equals(errorCode, d.errorCode);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tenant, connection, mailbox, requestId, clientRequestId, errorCode, httpStatus);
    }

    @Override
    public String toString() {
        return "ErrorDetails[" + (describe().isEmpty() ? "" : describe().substring(2)) + "]";
    }

    /** {@code "; tenant: …; mailbox: …; code: …; request-id: …"} for the fields present, or an empty string. */
    String describe() {
        StringBuilder sb = new StringBuilder();
        append(sb, "tenant", tenant);
        append(sb, "connection", connection);
        append(sb, "mailbox", mailbox);
        append(sb, "status", httpStatus == 0 ? null : httpStatus);
        append(sb, "code", errorCode);
        append(sb, "request-id", requestId);
        append(sb, "client-request-id", clientRequestId);
        return sb.toString();
    }

    private static void append(StringBuilder sb, String name, Object value) {
        if (value != null) {
            sb.append("; ").append(name).append(": ").append(value);
        }
    }
}
