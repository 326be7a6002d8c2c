package com.tekst.outlook.graph.internal.consent;

import static org.assertj.core.api.Assertions.assertThat;

import com.tekst.outlook.ConnectionId;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The state layout of docs/design/002-consent-state-format.md: what travels in it and what the store keeps instead of
 * the nonce.
 */
class ConsentStateTest {
    static ConsentState.Key key(int seed) {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        byte[] id = new byte[8];
        id[0] = (byte) seed;
        return new ConsentState.Key(id, new SecretKeySpec(k, "HmacSHA256"));
    }

    @Test
    void theStateCarriesTheNonceButTheStoreOnlyItsDigest() throws Exception {
        ConsentState states = new ConsentState(key(1), List.of());
        byte[] nonce = new byte[32];
        new SecureRandom().nextBytes(nonce);
        Instant issued = Instant.parse("2026-01-05T09:00:00.123Z");
        String state = states.sign(nonce, issued, ConnectionId.of("acme"), "https://app.example/cb");

        assertThat(state).matches("v1\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}");
        byte[] payload = Base64.getUrlDecoder().decode(state.split("\\.")[1]);
        assertThat(payload[0]).isEqualTo((byte) 1);
        assertThat(Arrays.copyOfRange(payload, 9, 41)).isEqualTo(nonce);

        ConsentState.Payload read = ((ConsentState.Valid) states.verify(state)).payload();
        assertThat(read.issuedAt()).isEqualTo(issued);
        assertThat(read.connection()).isEqualTo(ConnectionId.of("acme"));
        assertThat(read.redirectUri()).isEqualTo("https://app.example/cb");
        assertThat(read.keyId()).isEqualTo("0100000000000000");
        String digest = read.nonceDigest();
        assertThat(digest).isEqualTo(Base64.getUrlEncoder().withoutPadding()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(nonce)));
        assertThat(state).doesNotContain(digest);
        assertThat(read.toString()).doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(nonce));
    }

    @Test
    void aPreviousKeyVerifiesAndAnUnknownOneIsForged() {
        ConsentState.Key one = key(1);
        ConsentState.Key two = key(2);
        ConsentState old = new ConsentState(one, List.of());
        String state = old.sign(new byte[32], Instant.EPOCH, ConnectionId.of("c"), "https://a/cb");
        assertThat(new ConsentState(two, List.of(one)).verify(state)).isInstanceOf(ConsentState.Valid.class);
        assertThat(new ConsentState(two, List.of()).verify(state)).isInstanceOf(ConsentState.Forged.class);
        ConsentState.Key sameIdOtherSecret = new ConsentState.Key(one.id(), key(9).secret());
        assertThat(new ConsentState(sameIdOtherSecret, List.of()).verify(state)).isInstanceOf(ConsentState.Forged.class);
    }
}
