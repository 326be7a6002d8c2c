package com.tekst.outlook.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /v1.0/$batch}: limits, validation, dependsOn and 424, and inner requests handled one by one. */
class BatchTest {
    FakeMicrosoftCloud cloud;
    FakeTenant contoso;
    GraphHttp http;
    FakeMailbox alice;
    FakeMailbox bob;

    @BeforeEach
    void start() {
        cloud = FakeMicrosoftCloud.builder()
                .tenant(FakeTenant.builder("contoso").consentGranted()
                        .generate(TenantGenerator.builder(5).userMailboxes(2).sharedMailboxes(0).messagesPerMailbox(8)
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

    static String get(String id, String url) {
        return "{\"id\":\"" + id + "\",\"method\":\"GET\",\"url\":\"" + url + "\"}";
    }

    static Map<String, JsonNode> responses(GraphHttp.Answer a) {
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        Map<String, JsonNode> out = new HashMap<>();
        a.json().path("responses").forEach(r -> out.put(r.path("id").asText(), r));
        return out;
    }

    @Test
    void runsEachRequestAndAnswersInOneEnvelope() {
        GraphHttp.Answer a = http.post("/$batch", "{\"requests\":[" + get("1", "/users/" + alice.objectId())
                + "," + get("2", "/users/" + bob.objectId() + "/mailFolders/inbox") + ","
                + get("3", "users/nobody@contoso.onmicrosoft.com/messages") + "]}");
        Map<String, JsonNode> r = responses(a);
        assertThat(r.get("1").path("status").asInt()).isEqualTo(200);
        assertThat(r.get("1").path("body").path("id").asText()).isEqualTo(alice.objectId().value());
        assertThat(r.get("1").path("headers").path("Content-Type").asText()).startsWith("application/json");
        assertThat(r.get("2").path("body").path("displayName").asText()).isEqualTo("Inbox");
        assertThat(r.get("3").path("status").asInt()).isEqualTo(404);
        assertThat(r.get("3").path("body").path("error").path("code").asText()).isEqualTo("ErrorInvalidUser");

        String batchId = a.header("request-id");
        List<JournalEntry> inner = cloud.journal().entries(e -> batchId.equals(e.batchId().orElse(null)));
        assertThat(inner).hasSize(3);
        assertThat(inner).extracting(JournalEntry::path).contains("/v1.0/users/" + alice.objectId(),
                "/v1.0/users/" + bob.objectId() + "/mailFolders/inbox");
        assertThat(inner).allSatisfy(e -> assertThat(e.clientRequestId()).contains(a.header("client-request-id")));
        assertThat(cloud.journal().entries(e -> e.path().equals("/v1.0/$batch"))).hasSize(1);
        JournalAssertions.assertThat(cloud.journal()).everyGraphRequestHasClientRequestId()
                .everyTokenTenantMatchesAddressedTenant();
    }

    @Test
    void refusesMalformedBatchesWithGraphs400() {
        StringBuilder twentyOne = new StringBuilder("{\"requests\":[");
        for (int i = 1; i <= 21; i++) {
            twentyOne.append(i > 1 ? "," : "").append(get(Integer.toString(i), "/users"));
        }
        twentyOne.append("]}");
        for (String body : List.of(twentyOne.toString(), "{not json", "{\"requests\":{}}",
                "{\"requests\":[" + get("1", "/users") + "," + get("1", "/users") + "]}",
                "{\"requests\":[" + get("1", "https://graph.microsoft.com/v1.0/users") + "]}",
                "{\"requests\":[{\"id\":\"1\",\"method\":\"PATCH\",\"url\":\"/users\",\"body\":{\"a\":1}}]}",
                "{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users\",\"dependsOn\":[\"9\"]}]}")) {
            GraphHttp.Answer a = http.post("/$batch", body);
            assertThat(a.status()).as(body).isEqualTo(400);
            assertThat(a.errorCode()).as(body).isEqualTo("BadRequest");
        }
        StringBuilder twenty = new StringBuilder("{\"requests\":[");
        for (int i = 1; i <= 20; i++) {
            twenty.append(i > 1 ? "," : "").append(get(Integer.toString(i), "/users?$top=1"));
        }
        assertThat(responses(http.post("/$batch", twenty + "]}"))).hasSize(20);
    }

    @Test
    void dependentsOfAFailedRequestGet424AndMixedDependenciesAreRefused() {
        String sequential = "{\"requests\":["
                + get("1", "/users/" + alice.objectId() + "/messages/AAMkAGI2AAAAAAAAAAAAAAAAAAAAAAAAAAAA=") + ","
                + "{\"id\":\"2\",\"method\":\"GET\",\"url\":\"/users/" + alice.objectId() + "\",\"dependsOn\":[\"1\"]},"
                + "{\"id\":\"3\",\"method\":\"GET\",\"url\":\"/users\",\"dependsOn\":[\"2\"]}]}";
        Map<String, JsonNode> r = responses(http.post("/$batch", sequential));
        assertThat(r.get("1").path("status").asInt()).isEqualTo(404);
        assertThat(r.get("2").path("status").asInt()).isEqualTo(424);
        assertThat(r.get("3").path("status").asInt()).isEqualTo(424);
        assertThat(r.get("2").path("body").path("error").path("code").asText()).isEqualTo("FailedDependency");

        String ok = "{\"requests\":[" + get("a", "/users/" + alice.objectId()) + ","
                + "{\"id\":\"b\",\"method\":\"GET\",\"url\":\"/users/" + bob.objectId() + "\",\"dependsOn\":[\"a\"]}]}";
        assertThat(responses(http.post("/$batch", ok)).get("b").path("status").asInt()).isEqualTo(200);

        String mixed = "{\"requests\":[" + get("1", "/users") + "," + get("2", "/users") + ","
                + "{\"id\":\"3\",\"method\":\"GET\",\"url\":\"/users\",\"dependsOn\":[\"1\"]}]}";
        GraphHttp.Answer a = http.post("/$batch", mixed);
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.json().path("error").path("message").asText())
                .isEqualTo("Batch should be either fully sequential or fully parallel.");
    }

    @Test
    void innerRequestsAreAuthorizedAndThrottledOneByOne() {
        contoso.restrict(cloud.app(), FakeTenant.RestrictionMechanism.APPLICATION_ACCESS_POLICY);
        contoso.addToRestrictionGroup(cloud.app(), alice.objectId().value());
        cloud.setMailboxThrottling(MailboxThrottling.exchangeOnline().withRequestBudget(2, Duration.ofMinutes(5)));
        String body = "{\"requests\":[" + get("1", "/users/" + alice.objectId() + "/mailFolders") + ","
                + get("2", "/users/" + alice.objectId() + "/mailFolders/inbox") + ","
                + get("3", "/users/" + alice.objectId() + "/messages") + ","
                + get("4", "/users/" + bob.objectId() + "/messages") + "]}";
        Map<String, JsonNode> r = responses(http.post("/$batch", body));
        assertThat(r.get("1").path("status").asInt()).isEqualTo(200);
        assertThat(r.get("2").path("status").asInt()).isEqualTo(200);
        assertThat(r.get("3").path("status").asInt()).isEqualTo(429);
        assertThat(r.get("3").path("headers").path("Retry-After").asText()).isEqualTo("300");
        assertThat(r.get("3").path("body").path("error").path("code").asText()).isEqualTo("TooManyRequests");
        assertThat(r.get("4").path("status").asInt()).isEqualTo(403);
        assertThat(r.get("4").path("body").path("error").path("message").asText())
                .isEqualTo("Access to OData is disabled.");
        JournalAssertions.assertThat(cloud.journal()).noRequestBeforeRetryAfter();

        cloud.faults().add(Faults.on(Faults.path("/v1.0/users/[^/]+/mailFolders/inbox")).times(1)
                .respond(Fault.throttle(Duration.ofSeconds(3))));
        cloud.clock().advance(Duration.ofMinutes(5));
        Map<String, JsonNode> scripted = responses(http.post("/$batch", "{\"requests\":["
                + get("x", "/users/" + alice.objectId() + "/mailFolders/inbox") + "]}"));
        assertThat(scripted.get("x").path("status").asInt()).isEqualTo(429);
        assertThat(scripted.get("x").path("headers").path("Retry-After").asText()).isEqualTo("3");
    }
}
