package com.tekst.outlook.graph.internal.auth;

import com.tekst.outlook.TenantId;

/**
 * App-only tokens per tenant. Implementations cache, refresh before expiry and collapse concurrent requests for the
 * same tenant into one; they are thread-safe. Failures are the SDK's typed exceptions
 * ({@link com.tekst.outlook.ConsentException}, {@link com.tekst.outlook.CredentialException},
 * {@link com.tekst.outlook.TenantException}, {@link com.tekst.outlook.ThrottledException},
 * {@link com.tekst.outlook.ServiceException}). Internal.
 */
public interface TokenProvider {

    /** A valid token for the tenant: the cached one while it is fresh, otherwise a new one. */
    AccessToken token(TenantId tenant);

    /** A newly issued token for the tenant, bypassing the cache (which it then replaces). */
    AccessToken refresh(TenantId tenant);
}
