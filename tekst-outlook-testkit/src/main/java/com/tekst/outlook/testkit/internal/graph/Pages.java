package com.tekst.outlook.testkit.internal.graph;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.tekst.outlook.testkit.internal.FakeRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * Assembles collection pages ({@code @odata.context}, {@code @odata.nextLink} or {@code @odata.deltaLink}, then
 * {@code value}) from pre-rendered item bytes, and builds paging links and query options. Internal.
 */
final class Pages {
    private static final JsonStringEncoder ENCODER = JsonStringEncoder.getInstance();

    private Pages() {
    }

    /** A single entity: its rendered object with {@code @odata.context} put first. */
    static byte[] entity(String context, byte[] object) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(object.length + context.length() + 32);
        out.writeBytes("{\"@odata.context\":\"".getBytes(StandardCharsets.UTF_8));
        out.writeBytes(ENCODER.quoteAsUTF8(context));
        out.write('"');
        if (object.length > 2) {
            out.write(',');
            out.write(object, 1, object.length - 1);
        } else {
            out.write('}');
        }
        return out.toByteArray();
    }

    /**
     * A collection page.
     *
     * @param linkName {@code @odata.nextLink}, {@code @odata.deltaLink}, or {@code null} for none
     */
    static byte[] collection(String context, String linkName, String link, List<byte[]> items) {
        int size = 128 + context.length() + (link == null ? 0 : link.length());
        for (byte[] i : items) {
            size += i.length + 1;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        out.writeBytes("{\"@odata.context\":\"".getBytes(StandardCharsets.UTF_8));
        out.writeBytes(ENCODER.quoteAsUTF8(context));
        out.write('"');
        if (linkName != null) {
            out.writeBytes((",\"" + linkName + "\":\"").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(ENCODER.quoteAsUTF8(link));
            out.write('"');
        }
        out.writeBytes(",\"value\":[".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(items.get(i));
        }
        out.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** The request's own URL on the fake's base, with {@code $skip} (or {@code skip}) replaced. */
    static String withSkip(GraphApi.Call c, int skip) {
        FakeRequest r = c.r;
        HttpUrl.Builder b = HttpUrl.get(c.ctx.baseUrl() + r.url().encodedPath()).newBuilder();
        for (String name : r.url().queryParameterNames()) {
            if (name.equals("$skip") || name.equals("skip")) {
                continue;
            }
            for (String v : r.url().queryParameterValues(name)) {
                b.addQueryParameter(name, v);
            }
        }
        b.addQueryParameter("$skip", Integer.toString(skip));
        return b.build().toString();
    }

    /** A query option that must be a whole number in {@code [min, max]}, as Outlook checks {@code $top}. */
    static Optional<Integer> top(GraphApi.Call c, int max, boolean directory) {
        Optional<String> v = c.option("top");
        if (v.isEmpty()) {
            return Optional.empty();
        }
        int n;
        try {
            n = Integer.parseInt(v.get().trim());
        } catch (NumberFormatException e) {
            throw directory ? new GraphError(400, "Request_UnsupportedQuery", "Invalid page size specified: '"
                    + v.get() + "'. Must be between 1 and " + max + " inclusive.")
                    : GraphError.invalidUrlQuery("Invalid value '" + v.get()
                    + "' for $top query option found. The $top query option requires a non-negative integer value.");
        }
        if (n < 1 || n > max) {
            if (directory) {
                throw new GraphError(400, "Request_UnsupportedQuery", "Invalid page size specified: '" + n
                        + "'. Must be between 1 and " + max + " inclusive.");
            }
            throw GraphError.invalidUrlQuery(n > max
                    ? "The limit of '" + max + "' for Top query has been exceeded. The value from the incoming request is '"
                    + n + "'."
                    : "The value '" + n + "' for $top query option is not valid: it must be between 1 and " + max + ".");
        }
        return Optional.of(n);
    }

    static int skip(GraphApi.Call c) {
        Optional<String> v = c.option("skip");
        if (v.isEmpty()) {
            return 0;
        }
        try {
            int n = Integer.parseInt(v.get().trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw GraphError.invalidUrlQuery("Invalid value '" + v.get()
                    + "' for $skip query option found. The $skip query option requires a non-negative integer value.");
        }
    }

    /** The {@code $select} list (trimmed, non-empty names), or null. */
    static List<String> select(GraphApi.Call c) {
        Optional<String> v = c.option("select");
        if (v.isEmpty() || v.get().isBlank()) {
            return null;
        }
        return java.util.Arrays.stream(v.get().split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
