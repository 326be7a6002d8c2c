package com.tekst.outlook;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * What an operator needs to trace a failure: which tenant, connection and mailbox, Microsoft's {@code request-id},
 * the SDK's {@code client-request-id}, the error code and the HTTP status. Every field may be absent.
 *
 * <p>None of these values is secret; an {@code ErrorDetails} never holds a token, secret, assertion, consent
 * {@code state} or message content.
 *
 * @param tenant          the tenant, or {@code null}
 * @param connection      the connection, or {@code null}
 * @param mailbox         the mailbox, or {@code null}
 * @param requestId       Graph's {@code request-id} or the identity platform's {@code trace_id}, or {@code null}
 * @param clientRequestId the {@code client-request-id} the SDK sent, or {@code null}
 * @param errorCode       Graph's error code (e.g. {@code ErrorAccessDenied}) or {@code AADSTS700016}, or {@code null}
 * @param httpStatus      the HTTP status, or 0 when there was no response
 */
public record ErrorDetails(TenantId tenant, ConnectionId connection, MailboxAddress mailbox, String requestId,
                           String clientRequestId, String errorCode, int httpStatus) {
    /** No details. */
    public static final ErrorDetails NONE = new ErrorDetails(null, null, null, null, null, null, 0);

    public ErrorDetails {
        if (httpStatus < 0 || httpStatus > 999) {
            throw new IllegalArgumentException("httpStatus out of range: " + httpStatus);
        }
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

    public Optional<TenantId> tenantId() {
        return Optional.ofNullable(tenant);
    }

    public Optional<ConnectionId> connectionId() {
        return Optional.ofNullable(connection);
    }

    public Optional<MailboxAddress> mailboxAddress() {
        return Optional.ofNullable(mailbox);
    }

    public Optional<String> graphRequestId() {
        return Optional.ofNullable(requestId);
    }

    public Optional<String> sentClientRequestId() {
        return Optional.ofNullable(clientRequestId);
    }

    public Optional<String> code() {
        return Optional.ofNullable(errorCode);
    }

    public OptionalInt status() {
        return httpStatus == 0 ? OptionalInt.empty() : OptionalInt.of(httpStatus);
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
