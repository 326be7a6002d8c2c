package com.tekst.outlook.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import okhttp3.Headers;
import okio.BufferedSink;

/**
 * An answer of the fake cloud before it goes on the wire: status, headers, body bytes. Faults rewrite replies. A reply
 * may also carry its body as a shared, never-consumed okio buffer (a cached page): it is then written to the socket by
 * sharing segments instead of copying megabytes per request. Internal.
 *
 * @param shared the same bytes as {@code body} in an okio buffer nobody writes to, or {@code null}
 */
public record Reply(int status, Headers headers, byte[] body, okio.Buffer shared) {
    public static final String JSON = "application/json; charset=utf-8";
    public static final String GRAPH_JSON =
            "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

    public Reply {
        Objects.requireNonNull(headers, "headers");
        body = body == null ? new byte[0] : body;
    }

    public Reply(int status, Headers headers, byte[] body) {
        this(status, headers, body, null);
    }

    public static Reply json(int status, JsonNode node) {
        return bytes(status, JSON, Json.writeBytes(node));
    }

    public static Reply bytes(int status, String contentType, byte[] body) {
        return new Reply(status, Headers.of("Content-Type", contentType), body);
    }

    public static Reply text(int status, String contentType, String body) {
        return bytes(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    public static Reply redirect(String location) {
        return new Reply(302, Headers.of("Location", location, "Content-Type", "text/html; charset=utf-8"),
                ("<html><body>Object moved to <a href=\"" + Html.escape(location) + "\">here</a>.</body></html>")
                        .getBytes(StandardCharsets.UTF_8));
    }

    public static Reply noContent() {
        return new Reply(204, Headers.of(), new byte[0]);
    }

    public Reply withHeader(String name, String value) {
        return new Reply(status, headers.newBuilder().set(name, value).build(), body, shared);
    }

    public Reply withBody(byte[] newBody) {
        return new Reply(status, headers, newBody, null);
    }

    public String header(String name) {
        return headers.get(name);
    }

    /** The MockWebServer response for this reply; the body is written straight from the array. */
    public MockResponse toMockResponse() {
        byte[] b = body;
        okio.Buffer s = shared;
        if (s != null) {
            long size = s.size();
            return new MockResponse.Builder()
                    .code(status)
                    .headers(headers)
                    .body(new MockResponseBody() {
                        @Override
                        public long getContentLength() {
                            return size;
                        }

                        @Override
                        public void writeTo(BufferedSink sink) throws java.io.IOException {
                            s.copyTo(sink.getBuffer(), 0, size);
                            sink.emitCompleteSegments();
                        }
                    })
                    .build();
        }
        return new MockResponse.Builder()
                .code(status)
                .headers(headers)
                .body(new MockResponseBody() {
                    @Override
                    public long getContentLength() {
                        return b.length;
                    }

                    @Override
                    public void writeTo(BufferedSink sink) throws java.io.IOException {
                        sink.write(b);
                    }
                })
                .build();
    }
}
