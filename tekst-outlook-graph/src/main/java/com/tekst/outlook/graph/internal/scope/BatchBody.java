package com.tekst.outlook.graph.internal.scope;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The requests inside a JSON {@code $batch} body, read strictly: a body Graph could read differently than the guard
 * (duplicate keys, also differing only in case; an unknown key; a non-string url; comments; trailing content) is
 * refused rather than guessed. Internal.
 */
final class BatchBody {
    /** Graph takes at most 20 requests per batch. */
    static final int MAX_REQUESTS = 20;
    /** The largest body the guard reads. */
    static final long MAX_BYTES = 8L * 1024 * 1024;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();
    private static final Set<String> REQUEST_KEYS = Set.of("id", "method", "url", "headers", "body", "dependsOn");

    /** One request of the batch. */
    record Inner(String id, String method, String url) {
    }

    /** Why a body was refused. */
    static final class Refused extends Exception {
        Refused(String why) {
            super(why, null, false, false);
        }
    }

    private BatchBody() {
    }

    static List<Inner> parse(byte[] body) throws Refused {
        JsonNode root;
        try (JsonParser p = JSON.createParser(body)) {
            root = JSON.readTree(p);
            if (p.nextToken() != null) {
                throw new Refused("content after the batch object");
            }
        } catch (IOException e) {
            throw new Refused("the batch body is not strict JSON (" + e.getClass().getSimpleName() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new Refused("the batch body is not a JSON object");
        }
        uniqueKeysIgnoringCase(root, Set.of("requests"));
        JsonNode requests = root.get("requests");
        if (requests == null || !requests.isArray() || requests.isEmpty() || requests.size() > MAX_REQUESTS) {
            throw new Refused("the batch needs a 'requests' array of 1 to " + MAX_REQUESTS + " requests");
        }
        List<Inner> out = new ArrayList<>();
        for (JsonNode r : requests) {
            if (!r.isObject()) {
                throw new Refused("a batch request is not an object");
            }
            uniqueKeysIgnoringCase(r, REQUEST_KEYS);
            JsonNode url = r.get("url");
            JsonNode method = r.get("method");
            JsonNode id = r.get("id");
            if (url == null || !url.isTextual() || url.asText().isEmpty() || method == null || !method.isTextual()) {
                throw new Refused("a batch request without a string 'url' and 'method'");
            }
            JsonNode headers = r.get("headers");
            if (headers != null) {
                if (!headers.isObject()) {
                    throw new Refused("a batch request's headers are not an object");
                }
                for (Iterator<String> names = headers.fieldNames(); names.hasNext(); ) {
                    String name = names.next().toLowerCase(Locale.ROOT);
                    if (ScopeGuard.METHOD_OVERRIDES.contains(name)) {
                        throw new Refused("a batch request overrides its method");
                    }
                    if (ScopeGuard.URL_OVERRIDES.contains(name)) {
                        throw new Refused("a batch request overrides its URL");
                    }
                }
            }
            out.add(new Inner(id == null ? "" : id.asText(), method.asText().toUpperCase(Locale.ROOT), url.asText()));
        }
        return out;
    }

    /**
     * The same batch with the {@code url} of the requests at the given positions replaced (the scope guard pins user
     * names to object ids); everything else as parsed. The body must have passed {@link #parse}.
     */
    static byte[] withUrls(byte[] body, Map<Integer, String> urls) throws Refused {
        try {
            JsonNode root = JSON.readTree(body);
            JsonNode requests = root.get("requests");
            for (Map.Entry<Integer, String> e : urls.entrySet()) {
                ((ObjectNode) requests.get(e.getKey())).put("url", e.getValue());
            }
            return JSON.writeValueAsBytes(root);
        } catch (IOException | RuntimeException e) {
            throw new Refused("the batch body could not be rewritten (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Every key of {@code node} is one of {@code allowed} (exact case), and no two keys differ only in case. */
    private static void uniqueKeysIgnoringCase(JsonNode node, Set<String> allowed) throws Refused {
        Set<String> seen = new HashSet<>();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            String lower = name.toLowerCase(Locale.ROOT);
            if (!seen.add(lower)) {
                throw new Refused("the batch repeats the key '" + lower + "'");
            }
            if (!allowed.contains(name)) {
                throw new Refused("the batch has a key the SDK does not send: '" + Shown.quote(name) + "'");
            }
        }
    }
}
