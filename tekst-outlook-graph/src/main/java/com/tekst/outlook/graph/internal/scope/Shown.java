package com.tekst.outlook.graph.internal.scope;

/** Values from a refused request, made safe for an exception message: shortened and escaped. Internal. */
final class Shown {
    private static final int LIMIT = 80;

    private Shown() {
    }

    static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder();
        int limit = Math.min(value.length(), LIMIT);
        for (int i = 0; i < limit; i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                sb.append(c);
            } else {
                sb.append(String.format("\\u%04x", (int) c));
            }
        }
        if (value.length() > LIMIT) {
            sb.append("… (").append(value.length()).append(" characters)");
        }
        return sb.toString();
    }
}
