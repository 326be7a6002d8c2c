package com.tekst.outlook.graph.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConsentException;
import com.tekst.outlook.MailboxAccessException;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.OutlookException;
import com.tekst.outlook.ServiceException;
import com.tekst.outlook.TenantId;
import com.tekst.outlook.ThrottledException;
import com.tekst.outlook.DeltaExpiredException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GraphErrorsTest {
    static final TenantId TENANT = TenantId.of("72f988bf-86f1-41af-91ab-2d7cd011db47");
    static final GraphCall CALL = GraphCall.forTenant(TENANT, ConnectionId.of("c1"))
            .withMailbox("0a6f1a2e-5d7b-4c1e-9f3a-000000000001", MailboxAddress.of("alice@contoso.com"));
    static final Instant NOW = Instant.parse("2026-01-05T09:00:00Z");
    static final Set<String> FULL_ROLES = Set.of("Mail.Read", "User.Read.All", "MailboxSettings.Read");

    static Response response(int status, String retryAfter) {
        Response.Builder b = new Response.Builder()
                .request(new Request.Builder().url("https://graph.microsoft.com/v1.0/users/x/messages")
                        .header("client-request-id", "client-1").build())
                .protocol(Protocol.HTTP_1_1).code(status).message("x")
                .header("request-id", "req-1");
        if (retryAfter != null) {
            b.header("Retry-After", retryAfter);
        }
        return b.build();
    }

    static byte[] graphError(String code, String message) {
        return ("{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\",\"innerError\":{\"date\":"
                + "\"2026-01-05T09:00:00\",\"request-id\":\"inner-req\",\"client-request-id\":\"client-1\"}}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static OutlookException map(int status, String retryAfter, byte[] body, Set<String> roles) {
        return GraphErrors.map(status, response(status, retryAfter), body, CALL, roles, NOW);
    }

    @Test
    void tenantPolicyDenialIsAccessDeniedWithTheOperatorDetails() {
        OutlookException e = map(403, null, graphError("ErrorAccessDenied", "Access to OData is disabled."),
                FULL_ROLES);
        assertThat(e).isInstanceOf(MailboxAccessException.class);
        assertThat(((MailboxAccessException) e).reason()).isEqualTo(MailboxAccessException.Reason.ACCESS_DENIED);
        assertThat(((MailboxAccessException) e).denial()).contains(MailboxAccessException.Denial.TENANT_POLICY);
        assertThat(e.summary()).contains("restriction");
        assertThat(e.details().tenant()).contains(TENANT);
        assertThat(e.details().mailbox()).contains(MailboxAddress.of("alice@contoso.com"));
        assertThat(e.details().requestId()).contains("req-1");
        assertThat(e.details().clientRequestId()).contains("client-1");
        assertThat(e.details().errorCode()).contains("ErrorAccessDenied");
        assertThat(e.details().httpStatus()).hasValue(403);
    }

    @Test
    void extensionErrorMentioningODataIsTheSamePolicyDenial() {
        OutlookException e = map(403, null, graphError("ExtensionError",
                "Operation: Create; Exception: [Status Code: Forbidden; Reason: Access to OData is disabled.]"),
                FULL_ROLES);
        assertThat(e.summary()).contains("restriction");
    }

    @Test
    void accessDeniedWithATokenWithoutMailRolesIsAConsentProblem() {
        OutlookException e = map(403, null, graphError("ErrorAccessDenied",
                "Access is denied. Check credentials and try again."), Set.of("User.Read.All"));
        assertThat(e).isInstanceOf(ConsentException.class);
        assertThat(((ConsentException) e).reason()).isEqualTo(ConsentException.Reason.PERMISSIONS_MISSING);
        OutlookException withRoles = map(403, null, graphError("ErrorAccessDenied",
                "Access is denied. Check credentials and try again."), FULL_ROLES);
        assertThat(withRoles).isInstanceOf(MailboxAccessException.class);
        assertThat(((MailboxAccessException) withRoles).denial()).as("not known from the answer alone").isEmpty();
        assertThat(withRoles.summary()).doesNotContain("restriction");
    }

    @ParameterizedTest
    @CsvSource({
        "404, MailboxNotEnabledForRESTAPI, NOT_ENABLED",
        "404, ErrorInvalidUser, NOT_FOUND",
        "404, Request_ResourceNotFound, NOT_FOUND",
        "404, ResourceNotFound, NOT_FOUND",
        "404, errorfoldernotfound, NOT_FOUND",
        "400, ErrorInvalidUser, NOT_FOUND"})
    void mailboxLevelCodes(int status, String code, MailboxAccessException.Reason reason) {
        OutlookException e = map(status, null, graphError(code, "x"), FULL_ROLES);
        assertThat(e).isInstanceOf(MailboxAccessException.class);
        assertThat(((MailboxAccessException) e).reason()).isEqualTo(reason);
    }

    @ParameterizedTest
    @CsvSource({"410, SyncStateNotFound", "400, syncStateNotFound", "400, ResyncRequired", "400, SYNCSTATEINVALID",
            "410, ''"})
    void deltaExpiryInAnyCase(int status, String code) {
        assertThat(map(status, null, graphError(code, "The sync state generation is not found"), FULL_ROLES))
                .isInstanceOf(DeltaExpiredException.class);
    }

    @Test
    void throttlingCarriesRetryAfterAndScope() {
        ThrottledException concurrency = (ThrottledException) map(429, "7", graphError("ApplicationThrottled",
                "Application is over its MailboxConcurrency limit."), FULL_ROLES);
        assertThat(concurrency.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(concurrency.scope()).isEqualTo(ThrottledException.Scope.MAILBOX_CONCURRENCY);

        ThrottledException dated = (ThrottledException) map(429, "Mon, 05 Jan 2026 09:01:00 GMT",
                graphError("TooManyRequests", "Too many requests"), FULL_ROLES);
        assertThat(dated.retryAfter()).isEqualTo(Duration.ofMinutes(1));
        assertThat(dated.scope()).isEqualTo(ThrottledException.Scope.UNSPECIFIED);

        ThrottledException missing = (ThrottledException) map(429, null, new byte[0], FULL_ROLES);
        assertThat(missing.retryAfter()).isEqualTo(GraphErrors.DEFAULT_RETRY_AFTER);

        assertThat(map(503, "3", graphError("serviceNotAvailable", "x"), FULL_ROLES))
                .isInstanceOf(ThrottledException.class);
    }

    @Test
    void serverErrorsAndHtmlPagesAreRetryableAndClientErrorsAreNot() {
        OutlookException html = map(502, null, "<html><body>502 Bad Gateway</body></html>"
                .getBytes(StandardCharsets.UTF_8), FULL_ROLES);
        assertThat(html).isInstanceOf(ServiceException.class);
        assertThat(html.isRetryable()).isTrue();
        assertThat(html.details().errorCode()).isEmpty();
        assertThat(map(503, null, graphError("serviceNotAvailable", "x"), FULL_ROLES).isRetryable()).isTrue();
        assertThat(map(504, null, new byte[0], FULL_ROLES).isRetryable()).isTrue();
        OutlookException inefficient = map(400, null, graphError("InefficientFilter",
                "The restriction or sort order is too complex for this operation."), FULL_ROLES);
        assertThat(inefficient.isRetryable()).isFalse();
        assertThat(inefficient.getMessage()).contains("InefficientFilter");
    }

    @Test
    void graphErrorBodyIsParsedLenientlyWithNestedInnerErrors() {
        GraphError nested = GraphError.parse(("{\"error\":{\"code\":\"accessDenied\",\"message\":\"m\","
                + "\"innerError\":{\"code\":\"policyDenied\",\"innerError\":{\"code\":\"SyncStateNotFound\"},"
                + "\"request-id\":\"r\"}}}").getBytes(StandardCharsets.UTF_8)).orElseThrow();
        assertThat(nested.innerCodes()).containsExactly("policyDenied", "SyncStateNotFound");
        assertThat(nested.requestId()).isEqualTo("r");
        assertThat(GraphError.parse("{\"error\":{\"code\":".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(GraphError.parse("<html/>".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(GraphError.parse(new byte[0])).isEmpty();
        assertThat(map(410, null, ("{\"error\":{\"code\":\"x\",\"innerError\":{\"code\":\"SyncStateNotFound\"}}}")
                .getBytes(StandardCharsets.UTF_8), FULL_ROLES)).isInstanceOf(DeltaExpiredException.class);
    }

    @Test
    void retryAfterParsing() {
        assertThat(GraphErrors.retryAfter("120", NOW)).contains(Duration.ofSeconds(120));
        assertThat(GraphErrors.retryAfter("-5", NOW)).contains(Duration.ZERO);
        assertThat(GraphErrors.retryAfter("Mon, 05 Jan 2026 08:00:00 GMT", NOW)).contains(Duration.ZERO);
        assertThat(GraphErrors.retryAfter("soon", NOW)).isEmpty();
        assertThat(GraphErrors.retryAfter(null, NOW)).isEmpty();
    }

    @Test
    void anHttpDateRetryAfterIsReadInEachOfItsThreeFormsAgainstTheClockAndNeverEndsBeforeTheDate() {
        Instant date = Instant.parse("2026-01-05T09:01:00Z");
        for (String form : List.of("Mon, 05 Jan 2026 09:01:00 GMT", "Monday, 05-Jan-26 09:01:00 GMT",
                "Mon Jan  5 09:01:00 2026", "mon, 05 jan 2026 09:01:00 gmt", "Tue, 05 Jan 2026 09:01:00 GMT")) {
            assertThat(GraphErrors.retryAfter(form, NOW)).as(form).contains(Duration.ofMinutes(1));
        }
        Instant later = NOW.plusMillis(400);
        Duration wait = GraphErrors.retryAfter("Mon, 05 Jan 2026 09:00:30 GMT", later).orElseThrow();
        assertThat(wait).isEqualTo(Duration.ofMillis(29_600));
        assertThat(later.plus(wait)).as("waiting ends exactly at the date, not before")
                .isEqualTo(Instant.parse("2026-01-05T09:00:30Z"));
        assertThat(GraphErrors.retryAfter("Sunday, 06-Nov-94 08:49:37 GMT", NOW))
                .as("a two-digit year more than 50 years ahead is the century before").contains(Duration.ZERO);
        assertThat(GraphErrors.retryAfter("Thursday, 05-Jan-70 09:00:00 GMT", NOW))
                .as("2070 is within 50 years").contains(Duration.between(NOW, Instant.parse("2070-01-05T09:00:00Z")));
        assertThat(GraphErrors.retryAfter("Mon, 32 Jan 2026 09:01:00 GMT", NOW)).isEmpty();
        assertThat(GraphErrors.retryAfter("Mon, 05 Foo 2026 09:01:00 GMT", NOW)).isEmpty();
    }

    @Test
    void redactedUrlsHideOpaqueTokens() {
        okhttp3.HttpUrl url = okhttp3.HttpUrl.get("https://graph.microsoft.com/v1.0/users/a/mailFolders/inbox/messages/"
                + "delta?$deltatoken=SECRETSTATE&$select=id,subject&$skiptoken=MORESTATE");
        assertThat(RedactingLogInterceptor.describe(url))
                .isEqualTo("/v1.0/users/a/mailFolders/inbox/messages/delta?$deltatoken=…&$select=id,subject"
                        + "&$skiptoken=…");
    }
}
