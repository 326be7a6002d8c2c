package com.tekst.outlook.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.MsalServiceException;
import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The token endpoint's error answers in Microsoft's JSON shape, read with a plain HTTP client (the shape) and with
 * msal4j where the credential is a certificate.
 */
class TokenEndpointErrorsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    FakeMicrosoftCloud cloud;
    FakeTenant contoso;
    OkHttpClient http;

    @BeforeEach
    void start() {
        cloud = FakeMicrosoftCloud.builder()
                .tenant(FakeTenant.builder("contoso").administrator("admin@contoso.onmicrosoft.com").consentGranted())
                .tenant(FakeTenant.builder("fabrikam").administrator("admin@fabrikam.onmicrosoft.com"))
                .start();
        contoso = cloud.findTenant("contoso.onmicrosoft.com").orElseThrow();
        http = new OkHttpClient.Builder().sslSocketFactory(cloud.sslSocketFactory(), cloud.trustManager()).build();
    }

    @AfterEach
    void stop() {
        cloud.close();
    }

    record Answer(int status, JsonNode body, okhttp3.Headers headers) {
        String description() {
            return body.path("error_description").asText();
        }
    }

    Answer token(String tenant, String secret, String clientRequestId) throws IOException {
        FormBody form = new FormBody.Builder()
                .add("grant_type", "client_credentials")
                .add("client_id", cloud.app().clientId())
                .add("client_secret", secret)
                .add("scope", "https://graph.microsoft.com/.default")
                .build();
        Request.Builder request = new Request.Builder()
                .url(cloud.loginBaseUrl() + "/" + tenant + "/oauth2/v2.0/token").post(form);
        if (clientRequestId != null) {
            request.header("client-request-id", clientRequestId);
        }
        try (Response r = http.newCall(request.build()).execute()) {
            return new Answer(r.code(), JSON.readTree(r.body().string()), r.headers());
        }
    }

    Answer token(FakeTenant tenant) throws IOException {
        return token(tenant.id().value(), cloud.clientSecret(), null);
    }

    static void assertMicrosoftErrorShape(Answer a, int status, String error, int code) {
        assertThat(a.status()).isEqualTo(status);
        assertThat(a.body().path("error").asText()).isEqualTo(error);
        assertThat(a.description()).startsWith("AADSTS" + code + ": ")
                .containsPattern("\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: [0-9a-f-]{36}\r\nTimestamp: ");
        assertThat(a.body().path("error_codes").get(0).asInt()).isEqualTo(code);
        assertThat(a.body().path("trace_id").asText()).matches("[0-9a-f-]{36}");
        assertThat(a.body().path("correlation_id").asText()).matches("[0-9a-f-]{36}");
        assertThat(a.body().path("timestamp").asText()).isNotBlank();
        assertThat(a.body().path("error_uri").asText()).isEqualTo("https://login.microsoftonline.com/error?code=" + code);
    }

    @Test
    void aTenantThatNeverConsentedAnswers700016() throws IOException {
        assertMicrosoftErrorShape(token(cloud.findTenant("fabrikam.onmicrosoft.com").orElseThrow()), 400, "unauthorized_client",
                700016);
    }

    @Test
    void anEnterpriseAppWithoutGrantAnswers65001() throws IOException {
        contoso.removeConsentGrant(cloud.app());
        assertMicrosoftErrorShape(token(contoso), 400, "invalid_grant", 65001);
    }

    @Test
    void aWrongSecretAnswers7000215AndAnExpiredOne7000222() throws IOException {
        assertMicrosoftErrorShape(token(contoso.id().value(), "wrong~secret", null), 401, "invalid_client", 7000215);
        String secret = cloud.clientSecret();
        cloud.app().expireSecrets();
        Answer expired = token(contoso.id().value(), secret, null);
        assertMicrosoftErrorShape(expired, 401, "invalid_client", 7000222);
        assertThat(expired.body().toString()).doesNotContain(secret);
    }

    @Test
    void anUnknownTenantAnswers90002() throws IOException {
        assertMicrosoftErrorShape(token(UUID.randomUUID().toString(), cloud.clientSecret(), null), 400,
                "invalid_request", 90002);
    }

    @Test
    void aDisabledAppAnswers7000112() throws IOException {
        contoso.setAppDisabled(cloud.app(), true);
        assertMicrosoftErrorShape(token(contoso), 400, "unauthorized_client", 7000112);
        contoso.setAppDisabled(cloud.app(), false);
        assertThat(token(contoso).status()).isEqualTo(200);
        cloud.app().disable();
        assertMicrosoftErrorShape(token(contoso), 400, "unauthorized_client", 7000112);
    }

    @Test
    void throttlingAnswers429WithRetryAfterThenRecovers() throws IOException {
        cloud.faults().add(Faults.on(Faults.tokenRequests()).times(1).respond(Fault.throttle(Duration.ofMillis(4500))));
        Answer throttled = token(contoso);
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.headers().get("Retry-After")).isEqualTo("5");
        assertThat(throttled.body().path("error_codes").get(0).asInt()).isEqualTo(50196);
        assertThat(cloud.journal().tokenRequests(contoso.id()).get(0).retryAfter()).contains(Duration.ofSeconds(5));
        assertThat(token(contoso).status()).isEqualTo(200);
    }

    @Test
    void serviceErrorsAnswer5xxInTheIdentityShape() throws IOException {
        cloud.faults().add(Faults.on(Faults.tokenRequests()).times(2).respond(Fault.serviceUnavailable()));
        Answer failed = token(contoso);
        assertThat(failed.status()).isEqualTo(503);
        assertThat(failed.body().path("error").asText()).isEqualTo("temporarily_unavailable");
        assertThat(failed.description()).startsWith("AADSTS90006: ");
        assertThat(token(contoso).status()).isEqualTo(503);
        assertThat(token(contoso).status()).isEqualTo(200);
    }

    @Test
    void theClientRequestIdIsEchoedAndBecomesTheCorrelationId() throws IOException {
        String id = UUID.randomUUID().toString();
        Answer ok = token(contoso.id().value(), cloud.clientSecret(), id);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.headers().get("client-request-id")).isEqualTo(id);
        Answer failed = token(contoso.id().value(), "wrong", id);
        assertThat(failed.headers().get("client-request-id")).isEqualTo(id);
        assertThat(failed.body().path("correlation_id").asText()).isEqualTo(id);
        assertThat(cloud.journal().tokenRequests(contoso.id())).allSatisfy(e -> assertThat(e.clientRequestId())
                .contains(id));
    }

    @Test
    void aCertificateClientAssertionGetsATokenAndAnUnregisteredOneGets700027() throws Exception {
        HeldCertificate registered = new HeldCertificate.Builder().rsa2048().commonName("tekst").build();
        HeldCertificate unregistered = new HeldCertificate.Builder().rsa2048().commonName("other").build();
        cloud.app().addCertificate(registered.certificate());

        IAuthenticationResult result = msal(registered).acquireToken(ClientCredentialParameters
                .builder(Set.of("https://graph.microsoft.com/.default")).build()).get();
        String claims = new String(Base64.getUrlDecoder().decode(result.accessToken().split("\\.")[1]));
        assertThat(claims).contains("\"tid\":\"" + contoso.id() + "\"");
        assertThat(cloud.journal().tokenRequests(contoso.id()).get(0).status()).isEqualTo(200);

        ConfidentialClientApplication wrong = msal(unregistered);
        assertThatThrownBy(() -> wrong.acquireToken(ClientCredentialParameters
                .builder(Set.of("https://graph.microsoft.com/.default")).build()).get())
                .hasCauseInstanceOf(MsalServiceException.class)
                .hasMessageContaining("AADSTS700027");
        assertThat(cloud.journal().tokenRequests(contoso.id()).get(1).status()).isEqualTo(401);
    }

    ConfidentialClientApplication msal(HeldCertificate cert) throws Exception {
        return ConfidentialClientApplication.builder(cloud.app().clientId(),
                        ClientCredentialFactory.createFromCertificate(cert.keyPair().getPrivate(), cert.certificate()))
                .authority(cloud.authority(contoso.id()))
                .aadInstanceDiscoveryResponse(cloud.instanceDiscoveryJson(contoso.id()))
                .sslSocketFactory(cloud.sslSocketFactory())
                .build();
    }
}
