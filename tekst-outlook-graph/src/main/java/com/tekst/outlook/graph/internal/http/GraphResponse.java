package com.tekst.outlook.graph.internal.http;

import java.util.Objects;
import okhttp3.Headers;

/**
 * A successful Graph answer, read completely: status, headers and body bytes. {@link #toString()} never shows the body.
 * Internal.
 */
public record GraphResponse(int status, Headers headers, byte[] body, String requestId, String clientRequestId) {
    public GraphResponse {
        Objects.requireNonNull(headers, "headers");
        body = body == null ? new byte[0] : body;
    }

    @Override
    public String toString() {
        return "GraphResponse[status=" + status + ", bytes=" + body.length + ", request-id=" + requestId + "]";
    }
}
