package com.tekst.outlook.testkit.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Error bodies in the shapes Microsoft uses. Internal. */
public final class Errors {
    private static final DateTimeFormatter AAD_TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.US).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter GRAPH_DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private Errors() {
    }

    /**
     * The identity platform's error JSON: {@code error}, {@code error_description} starting with
     * {@code AADSTSnnnn:} and ending with trace id, correlation id and timestamp, {@code error_codes}, {@code timestamp},
     * {@code trace_id}, {@code correlation_id}, {@code error_uri}.
     */
    public static Reply identity(int status, String error, int aadsts, String message, CloudContext ctx,
                                 FakeRequest request) {
        Instant now = ctx.clock().instant();
        String traceId = ctx.tokens().nextUuid();
        String correlationId = request.header("client-request-id").orElseGet(() -> ctx.tokens().nextUuid());
        String timestamp = AAD_TIMESTAMP.format(now);
        ObjectNode body = Json.object();
        body.put("error", error);
        body.put("error_description", "AADSTS" + aadsts + ": " + message + "\r\nTrace ID: " + traceId
                + "\r\nCorrelation ID: " + correlationId + "\r\nTimestamp: " + timestamp);
        body.putArray("error_codes").add(aadsts);
        body.put("timestamp", timestamp);
        body.put("trace_id", traceId);
        body.put("correlation_id", correlationId);
        body.put("error_uri", "https://login.microsoftonline.com/error?code=" + aadsts);
        request.requestId = traceId;
        return echoClientRequestId(Reply.json(status, body), request)
                .withHeader("x-ms-request-id", traceId)
                .withHeader("Cache-Control", "no-store, no-cache");
    }

    /** Echoes the caller's {@code client-request-id}, as the identity platform and Graph do. */
    public static Reply echoClientRequestId(Reply reply, FakeRequest request) {
        return request.header("client-request-id").map(id -> reply.withHeader("client-request-id", id)).orElse(reply);
    }

    /**
     * Graph's error JSON: {@code {"error":{"code","message","innerError":{"date","request-id",
     * "client-request-id"}}}} with the {@code request-id} and {@code client-request-id} headers.
     */
    public static Reply graph(int status, String code, String message, CloudContext ctx, FakeRequest request) {
        ObjectNode body = Json.object();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        ObjectNode inner = error.putObject("innerError");
        inner.put("date", GRAPH_DATE.format(ctx.clock().instant().truncatedTo(ChronoUnit.SECONDS)));
        inner.put("request-id", requestId(ctx, request));
        request.header("client-request-id").ifPresent(id -> inner.put("client-request-id", id));
        return graphHeaders(Reply.bytes(status, Reply.GRAPH_JSON, Json.writeBytes(body)), ctx, request);
    }

    /** Adds Graph's response headers ({@code request-id}, echoed {@code client-request-id}, diagnostics, Date). */
    public static Reply graphHeaders(Reply reply, CloudContext ctx, FakeRequest request) {
        Reply r = reply.withHeader("request-id", requestId(ctx, request))
                .withHeader("x-ms-ags-diagnostic",
                        "{\"ServerInfo\":{\"DataCenter\":\"Loopback\",\"Slice\":\"E\",\"Ring\":\"0\","
                                + "\"ScaleUnit\":\"000\",\"RoleInstance\":\"fake\"}}")
                .withHeader("Date", HTTP_DATE.format(ctx.clock().instant()));
        if (request.header("client-request-id").isPresent()) {
            r = r.withHeader("client-request-id", request.header("client-request-id").get());
        }
        return r;
    }

    /** The {@code request-id} Graph gives this request (assigned on first use, deterministic per cloud). */
    public static String requestIdOf(CloudContext ctx, FakeRequest request) {
        return requestId(ctx, request);
    }

    private static String requestId(CloudContext ctx, FakeRequest request) {
        if (request.requestId == null) {
            request.requestId = ctx.tokens().nextUuid();
        }
        return request.requestId;
    }

    /**
     * A {@code Retry-After} value: whole seconds, or (when the cloud is set to) the IMF-fixdate of the request's
     * arrival on the fake clock plus the seconds, rounded up to a whole second, so the date is never earlier.
     */
    public static String retryAfter(CloudContext ctx, FakeRequest request, long seconds) {
        if (!ctx.retryAfterAsHttpDate()) {
            return Long.toString(seconds);
        }
        Instant at = request.receivedAt().plusSeconds(seconds);
        Instant whole = at.truncatedTo(ChronoUnit.SECONDS);
        return HTTP_DATE.format(whole.equals(at) ? whole : whole.plusSeconds(1));
    }

    /** A {@code Retry-After} the fake sent, as the time to wait from the request's arrival; null if unreadable. */
    public static java.time.Duration retryAfterOf(String header, FakeRequest request) {
        if (header == null) {
            return null;
        }
        String v = header.trim();
        try {
            return java.time.Duration.ofSeconds(Long.parseLong(v));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = java.time.ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                java.time.Duration d = java.time.Duration.between(request.receivedAt(), at);
                return d.isNegative() ? java.time.Duration.ZERO : d;
            } catch (java.time.format.DateTimeParseException notADate) {
                return null;
            }
        }
    }

    /** The HTML a gateway in front of the service answers with. */
    public static Reply htmlBadGateway() {
        return Reply.text(502, "text/html", "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                + "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>Microsoft-Azure-Application-Gateway/v2"
                + "</center>\r\n</body>\r\n</html>\r\n");
    }
}
