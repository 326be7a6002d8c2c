package com.tekst.outlook;

import java.util.Locale;
import java.util.regex.Pattern;

/** The canonical form of the GUIDs Microsoft Entra uses as ids (tenants, mailbox owners). */
final class Guids {
    private static final Pattern GUID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private Guids() {
    }

    /** {@code value} stripped and lower case when it is a GUID with hyphens, else {@code null}. */
    static String canonical(String value) {
        if (value == null) {
            return null;
        }
        String canonical = value.strip().toLowerCase(Locale.ROOT);
        return canonical.length() == 36 && GUID.matcher(canonical).matches() ? canonical : null;
    }
}
