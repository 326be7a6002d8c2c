package com.tekst.outlook.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake's admin-consent endpoints, driven like a browser over HTTPS with OkHttp. */
class AdminConsentPageTest {
    static final String REDIRECT = "https://app.tekst.example/outlook/callback";

    FakeMicrosoftCloud cloud;
    FakeTenant contoso;
    FakeTenant fabrikam;
    OkHttpClient browser;

    @BeforeEach
    void start() {
        cloud = FakeMicrosoftCloud.builder()
                .app(FakeApp.builder().displayName("Tekst <Outlook> & Co").redirectUri(REDIRECT))
                .tenant(FakeTenant.builder("contoso").administrator("admin@contoso.onmicrosoft.com")
                        .user("alice@contoso.onmicrosoft.com"))
                .tenant(FakeTenant.builder("fabrikam").administrator("admin@fabrikam.onmicrosoft.com"))
                .start();
        contoso = cloud.findTenant("contoso.onmicrosoft.com").orElseThrow();
        fabrikam = cloud.findTenant("fabrikam.onmicrosoft.com").orElseThrow();
        browser = new OkHttpClient.Builder()
                .sslSocketFactory(cloud.sslSocketFactory(), cloud.trustManager())
                .followRedirects(false)
                .build();
    }

    @AfterEach
    void stop() {
        cloud.close();
    }

    HttpUrl consentUrl(String tenant) {
        return HttpUrl.get(cloud.loginBaseUrl() + "/" + tenant + "/v2.0/adminconsent").newBuilder()
                .addQueryParameter("client_id", cloud.app().clientId())
                .addQueryParameter("scope", "https://graph.microsoft.com/.default")
                .addQueryParameter("redirect_uri", REDIRECT)
                .addQueryParameter("state", "st-123")
                .build();
    }

    Response get(HttpUrl url) throws IOException {
        return browser.newCall(new Request.Builder().url(url).build()).execute();
    }

    /** Submits the consent page's form the way a browser does: hidden fields, the account, the button. */
    Response submit(HttpUrl consentUrl, String account, String action) throws IOException {
        FormBody.Builder form = new FormBody.Builder();
        for (String name : consentUrl.queryParameterNames()) {
            form.add(name, consentUrl.queryParameter(name));
        }
        form.add("login", account).add("action", action);
        return browser.newCall(new Request.Builder().url(consentUrl.newBuilder().query(null).build())
                .post(form.build()).build()).execute();
    }

    static Map<String, String> redirectParams(Response response) {
        assertThat(response.code()).isEqualTo(302);
        HttpUrl location = HttpUrl.get(response.header("Location"));
        assertThat(location.newBuilder().query(null).build().toString()).isEqualTo(REDIRECT);
        Map<String, String> params = new LinkedHashMap<>();
        for (String name : location.queryParameterNames()) {
            params.put(name, location.queryParameter(name));
        }
        return params;
    }

    boolean tokenIssued(FakeTenant tenant) throws IOException {
        FormBody form = new FormBody.Builder()
                .add("grant_type", "client_credentials")
                .add("client_id", cloud.app().clientId())
                .add("client_secret", cloud.clientSecret())
                .add("scope", "https://graph.microsoft.com/.default")
                .build();
        try (Response r = browser.newCall(new Request.Builder()
                .url(cloud.loginBaseUrl() + "/" + tenant.id() + "/oauth2/v2.0/token").post(form).build()).execute()) {
            String body = r.body().string();
            if (r.code() != 200) {
                assertThat(body).contains("AADSTS700016");
            }
            return r.code() == 200;
        }
    }

