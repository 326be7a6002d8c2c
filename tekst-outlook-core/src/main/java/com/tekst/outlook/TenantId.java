package com.tekst.outlook;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A Microsoft Entra tenant (directory) id: a GUID in canonical lower case.
 *
 * <p>This is the only thing the SDK stores to identify an organization-wide connection's tenant. A domain name such as
 * {@code contoso.onmicrosoft.com} is not a tenant id; see {@link TenantHint}.
 *
 * @param value the GUID, lower case, 36 characters with hyphens
 */
public record TenantId(String value) {
    private static final Pattern GUID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /**
     * @throws InvalidValueException if {@code value} is not a GUID (any case; it is stored lower case)
     */
    public TenantId {
        if (value == null) {
            throw new InvalidValueException("tenant id", "must not be null");
        }
        String canonical = value.strip().toLowerCase(Locale.ROOT);
        if (canonical.length() != 36 || !GUID.matcher(canonical).matches()) {
            throw new InvalidValueException("tenant id", "must be a GUID like 72f988bf-86f1-41af-91ab-2d7cd011db47",
                    value);
        }
        value = canonical;
    }

    /** Parses a tenant id, accepting any case and surrounding white space. */
    public static TenantId of(String value) {
        return new TenantId(value);
    }

    /** Whether {@code value} is a well-formed tenant id. */
    public static boolean isValid(String value) {
        if (value == null) {
            return false;
        }
        String canonical = value.strip().toLowerCase(Locale.ROOT);
        return canonical.length() == 36 && GUID.matcher(canonical).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
