package com.tekst.outlook.graph.internal.scope;

import com.tekst.outlook.MailboxAddress;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * What a Graph request addresses, parsed from its URL the way Graph reads it, strictly: anything a server could read
 * in more than one way is {@link Unclear} rather than guessed.
 *
 * <ul>
 *   <li>The URL must be on Graph's host and under its versioned base path (so a token never leaves for another
 *       host, and {@code ../} cannot climb out of the version).</li>
 *   <li>Each path segment is percent-decoded once (strict UTF-8). A decoded segment containing {@code /} or
 *       {@code \} (a server may split or normalize on {@code %2F}/{@code %5C}), {@code %} (double encoding),
 *       {@code ;} (a path parameter: servers and proxies that strip {@code ;…} read {@code ..;} as {@code ..} and
 *       {@code users;x=1} as {@code users}), a control character, or that is empty, {@code .} or {@code ..} makes the
 *       path unclear.</li>
 *   <li>{@code /users}, {@code /users/{key}}, {@code /users/{key}/…}, OData key syntax {@code /users('{key}')/…}
 *       (quotes doubled), {@code /$batch} and {@code /me} are recognized, ignoring case; any other resource is
 *       {@link Unsupported}.</li>
 * </ul>
 * Internal.
 */
sealed interface GraphTarget {
    /** {@code /users} itself (listing the directory). */
    record Users() implements GraphTarget {
    }

    /**
     * {@code /users/{key}} or {@code /users/{key}/…}.
     *
     * @param key       the user key as addressed, decoded (not validated)
     * @param rest      the decoded segments after the key
     * @param keySyntax whether the key was written {@code users('{key}')} (one segment) rather than
     *                  {@code users/{key}} (two)
     */
    record User(String key, List<String> rest, boolean keySyntax) implements GraphTarget {
        /** The key as a mailbox name, when it is an acceptable address or object id exactly as written. */
        java.util.Optional<MailboxAddress> name() {
            if (!key.equals(key.strip()) || !MailboxAddress.isValid(key)) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(MailboxAddress.of(key));
        }

        /** Whether the rest is exactly these segments, ignoring case. */
        boolean restIs(String... segments) {
            if (rest.size() != segments.length) {
                return false;
            }
            for (int i = 0; i < segments.length; i++) {
                if (!rest.get(i).equalsIgnoreCase(segments[i])) {
                    return false;
                }
            }
            return true;
        }
    }

    /** {@code /$batch}. */
    record Batch() implements GraphTarget {
    }

    /** {@code /me}: there is no signed-in user with an app-only token. */
    record Me() implements GraphTarget {
    }

    /** A resource the SDK does not let through ({@code /groups}, {@code /subscriptions}, another version…). */
    record Unsupported(String resource) implements GraphTarget {
    }

    /** A URL the guard will not interpret (another host, an ambiguous path). */
    record Unclear(String why) implements GraphTarget {
    }

    Pattern USERS_KEY = Pattern.compile("users\\('((?:[^']|'')*)'\\)", Pattern.CASE_INSENSITIVE);

