package com.tekst.outlook.graph.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConsentException;
import com.tekst.outlook.ErrorDetails;
import com.tekst.outlook.MailboxOutOfScopeException;
import com.tekst.outlook.OutlookException;
import com.tekst.outlook.ServiceException;
import com.tekst.outlook.ThrottledException;
import com.tekst.outlook.graph.CloudEndpoints;
import com.tekst.outlook.graph.internal.auth.MsalTokenProvider;
import com.tekst.outlook.testkit.Fault;
import com.tekst.outlook.testkit.FakeClock;
import com.tekst.outlook.testkit.FakeMicrosoftCloud;
import com.tekst.outlook.testkit.FakeTenant;
import com.tekst.outlook.testkit.Faults;
import com.tekst.outlook.testkit.JournalEntry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SDK's OkHttp stack against the fake cloud: ids, tokens, typed failures, guards that refuse before any I/O. */
class GraphHttpTest {
    FakeClock clock = new FakeClock();
    FakeMicrosoftCloud cloud;
    FakeTenant contoso;
    MsalTokenProvider tokens;
    GraphHttp http;
    GraphCall call;

    @BeforeEach
    void start() {
        cloud = FakeMicrosoftCloud.builder().clock(clock)
                .tenant(FakeTenant.builder("contoso").administrator("admin@contoso.onmicrosoft.com").consentGranted())
                .start();
        contoso = cloud.findTenant("contoso.onmicrosoft.com").orElseThrow();
        tokens = new MsalTokenProvider(cloud.app().clientId(),
                ClientCredentialFactory.createFromSecret(cloud.clientSecret()),
                CloudEndpoints.of(cloud.loginBaseUrl(), cloud.graphBaseUrl()), cloud.trustManager(), clock, clock);
        http = new GraphHttp(cloud.trustManager(), tokens, clock);
        call = GraphCall.forTenant(contoso.id(), ConnectionId.of("c1"));
    }

    @AfterEach
    void stop() {
        http.close();
        tokens.close();
        cloud.close();
    }

    Request request(String path) {
        return new Request.Builder().url(cloud.graphBaseUrl() + path).tag(GraphCall.class, call).build();
    }

    List<JournalEntry> graphRequests() {
        return cloud.journal().entries(e -> e.kind() == JournalEntry.Kind.GRAPH);
    }

    @Test
    void everyRequestCarriesAClientRequestIdAndTheTenantsToken() {
        OkHttpClient client = http.client(List.of());

        assertThatThrownBy(() -> http.execute(client, request("/noSuchSegment")))
                .isInstanceOf(ServiceException.class)
                .satisfies(e -> {
                    ErrorDetails d = ((OutlookException) e).details();
                    JournalEntry sent = graphRequests().get(0);
                    assertThat(d.clientRequestId()).contains(sent.clientRequestId().orElse(null));
                    assertThat(d.requestId()).isPresent();
                    assertThat(d.httpStatus()).hasValue(400);
                    assertThat(d.tenant()).contains(contoso.id());
                    assertThat(((OutlookException) e).isRetryable()).isFalse();
                });
        JournalEntry sent = graphRequests().get(0);
        assertThat(sent.clientRequestId().orElseThrow()).matches("[0-9a-f-]{36}");
        assertThat(sent.tokenTenant()).contains(contoso.id());
        assertThat(sent.headers()).doesNotContainKey("authorization");
    }

    @Test
    void throttlingBecomesAThrottledExceptionWithTheRetryAfter() {
        cloud.faults().add(Faults.on(Faults.graph()).respond(Fault.throttle(Duration.ofSeconds(17))));
        assertThatThrownBy(() -> http.execute(http.client(List.of()), request("/noSuchSegment")))
                .isInstanceOfSatisfying(ThrottledException.class,
                        e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(17)));
    }

    @Test
    void aGatewaysHtmlPageIsARetryableServiceFailure() {
        cloud.faults().add(Faults.on(Faults.graph()).respond(Fault.htmlBadGateway()));
        assertThatThrownBy(() -> http.execute(http.client(List.of()), request("/noSuchSegment")))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.isRetryable()).isTrue();
                    assertThat(e.details().httpStatus()).hasValue(502);
                });
    }

    @Test
    void aTokenFailureSurfacesTypedAndNoGraphRequestIsSent() {
        contoso.revokeConsent(cloud.app());
        assertThatThrownBy(() -> http.execute(http.client(List.of()), request("/noSuchSegment")))
                .isInstanceOf(ConsentException.class);
        assertThat(graphRequests()).isEmpty();
    }

    @Test
    void aGuardRefusesBeforeAnyRequestIncludingTheTokenRequest() {
        Interceptor refuse = chain -> {
            throw new IOException("refused", new MailboxOutOfScopeException("out of scope",
                    ErrorDetails.forTenant(contoso.id())));
        };
        assertThatThrownBy(() -> http.execute(http.client(List.of(refuse)), request("/users/x/messages")))
                .isInstanceOf(MailboxOutOfScopeException.class);
        assertThat(cloud.journal().entries()).isEmpty();
    }

    @Test
    void aRequestWithoutItsTenantIsRefused() {
        Request untagged = new Request.Builder().url(cloud.graphBaseUrl() + "/users").build();
        assertThatThrownBy(() -> http.execute(http.client(List.of()), untagged))
                .isInstanceOf(com.tekst.outlook.OutlookClientException.class);
        assertThat(cloud.journal().entries()).isEmpty();
    }
}
