package com.tekst.outlook.graph.internal.auth;

import com.tekst.outlook.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * An app-only access token for one tenant, with its lifetime measured on the SDK's clock. {@link #toString()} never
 * shows the token. Internal.
 *
 * @param tenant     the tenant it was issued for
 * @param value      the bearer token
 * @param acquiredAt when it was received (SDK clock)
 * @param expiresAt  when it expires (SDK clock)
 */
public record AccessToken(TenantId tenant, String value, Instant acquiredAt, Instant expiresAt) {
    public AccessToken {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(acquiredAt, "acquiredAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("an access token is not empty");
        }
        if (expiresAt.isBefore(acquiredAt)) {
            throw new IllegalArgumentException("expiresAt before acquiredAt");
        }
    }

    @Override
    public String toString() {
        return "AccessToken[tenant=" + tenant + ", acquiredAt=" + acquiredAt + ", expiresAt=" + expiresAt + "]";
    }
}
