package com.tekst.outlook.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tekst.outlook.MailboxId;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The journal's assertions pass for well-behaved clients and name the offending requests otherwise. */
class JournalAssertionsTest {
    FakeMicrosoftCloud cloud;
    FakeTenant contoso;
    FakeTenant fabrikam;
    GraphHttp http;
    FakeMailbox alice;
    FakeMailbox bob;

    @BeforeEach
    void start() {
        cloud = FakeMicrosoftCloud.builder()
                .tenant(FakeTenant.builder("contoso").consentGranted().user("alice@contoso.onmicrosoft.com")
                        .user("bob@contoso.onmicrosoft.com"))
                .tenant(FakeTenant.builder("fabrikam").consentGranted().user("frank@fabrikam.onmicrosoft.com"))
                .start();
        contoso = cloud.tenant("contoso");
        fabrikam = cloud.tenant("fabrikam");
        http = new GraphHttp(cloud, contoso);
        alice = contoso.mailbox("alice@contoso.onmicrosoft.com");
        bob = contoso.mailbox("bob@contoso.onmicrosoft.com");
    }

    @AfterEach
    void stop() {
        cloud.close();
    }

    @Test
    void aClientThatWaitsTheRetryAfterPasses() {
        cloud.faults().add(Faults.throttleMailbox(alice.objectId(), 1, Duration.ofSeconds(30)));
        assertThat(http.get("/users/" + alice.objectId() + "/messages").status()).isEqualTo(429);
        assertThat(http.get("/users/" + bob.objectId() + "/messages").status()).isEqualTo(200);
        cloud.clock().advance(Duration.ofSeconds(30));
        assertThat(http.get("/users/" + alice.objectId() + "/messages").status()).isEqualTo(200);
        JournalAssertions.assertThat(cloud.journal()).noRequestBeforeRetryAfter()
                .onlyMailboxes(alice.objectId(), bob.objectId())
                .everyGraphRequestHasClientRequestId()
                .everyTokenTenantMatchesAddressedTenant();
    }

    @Test
    void aClientThatRetriesTooEarlyIsNamed() {
        cloud.faults().add(Faults.throttleMailbox(alice.objectId(), 1, Duration.ofSeconds(30)));
        http.get("/users/" + alice.objectId() + "/messages");
        cloud.clock().advance(Duration.ofSeconds(29));
        http.get("/users/" + alice.objectId() + "/mailFolders");
        assertThatThrownBy(() -> JournalAssertions.assertThat(cloud.journal()).noRequestBeforeRetryAfter())
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("a request was sent before the Retry-After it was given had elapsed: 1 request")
                .hasMessageContaining("GET /v1.0/users/" + alice.objectId() + "/mailFolders -> 200")
                .hasMessageContaining("arrived at 2026-01-05T09:00:29Z, before 2026-01-05T09:00:30Z");
    }

    @Test
    void aRequestOutsideTheScopeIsNamed() {
        http.get("/users/" + alice.objectId() + "/messages");
        http.get("/users/" + bob.objectId() + "/messages");
        assertThatThrownBy(() -> JournalAssertions.assertThat(cloud.journal()).onlyMailboxes(alice.objectId()))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("outside the scope")
                .hasMessageContaining("addressed mailbox " + bob.objectId());
    }

    @Test
    void aRequestWithoutClientRequestIdIsNamed() {
        http.sendClientRequestId = false;
        http.get("/users");
        assertThatThrownBy(() -> JournalAssertions.assertThat(cloud.journal()).everyGraphRequestHasClientRequestId())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("GET /v1.0/users -> 200 had no client-request-id");
    }

    @Test
    void aTokenUsedOnAnotherTenantsMailboxIsNamed() {
        FakeUser frank = fabrikam.users().get(0);
        GraphHttp.Answer a = http.get("/users/" + frank.objectId() + "/messages");
        assertThat(a.errorCode()).isEqualTo("ErrorInvalidUser");
        JournalEntry e = cloud.journal().entries().get(cloud.journal().size() - 1);
        assertThat(e.tenant()).contains(fabrikam.id());
        assertThat(e.tokenTenant()).contains(contoso.id());
        assertThat(e.mailbox()).contains(MailboxId.of(frank.objectId()));
        assertThat(e.headers()).doesNotContainKey("authorization");
        assertThatThrownBy(() -> JournalAssertions.assertThat(cloud.journal()).everyTokenTenantMatchesAddressedTenant())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("carried a token of tenant " + contoso.id() + " but addressed tenant "
                        + fabrikam.id());
    }
}
