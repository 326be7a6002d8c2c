package com.tekst.outlook.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tekst.outlook.Connection;
import com.tekst.outlook.ConnectionPermissions;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionStatus;
import com.tekst.outlook.ConnectionType;
import com.tekst.outlook.InvalidValueException;
import com.tekst.outlook.OutlookClientException;
import com.tekst.outlook.TenantHint;
import com.tekst.outlook.consent.ConsentCallback;
import com.tekst.outlook.consent.ConsentOutcome;
import com.tekst.outlook.consent.ConsentRequest;
import com.tekst.outlook.consent.ConsentVerification;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole consent step against the fake cloud over HTTPS: a browser-like client, real msal4j, the store. */
class AdminConsentRoundTripTest {
    FakeCloudFixture fx;
    OutlookClient client;
    OkHttpClient browser;

    @BeforeEach
    void start() {
        fx = new FakeCloudFixture();
        client = fx.client();
        browser = new OkHttpClient.Builder()
                .sslSocketFactory(fx.cloud.sslSocketFactory(), fx.cloud.trustManager())
                .followRedirects(false)
                .build();
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void theAdministratorAcceptsInTheBrowserAndTheConnectionIsVerifiedAndStored() throws IOException {
        ConnectionId connection = ConnectionId.of("acme-outlook");
        ConsentRequest request = client.adminConsent().begin(connection, FakeCloudFixture.REDIRECT);
        assertThat(fx.store.findConnection(connection)).hasValueSatisfying(c -> {
            assertThat(c.status()).isEqualTo(ConnectionStatus.PENDING_CONSENT);
            assertThat(c.type()).isEqualTo(ConnectionType.ORGANIZATION_WIDE);
        });

        // 1. The browser opens the consent URL: Microsoft's (the fake's) page lists the permissions.
        String page;
        try (Response r = browser.newCall(new Request.Builder().url(request.consentUrl().toString()).build())
                .execute()) {
            assertThat(r.code()).isEqualTo(200);
            page = r.body().string();
        }
        assertThat(page).contains("Mail.Read", "User.Read.All", "MailboxSettings.Read", "name=\"login\"");

        // 2. The administrator signs in and presses Accept: the form's fields go back as a POST.
        FormBody.Builder form = new FormBody.Builder();
        Matcher hidden = Pattern.compile("<input type=\"hidden\" name=\"([a-z_]+)\" value=\"([^\"]*)\">").matcher(page);
        while (hidden.find()) {
            form.add(hidden.group(1), unescape(hidden.group(2)));
        }
        form.add("login", FakeCloudFixture.CONTOSO_ADMIN).add("action", "accept");
        Matcher action = Pattern.compile("<form method=\"post\" action=\"([^\"]+)\">").matcher(page);
        assertThat(action.find()).isTrue();
        String location;
        try (Response r = browser.newCall(new Request.Builder()
                .url(HttpUrl.get(request.consentUrl().toString()).resolve(action.group(1)))
                .post(form.build()).build()).execute()) {
            assertThat(r.code()).isEqualTo(302);
            location = r.header("Location");
        }

        // 3. Microsoft redirects back to Tekst: complete reads the callback, verify proves it with a token.
        URI back = URI.create(location);
        assertThat(back.getHost()).isEqualTo(FakeCloudFixture.REDIRECT.getHost());
        ConsentOutcome outcome = client.adminConsent().complete(connection,
                ConsentCallback.fromQueryString(back.getRawQuery()));
        assertThat(outcome).isEqualTo(new ConsentOutcome.Granted(connection, fx.contoso.id(),
                "https://graph.microsoft.com/.default"));

        ConsentVerification verification = client.adminConsent().verify((ConsentOutcome.Granted) outcome);
        assertThat(verification.status()).isEqualTo(ConsentVerification.Status.VERIFIED);
        assertThat(verification.grantedPermissions()).containsExactly("Mail.Read", "MailboxSettings.Read",
                "User.Read.All");
        assertThat(fx.cloud.journal().tokenRequests(fx.contoso.id())).hasSize(1)
                .allSatisfy(e -> assertThat(e.status()).isEqualTo(200));

        Connection stored = fx.store.findConnection(connection).orElseThrow();
        assertThat(stored).isEqualTo(new Connection(connection, ConnectionType.ORGANIZATION_WIDE, fx.contoso.id(),
                ConnectionStatus.CONNECTED, fx.clock.instant(), fx.clock.instant(), ConnectionPermissions.DEFAULT));
        assertThat(fx.store.listConnections()).containsExactly(stored);
    }

    @Test
    void theConsentUrlIsMicrosoftsV2EndpointWithGraphDefaultScopeAndAnOpaqueUrlSafeState() {
        ConsentRequest request = client.adminConsent().begin(ConnectionId.of("c1"), FakeCloudFixture.REDIRECT);
        HttpUrl url = HttpUrl.get(request.consentUrl().toString());
        assertThat(url.scheme()).isEqualTo("https");
        assertThat(url.port()).isEqualTo(fx.cloud.port());
        assertThat(url.encodedPath()).isEqualTo("/organizations/v2.0/adminconsent");
        assertThat(url.queryParameterNames()).containsExactly("client_id", "scope", "redirect_uri", "state");
        assertThat(url.queryParameter("client_id")).isEqualTo(fx.cloud.app().clientId());
        assertThat(url.queryParameter("scope")).isEqualTo("https://graph.microsoft.com/.default");
        assertThat(request.consentUrl().getRawQuery()).contains("scope=https%3A%2F%2Fgraph.microsoft.com%2F.default",
                "redirect_uri=https%3A%2F%2Fapp.tekst.example%2Foutlook%2Fconsent%2Fcallback");
        assertThat(url.queryParameter("redirect_uri")).isEqualTo(FakeCloudFixture.REDIRECT.toString());
        assertThat(url.queryParameter("state")).isEqualTo(request.state())
                .matches("v1\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}");
        assertThat(request.expiresAt()).isEqualTo(fx.clock.instant().plus(Duration.ofMinutes(10)));
        assertThat(request.toString()).doesNotContain(request.state());

        ConsentRequest hinted = client.adminConsent().begin(ConnectionId.of("c2"), FakeCloudFixture.REDIRECT,
                TenantHint.of("contoso.onmicrosoft.com"));
        assertThat(hinted.consentUrl().getRawPath()).isEqualTo("/contoso.onmicrosoft.com/v2.0/adminconsent");
        assertThat(client.adminConsent().begin(ConnectionId.of("c3"), FakeCloudFixture.REDIRECT)
                .state()).as("every begin gets a new state").isNotEqualTo(request.state());
    }

    @Test
    void beginRefusesRedirectUrisMicrosoftWouldNotHonour() {
        ConnectionId c = ConnectionId.of("c1");
        for (String bad : new String[] {"http://app.tekst.example/cb", "https://app.tekst.example/cb#frag",
                "/relative/cb", "https://user:pw@app.tekst.example/cb", "ftp://app.tekst.example/cb",
                "https://app.tekst.example/" + "x".repeat(1100)}) {
            assertThatThrownBy(() -> client.adminConsent().begin(c, URI.create(bad)))
                    .as(bad).isInstanceOf(InvalidValueException.class).hasMessageStartingWith("redirect URI ");
        }
        assertThat(fx.store.findConnection(c)).as("nothing stored for a refused begin").isEmpty();
        assertThat(client.adminConsent().begin(c, URI.create("http://localhost:8080/cb")).consentUrl()).isNotNull();
        assertThat(client.adminConsent().begin(c, URI.create("http://127.0.0.1/cb")).consentUrl()).isNotNull();
    }

    @Test
    void aPersonalConnectionCannotTakeAdminConsent() {
        ConnectionId personal = ConnectionId.of("personal-1");
        fx.store.saveConnection(Connection.pending(personal, ConnectionType.PERSONAL, fx.clock.instant()));
        assertThatThrownBy(() -> client.adminConsent().begin(personal, FakeCloudFixture.REDIRECT))
                .isInstanceOf(OutlookClientException.class).hasMessageContaining("organization-wide");
    }

    @Test
    void reConsentOfAConnectedConnectionKeepsItsFirstConnectionTime() {
        ConnectionId connection = ConnectionId.of("acme");
        ConsentOutcome first = fx.consent(client, connection, FakeCloudFixture.CONTOSO_ADMIN, true);
        assertThat(client.adminConsent().verify((ConsentOutcome.Granted) first).isVerified()).isTrue();
        var connectedAt = fx.store.findConnection(connection).orElseThrow().connectedAt();
        fx.clock.advance(Duration.ofDays(3));
        ConsentOutcome again = fx.consent(client, connection, FakeCloudFixture.CONTOSO_ADMIN, true);
        assertThat(client.adminConsent().verify((ConsentOutcome.Granted) again).isVerified()).isTrue();
        Connection stored = fx.store.findConnection(connection).orElseThrow();
        assertThat(stored.connectedAt()).isEqualTo(connectedAt);
        assertThat(stored.status()).isEqualTo(ConnectionStatus.CONNECTED);
    }

    @Test
    void consentInAnotherTenantNeverRebindsAConnectedConnection() {
        ConnectionId connection = ConnectionId.of("acme");
        ConsentOutcome first = fx.consent(client, connection, FakeCloudFixture.CONTOSO_ADMIN, true);
        client.adminConsent().verify((ConsentOutcome.Granted) first);
        ConsentOutcome other = fx.consent(client, connection, FakeCloudFixture.FABRIKAM_ADMIN, true);
        assertThat(other).isInstanceOf(ConsentOutcome.Granted.class);
        ConsentVerification v = client.adminConsent().verify((ConsentOutcome.Granted) other);
        assertThat(v.status()).isEqualTo(ConsentVerification.Status.TENANT_MISMATCH);
        assertThat(v.connectionStatus()).isEmpty();
        assertThat(fx.cloud.journal().tokenRequests(fx.fabrikam.id())).as("nothing requested").isEmpty();
        assertThat(fx.store.findConnection(connection).orElseThrow().tenant()).hasValue(fx.contoso.id());
    }

    private static String unescape(String html) {
        return html.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&");
    }
}
