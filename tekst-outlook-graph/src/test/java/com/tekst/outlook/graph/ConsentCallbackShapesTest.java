package com.tekst.outlook.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.TenantHint;
import com.tekst.outlook.consent.ConsentCallback;
import com.tekst.outlook.consent.ConsentOutcome;
import com.tekst.outlook.consent.DenialReason;
import com.tekst.outlook.consent.RejectionReason;
import com.tekst.outlook.testkit.FakeApp;
import com.tekst.outlook.testkit.FakeMicrosoftCloud;
import com.tekst.outlook.testkit.FakeTenant;
import com.tekst.outlook.store.InMemoryOutlookStore;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shape of Microsoft's admin-consent redirect (success, {@code error}/{@code error_description}/
 * {@code error_uri}, with or without {@code tenant} and {@code admin_consent}: documented, seen in the field, and what
 * the fake answers) becomes the right outcome. Each case gets a fresh, genuinely signed state, so only Microsoft's
 * part of the callback varies.
 */
class ConsentCallbackShapesTest {
    static FakeCloudFixture fx;
    static OutlookClient client;
    static int counter;

    @BeforeAll
    static void start() {
        fx = new FakeCloudFixture();
        client = fx.client();
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    /** A new connection with a genuine state, and the callback's query with that state appended. */
    static ConsentOutcome callback(String microsoftPart) {
        ConnectionId connection = ConnectionId.of("shape-" + (++counter));
        String state = client.adminConsent().begin(connection, FakeCloudFixture.REDIRECT).state();
        return client.adminConsent().complete(connection,
                ConsentCallback.fromQueryString(microsoftPart + "&state=" + state));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static final String TRACE = "\r\nTrace ID: 0f5b4d1a-1d4e-4b50-9b54-3f1c2a7c2d00\r\nCorrelation ID: "
            + "5d4f7e0c-64b2-4f29-8a55-0b5d1b8f6e11\r\nTimestamp: 2026-01-05 09:00:00Z";

    static Stream<Arguments> denials() {
        return Stream.of(
                Arguments.of("admin pressed Cancel (field)", "error=access_denied&error_description="
                        + enc("AADSTS65004: User declined to consent to access the app." + TRACE)
                        + "&error_uri=" + enc("https://login.microsoftonline.com/error?code=65004")
                        + "&admin_consent=True", DenialReason.DECLINED, 65004),
                Arguments.of("documented consent_required", "admin_consent=True&error=consent_required"
                        + "&error_description=AADSTS65004%3a+The+resource+owner+or+authorization+server+denied+the"
                        + "+request.", DenialReason.DECLINED, 65004),
                Arguments.of("v1 permission_denied (documented)", "error=permission_denied&error_description="
                        + "The+admin+canceled+the+request", DenialReason.DECLINED, 0),
                Arguments.of("error_subcode=cancel", "error=access_denied&error_subcode=cancel",
                        DenialReason.DECLINED, 0),
                Arguments.of("admin approval required", "error=access_denied&error_description="
                        + enc("AADSTS90094: The grant requires admin permission." + TRACE), DenialReason.ADMIN_REQUIRED,
                        90094),
                Arguments.of("calling principal cannot consent", "error=access_denied&error_description="
                        + enc("AADSTS90093: Calling principal cannot consent due to lack of permissions."),
                        DenialReason.ADMIN_REQUIRED, 90093),
                Arguments.of("token for itself requires Graph permission", "error=consent_required"
                        + "&error_description=" + enc("AADSTS90008: The user or administrator has not consented."),
                        DenialReason.ADMIN_REQUIRED, 90008),
                Arguments.of("admin consent request sent instead", "error=access_denied&error_description="
                        + enc("AADSTS90095: Admin consent is required for the permissions requested."),
                        DenialReason.ADMIN_REQUIRED, 90095),
                Arguments.of("account from another directory (field)", "error=access_denied&error_description="
                        + enc("AADSTS50020: User account '{EmailHidden}' from identity provider"
                        + " 'https://sts.windows.net/9188040d-6c67-4c5b-b112-36a304b66dad/' does not exist in tenant"
                        + " 'Contoso' and cannot access the application." + TRACE)
                        + "&error_uri=" + enc("https://login.microsoftonline.com/error?code=50020"),
                        DenialReason.ACCOUNT_IN_OTHER_DIRECTORY, 50020),
                Arguments.of("redirect mismatch", "error=invalid_request&error_description="
                        + enc("AADSTS50011: The redirect URI specified in the request does not match."),
                        DenialReason.REDIRECT_URI_MISMATCH, 50011),
                Arguments.of("app not multi-tenant", "error=invalid_request&error_description="
                        + enc("AADSTS50194: Application is not configured as a multi-tenant application."),
                        DenialReason.APP_NOT_MULTI_TENANT, 50194),
                Arguments.of("/common on v2 (field)", "error=invalid_request&error_description="
                        + enc("The provided request must include a 'response_type' input parameter."),
                        DenialReason.INVALID_REQUEST, 0),
                Arguments.of("code only in error_uri", "error=access_denied&error_description=Need+admin+approval"
                        + "&error_uri=" + enc("https://login.microsoftonline.com/error?code=90094"),
                        DenialReason.ADMIN_REQUIRED, 90094),
                Arguments.of("unknown code is kept", "error=access_denied&error_description="
                        + enc("AADSTS53003: Access has been blocked by Conditional Access policies."),
                        DenialReason.UNKNOWN, 53003),
                Arguments.of("consent_required without a code", "error=consent_required&error_description="
                        + "Consent+is+required", DenialReason.UNKNOWN, 0),
                Arguments.of("error_description without error", "error_description="
                        + enc("AADSTS65004: User declined to consent to access the app."), DenialReason.DECLINED,
                        65004),
                Arguments.of("an unknown error string", "error=server_error",
                        DenialReason.UNKNOWN, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("denials")
    void errorShapesAreDeniedWithTheirReason(String name, String query, DenialReason reason, int code) {
        ConsentOutcome outcome = callback(query);
        assertThat(outcome).isInstanceOf(ConsentOutcome.Denied.class);
        ConsentOutcome.Denied denied = (ConsentOutcome.Denied) outcome;
        assertThat(denied.reason()).isEqualTo(reason);
        assertThat(denied.aadstsCode()).isEqualTo(code);
        assertThat(denied.message()).startsWith("Admin consent is missing");
        assertThat(denied.description()).doesNotContain("\r", "\n").hasSizeLessThanOrEqualTo(1000);
        assertThat(denied.connectionId()).isPresent();
    }

    @Test
    void unknownCodesKeepTheirDescriptionShortenedAndWithoutControlCharacters() {
        String longDescription = "AADSTS123456: Something new.\r\n\t" + "x".repeat(5000);
        ConsentOutcome.Denied denied = (ConsentOutcome.Denied) callback("error=temporarily_unavailable"
                + "&error_description=" + enc(longDescription) + "&error_subcode=weird");
        assertThat(denied.reason()).isEqualTo(DenialReason.UNKNOWN);
        assertThat(denied.aadstsCode()).isEqualTo(123456);
        assertThat(denied.error()).isEqualTo("temporarily_unavailable");
        assertThat(denied.errorSubcode()).isEqualTo("weird");
        assertThat(denied.description()).startsWith("AADSTS123456: Something new. xxx").hasSize(1000).endsWith("…")
                .doesNotContain("\t");
        assertThat(denied.message()).isEqualTo("Admin consent is missing: " + DenialReason.UNKNOWN.explanation()
                + " (AADSTS123456)");
    }

    static Stream<Arguments> successes() {
        return Stream.of(
                Arguments.of("v2 documented", "admin_consent=True&tenant={tenant}&scope="
                        + enc("https://graph.microsoft.com/.default")),
                Arguments.of("v1 documented order", "tenant={tenant}&admin_consent=True"),
                Arguments.of("lower-case true, upper-case GUID", "admin_consent=true&tenant={TENANT}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("successes")
    void successShapesAreGrantedForTheCanonicalTenant(String name, String query) {
        ConsentOutcome outcome = callback(query.replace("{tenant}", fx.contoso.id().value())
                .replace("{TENANT}", fx.contoso.id().value().toUpperCase(java.util.Locale.ROOT)));
        assertThat(outcome).isInstanceOf(ConsentOutcome.Granted.class);
        assertThat(((ConsentOutcome.Granted) outcome).claimedTenant()).isEqualTo(fx.contoso.id());
        assertThat(outcome.message()).contains("verification pending");
    }

    static Stream<Arguments> unusable() {
        return Stream.of(
                Arguments.of("tenant is a domain", "admin_consent=True&tenant=contoso.onmicrosoft.com",
                        RejectionReason.TENANT_INVALID),
                Arguments.of("tenant is junk", "admin_consent=True&tenant=%3Cscript%3E", RejectionReason.TENANT_INVALID),
                Arguments.of("no tenant", "admin_consent=True", RejectionReason.PARAMETER_MISSING),
                Arguments.of("admin_consent=False", "admin_consent=False&tenant=" + FakeTenant.deriveId("contoso"),
                        RejectionReason.RESPONSE_UNRECOGNIZED),
                Arguments.of("neither success nor error", "foo=bar", RejectionReason.RESPONSE_UNRECOGNIZED),
                Arguments.of("duplicated tenant", "admin_consent=True&tenant=" + FakeTenant.deriveId("contoso")
                        + "&tenant=" + FakeTenant.deriveId("fabrikam"), RejectionReason.PARAMETER_DUPLICATED),
                Arguments.of("duplicated error", "error=access_denied&error=server_error",
                        RejectionReason.PARAMETER_DUPLICATED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unusable")
    void callbacksThatAreNeitherAreRejected(String name, String query, RejectionReason reason) {
        ConsentOutcome outcome = callback(query);
        assertThat(outcome).isInstanceOf(ConsentOutcome.Rejected.class);
        assertThat(((ConsentOutcome.Rejected) outcome).reason()).isEqualTo(reason);
        assertThat(outcome.message()).startsWith("Consent callback rejected: ").doesNotContain("<script>");
    }

    @Test
    void theFakesOwnRedirectsMapEndToEnd() {
        ConnectionId c1 = ConnectionId.of("e2e-cancel");
        assertThat(denialOf(fx.consent(client, c1, FakeCloudFixture.CONTOSO_ADMIN, false)))
                .isEqualTo(DenialReason.DECLINED);
        ConnectionId c2 = ConnectionId.of("e2e-user");
        assertThat(denialOf(fx.consent(client, c2, "alice@contoso.onmicrosoft.com", true)))
                .isEqualTo(DenialReason.ADMIN_REQUIRED);
        ConnectionId c3 = ConnectionId.of("e2e-other");
        var request = client.adminConsent().begin(c3, FakeCloudFixture.REDIRECT, TenantHint.of(fx.contoso.id()));
        URI back = fx.answer(request, FakeCloudFixture.FABRIKAM_ADMIN, true);
        assertThat(denialOf(client.adminConsent().complete(c3, ConsentCallback.fromQueryString(back.getRawQuery()))))
                .isEqualTo(DenialReason.ACCOUNT_IN_OTHER_DIRECTORY);
        ConnectionId c4 = ConnectionId.of("e2e-common");
        String state = client.adminConsent().begin(c4, FakeCloudFixture.REDIRECT).state();
        URI common = fx.cloud.adminConsent(URI.create(fx.cloud.loginBaseUrl() + "/common/v2.0/adminconsent?client_id="
                + fx.cloud.app().clientId() + "&scope=" + enc("https://graph.microsoft.com/.default")
                + "&redirect_uri=" + enc(FakeCloudFixture.REDIRECT.toString()) + "&state=" + state),
                FakeCloudFixture.CONTOSO_ADMIN, true);
        assertThat(denialOf(client.adminConsent().complete(c4, ConsentCallback.fromQueryString(common.getRawQuery()))))
                .isEqualTo(DenialReason.INVALID_REQUEST);
    }

    @Test
    void aSingleTenantAppIsReportedAsSuch() {
        try (FakeMicrosoftCloud single = FakeMicrosoftCloud.builder()
                .app(FakeApp.builder().multiTenant(false).redirectUri(FakeCloudFixture.REDIRECT.toString()))
                .tenant(FakeTenant.builder("contoso").administrator(FakeCloudFixture.CONTOSO_ADMIN))
                .start();
             OutlookClient singleClient = OutlookClient.builder()
                     .clientId(single.app().clientId())
                     .credential(AppCredential.secret(single.clientSecret()))
                     .stateKeys(StateKey.random())
                     .store(new InMemoryOutlookStore())
                     .cloud(CloudEndpoints.of(single.loginBaseUrl(), single.graphBaseUrl()))
                     .trustManager(single.trustManager())
                     .clock(single.clock())
                     .build()) {
            ConnectionId c = ConnectionId.of("single");
            var request = singleClient.adminConsent().begin(c, FakeCloudFixture.REDIRECT);
            URI back = single.adminConsent(request.consentUrl(), FakeCloudFixture.CONTOSO_ADMIN, true);
            assertThat(denialOf(singleClient.adminConsent().complete(c,
                    ConsentCallback.fromQueryString(back.getRawQuery())))).isEqualTo(DenialReason.APP_NOT_MULTI_TENANT);
        }
    }

    private static DenialReason denialOf(ConsentOutcome outcome) {
        assertThat(outcome).isInstanceOf(ConsentOutcome.Denied.class);
        return ((ConsentOutcome.Denied) outcome).reason();
    }
}
