package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionStatus;
import com.tekst.outlook.consent.ConsentCallback;
import com.tekst.outlook.consent.ConsentOutcome;
import com.tekst.outlook.consent.ConsentRequest;
import com.tekst.outlook.consent.ConsentVerification;
import com.tekst.outlook.graph.OutlookClient;
import com.tekst.outlook.store.InMemoryOutlookStore;
import com.tekst.outlook.testkit.FakeApp;
import com.tekst.outlook.testkit.FakeMicrosoftCloud;
import com.tekst.outlook.testkit.FakeTenant;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** A consumer's first test: consent and verification against a fake tenant, with only the README's dependencies. */
class ConsumerTest {
    private static final URI CALLBACK = URI.create("https://app.example.com/outlook/consent/callback");
    private static final String ADMIN = "admin@contoso.onmicrosoft.com";

    @Test
    void aFakeTenantGrantsConsentAndTheConnectionIsConnected() {
        InMemoryOutlookStore store = new InMemoryOutlookStore();
        try (FakeMicrosoftCloud cloud = FakeMicrosoftCloud.builder()
                .app(FakeApp.builder().redirectUri(CALLBACK.toString()))
                .tenant(FakeTenant.builder("contoso").administrator(ADMIN))
                .start();
             OutlookClient client = OutlookClient.builder(cloud).store(store).build()) {
            ConnectionId acme = ConnectionId.of("acme");
            ConsentRequest request = client.adminConsent().begin(acme, CALLBACK);
            URI back = cloud.adminConsent(request.consentUrl(), ADMIN, true);
            ConsentOutcome outcome = client.adminConsent().complete(acme,
                    ConsentCallback.fromQueryString(back.getRawQuery()));
            ConsentOutcome.Granted granted = assertInstanceOf(ConsentOutcome.Granted.class, outcome);
            ConsentVerification verification = client.adminConsent().verify(granted);
            assertTrue(verification.isVerified(), verification.detail());
            assertEquals(ConnectionStatus.CONNECTED, store.findConnection(acme).orElseThrow().status());
        }
    }
}
