package com.tekst.outlook.consent;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ArrayList;

/**
 * The query parameters of Microsoft's redirect back to the application, as received, before any judgement.
 *
 * <p>Build it from the raw query string ({@link #fromQueryString(String)}, preferred: the SDK decodes strictly) or
 * from parameters a web framework already decoded ({@link #fromParameters(Map)}). Neither factory throws on bad
 * input; {@link AdminConsentFlow#complete} turns a malformed, oversized or duplicated callback into a
 * {@link ConsentOutcome.Rejected}. {@link #toString()} shows parameter names only, never values.
 */
public final class ConsentCallback {
    /** Callbacks longer than this (raw, in characters) are rejected as oversized. */
    public static final int MAX_LENGTH = 8 * 1024;

    /** What was wrong with the raw form, if anything. */
    public enum Defect {
        NONE,
        /** Longer than {@link #MAX_LENGTH}. */
        OVERSIZED,
        /** Bad percent-encoding, or bytes that are not UTF-8. */
        MALFORMED_ENCODING
    }

    private final Map<String, List<String>> parameters;
    private final Defect defect;

    private ConsentCallback(Map<String, List<String>> parameters, Defect defect) {
        this.parameters = parameters;
        this.defect = defect;
    }

    /**
     * Parses a raw query string ({@code a=b&c=d}, with or without a leading {@code ?}), percent-decoding it as strict
     * UTF-8 and {@code +} as space. {@code null} is an empty callback.
     */
    public static ConsentCallback fromQueryString(String rawQuery) {
        if (rawQuery == null) {
            return new ConsentCallback(Map.of(), Defect.NONE);
        }
        if (rawQuery.length() > MAX_LENGTH) {
            return new ConsentCallback(Map.of(), Defect.OVERSIZED);
        }
        String query = rawQuery.startsWith("?") ? rawQuery.substring(1) : rawQuery;
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (!query.isEmpty()) {
            for (String pair : query.split("&", -1)) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                Optional<String> decodedName = decode(name);
                Optional<String> decodedValue = decode(value);
                if (decodedName.isEmpty() || decodedValue.isEmpty()) {
                    return new ConsentCallback(Map.of(), Defect.MALFORMED_ENCODING);
                }
                params.computeIfAbsent(decodedName.get(), k -> new ArrayList<>()).add(decodedValue.get());
            }
        }
        return new ConsentCallback(freeze(params), Defect.NONE);
    }

    /**
     * Wraps parameters a web framework already decoded (for a servlet: {@code request.getParameterMap()} converted
     * to lists). Values containing U+FFFD (the decoder's replacement for bytes that were not UTF-8) or other control
     * characters count as malformed.
     */
    public static ConsentCallback fromParameters(Map<String, List<String>> decoded) {
        Objects.requireNonNull(decoded, "decoded");
        int size = 0;
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : decoded.entrySet()) {
            String name = Objects.requireNonNull(e.getKey(), "parameter name");
            List<String> values = e.getValue() == null ? List.of() : e.getValue();
            size += name.length() + 2;
            for (String v : values) {
                String value = v == null ? "" : v;
                size += value.length() + 1;
                if (!wellFormed(name) || !wellFormed(value)) {
                    return new ConsentCallback(Map.of(), Defect.MALFORMED_ENCODING);
                }
            }
            params.put(name, new ArrayList<>(values.stream().map(v -> v == null ? "" : v).toList()));
        }
        if (size > MAX_LENGTH) {
            return new ConsentCallback(Map.of(), Defect.OVERSIZED);
        }
        return new ConsentCallback(freeze(params), Defect.NONE);
    }

    /** As {@link #fromParameters(Map)}, for single-valued maps. */
    public static ConsentCallback fromSingleValues(Map<String, String> decoded) {
        Map<String, List<String>> lists = new LinkedHashMap<>();
        decoded.forEach((k, v) -> lists.put(k, v == null ? List.of() : List.of(v)));
        return fromParameters(lists);
    }

    /** Every parameter with all of its values, in arrival order. Empty when the callback is defective. */
    public Map<String, List<String>> parameters() {
        return parameters;
    }

    /** The structural defect of the raw callback, or {@link Defect#NONE}. */
    public Defect defect() {
        return defect;
    }

    /** The single value of a parameter; empty when absent. Duplicates are detected by {@link #isDuplicated}. */
    public Optional<String> first(String name) {
        List<String> values = parameters.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Whether a parameter occurs more than once. */
    public boolean isDuplicated(String name) {
        List<String> values = parameters.get(name);
        return values != null && values.size() > 1;
    }

    @Override
    public String toString() {
        return "ConsentCallback[parameters=" + parameters.keySet() + ", defect=" + defect + "]";
    }

    private static Map<String, List<String>> freeze(Map<String, List<String>> params) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        params.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return Collections.unmodifiableMap(copy);
    }

    private static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\uFFFD' || (Character.isISOControl(c) && c != '\r' && c != '\n' && c != '\t')) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static Optional<String> decode(String s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%') {
                if (i + 2 >= s.length()) {
                    return Optional.empty();
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return Optional.empty();
                }
                bytes.write((hi << 4) | lo);
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                return Optional.empty(); // raw non-ASCII in a query string is not a valid URI
            }
        }
        try {
            String decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
            return wellFormed(decoded) ? Optional.of(decoded) : Optional.empty();
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
