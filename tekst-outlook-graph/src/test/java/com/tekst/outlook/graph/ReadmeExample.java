package com.tekst.outlook.graph;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.consent.AdminConsentFlow;
import com.tekst.outlook.consent.ConsentCallback;
import com.tekst.outlook.consent.ConsentOutcome;
import com.tekst.outlook.consent.ConsentRequest;
import com.tekst.outlook.consent.ConsentVerification;
import com.tekst.outlook.store.OutlookStore;
import java.net.URI;

/** The snippet of tekst-outlook-graph/README.md, kept compiling here and run by {@link ReadmeExampleTest}. */
final class ReadmeExample {

    // README: begin
    /** Once, at start-up: one client for Tekst's application, shared by every request and tenant. */
    static OutlookClient createClient(OutlookStore store) {
        return OutlookClient.builder()
                .clientId("b2094c09-0651-49c4-b2c2-ed3b739e2a8c")
                .credential(AppCredential.secret(System.getenv("TEKST_OUTLOOK_CLIENT_SECRET")))
                .stateKeys(StateKey.fromBase64(System.getenv("TEKST_OUTLOOK_STATE_KEY")))
                .store(store)
                .build();
    }

    private final AdminConsentFlow consent;

    ReadmeExample(OutlookClient client) {
        this.consent = client.adminConsent();
    }

    /** "Connect Outlook, organization-wide": where to send the administrator's browser. */
    URI connect(ConnectionId connection) {
        ConsentRequest request = consent.begin(connection,
                URI.create("https://app.tekst.example/outlook/consent/callback"));
        return request.consentUrl();
    }

    /** Microsoft's redirect back to the callback URL: what to tell the user. */
    String callback(ConnectionId connection, String rawQueryString) {
        ConsentOutcome outcome = consent.complete(connection, ConsentCallback.fromQueryString(rawQueryString));
        if (outcome instanceof ConsentOutcome.Granted granted) {
            ConsentVerification verification = consent.verify(granted); // a real app-only token proves it
            return verification.isVerified() ? "Connected" : verification.detail();
        }
        return outcome.message(); // "Admin consent is missing: …" or "Consent callback rejected: …"
    }
    // README: end
}
