package com.tekst.outlook.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fault script: n-th request, bursts, latency, a held request, a connection dropped mid-body, truncated JSON, a gateway's HTML. */
class FaultsTest {
    static FakeMicrosoftCloud cloud;
    static FakeTenant contoso;
    static GraphHttp http;
    static FakeMailbox big;

    @BeforeAll
    static void start() {
        cloud = FakeMicrosoftCloud.builder()
                .tenant(FakeTenant.builder("contoso").consentGranted()
                        .generate(TenantGenerator.builder(11).userMailboxes(1).sharedMailboxes(0)
                                .messagesPerMailbox(600).build()))
                .start();
        contoso = cloud.tenant("contoso");
        http = new GraphHttp(cloud, contoso);
        big = contoso.mailboxes().get(0);
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    @BeforeEach
    void clear() {
        cloud.faults().clear();
    }

    String messages() {
        return "/users/" + big.objectId() + "/messages";
    }

    @Test
    void failsTheNthRequestToAPath() {
        Faults.Rule rule = cloud.faults().add(Faults.on(Faults.path("/v1.0/users/[^/]+/mailFolders")).nth(3)
                .respond(Fault.internalServerError()));
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            statuses.add(http.get("/users/" + big.objectId() + "/mailFolders").status());
        }
        assertThat(statuses).containsExactly(200, 200, 500, 200, 200);
        assertThat(rule.applied()).isEqualTo(1);
        assertThat(rule.seen()).isEqualTo(3);
    }

    @Test
    void aScriptedFailureDoesNotRunTheRequest() {
        GraphHttp writer = new GraphHttp(cloud, contoso);
        writer.token = cloud.accessToken(contoso.id(), java.util.Set.of("Mail.ReadWrite"));
        FakeMessage m = big.messages("inbox").get(0);
        cloud.faults().add(Faults.on(Faults.method("POST")).times(1).respond(Fault.serviceUnavailable()));
        GraphHttp.Answer a = writer.post(messages() + "/" + m.id() + "/move", "{\"destinationId\":\"archive\"}");
        assertThat(a.status()).isEqualTo(503);
        assertThat(big.message(m.immutableId()).parentFolderId()).isEqualTo(big.folder("inbox").id());
    }

