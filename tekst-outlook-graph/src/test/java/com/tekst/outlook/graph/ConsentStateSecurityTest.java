package com.tekst.outlook.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionStatus;
import com.tekst.outlook.consent.ConsentCallback;
import com.tekst.outlook.consent.ConsentOutcome;
import com.tekst.outlook.consent.ConsentRequest;
import com.tekst.outlook.consent.ConsentVerification;
import com.tekst.outlook.consent.RejectionReason;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code state} protects the callback: forged, expired, replayed, wrong-connection and rotated-key states, and
 * malformed callbacks, end as {@link ConsentOutcome.Rejected} without an exception and without using anything in them.
 */
class ConsentStateSecurityTest {
    static final ConnectionId ACME = ConnectionId.of("acme");

    FakeCloudFixture fx;
    OutlookClient client;

    @BeforeEach
    void start() {
        fx = new FakeCloudFixture();
        client = fx.client();
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    /** The real redirect after the contoso administrator accepted. */
    String acceptedQuery(ConsentRequest request) {
        return fx.answer(request, FakeCloudFixture.CONTOSO_ADMIN, true).getRawQuery();
    }

    static RejectionReason rejection(ConsentOutcome outcome) {
        assertThat(outcome).isInstanceOf(ConsentOutcome.Rejected.class);
        return ((ConsentOutcome.Rejected) outcome).reason();
    }

    static String withState(String query, String state) {
        return query.replaceAll("state=[^&]*", "state=" + state);
    }

    @Test
    void aForgedStateIsRejectedWithoutBurningTheGenuineOne() {
        ConsentRequest request = client.adminConsent().begin(ACME, FakeCloudFixture.REDIRECT);
        String query = acceptedQuery(request);
        String[] parts = request.state().split("\\.");

        byte[] payload = Base64.getUrlDecoder().decode(parts[1]);
        payload[payload.length - 1] ^= 1; // change one bit of the redirect URI
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload) + "."
                + parts[2];
        byte[] mac = Base64.getUrlDecoder().decode(parts[2]);
        mac[0] ^= 1;
        String badMac = parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac);
        byte[] otherKey = Base64.getUrlDecoder().decode(parts[1]);
        otherKey[1] ^= 1; // the key id
        String unknownKey = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(otherKey) + "."
                + parts[2];

