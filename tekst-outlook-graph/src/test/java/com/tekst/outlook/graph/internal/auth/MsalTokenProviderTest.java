package com.tekst.outlook.graph.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.tekst.outlook.ConsentException;
import com.tekst.outlook.CredentialException;
import com.tekst.outlook.OutlookClientException;
import com.tekst.outlook.ServiceException;
import com.tekst.outlook.TenantException;
import com.tekst.outlook.TenantId;
import com.tekst.outlook.ThrottledException;
import com.tekst.outlook.graph.CloudEndpoints;
import com.tekst.outlook.testkit.Fault;
import com.tekst.outlook.testkit.FakeClock;
import com.tekst.outlook.testkit.FakeMicrosoftCloud;
import com.tekst.outlook.testkit.FakeTenant;
import com.tekst.outlook.testkit.Faults;
import com.tekst.outlook.testkit.JournalEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SDK's token provider against the fake identity platform with the real msal4j. */
class MsalTokenProviderTest {
    FakeClock clock;
    FakeMicrosoftCloud cloud;
    FakeTenant contoso;
    FakeTenant fabrikam;
    FakeTenant northwind;
    MsalTokenProvider tokens;

    @BeforeEach
    void start() {
        clock = new FakeClock();
        cloud = FakeMicrosoftCloud.builder()
                .clock(clock)
                .tenant(FakeTenant.builder("contoso").consentGranted())
                .tenant(FakeTenant.builder("fabrikam").consentGranted())
                .tenant(FakeTenant.builder("northwind"))
                .start();
        contoso = cloud.findTenant("contoso.onmicrosoft.com").orElseThrow();
        fabrikam = cloud.findTenant("fabrikam.onmicrosoft.com").orElseThrow();
        northwind = cloud.findTenant("northwind.onmicrosoft.com").orElseThrow();
        tokens = provider(cloud.clientSecret());
    }

    MsalTokenProvider provider(String secret) {
        return new MsalTokenProvider(cloud.app().clientId(), ClientCredentialFactory.createFromSecret(secret),
                CloudEndpoints.of(cloud.loginBaseUrl(), cloud.graphBaseUrl()), cloud.trustManager(), clock, clock);
    }

    @AfterEach
    void stop() {
        tokens.close();
        cloud.close();
    }

    int requests(FakeTenant tenant) {
        return cloud.journal().tokenRequests(tenant.id()).size();
    }

    @Test
    void hundredCallsOverFiftyMinutesCostOneTokenRequest() {
        AccessToken first = tokens.token(contoso.id());
        assertThat(Duration.between(first.acquiredAt(), first.expiresAt()))
                .as("the fake's lifetimes are 60-90 minutes").isBetween(Duration.ofMinutes(60), Duration.ofMinutes(90));
        for (int i = 1; i < 100; i++) {
            clock.advance(Duration.ofSeconds(30));
            assertThat(tokens.token(contoso.id())).isSameAs(first);
        }
        assertThat(Duration.between(first.acquiredAt(), clock.instant())).isEqualTo(Duration.ofMinutes(49).plusSeconds(30));
        assertThat(requests(contoso)).isEqualTo(1);
        assertThat(TokenClaims.of(first.value()).orElseThrow().tenantId()).isEqualTo(contoso.id().value());
    }

