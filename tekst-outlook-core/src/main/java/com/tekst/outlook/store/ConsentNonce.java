package com.tekst.outlook.store;

import com.tekst.outlook.ConnectionId;
import java.time.Instant;
import java.util.Objects;

/**
 * A single-use consent nonce, stored when consent begins and consumed when the callback arrives.
 *
 * @param digest      a one-way digest of the nonce (the nonce itself travels only inside the signed {@code state})
 * @param connection  the connection it was issued for
 * @param redirectUri the redirect URI the consent URL carried
 * @param issuedAt    when it was issued
 * @param expiresAt   when it stops being accepted
 */
public record ConsentNonce(String digest, ConnectionId connection, String redirectUri, Instant issuedAt,
                           Instant expiresAt) {
    public ConsentNonce {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(redirectUri, "redirectUri");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (digest.isEmpty() || digest.length() > 128) {
            throw new IllegalArgumentException("digest must be 1-128 characters");
        }
        if (expiresAt.isBefore(issuedAt)) {
            throw new IllegalArgumentException("expiresAt before issuedAt");
        }
    }

    @Override
    public String toString() {
        return "ConsentNonce[connection=" + connection + ", issuedAt=" + issuedAt + ", expiresAt=" + expiresAt + "]";
    }
}
