package com.tekst.outlook.consent;

import com.tekst.outlook.ConnectionId;
import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * Where to send the administrator to grant admin consent.
 *
 * <p>{@link #toString()} leaves out the URL and the {@code state}: the state authorizes completing this consent and
 * must not reach a log.
 *
 * @param connection the connection being set up
 * @param consentUrl Microsoft's admin-consent URL, including the {@code state}
 * @param state      the opaque, signed, single-use state value in the URL
 * @param expiresAt  after this instant the state is refused
 */
public record ConsentRequest(ConnectionId connection, URI consentUrl, String state, Instant expiresAt) {
    public ConsentRequest {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(consentUrl, "consentUrl");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public String toString() {
        return "ConsentRequest[connection=" + connection + ", consentUrl=" + consentUrl.getScheme() + "://"
                + consentUrl.getRawAuthority() + consentUrl.getRawPath() + "?…, state=<redacted>, expiresAt="
                + expiresAt + "]";
    }
}
