package com.tekst.outlook.graph.internal.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Graph's error body, {@code {"error":{"code","message","innerError":{"code"?,"request-id","client-request-id",
 * "date", "innerError"…}}}}, read leniently: nested inner errors contribute their codes; an absent or non-JSON body
 * gives an empty result. Internal.
 *
 * @param code            the top-level code (e.g. {@code ErrorAccessDenied}), or empty
 * @param message         Graph's developer message (never branched on except for documented constants), or empty
 * @param innerCodes      codes of nested inner errors, outermost first
 * @param requestId       {@code innerError.request-id}, or empty
 * @param clientRequestId {@code innerError.client-request-id}, or empty
 */
public record GraphError(String code, String message, List<String> innerCodes, String requestId,
                         String clientRequestId) {
    private static final JsonFactory JSON = new JsonFactory();
    private static final int MAX_DEPTH = 8;

    public GraphError {
        innerCodes = List.copyOf(innerCodes);
    }

    /** Whether the top-level or any inner code equals {@code expected}, ignoring case. */
    public boolean hasCode(String expected) {
        if (code.equalsIgnoreCase(expected)) {
            return true;
        }
        return innerCodes.stream().anyMatch(c -> c.equalsIgnoreCase(expected));
    }

    /** Whether the message contains {@code text}, ignoring case. */
    public boolean messageContains(String text) {
        return message.toLowerCase(Locale.ROOT).contains(text.toLowerCase(Locale.ROOT));
    }

    /** Parses an error body; empty when it is not Graph's error JSON. */
    public static Optional<GraphError> parse(byte[] body) {
        if (body == null || body.length == 0) {
            return Optional.empty();
        }
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("error".equals(name) && value == JsonToken.START_OBJECT) {
                    Builder b = new Builder();
                    readError(p, b, 0);
                    return Optional.of(new GraphError(b.code, b.message, b.inner, b.requestId, b.clientRequestId));
                }
                p.skipChildren();
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static final class Builder {
        String code = "";
        String message = "";
        List<String> inner = new ArrayList<>();
        String requestId = "";
        String clientRequestId = "";
    }

    private static void readError(JsonParser p, Builder b, int depth) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.VALUE_STRING) {
                String text = p.getText();
                switch (name.toLowerCase(Locale.ROOT)) {
                    case "code" -> {
                        if (depth == 0) {
                            b.code = text;
                        } else {
                            b.inner.add(text);
                        }
                    }
                    case "message" -> {
                        if (depth == 0) {
                            b.message = text;
                        }
                    }
                    case "request-id" -> b.requestId = b.requestId.isEmpty() ? text : b.requestId;
                    case "client-request-id" -> b.clientRequestId = b.clientRequestId.isEmpty() ? text
                            : b.clientRequestId;
                    default -> {
                        // date and others are not needed
                    }
                }
            } else if (value == JsonToken.START_OBJECT && name.equalsIgnoreCase("innerError") && depth < MAX_DEPTH) {
                readError(p, b, depth + 1);
            } else {
                p.skipChildren();
            }
        }
    }
}
