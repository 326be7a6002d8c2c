package com.tekst.outlook.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.MsalServiceException;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real msal4j acquires app-only tokens from the fake identity platform, unchanged. */
class Msal4jAgainstFakeTest {
    static FakeMicrosoftCloud cloud;
    static FakeTenant contoso;
    static FakeTenant fabrikam;

    @BeforeAll
    static void start() {
        cloud = FakeMicrosoftCloud.builder()
                .tenant(FakeTenant.builder("contoso").administrator("admin@contoso.onmicrosoft.com").consentGranted())
                .tenant(FakeTenant.builder("fabrikam").administrator("admin@fabrikam.onmicrosoft.com"))
                .start();
        contoso = cloud.findTenant("contoso.onmicrosoft.com").orElseThrow();
        fabrikam = cloud.findTenant("fabrikam.onmicrosoft.com").orElseThrow();
    }

    @BeforeEach
    void clearJournal() {
        cloud.journal().clear();
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    private ConfidentialClientApplication app(FakeTenant tenant, String secret) throws Exception {
        return ConfidentialClientApplication.builder(cloud.app().clientId(), ClientCredentialFactory.createFromSecret(secret))
                .authority(cloud.authority(tenant.id()))
                .aadInstanceDiscoveryResponse(cloud.instanceDiscoveryJson(tenant.id()))
                .sslSocketFactory(cloud.sslSocketFactory())
                .build();
    }

    @Test
    void consentedTenantGetsATokenWithTidAndRoles() throws Exception {
        IAuthenticationResult result = app(contoso, cloud.clientSecret())
                .acquireToken(ClientCredentialParameters.builder(Set.of("https://graph.microsoft.com/.default")).build())
                .get();
        String claims = new String(Base64.getUrlDecoder().decode(result.accessToken().split("\\.")[1]));
        assertThat(claims).contains("\"tid\":\"" + contoso.id() + "\"")
                .contains("\"roles\":[\"Mail.Read\",\"MailboxSettings.Read\",\"User.Read.All\"]")
                .contains("\"idtyp\":\"app\"");
        assertThat(cloud.journal().tokenRequests(contoso.id())).hasSize(1);
    }

    @Test
    void tenantWithoutConsentAnswers700016() throws Exception {
        ConfidentialClientApplication app = app(fabrikam, cloud.clientSecret());
        assertThatThrownBy(() -> app.acquireToken(
                ClientCredentialParameters.builder(Set.of("https://graph.microsoft.com/.default")).build()).get())
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(MsalServiceException.class)
                .hasMessageContaining("AADSTS700016");
    }

    @Test
    void wrongSecretAnswers7000215() throws Exception {
        ConfidentialClientApplication app = app(contoso, "not-the-secret");
        assertThatThrownBy(() -> app.acquireToken(
                ClientCredentialParameters.builder(Set.of("https://graph.microsoft.com/.default")).skipCache(true).build()).get())
                .hasCauseInstanceOf(MsalServiceException.class)
                .hasMessageContaining("AADSTS7000215");
    }
}
