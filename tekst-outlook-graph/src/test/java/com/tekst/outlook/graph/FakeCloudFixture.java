package com.tekst.outlook.graph;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.consent.ConsentCallback;
import com.tekst.outlook.consent.ConsentOutcome;
import com.tekst.outlook.consent.ConsentRequest;
import com.tekst.outlook.store.InMemoryOutlookStore;
import com.tekst.outlook.testkit.FakeApp;
import com.tekst.outlook.testkit.FakeClock;
import com.tekst.outlook.testkit.FakeMicrosoftCloud;
import com.tekst.outlook.testkit.FakeTenant;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A fake Microsoft cloud with two tenants and Tekst's app, plus OutlookClients pointed at it. {@code contoso} has an
 * administrator and a user and has not consented; {@code fabrikam} has an administrator and never consents unless a
 * test says so. Close it after the test.
 */
final class FakeCloudFixture implements AutoCloseable {
    static final URI REDIRECT = URI.create("https://app.tekst.example/outlook/consent/callback");
    static final String CONTOSO_ADMIN = "admin@contoso.onmicrosoft.com";
    static final String FABRIKAM_ADMIN = "admin@fabrikam.onmicrosoft.com";

    final FakeClock clock = new FakeClock();
    final FakeMicrosoftCloud cloud;
    final FakeTenant contoso;
    final FakeTenant fabrikam;
    final InMemoryOutlookStore store = new InMemoryOutlookStore();
    final StateKey key = StateKey.random();
    private final List<OutlookClient> clients = new ArrayList<>();

    FakeCloudFixture() {
        cloud = FakeMicrosoftCloud.builder()
                .clock(clock)
                .app(FakeApp.builder().redirectUri(REDIRECT.toString()))
                .tenant(FakeTenant.builder("contoso").administrator(CONTOSO_ADMIN)
                        .user("alice@contoso.onmicrosoft.com"))
                .tenant(FakeTenant.builder("fabrikam").administrator(FABRIKAM_ADMIN))
                .start();
        contoso = cloud.findTenant("contoso.onmicrosoft.com").orElseThrow();
        fabrikam = cloud.findTenant("fabrikam.onmicrosoft.com").orElseThrow();
    }

    /** A client builder pointed at the fake: the app's secret, the fixture's store, key and clock. */
    OutlookClient.Builder builder() {
        return OutlookClient.builder()
                .clientId(cloud.app().clientId())
                .credential(AppCredential.secret(cloud.clientSecret()))
                .stateKeys(key)
                .store(store)
                .cloud(CloudEndpoints.of(cloud.loginBaseUrl(), cloud.graphBaseUrl()))
                .clock(clock)
                .sleeper(clock)
                .trustManager(cloud.trustManager());
    }

    OutlookClient client() {
        return client(b -> b);
    }

    OutlookClient client(UnaryOperator<OutlookClient.Builder> customize) {
        OutlookClient c = customize.apply(builder()).build();
        clients.add(c);
        return c;
    }

    /** Where the browser lands after the administrator answers the consent page. */
    URI answer(ConsentRequest request, String account, boolean accept) {
        return cloud.adminConsent(request.consentUrl(), account, accept);
    }

    /** begin → the account answers → complete. */
    ConsentOutcome consent(OutlookClient client, ConnectionId connection, String account, boolean accept) {
        ConsentRequest request = client.adminConsent().begin(connection, REDIRECT);
        URI back = answer(request, account, accept);
        return client.adminConsent().complete(connection, ConsentCallback.fromQueryString(back.getRawQuery()));
    }

    @Override
    public void close() {
        clients.forEach(OutlookClient::close);
        cloud.close();
    }
}