    @Test
    void eightThreadsAtOnceCauseOneTokenRequest() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<AccessToken>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return tokens.token(contoso.id());
                }));
            }
            go.countDown();
            AccessToken first = results.get(0).get(30, TimeUnit.SECONDS);
            for (Future<AccessToken> f : results) {
                assertThat(f.get(30, TimeUnit.SECONDS).value()).isEqualTo(first.value());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(requests(contoso)).isEqualTo(1);
    }

    @Test
    void aTokenIsRefreshedOnceFiveMinutesBeforeItExpires() {
        AccessToken first = tokens.token(contoso.id());
        clock.advanceTo(first.expiresAt().minus(Duration.ofMinutes(5)).minusSeconds(1));
        assertThat(tokens.token(contoso.id())).isSameAs(first);
        assertThat(requests(contoso)).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        AccessToken second = tokens.token(contoso.id());
        assertThat(second.value()).isNotEqualTo(first.value());
        assertThat(second.acquiredAt()).isEqualTo(clock.instant());
        for (int i = 0; i < 10; i++) {
            assertThat(tokens.token(contoso.id())).isSameAs(second);
        }
        assertThat(requests(contoso)).isEqualTo(2);
    }

    @Test
    void tenantsHaveTheirOwnTokensAndDoNotWaitForEachOther() throws Exception {
        Fault.Hold contosoHeld = Fault.hold();
        cloud.faults().add(Faults.on(Faults.tokenRequests().and(Faults.tenant(contoso.id()))).respond(contosoHeld));
        CompletableFuture<AccessToken> slow = CompletableFuture.supplyAsync(() -> tokens.token(contoso.id()));
        try {
            assertThat(contosoHeld.awaitHeld(1, Duration.ofSeconds(30))).as("contoso's token request is in flight")
                    .isTrue();
            AccessToken fast = tokens.token(fabrikam.id());
            assertThat(TokenClaims.of(fast.value()).orElseThrow().tenantId()).isEqualTo(fabrikam.id().value());
            assertThat(contosoHeld.held()).as("fabrikam's token arrived while contoso's request was still in flight")
                    .isEqualTo(1);
            assertThat(slow).isNotDone();
        } finally {
            contosoHeld.release();
        }
        assertThat(TokenClaims.of(slow.get(30, TimeUnit.SECONDS).value()).orElseThrow().tenantId())
                .isEqualTo(contoso.id().value());
        assertThat(requests(contoso)).isEqualTo(1);
    }

    @Test
    void refreshBypassesTheCacheAndReplacesIt() {
        AccessToken first = tokens.token(contoso.id());
        contoso.setGrantedPermissions(cloud.app(), Set.of("Mail.Read"));
        AccessToken refreshed = tokens.refresh(contoso.id());
        assertThat(TokenClaims.of(refreshed.value()).orElseThrow().roles()).containsExactly("Mail.Read");
        assertThat(tokens.token(contoso.id())).isSameAs(refreshed).isNotSameAs(first);
        assertThat(requests(contoso)).isEqualTo(2);
    }

    @Test
    void errorsBecomeTypedExceptionsWithTheirDetails() {
        assertThatThrownBy(() -> tokens.token(northwind.id()))
                .isInstanceOfSatisfying(ConsentException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ConsentException.Reason.CONSENT_MISSING);
                    assertThat(e.details().errorCode()).hasValue("AADSTS700016");
                    assertThat(e.details().httpStatus()).hasValue(400);
                    assertThat(e.details().tenant()).hasValue(northwind.id());
                    assertThat(e.details().requestId()).hasValueSatisfying(id -> assertThat(id).hasSize(36));
                    assertThat(e.details().clientRequestId()).isPresent();
                    assertThat(e.getMessage()).startsWith("Admin consent is missing").contains("AADSTS700016");
                });
        contoso.removeConsentGrant(cloud.app());
        assertThatThrownBy(() -> tokens.token(contoso.id()))
                .isInstanceOfSatisfying(ConsentException.class, e -> {
                    assertThat(e.details().errorCode()).hasValue("AADSTS65001");
                    assertThat(e.details().httpStatus()).as("msal4j gives invalid_grant no status").isEmpty();
                });
        assertThatThrownBy(() -> tokens.token(TenantId.of("00000000-1111-2222-3333-444444444444")))
                .isInstanceOfSatisfying(TenantException.class,
                        e -> assertThat(e.reason()).isEqualTo(TenantException.Reason.TENANT_NOT_FOUND));
        fabrikam.setAppDisabled(cloud.app(), true);
        assertThatThrownBy(() -> tokens.token(fabrikam.id()))
                .isInstanceOfSatisfying(TenantException.class,
                        e -> assertThat(e.reason()).isEqualTo(TenantException.Reason.APP_DISABLED));
    }

    @Test
    void wrongAndExpiredSecretsAreCredentialExceptionsThatNeverShowTheSecret() {
        String wrong = "wrong~secret~value~0123456789abcdef";
        try (MsalTokenProvider wrongSecret = provider(wrong)) {
            assertThatThrownBy(() -> wrongSecret.token(contoso.id()))
                    .isInstanceOfSatisfying(CredentialException.class, e -> {
                        assertThat(e.isExpired()).isFalse();
                        assertThat(e.details().errorCode()).hasValue("AADSTS7000215");
                        assertThat(e.details().httpStatus()).hasValue(401);
                    })
                    .hasMessageNotContaining(wrong);
        }
        String secret = cloud.clientSecret();
        cloud.app().expireSecrets();
        assertThatThrownBy(() -> tokens.token(contoso.id()))
                .isInstanceOfSatisfying(CredentialException.class, e -> assertThat(e.isExpired()).isTrue())
                .hasMessageNotContaining(secret);
    }

    @Test
    void a429FencesTheTenantUntilRetryAfterHasElapsed() {
        cloud.faults().add(Faults.on(Faults.tokenRequests()).respond(Fault.throttle(Duration.ofSeconds(45))));
        assertThatThrownBy(() -> tokens.token(contoso.id()))
                .isInstanceOfSatisfying(ThrottledException.class, e -> {
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(45));
                    assertThat(e.scope()).isEqualTo(ThrottledException.Scope.TOKEN_ENDPOINT);
                    assertThat(e.details().httpStatus()).hasValue(429);
                });
        clock.advance(Duration.ofSeconds(44));
        assertThatThrownBy(() -> tokens.token(contoso.id()))
                .isInstanceOfSatisfying(ThrottledException.class,
                        e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(1)));
        assertThat(tokens.token(fabrikam.id())).as("other tenants are not fenced").isNotNull();
        assertThat(requests(contoso)).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(tokens.token(contoso.id())).isNotNull();
        assertThat(cloud.journal().tokenRequests(contoso.id())).map(JournalEntry::status).containsExactly(429, 200);
    }

    @Test
    void transientFailuresAreRetriedTwiceWithBackoffThenReported() {
        cloud.faults().add(Faults.on(Faults.tokenRequests()).times(3).respond(Fault.serviceUnavailable()));
        var start = clock.instant();
        assertThatThrownBy(() -> tokens.token(contoso.id()))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.isRetryable()).isTrue();
                    assertThat(e.details().httpStatus()).hasValue(503);
                });
        assertThat(Duration.between(start, clock.instant())).isEqualTo(Duration.ofSeconds(3));
        assertThat(requests(contoso)).as("msal4j's own retry is off: exactly the SDK's three attempts").isEqualTo(3);
        assertThat(tokens.token(contoso.id())).isNotNull();
    }

    @Test
    void aClosedProviderRefusesWork() {
        tokens.close();
        assertThatThrownBy(() -> tokens.token(contoso.id())).isInstanceOf(OutlookClientException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void aTokenNeverShowsInToString() {
        AccessToken token = tokens.token(contoso.id());
        assertThat(token.toString()).doesNotContain(token.value()).contains(contoso.id().value());
    }

    @Test
    void discoveryMetadataNamesTheHostWithAndWithoutItsPort() {
        assertThat(MsalTokenProvider.instanceDiscoveryMetadata(cloud.loginBaseUrl()))
                .contains("\"preferred_network\":\"localhost\"", "\"preferred_cache\":\"localhost:" + cloud.port() + "\"",
                        "\"aliases\":[\"localhost:" + cloud.port() + "\",\"localhost\"]");
    }
}
