package com.tekst.outlook.graph.internal.http;

import com.tekst.outlook.InvalidValueException;
import java.net.URI;
import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * Builds Graph URLs from values without letting a value change the URL's shape: every path segment is added with
 * {@link HttpUrl.Builder#addPathSegment} (so {@code / ? # %} are encoded and stay inside the segment) and every query
 * value with {@link HttpUrl.Builder#addQueryParameter}. OkHttp resolves a segment that is {@code .} or {@code ..}
 * (also {@code %2e%2e}) as a dot segment even when added this way, so such values are refused. Internal.
 */
public final class GraphUrls {
    private final HttpUrl base;

    /** @param graphBaseUrl Graph's versioned root, e.g. {@code https://graph.microsoft.com/v1.0} */
    public GraphUrls(URI graphBaseUrl) {
        this.base = Objects.requireNonNull(HttpUrl.get(graphBaseUrl.toString()), "graphBaseUrl");
    }

    /** Graph's versioned root. */
    public HttpUrl base() {
        return base;
    }

    /** {@code {base}/{segments...}}, each segment encoded. */
    public HttpUrl.Builder path(String... segments) {
        HttpUrl.Builder b = base.newBuilder();
        for (String segment : segments) {
            b.addPathSegment(checkSegment(segment));
        }
        return b;
    }

    /** {@code {base}/users/{user}/{segments...}}, each segment encoded. */
    public HttpUrl.Builder user(String user, String... segments) {
        HttpUrl.Builder b = path("users", user);
        for (String segment : segments) {
            b.addPathSegment(checkSegment(segment));
        }
        return b;
    }

    /**
     * A value for one path segment: not empty, not {@code .} or {@code ..} in any encoding OkHttp resolves.
     *
     * @throws InvalidValueException otherwise
     */
    public static String checkSegment(String segment) {
        if (segment == null || segment.isEmpty()) {
            throw new InvalidValueException("URL path segment", "must not be empty");
        }
        String lower = segment.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals(".") || lower.equals("..") || lower.equals("%2e") || lower.equals("%2e%2e")
                || lower.equals(".%2e") || lower.equals("%2e.")) {
            throw new InvalidValueException("URL path segment", "must not be a dot segment", segment);
        }
        return segment;
    }

    /**
     * Adds a query option such as {@code $select} with its name as written (OkHttp would encode the {@code $} of a
     * name as {@code %24}; Graph's SDK decodes it back, so do we) and its value encoded, so a value can never add
     * an option or a fragment.
     *
     * @param name a constant of the SDK: {@code $}-prefixed or plain letters
     */
    public static HttpUrl.Builder option(HttpUrl.Builder builder, String name, String value) {
        if (!name.matches("\\$?[A-Za-z]+")) {
            throw new IllegalArgumentException("not an OData option name: " + name);
        }
        String encoded = new HttpUrl.Builder().scheme("https").host("x").addQueryParameter("v", value).build()
                .encodedQuery().substring(2);
        return builder.addEncodedQueryParameter(name, encoded);
    }

    /** An OData string literal: {@code 'value'} with every {@code '} doubled. */
    public static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /** The path of a Graph URL relative to the base, for requests inside a {@code $batch}: {@code /users/…?…}. */
    public String relative(HttpUrl url) {
        String basePath = base.encodedPath();
        String path = url.encodedPath();
        if (!path.startsWith(basePath)) {
            throw new IllegalArgumentException("not a URL under the Graph base");
        }
        String rest = path.substring(basePath.length());
        String query = url.encodedQuery();
        return (rest.startsWith("/") ? rest : "/" + rest) + (query == null ? "" : "?" + query);
    }
}