    @Test
    void latencyDelaysTheAnswerInRealTime() {
        cloud.faults().add(Faults.on(Faults.graph()).times(1).respond(Fault.latency(Duration.ofMillis(300))));
        long t0 = System.nanoTime();
        assertThat(http.get("/users").status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void aHoldKeepsTheRequestInFlightUntilReleased() throws Exception {
        Fault.Hold hold = Fault.hold();
        cloud.faults().add(Faults.on(Faults.mailbox(big.objectId())).times(1).respond(hold));
        String folders = "/users/" + big.objectId() + "/mailFolders";
        int before = cloud.journal().forMailbox(big.objectId()).size();
        java.util.concurrent.CompletableFuture<GraphHttp.Answer> held =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> http.get(folders));
        try {
            assertThat(hold.awaitHeld(1, Duration.ofSeconds(10))).as("the request reached the fake").isTrue();
            assertThat(held).as("held: no answer yet").isNotDone();
            assertThat(cloud.journal().forMailbox(big.objectId())).as("journaled once answered").hasSize(before);
            assertThat(http.get(folders).status()).as("the rule was used up: the next one goes").isEqualTo(200);
        } finally {
            hold.release();
        }
        assertThat(held.get(10, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(hold.total()).isEqualTo(1);
        assertThat(hold.held()).isZero();
    }

    @Test
    void aDroppedConnectionCutsALargeBodyMidwayOverHttp2AndHttp11() throws Exception {
        droppedConnection(http.client);
        droppedConnection(http.client.newBuilder().protocols(List.of(okhttp3.Protocol.HTTP_1_1)).build());
    }

    private void droppedConnection(okhttp3.OkHttpClient client) throws Exception {
        String url = cloud.graphBaseUrl() + "/users/" + big.objectId() + "/mailFolders/inbox/messages/delta";
        int full;
        try (Response r = client.newCall(new Request.Builder().url(url)
                .header("Authorization", "Bearer " + http.token).header("Prefer", "odata.maxpagesize=1000").build())
                .execute()) {
            full = r.body().bytes().length;
        }
        assertThat(full).isGreaterThan(500_000);
        cloud.faults().add(Faults.on(Faults.deltaRequests()).times(1).respond(Fault.dropConnectionMidBody()));
        int[] received = {0};
        assertThatThrownBy(() -> {
            try (Response r = client.newCall(new Request.Builder().url(url)
                    .header("Authorization", "Bearer " + http.token).header("Prefer", "odata.maxpagesize=1000")
                    .build()).execute()) {
                assertThat(r.code()).isEqualTo(200);
                assertThat(r.body().contentLength()).isEqualTo(full);
                InputStream in = r.body().byteStream();
                byte[] buffer = new byte[8192];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    received[0] += n;
                }
            }
        }).isInstanceOf(IOException.class);
        assertThat(received[0]).isGreaterThan(0).isLessThan(full);
        assertThat(http.get("/users").status()).as("the next request gets a new connection").isEqualTo(200);
    }

    @Test
    void aTruncatedBodyIsHalfAJsonDocument() {
        cloud.faults().add(Faults.on(Faults.graph()).times(1).respond(Fault.truncatedBody()));
        GraphHttp.Answer a = http.get(messages() + "?$top=5");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body()).startsWith("{\"@odata.context\"");
        assertThatThrownBy(() -> GraphHttp.MAPPER.readTree(a.body())).isInstanceOf(JsonProcessingException.class);
        String complete = http.get(messages() + "?$top=5").body();
        assertThat(a.body().length()).isBetween(complete.length() / 2 - 4, complete.length() / 2 + 4);
    }

    @Test
    void aGatewayAnswersAnHtml502() {
        cloud.faults().add(Faults.on(Faults.graph()).times(1).respond(Fault.htmlBadGateway()));
        GraphHttp.Answer a = http.get("/users");
        assertThat(a.status()).isEqualTo(502);
        assertThat(a.header("Content-Type")).startsWith("text/html");
        assertThat(a.body()).contains("<h1>502 Bad Gateway</h1>");
    }

    @Test
    void seededProbabilityFailsTheSameRequestsOnEveryRun() {
        List<Integer> first = failingIndexes();
        List<Integer> second = failingIndexes();
        assertThat(first).isEqualTo(second);
        assertThat(first.size()).isBetween(15, 45);
    }

    private List<Integer> failingIndexes() {
        cloud.faults().clear();
        cloud.faults().add(Faults.on(Faults.graph()).always().withProbability(0.3, 99)
                .respond(Fault.serviceUnavailable()));
        List<Integer> failing = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            if (http.get("/users?$top=1").status() == 503) {
                failing.add(i);
            }
        }
        return failing;
    }

    @Test
    void aDeltaTokenCanBeExpiredAtStepN() {
        cloud.faults().add(Faults.on(Faults.deltaLinkRequests()).nth(2).respond(Fault.deltaTokenExpired()));
        String url = "/users/" + big.objectId() + "/mailFolders/inbox/messages/delta";
        GraphHttp.Answer p1 = http.get(url, "Prefer", "odata.maxpagesize=50");
        GraphHttp.Answer p2 = http.get(p1.json().path("@odata.nextLink").asText());
        assertThat(p2.status()).isEqualTo(200);
        GraphHttp.Answer p3 = http.get(p2.json().path("@odata.nextLink").asText());
        assertThat(p3.status()).isEqualTo(410);
        assertThat(p3.errorCode()).isEqualTo("SyncStateNotFound");
    }
}
