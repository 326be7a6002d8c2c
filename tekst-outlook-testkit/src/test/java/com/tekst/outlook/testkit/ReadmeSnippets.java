package com.tekst.outlook.testkit;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.consent.AdminConsentFlow;
import com.tekst.outlook.consent.ConsentCallback;
import com.tekst.outlook.consent.ConsentOutcome;
import com.tekst.outlook.consent.ConsentRequest;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import okhttp3.OkHttpClient;

/**
 * The Java blocks of tekst-outlook-testkit/README.md, verbatim, so they compile (ReadmeSnippetsIT in
 * examples/consumer-check checks every README block appears in a compiled source). Its JUnit 5 block is
 * {@link ReadmeExampleTest}, which runs it; {@link GraphSdkAgainstFakeTest} and {@link FaultsTest} run the same calls. Not a test class itself.
 */
final class ReadmeSnippets {
    private ReadmeSnippets() {
    }

    /** "msal4j and the Graph SDK against the fake". */
    static GraphServiceClient graphSdk(FakeMicrosoftCloud cloud, FakeTenant contoso) throws Exception {
        ConfidentialClientApplication msal = ConfidentialClientApplication
                .builder(cloud.app().clientId(), ClientCredentialFactory.createFromSecret(cloud.clientSecret()))
                .authority(cloud.authority(contoso.id()))
                .aadInstanceDiscoveryResponse(cloud.instanceDiscoveryJson(contoso.id()))   // no call to login.microsoftonline.com
                .sslSocketFactory(cloud.sslSocketFactory())
                .build();
        BaseBearerTokenAuthenticationProvider auth = new BaseBearerTokenAuthenticationProvider(tokenProviderBackedBy(msal));
        OkHttpClient okHttp = GraphClientFactory.create(auth)                 // keeps Graph's retry and redirect handlers
                .sslSocketFactory(cloud.sslSocketFactory(), cloud.trustManager()).build();
        GraphServiceClient graph = new GraphServiceClient(auth, okHttp);
        graph.getRequestAdapter().setBaseUrl(cloud.graphBaseUrl().toString());   // https://localhost:PORT/v1.0
        return graph;
    }

    /** "Consent". */
    static ConsentOutcome consent(FakeMicrosoftCloud cloud, AdminConsentFlow flow, ConnectionId connection,
                                  ConsentRequest request) {
        URI back = cloud.adminConsent(request.consentUrl(), "admin@contoso.onmicrosoft.com", true); // false = Cancel
        ConsentOutcome outcome = flow.complete(connection, ConsentCallback.fromQueryString(back.getRawQuery()));
        return outcome;
    }

    /** "Faults". */
    static void faults(FakeMicrosoftCloud cloud, FakeMailbox alice, FakeMailbox bob) {
        cloud.faults().add(Faults.on(Faults.path("/v1.0/users/[^/]+/messages")).nth(3).respond(Fault.internalServerError()));
        cloud.faults().add(Faults.throttleMailbox(alice.objectId(), 5, Duration.ofSeconds(30)));
        cloud.faults().add(Faults.on(Faults.mailbox(bob.objectId())).times(2).respond(Fault.serviceUnavailable()));
        cloud.faults().add(Faults.on(Faults.graph()).always().withProbability(0.05, 42).respond(Fault.gatewayTimeout()));
        cloud.faults().add(Faults.on(Faults.deltaRequests()).times(1).respond(Fault.dropConnectionMidBody()));
    }

    /** The token provider the README's Graph SDK snippet names: msal4j's app-only token for Graph. */
    static AccessTokenProvider tokenProviderBackedBy(ConfidentialClientApplication msal) {
        return new AccessTokenProvider() {
            @Override
            public String getAuthorizationToken(URI uri, Map<String, Object> context) {
                try {
                    return msal.acquireToken(ClientCredentialParameters
                            .builder(Set.of("https://graph.microsoft.com/.default")).build()).get().accessToken();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public AllowedHostsValidator getAllowedHostsValidator() {
                return new AllowedHostsValidator("localhost");
            }
        };
    }
}
