package com.tekst.outlook.testkit.internal;

import com.tekst.outlook.TenantId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import okhttp3.HttpUrl;

/**
 * One request to the fake cloud, with what routing learned about it (tenant, mailbox, token). Internal.
 */
public final class FakeRequest {
    private final String method;
    private final HttpUrl url;
    private final Headers headers;
    private final byte[] body;
    private final Instant receivedAt;
    private final long startNanos;
    private final long sequence;
    private final String parentBatch;

    /** Filled in by the routes as they learn them. */
    public volatile TenantId tenant;
    public volatile TenantId tokenTenant;
    public volatile String mailbox;
    public volatile String requestId;

    public FakeRequest(RecordedRequest recorded, Instant receivedAt, long sequence) {
        this(recorded.getMethod(), recorded.getUrl(), recorded.getHeaders(),
                recorded.getBody() == null ? new byte[0] : recorded.getBody().toByteArray(), receivedAt, sequence,
                null);
    }

    public FakeRequest(String method, HttpUrl url, Headers headers, byte[] body, Instant receivedAt, long sequence,
                       String parentBatch) {
        this.method = method;
        this.url = url;
        this.headers = headers;
        this.body = body;
        this.receivedAt = receivedAt;
        this.startNanos = System.nanoTime();
        this.sequence = sequence;
        this.parentBatch = parentBatch;
    }

    public String method() {
        return method;
    }

    public HttpUrl url() {
        return url;
    }

    /** Decoded path segments. */
    public List<String> segments() {
        return url.pathSegments();
    }

    public String segment(int i) {
        List<String> s = url.pathSegments();
        return i < s.size() ? s.get(i) : "";
    }

    /** The decoded path. */
    public String path() {
        return "/" + String.join("/", url.pathSegments());
    }

    public Optional<String> query(String name) {
        return Optional.ofNullable(url.queryParameter(name));
    }

    public List<String> queryValues(String name) {
        return url.queryParameterValues(name).stream().map(v -> v == null ? "" : v).toList();
    }

    public Headers headers() {
        return headers;
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }

    public byte[] body() {
        return body;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The fake-clock time the request arrived. */
    public Instant receivedAt() {
        return receivedAt;
    }

    public long startNanos() {
        return startNanos;
    }

    public long sequence() {
        return sequence;
    }

    /** The id of the {@code $batch} request this one was inside, or {@code null}. */
    public String parentBatch() {
        return parentBatch;
    }

    /** The bearer token, if the request carried one. */
    public Optional<String> bearerToken() {
        String auth = headers.get("Authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return Optional.of(auth.substring(7).trim());
    }

    /** Parses an {@code application/x-www-form-urlencoded} body; repeated names keep every value. */
    public Map<String, List<String>> form() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        HttpUrl parsed = HttpUrl.get("https://form.invalid/?" + bodyText());
        for (String name : parsed.queryParameterNames()) {
            out.put(name, parsed.queryParameterValues(name).stream().map(v -> v == null ? "" : v).toList());
        }
        return out;
    }

    /** Every value of the {@code Prefer} headers, split on commas, trimmed, lower-cased names. */
    public List<String> preferences() {
        return headers.values("Prefer").stream()
                .flatMap(v -> java.util.Arrays.stream(v.split(",")))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    /** A {@code Prefer} preference's value, e.g. {@code odata.maxpagesize} → {@code "100"}; names compare ignoring case. */
    public Optional<String> preference(String name) {
        for (String p : preferences()) {
            int eq = p.indexOf('=');
            String n = (eq < 0 ? p : p.substring(0, eq)).trim();
            if (n.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                String v = eq < 0 ? "" : p.substring(eq + 1).trim();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                }
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