    /** Parses {@code url} against Graph's versioned root {@code base}. */
    static GraphTarget parse(HttpUrl url, HttpUrl base) {
        if (!url.scheme().equals(base.scheme()) || !url.host().equalsIgnoreCase(base.host())
                || url.port() != base.port()) {
            return new Unclear("another host than Microsoft Graph's");
        }
        if (url.username().length() > 0 || url.password().length() > 0) {
            return new Unclear("user info in the URL");
        }
        List<String> baseSegments = baseSegments(base);
        List<String> encoded = url.encodedPathSegments();
        if (encoded.size() < baseSegments.size()) {
            return new Unsupported("a path outside " + base.encodedPath());
        }
        for (int i = 0; i < baseSegments.size(); i++) {
            if (!encoded.get(i).equalsIgnoreCase(baseSegments.get(i))) {
                return new Unsupported("a path outside " + base.encodedPath());
            }
        }
        List<String> segments = new ArrayList<>();
        for (int i = baseSegments.size(); i < encoded.size(); i++) {
            String raw = encoded.get(i);
            if (raw.isEmpty() && i == encoded.size() - 1 && i > baseSegments.size()) {
                break; // a trailing slash
            }
            String decoded = decode(raw);
            if (decoded == null) {
                return new Unclear("a path segment that is not valid percent-encoded UTF-8");
            }
            if (decoded.isEmpty() || decoded.equals(".") || decoded.equals("..")) {
                return new Unclear("an empty or dot path segment");
            }
            for (int k = 0; k < decoded.length(); k++) {
                char c = decoded.charAt(k);
                if (c == ';') {
                    return new Unclear("a path parameter (';')");
                }
                if (c == '/' || c == '\\' || c == '%' || Character.isISOControl(c)) {
                    return new Unclear("a path segment with an encoded '/', '\\', '%' or control character");
                }
            }
            segments.add(decoded);
        }
        if (segments.isEmpty()) {
            return new Unsupported("the service root");
        }
        String first = segments.get(0);
        String lower = first.toLowerCase(Locale.ROOT);
        if (lower.equals("$batch")) {
            return segments.size() == 1 ? new Batch() : new Unsupported("$batch/…");
        }
        if (lower.equals("me") || lower.startsWith("me(")) {
            return new Me();
        }
        if (lower.equals("users")) {
            if (segments.size() == 1) {
                return new Users();
            }
            return new User(segments.get(1), List.copyOf(segments.subList(2, segments.size())), false);
        }
        if (lower.startsWith("users(")) {
            Matcher m = USERS_KEY.matcher(first);
            if (!m.matches()) {
                return new Unclear("a users(…) key that is not a single-quoted string");
            }
            return new User(m.group(1).replace("''", "'"), List.copyOf(segments.subList(1, segments.size())), true);
        }
        return new Unsupported(first.length() > 40 ? first.substring(0, 40) + "…" : first);
    }

    /**
     * {@code url} (a {@link User} target under {@code base}) with its user key replaced by {@code objectId}, written
     * {@code users/{objectId}}; every other segment and the query stay as they were encoded.
     */
    static HttpUrl pin(HttpUrl url, HttpUrl base, User user, String objectId) {
        int first = baseSegments(base).size();
        List<String> encoded = url.encodedPathSegments();
        HttpUrl.Builder b = url.newBuilder().encodedPath("/");
        for (int i = 0; i < first; i++) {
            b.addEncodedPathSegment(encoded.get(i));
        }
        b.addPathSegment("users").addPathSegment(objectId);
        for (int i = first + (user.keySyntax() ? 1 : 2); i < encoded.size(); i++) {
            b.addEncodedPathSegment(encoded.get(i));
        }
        return b.build();
    }

    /** {@code url} relative to Graph's versioned root {@code base}, as a {@code $batch} request's url: {@code /users/…?…}. */
    static String relative(HttpUrl url, HttpUrl base) {
        StringBuilder sb = new StringBuilder();
        List<String> encoded = url.encodedPathSegments();
        for (int i = baseSegments(base).size(); i < encoded.size(); i++) {
            sb.append('/').append(encoded.get(i));
        }
        String query = url.encodedQuery();
        return sb + (query == null ? "" : "?" + query);
    }

    private static List<String> baseSegments(HttpUrl base) {
        List<String> encodedBase = base.encodedPathSegments();
        return encodedBase.size() == 1 && encodedBase.get(0).isEmpty() ? List.of() : encodedBase;
    }

    /** Percent-decodes once, as strict UTF-8; {@code null} for malformed escapes or bytes. */
    static String decode(String encoded) {
        if (encoded.indexOf('%') < 0) {
            return encoded;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                if (i + 2 >= encoded.length()) {
                    return null;
                }
                int hi = Character.digit(encoded.charAt(i + 1), 16);
                int lo = Character.digit(encoded.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                return null; // OkHttp encodes every non-ASCII character: this URL was not built by it
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
