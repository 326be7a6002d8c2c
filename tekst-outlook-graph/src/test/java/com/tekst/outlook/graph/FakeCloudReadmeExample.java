package com.tekst.outlook.graph;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.consent.ConsentCallback;
import com.tekst.outlook.consent.ConsentOutcome;
import com.tekst.outlook.consent.ConsentRequest;
import com.tekst.outlook.consent.ConsentVerification;
import com.tekst.outlook.testkit.FakeApp;
import com.tekst.outlook.testkit.FakeMicrosoftCloud;
import com.tekst.outlook.testkit.FakeTenant;
import java.net.URI;

/** The graph README's "Testing against the fake" snippet, compiled; {@code FakeCloudReadmeExampleTest} runs it. */
final class FakeCloudReadmeExample {
    private FakeCloudReadmeExample() {
    }

    static ConsentVerification connectToTheFake() {
        // README: begin
        URI callback = URI.create("https://app.tekst.example/outlook/consent/callback");
        try (FakeMicrosoftCloud cloud = FakeMicrosoftCloud.builder()
                .app(FakeApp.builder().redirectUri(callback.toString()))
                .tenant(FakeTenant.builder("contoso").administrator("admin@contoso.onmicrosoft.com"))
                .start();
             OutlookClient client = OutlookClient.builder(cloud).build()) {
            ConnectionId acme = ConnectionId.of("acme");
            ConsentRequest request = client.adminConsent().begin(acme, callback);
            URI back = cloud.adminConsent(request.consentUrl(), "admin@contoso.onmicrosoft.com", true);
            ConsentOutcome outcome = client.adminConsent().complete(acme,
                    ConsentCallback.fromQueryString(back.getRawQuery()));
            return client.adminConsent().verify((ConsentOutcome.Granted) outcome); // isVerified(): CONNECTED
        }
        // README: end
    }
}
