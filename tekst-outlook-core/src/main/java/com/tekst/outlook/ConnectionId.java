package com.tekst.outlook;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Identifies one Tekst connection (one tenant for an organization-wide connection). Chosen by the application or
 * generated with {@link #random()}.
 *
 * @param value 1 to 64 characters of {@code [A-Za-z0-9._-]}, starting with a letter or digit
 */
public record ConnectionId(String value) {
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /**
     * @throws InvalidValueException if {@code value} has another shape
     */
    public ConnectionId {
        if (value == null) {
            throw new InvalidValueException("connection id", "must not be null");
        }
        if (!SHAPE.matcher(value).matches()) {
            throw new InvalidValueException("connection id",
                    "must be 1-64 characters of letters, digits, '.', '_' or '-', starting with a letter or digit",
                    value);
        }
    }

    /** Wraps an existing id. */
    public static ConnectionId of(String value) {
        return new ConnectionId(value);
    }

    /** A new random id. */
    public static ConnectionId random() {
        return new ConnectionId(UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
