package com.tekst.outlook;

/**
 * A value failed validation: a malformed tenant id, mailbox address, connection id or similar.
 *
 * <p>The message names the field and the rule. The rejected input is quoted only in a shortened, escaped form (at
 * most 64 characters, control and non-ASCII characters escaped), so a 10 KB or binary input cannot flood a log line.
 */
public class InvalidValueException extends OutlookClientException {
    private static final int QUOTE_LIMIT = 64;

    private final String field;

    public InvalidValueException(String field, String rule) {
        super(field + " " + rule);
        this.field = field;
    }

    public InvalidValueException(String field, String rule, String rejected) {
        super(field + " " + rule + "; got " + quote(rejected));
        this.field = field;
    }

    /** Which value was invalid, e.g. {@code "tenant id"}. */
    public String field() {
        return field;
    }

    static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder("\"");
        int limit = Math.min(value.length(), QUOTE_LIMIT);
        for (int i = 0; i < limit; i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                sb.append(c);
            } else {
                sb.append(String.format("\\u%04x", (int) c));
            }
        }
        sb.append('"');
        if (value.length() > QUOTE_LIMIT) {
            sb.append(" (").append(value.length()).append(" characters, shortened)");
        }
        return sb.toString();
    }
}
