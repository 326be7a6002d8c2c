package com.tekst.outlook.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The throttling the fake enforces by itself, per application per mailbox, and scripted bursts. */
class ThrottlingTest {
    FakeMicrosoftCloud cloud;
    FakeTenant contoso;
    GraphHttp http;
    FakeMailbox alice;
    FakeMailbox bob;

    @BeforeEach
    void start() {
        cloud = FakeMicrosoftCloud.builder()
                .tenant(FakeTenant.builder("contoso").consentGranted()
                        .generate(TenantGenerator.builder(3).userMailboxes(2).sharedMailboxes(0).messagesPerMailbox(5)
                                .build()))
                .start();
        contoso = cloud.tenant("contoso");
        http = new GraphHttp(cloud, contoso);
        alice = contoso.mailboxes().get(0);
        bob = contoso.mailboxes().get(1);
    }

    @AfterEach
    void stop() {
        cloud.close();
    }

    String folders(FakeMailbox m) {
        return "/users/" + m.objectId() + "/mailFolders";
    }

    @Test
    void aFifthConcurrentRequestToAMailboxIs429MailboxConcurrencyWhileOtherMailboxesAreServed() throws Exception {
        Fault.Hold slow = Fault.hold();
        cloud.faults().add(Faults.on(Faults.mailbox(alice.objectId())).always().respond(slow));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<GraphHttp.Answer>> inFlight = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                inFlight.add(CompletableFuture.supplyAsync(() -> http.get(folders(alice)), pool));
            }
            assertThat(slow.awaitHeld(4, Duration.ofSeconds(10))).as("four requests hold alice's slots").isTrue();
            GraphHttp.Answer fifth = http.get(folders(alice));
            assertThat(fifth.status()).isEqualTo(429);
            assertThat(fifth.errorCode()).isEqualTo("ApplicationThrottled");
            assertThat(fifth.json().path("error").path("message").asText())
                    .isEqualTo("Application is over its MailboxConcurrency limit.");
            assertThat(fifth.header("Retry-After")).isEqualTo("1");
            GraphHttp.Answer other = http.get(folders(bob));
            assertThat(other.status()).isEqualTo(200);
            assertThat(slow.held()).as("the four were in flight all along").isEqualTo(4);
            slow.release();
            for (CompletableFuture<GraphHttp.Answer> f : inFlight) {
                assertThat(f.get().status()).isEqualTo(200);
            }
        } finally {
            slow.release();
            pool.shutdownNow();
        }
        cloud.faults().clear();
        assertThat(http.get(folders(alice)).status()).as("slots are released").isEqualTo(200);
        assertThat(cloud.journal().forMailbox(alice.objectId())).extracting(JournalEntry::status)
                .containsOnly(200, 429).filteredOn(s -> s == 429).hasSize(1);
    }

    @Test
    void theRequestBudgetFollowsTheFakeClockAndFreesWhenTheWindowDoes() {
        cloud.setMailboxThrottling(MailboxThrottling.exchangeOnline().withRequestBudget(5, Duration.ofMinutes(1)));
        for (int i = 0; i < 3; i++) {
            assertThat(http.get(folders(alice)).status()).isEqualTo(200);
        }
        cloud.clock().advance(Duration.ofSeconds(20));
        for (int i = 0; i < 2; i++) {
            assertThat(http.get(folders(alice)).status()).isEqualTo(200);
        }
        GraphHttp.Answer over = http.get(folders(alice));
        assertThat(over.status()).isEqualTo(429);
        assertThat(over.errorCode()).isEqualTo("TooManyRequests");
        assertThat(over.header("Retry-After")).isEqualTo("40");
        assertThat(http.get(folders(bob)).status()).as("another mailbox has its own budget").isEqualTo(200);
        assertThat(http.get("/users").status()).as("the directory is not an Outlook resource").isEqualTo(200);

        cloud.clock().advance(Duration.ofSeconds(39));
        GraphHttp.Answer stillOver = http.get(folders(alice));
        assertThat(stillOver.status()).isEqualTo(429);
        assertThat(stillOver.header("Retry-After")).isEqualTo("1");
        cloud.clock().advance(Duration.ofSeconds(1));
        assertThat(http.get(folders(alice)).status()).as("the three oldest left the window").isEqualTo(200);
        GraphHttp.Answer again = http.get(folders(alice));
        assertThat(again.status()).as("the two 429s count: the window is full again").isEqualTo(429);
        assertThat(again.header("Retry-After")).isEqualTo("20");
        JournalAssertions.assertThat(cloud.journal().forMailbox(bob.objectId())).noRequestBeforeRetryAfter();
        assertThatThrownBy(() -> JournalAssertions.assertThat(cloud.journal()).noRequestBeforeRetryAfter())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("a request was sent before the Retry-After it was given had elapsed")
                .hasMessageContaining("Retry-After 40s");
    }

    @Test
    void scripted429And503And504BurstsAnswerInGraphsShapeThenRecover() {
        cloud.faults().add(Faults.throttleMailbox(alice.objectId(), 2, Duration.ofSeconds(7)));
        cloud.faults().add(Faults.on(Faults.mailbox(bob.objectId())).times(2).respond(Fault.serviceUnavailable()));
        cloud.faults().add(Faults.on(Faults.mailbox(bob.objectId())).times(1).respond(Fault.gatewayTimeout()));
        GraphHttp.Answer t1 = http.get(folders(alice));
        assertThat(t1.status()).isEqualTo(429);
        assertThat(t1.header("Retry-After")).isEqualTo("7");
        assertThat(t1.json().path("error").path("innerError").path("request-id").asText())
                .isEqualTo(t1.header("request-id"));
        assertThat(http.get(folders(alice)).status()).isEqualTo(429);
        assertThat(http.get(folders(alice)).status()).isEqualTo(200);
        assertThat(http.get(folders(bob)).status()).isEqualTo(503);
        assertThat(http.get(folders(bob)).errorCode()).isEqualTo("serviceNotAvailable");
        assertThat(http.get(folders(bob)).status()).isEqualTo(504);
        assertThat(http.get(folders(bob)).status()).isEqualTo(200);
    }

    @Test
    void oneMailboxsThrottlingNeverAffectsAnother() {
        cloud.setMailboxThrottling(MailboxThrottling.exchangeOnline().withRequestBudget(2, Duration.ofMinutes(10)));
        http.get(folders(alice));
        http.get(folders(alice));
        for (int i = 0; i < 5; i++) {
            assertThat(http.get(folders(alice)).status()).isEqualTo(429);
        }
        assertThat(http.get(folders(bob)).status()).isEqualTo(200);
        assertThat(http.get(folders(bob)).status()).isEqualTo(200);
        assertThat(http.get(folders(bob)).status()).isEqualTo(429);
    }
}
