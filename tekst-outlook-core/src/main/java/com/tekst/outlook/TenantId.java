package com.tekst.outlook;

/**
 * A Microsoft Entra tenant (directory) id: a GUID in canonical lower case.
 *
 * <p>This is the only thing the SDK stores to identify an organization-wide connection's tenant. A domain name such as
 * {@code contoso.onmicrosoft.com} is not a tenant id; see {@link TenantHint}.
 *
 * @param value the GUID, lower case, 36 characters with hyphens
 */
public record TenantId(String value) {
    /**
     * @throws InvalidValueException if {@code value} is not a GUID (any case; it is stored lower case)
     */
    public TenantId {
        if (value == null) {
            throw new InvalidValueException("tenant id", "must not be null");
        }
        String canonical = Guids.canonical(value);
        if (canonical == null) {
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
        return Guids.canonical(value) != null;
    }

    @Override
    public String toString() {
        return value;
    }
}
