package com.tekst.outlook.graph.internal;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.MDC;

/**
 * Puts diagnostic context ({@code tenant}, {@code connection}, …) on the current thread for the duration of a block and
 * restores what was there before, so nested scopes and pooled threads stay correct. Values are ids only, never
 * secrets. Internal.
 *
 * <pre>{@code
 * try (Mdc.Scope ignored = Mdc.put(Mdc.CONNECTION, connection.value())) { ... }
 * }</pre>
 */
public final class Mdc {
    public static final String TENANT = "tenant";
    public static final String CONNECTION = "connection";

    private Mdc() {
    }

    /** A block with diagnostic context; closing it restores the previous values. */
    public static final class Scope implements AutoCloseable {
        private final List<String[]> previous;

        private Scope(List<String[]> previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            for (int i = previous.size() - 1; i >= 0; i--) {
                String[] p = previous.get(i);
                if (p[1] == null) {
                    MDC.remove(p[0]);
                } else {
                    MDC.put(p[0], p[1]);
                }
            }
        }
    }

    /** Sets {@code key=value} pairs ({@code null} values are skipped) until the scope closes. */
    public static Scope put(String... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("key/value pairs expected");
        }
        List<String[]> previous = new ArrayList<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) {
                previous.add(new String[] {keyValues[i], MDC.get(keyValues[i])});
                MDC.put(keyValues[i], keyValues[i + 1]);
            }
        }
        return new Scope(previous);
    }
}
