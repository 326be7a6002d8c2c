package com.tekst.outlook;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which directory Microsoft's admin-consent page should sign the administrator into: {@code organizations} (any work
 * or school tenant, the default), a tenant id, or a verified domain such as {@code contoso.onmicrosoft.com}.
 *
 * <p>A hint is only ever used to build the consent URL. It is never stored as the connection's tenant: the tenant is
 * the {@link TenantId} proven by acquiring a token after consent. {@code common} and {@code consumers} are refused,
 * because Microsoft's v2 admin-consent endpoint does not accept them.
 *
 * @param value {@code organizations}, a GUID (lower case) or a domain name (lower case)
 */
public record TenantHint(String value) {
    /** Any work or school account's tenant; the administrator's sign-in decides. */
    public static final TenantHint ORGANIZATIONS = new TenantHint("organizations");

    private static final Pattern DOMAIN = Pattern.compile(
            "(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]");

    /**
     * @throws InvalidValueException if {@code value} is not {@code organizations}, a GUID or a domain name
     */
    public TenantHint {
        if (value == null) {
            throw new InvalidValueException("tenant hint", "must not be null");
        }
        String canonical = value.strip().toLowerCase(Locale.ROOT);
        if (canonical.equals("common") || canonical.equals("consumers")) {
            throw new InvalidValueException("tenant hint",
                    "'common' and 'consumers' cannot grant admin consent; use 'organizations', a tenant id or a domain",
                    value);
        }
        if (!canonical.equals("organizations") && !TenantId.isValid(canonical) && !DOMAIN.matcher(canonical).matches()) {
            throw new InvalidValueException("tenant hint",
                    "must be 'organizations', a tenant id or a verified domain such as contoso.onmicrosoft.com", value);
        }
        value = canonical;
    }

    /** Parses a hint: {@code organizations}, a tenant id or a domain. */
    public static TenantHint of(String value) {
        return new TenantHint(value);
    }

    /** A hint naming exactly this tenant. */
    public static TenantHint of(TenantId tenant) {
        return new TenantHint(tenant.value());
    }

    /** Whether this hint names a domain rather than a tenant id or {@code organizations}. */
    public boolean isDomain() {
        return !value.equals("organizations") && !TenantId.isValid(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