        for (String forged : List.of(tampered, badMac, unknownKey)) {
            assertThat(rejection(client.adminConsent().complete(ACME,
                    ConsentCallback.fromQueryString(withState(query, forged))))).isEqualTo(RejectionReason.STATE_FORGED);
        }
        for (String malformed : List.of("12345", "v1.abc", "v2." + parts[1] + "." + parts[2],
                "v1.!!!." + parts[2], "v1." + parts[1] + "." + parts[2] + ".x", "v1.AAAA.AAAA")) {
            assertThat(rejection(client.adminConsent().complete(ACME,
                    ConsentCallback.fromQueryString(withState(query, malformed)))))
                    .as(malformed).isEqualTo(RejectionReason.STATE_MALFORMED);
        }
        ConsentOutcome genuine = client.adminConsent().complete(ACME, ConsentCallback.fromQueryString(query));
        assertThat(genuine).isInstanceOf(ConsentOutcome.Granted.class);
    }

    @Test
    void anExpiredStateIsRejectedAndItsNonceIsBurnt() {
        ConsentRequest request = client.adminConsent().begin(ACME, FakeCloudFixture.REDIRECT);
        String query = acceptedQuery(request);
        fx.clock.advance(Duration.ofMinutes(10).plusMillis(1));
        assertThat(rejection(client.adminConsent().complete(ACME, ConsentCallback.fromQueryString(query))))
                .isEqualTo(RejectionReason.STATE_EXPIRED);
        // A client with a longer lifetime (same keys and store) would accept the state's age, but its nonce is gone.
        OutlookClient patient = fx.client(b -> b.consentStateLifetime(Duration.ofHours(1)));
        assertThat(rejection(patient.adminConsent().complete(ACME, ConsentCallback.fromQueryString(query))))
                .isEqualTo(RejectionReason.STATE_REPLAYED);
    }

    @Test
    void aStateIsValidUntilTheEndOfItsLifetime() {
        ConsentRequest request = client.adminConsent().begin(ACME, FakeCloudFixture.REDIRECT);
        String query = acceptedQuery(request);
        fx.clock.advanceTo(request.expiresAt());
        assertThat(client.adminConsent().complete(ACME, ConsentCallback.fromQueryString(query)))
                .isInstanceOf(ConsentOutcome.Granted.class);
    }

    @Test
    void aStateIsSingleUse() {
        ConsentRequest request = client.adminConsent().begin(ACME, FakeCloudFixture.REDIRECT);
        String query = acceptedQuery(request);
        assertThat(client.adminConsent().complete(ACME, ConsentCallback.fromQueryString(query)))
                .isInstanceOf(ConsentOutcome.Granted.class);
        assertThat(rejection(client.adminConsent().complete(ACME, ConsentCallback.fromQueryString(query))))
                .isEqualTo(RejectionReason.STATE_REPLAYED);
    }

    @Test
    void aStateOfAnotherConnectionIsRejectedAndBurnt() {
        ConsentRequest request = client.adminConsent().begin(ACME, FakeCloudFixture.REDIRECT);
        String query = acceptedQuery(request);
        assertThat(rejection(client.adminConsent().complete(ConnectionId.of("other"),
                ConsentCallback.fromQueryString(query)))).isEqualTo(RejectionReason.STATE_WRONG_CONNECTION);
        assertThat(rejection(client.adminConsent().complete(ACME, ConsentCallback.fromQueryString(query))))
                .isEqualTo(RejectionReason.STATE_REPLAYED);
    }

    @Test
    void keysRotateThePreviousKeyIsStillAcceptedAndAnUnknownOneIsNot() {
        ConsentRequest oldKeyRequest = client.adminConsent().begin(ACME, FakeCloudFixture.REDIRECT);
        String query = acceptedQuery(oldKeyRequest);
        StateKey next = StateKey.random();

        OutlookClient withoutOldKey = fx.client(b -> b.stateKeys(next));
        ConsentOutcome refused = withoutOldKey.adminConsent().complete(ACME, ConsentCallback.fromQueryString(query));
        assertThat(rejection(refused)).isEqualTo(RejectionReason.STATE_FORGED);
        assertThat(refused.message()).contains("unknown key");

        OutlookClient rotated = fx.client(b -> b.stateKeys(next, fx.key));
        assertThat(rotated.adminConsent().complete(ACME, ConsentCallback.fromQueryString(query)))
                .as("the refusal above burnt nothing").isInstanceOf(ConsentOutcome.Granted.class);

        ConsentRequest newKeyRequest = rotated.adminConsent().begin(ACME, FakeCloudFixture.REDIRECT);
        String newQuery = acceptedQuery(newKeyRequest);
        assertThat(rejection(client.adminConsent().complete(ACME, ConsentCallback.fromQueryString(newQuery))))
                .as("the old client does not know the new key").isEqualTo(RejectionReason.STATE_FORGED);
        assertThat(rotated.adminConsent().complete(ACME, ConsentCallback.fromQueryString(newQuery)))
                .isInstanceOf(ConsentOutcome.Granted.class);
    }

    @Test
    void aForgedTenantIsCaughtByVerificationAndNeverStored() {
        ConsentRequest request = client.adminConsent().begin(ACME, FakeCloudFixture.REDIRECT);
        // An attacker who holds a valid state swaps in a real tenant that never consented.
        String forged = acceptedQuery(request).replace(fx.contoso.id().value(), fx.fabrikam.id().value());
        ConsentOutcome outcome = client.adminConsent().complete(ACME, ConsentCallback.fromQueryString(forged));
        assertThat(outcome).isEqualTo(new ConsentOutcome.Granted(ACME, fx.fabrikam.id(),
                "https://graph.microsoft.com/.default"));
        ConsentVerification v = client.adminConsent().verify((ConsentOutcome.Granted) outcome);
        assertThat(v.status()).isEqualTo(ConsentVerification.Status.CONSENT_MISSING);
        assertThat(v.detail()).startsWith("Admin consent is missing").contains("AADSTS700016");
        var stored = fx.store.findConnection(ACME).orElseThrow();
        assertThat(stored.tenant()).isEmpty();
        assertThat(stored.status()).isEqualTo(ConnectionStatus.CONSENT_MISSING);
    }

    @Test
    void missingDuplicatedOversizedAndNonUtf8CallbacksAreRejectedWithoutExceptions() {
        ConsentRequest request = client.adminConsent().begin(ACME, FakeCloudFixture.REDIRECT);
        String query = acceptedQuery(request);
        Map<String, RejectionReason> cases = new LinkedHashMap<>();
        cases.put(query.replaceAll("&?state=[^&]*", ""), RejectionReason.STATE_MISSING);
        cases.put(query.replaceAll("state=[^&]*", "state="), RejectionReason.STATE_MISSING);
        cases.put("", RejectionReason.STATE_MISSING);
        cases.put(query + "&state=" + request.state(), RejectionReason.PARAMETER_DUPLICATED);
        cases.put(query + "&admin_consent=True", RejectionReason.PARAMETER_DUPLICATED);
        cases.put(query + "&padding=" + "x".repeat(9000), RejectionReason.CALLBACK_OVERSIZED);
        cases.put(query + "&tenant_hint=%C3%28", RejectionReason.CALLBACK_MALFORMED);
        cases.put(query + "&x=%FF%FE", RejectionReason.CALLBACK_MALFORMED);
        cases.put(query + "&x=%E0%A4%A", RejectionReason.CALLBACK_MALFORMED);
        cases.put(withState(query, "v1." + "A".repeat(3000) + ".AAAA"), RejectionReason.STATE_MALFORMED);
        cases.forEach((callback, reason) -> assertThat(rejection(client.adminConsent().complete(ACME,
                ConsentCallback.fromQueryString(callback)))).as(callback.length() > 200 ? "long callback" : callback)
                .isEqualTo(reason));
        assertThat(rejection(client.adminConsent().complete(ACME,
                ConsentCallback.fromParameters(Map.of("state", List.of(request.state()), "tenant", List.of("ab\uFFFD"))))))
                .isEqualTo(RejectionReason.CALLBACK_MALFORMED);
        assertThat(client.adminConsent().complete(ACME, ConsentCallback.fromQueryString(query)))
                .as("none of the defective callbacks burnt the state").isInstanceOf(ConsentOutcome.Granted.class);
    }
}