    @Test
    void pageListsTheAppAndItsApplicationPermissionsEscaped() throws IOException {
        try (Response r = get(consentUrl(contoso.id().value()))) {
            String html = r.body().string();
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.header("Content-Type")).startsWith("text/html");
            assertThat(html).contains("Tekst &lt;Outlook&gt; &amp; Co").doesNotContain("Tekst <Outlook>");
            assertThat(html).contains("Mail.Read", "User.Read.All", "MailboxSettings.Read", "(Application)");
            assertThat(html).contains("value=\"admin@contoso.onmicrosoft.com\"")
                    .as("the account defaults to the tenant's administrator");
            assertThat(html).contains("name=\"state\" value=\"st-123\"", "value=\"accept\"", "value=\"cancel\"",
                    "method=\"post\"");
        }
        try (Response r = get(consentUrl("organizations"))) {
            assertThat(r.body().string()).contains("name=\"login\" value=\"\"");
        }
    }

    @Test
    void acceptByTheAdministratorRecordsConsentAndRedirectsWithTheTenant() throws IOException {
        assertThat(tokenIssued(contoso)).as("no consent yet: AADSTS700016").isFalse();
        try (Response r = submit(consentUrl("organizations"), "admin@contoso.onmicrosoft.com", "accept")) {
            assertThat(redirectParams(r)).containsExactly(
                    Map.entry("admin_consent", "True"),
                    Map.entry("tenant", contoso.id().value()),
                    Map.entry("scope", "https://graph.microsoft.com/.default"),
                    Map.entry("state", "st-123"));
        }
        assertThat(contoso.consentState(cloud.app())).isEqualTo(FakeTenant.ConsentState.GRANTED);
        assertThat(contoso.grantedPermissions(cloud.app())).isEqualTo(cloud.app().requestedPermissions());
        assertThat(tokenIssued(contoso)).isTrue();
        assertThat(fabrikam.consentState(cloud.app())).isEqualTo(FakeTenant.ConsentState.NONE);
    }

    @Test
    void cancelRedirectsWithAccessDenied65004AndNoTenant() throws IOException {
        try (Response r = submit(consentUrl("organizations"), "admin@contoso.onmicrosoft.com", "cancel")) {
            Map<String, String> p = redirectParams(r);
            assertThat(p).containsKeys("error", "error_description", "error_uri", "admin_consent", "state")
                    .doesNotContainKey("tenant");
            assertThat(p.get("error")).isEqualTo("access_denied");
            assertThat(p.get("error_description"))
                    .startsWith("AADSTS65004: User declined to consent to access the app.\r\nTrace ID: ")
                    .contains("\r\nCorrelation ID: ", "\r\nTimestamp: 2026-01-05 09:00:00Z");
            assertThat(p.get("error_uri")).isEqualTo("https://login.microsoftonline.com/error?code=65004");
            assertThat(p.get("admin_consent")).isEqualTo("True");
            assertThat(p.get("state")).isEqualTo("st-123");
        }
        assertThat(contoso.consentState(cloud.app())).isEqualTo(FakeTenant.ConsentState.NONE);
    }

    @Test
    void aNonAdministratorGetsAdminApprovalRequired90094() throws IOException {
        try (Response r = submit(consentUrl(contoso.id().value()), "alice@contoso.onmicrosoft.com", "accept")) {
            Map<String, String> p = redirectParams(r);
            assertThat(p.get("error")).isEqualTo("access_denied");
            assertThat(p.get("error_description")).startsWith("AADSTS90094: ");
            assertThat(p.get("error_uri")).endsWith("?code=90094");
            assertThat(p).doesNotContainKey("tenant");
        }
        assertThat(contoso.consentState(cloud.app())).isEqualTo(FakeTenant.ConsentState.NONE);
    }

    @Test
    void anAccountFromAnotherDirectoryGets50020() throws IOException {
        try (Response r = submit(consentUrl("contoso.onmicrosoft.com"), "admin@fabrikam.onmicrosoft.com", "accept")) {
            Map<String, String> p = redirectParams(r);
            assertThat(p.get("error")).isEqualTo("access_denied");
            assertThat(p.get("error_description")).startsWith("AADSTS50020: User account '{EmailHidden}' from"
                    + " identity provider 'https://sts.windows.net/" + fabrikam.id() + "/' does not exist in tenant"
                    + " 'Contoso'");
            assertThat(p).doesNotContainKey("tenant");
        }
        assertThat(contoso.consentState(cloud.app())).isEqualTo(FakeTenant.ConsentState.NONE);
        assertThat(fabrikam.consentState(cloud.app())).isEqualTo(FakeTenant.ConsentState.NONE);
    }

    @Test
    void anUnregisteredRedirectUriIsAnErrorPageNeverARedirect() throws IOException {
        HttpUrl url = consentUrl("organizations").newBuilder()
                .setQueryParameter("redirect_uri", "https://evil.example/steal").build();
        try (Response r = get(url)) {
            assertThat(r.code()).isEqualTo(400);
            assertThat(r.header("Location")).isNull();
            assertThat(r.body().string()).contains("AADSTS50011: The redirect URI &#39;https://evil.example/steal&#39;");
        }
        try (Response r = submit(url, "admin@contoso.onmicrosoft.com", "accept")) {
            assertThat(r.code()).isEqualTo(400);
            assertThat(r.header("Location")).isNull();
        }
        assertThat(contoso.consentState(cloud.app())).isEqualTo(FakeTenant.ConsentState.NONE);
        assertThatThrownBy(() -> cloud.adminConsent(url.uri(), "admin@contoso.onmicrosoft.com", true))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("AADSTS50011");
    }

    @Test
    void anUnknownClientIdIsAnErrorPage700016() throws IOException {
        HttpUrl url = consentUrl("organizations").newBuilder()
                .setQueryParameter("client_id", "11111111-2222-3333-4444-555555555555").build();
        try (Response r = get(url)) {
            assertThat(r.code()).isEqualTo(400);
            assertThat(r.header("Location")).isNull();
            assertThat(r.body().string()).contains("AADSTS700016: Application with identifier"
                    + " &#39;11111111-2222-3333-4444-555555555555&#39; was not found");
        }
    }

    @Test
    void theCommonEndpointAnswersTheResponseTypeErrorSeenInTheField() throws IOException {
        try (Response r = get(consentUrl("common"))) {
            Map<String, String> p = redirectParams(r);
            assertThat(p).containsExactly(Map.entry("error", "invalid_request"),
                    Map.entry("error_description",
                            "The provided request must include a 'response_type' input parameter."),
                    Map.entry("state", "st-123"));
        }
    }

    @Test
    void aMissingOrNonDefaultScopeIsRefused() throws IOException {
        try (Response r = get(consentUrl("organizations").newBuilder().removeAllQueryParameters("scope").build())) {
            Map<String, String> p = redirectParams(r);
            assertThat(p.get("error")).isEqualTo("invalid_request");
            assertThat(p.get("error_description")).startsWith("AADSTS900144: ").contains("'scope'");
        }
        try (Response r = get(consentUrl("organizations").newBuilder()
                .setQueryParameter("scope", "https://graph.microsoft.com/Mail.Read").build())) {
            Map<String, String> p = redirectParams(r);
            assertThat(p.get("error")).isEqualTo("invalid_scope");
            assertThat(p.get("error_description")).startsWith("AADSTS70011: ");
        }
    }

    @Test
    void aSingleTenantAppGets50194OnOrganizations() {
        try (FakeMicrosoftCloud single = FakeMicrosoftCloud.builder()
                .app(FakeApp.builder().multiTenant(false).redirectUri(REDIRECT))
                .tenant(FakeTenant.builder("contoso").administrator("admin@contoso.onmicrosoft.com"))
                .start()) {
            URI consent = URI.create(single.loginBaseUrl() + "/organizations/v2.0/adminconsent?client_id="
                    + single.app().clientId() + "&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&redirect_uri="
                    + REDIRECT + "&state=s");
            URI back = single.adminConsent(consent, "admin@contoso.onmicrosoft.com", true);
            HttpUrl location = HttpUrl.get(back);
            assertThat(location.queryParameter("error")).isEqualTo("invalid_request");
            assertThat(location.queryParameter("error_description")).startsWith("AADSTS50194: ");
        }
    }

    @Test
    void programmaticApproveAndDenyGoThroughTheFormPath() {
        URI denied = cloud.adminConsent(consentUrl("organizations").uri(), "admin@contoso.onmicrosoft.com", false);
        assertThat(HttpUrl.get(denied).queryParameter("error_description")).startsWith("AADSTS65004:");
        URI granted = cloud.adminConsent(consentUrl("organizations").uri(), "admin@contoso.onmicrosoft.com", true);
        assertThat(HttpUrl.get(granted).queryParameter("tenant")).isEqualTo(contoso.id().value());
        assertThat(cloud.journal().entries(e -> e.path().endsWith("/adminconsent") && e.method().equals("POST")))
                .hasSize(2).allSatisfy(e -> assertThat(e.status()).isEqualTo(302));
        assertThat(contoso.consentState(cloud.app())).isEqualTo(FakeTenant.ConsentState.GRANTED);
    }

    @Test
    void consentTakesTheTenantsPropagationDelayToReachTheTokenEndpoint() throws IOException {
        contoso.setConsentPropagationDelay(Duration.ofSeconds(20));
        cloud.adminConsent(consentUrl("organizations").uri(), "admin@contoso.onmicrosoft.com", true);
        assertThat(tokenIssued(contoso)).isFalse();
        cloud.clock().advance(Duration.ofSeconds(19));
        assertThat(tokenIssued(contoso)).isFalse();
        cloud.clock().advance(Duration.ofSeconds(1));
        assertThat(tokenIssued(contoso)).isTrue();
    }

    @Test
    void theV1EndpointHasNoScopeAndItsOwnCancelShape() {
        URI v1 = URI.create(cloud.loginBaseUrl() + "/common/adminconsent?client_id=" + cloud.app().clientId()
                + "&redirect_uri=" + REDIRECT + "&state=v1state");
        HttpUrl cancelled = HttpUrl.get(cloud.adminConsent(v1, "admin@contoso.onmicrosoft.com", false));
        assertThat(cancelled.queryParameter("error")).isEqualTo("permission_denied");
        assertThat(cancelled.queryParameter("error_description")).isEqualTo("The admin canceled the request");
        assertThat(cancelled.queryParameter("state")).isEqualTo("v1state");
        HttpUrl granted = HttpUrl.get(cloud.adminConsent(v1, "admin@contoso.onmicrosoft.com", true));
        assertThat(granted.queryParameterNames()).containsExactly("tenant", "state", "admin_consent");
        assertThat(granted.queryParameter("tenant")).isEqualTo(contoso.id().value());
        assertThat(granted.queryParameter("admin_consent")).isEqualTo("True");
    }

    @Test
    void anUnknownAccountStaysOnAnErrorPage() throws IOException {
        try (Response r = submit(consentUrl("organizations"), "nobody@nowhere.example", "accept")) {
            assertThat(r.code()).isEqualTo(400);
            assertThat(r.header("Location")).isNull();
            assertThat(r.body().string()).contains("AADSTS50034");
        }
    }
}
