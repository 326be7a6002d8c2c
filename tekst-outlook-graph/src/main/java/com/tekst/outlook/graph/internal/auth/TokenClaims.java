package com.tekst.outlook.graph.internal.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The claims of an app-only access token that consent verification reads: {@code tid} and {@code roles}. The token is
 * decoded, not validated: it came straight from the identity platform over TLS, and Graph validates it on use.
 * Internal.
 *
 * @param tenantId the {@code tid} claim, or empty
 * @param roles    the {@code roles} claim (application permissions); empty when absent
 * @param idType   the {@code idtyp} claim ({@code app} for app-only tokens), or empty
 */
public record TokenClaims(String tenantId, Set<String> roles, String idType) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public TokenClaims {
        tenantId = tenantId == null ? "" : tenantId;
        roles = Collections.unmodifiableSet(new LinkedHashSet<>(roles));
        idType = idType == null ? "" : idType;
    }

    /** Decodes a JWT's payload; empty when the token is not a JWT with a JSON object payload. */
    public static Optional<TokenClaims> of(String jwt) {
        String[] parts = jwt.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            JsonNode payload = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            if (payload == null || !payload.isObject()) {
                return Optional.empty();
            }
            Set<String> roles = new LinkedHashSet<>();
            JsonNode r = payload.path("roles");
            if (r.isArray()) {
                r.forEach(n -> roles.add(n.asText()));
            }
            return Optional.of(new TokenClaims(payload.path("tid").asText(""), roles,
                    payload.path("idtyp").asText("")));
        } catch (IllegalArgumentException | IOException e) {
            return Optional.empty();
        }
    }
}
