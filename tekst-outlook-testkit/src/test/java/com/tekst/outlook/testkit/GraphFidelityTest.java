package com.tekst.outlook.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ways Graph misbehaves that a sync engine has to survive, each as the fake's wire behaviour: the filtered delta
 * limit, empty pages with next links, items repeated across pages, the synchronization reset's {@code Location},
 * HTTP-date {@code Retry-After}, {@code $batch} answers in any order, and throttled requests counting.
 */
class GraphFidelityTest {
    static final Instant T0 = Instant.parse("2025-12-01T00:00:00Z");
    static final DateTimeFormatter IMF = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    FakeMicrosoftCloud cloud;
    FakeTenant contoso;
    GraphHttp http;
    FakeMailbox alice;
    FakeMailbox bob;

    @BeforeEach
    void start() {
        cloud = FakeMicrosoftCloud.builder()
                .tenant(FakeTenant.builder("contoso").consentGranted()
                        .generate(TenantGenerator.builder(11).userMailboxes(2).sharedMailboxes(0).messagesPerMailbox(3)
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

    /** Delivers {@code n} messages to a folder, one minute apart from {@link #T0}, newest last. */
    static List<FakeMessage> deliver(FakeMailbox m, String folder, int n) {
        List<FakeMessage> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(m.deliver(folder, FakeMessage.builder().from("x@fabrikam.com").subject("m" + i)
                    .receivedAt(T0.plus(Duration.ofMinutes(i))).body("<p>" + i + "</p>")));
        }
        return out;
    }

    /** A new, empty folder under the inbox; returns its id. */
    static String fresh(FakeMailbox m) {
        return m.createFolder("inbox", "Fidelity " + m.folders().size()).id();
    }

    String delta(FakeMailbox m, String folder) {
        return "/users/" + m.objectId() + "/mailFolders/" + folder + "/messages/delta";
    }

    /** Every page of one delta round. */
    record Round(List<List<JsonNode>> pages, List<Boolean> nextLinks, String deltaLink) {
        List<String> ids() {
            List<String> out = new ArrayList<>();
            pages.forEach(p -> p.forEach(i -> out.add(i.path("id").asText())));
            return out;
        }

        Set<String> distinct() {
            return new LinkedHashSet<>(ids());
        }

        List<Integer> sizes() {
            return pages.stream().map(List::size).toList();
        }
    }

    Round round(String url, String... headers) {
        List<List<JsonNode>> pages = new ArrayList<>();
        List<Boolean> next = new ArrayList<>();
        GraphHttp.Answer a = http.get(url, headers);
        for (int guard = 0; guard < 10_000; guard++) {
            assertThat(a.status()).as(a.body()).isEqualTo(200);
            JsonNode page = a.json();
            List<JsonNode> items = new ArrayList<>();
            page.path("value").forEach(items::add);
            pages.add(items);
            next.add(page.has("@odata.nextLink"));
            if (page.has("@odata.deltaLink")) {
                assertThat(page.has("@odata.nextLink")).isFalse();
                return new Round(pages, next, page.path("@odata.deltaLink").asText());
            }
            a = http.get(page.path("@odata.nextLink").asText(), headers);
        }
        throw new AssertionError("the round did not end");
    }

    static Set<String> ids(List<FakeMessage> messages) {
        Set<String> out = new LinkedHashSet<>();
        messages.forEach(m -> out.add(m.id()));
        return out;
    }

    // ---- 1. the filtered delta limit ----------------------------------------------------------------------------------

    @Test
    void aFilteredDeltaReturnsAtMost5000MessagesOverItsFirstRoundThenADeltaLink() {
        contoso.addUser(FakeUser.builder("big@contoso.onmicrosoft.com"));
        FakeMailbox m = contoso.mailbox("big@contoso.onmicrosoft.com");
        List<FakeMessage> all = deliver(m, "inbox", 5_010);
        String filtered = delta(m, "inbox") + "?$select=id&$filter=receivedDateTime ge " + T0;
        Round first = round(filtered, "Prefer", "odata.maxpagesize=1000");
        assertThat(first.ids()).hasSize(5_000).doesNotHaveDuplicates();
        assertThat(first.sizes()).containsExactly(1000, 1000, 1000, 1000, 1000);
        Set<String> newest = ids(all.subList(10, 5_010));
        assertThat(first.distinct()).isEqualTo(newest);

        Round unfiltered = round(delta(m, "inbox") + "?$select=id", "Prefer", "odata.maxpagesize=1000");
        assertThat(unfiltered.distinct()).as("without $filter there is no limit").hasSize(5_010);

        // later rounds report what changed, the messages the first round left out included once they change
        FakeMessage left = all.get(3);
        m.markRead(left);
        FakeMessage fresh = m.deliver("inbox", FakeMessage.builder().from("y@fabrikam.com").subject("new")
                .receivedAt(T0.plus(Duration.ofDays(30))));
        Round second = round(first.deltaLink());
        assertThat(second.distinct()).containsExactlyInAnyOrder(left.id(), fresh.id());
    }

    @Test
    void theFilteredLimitCountsDistinctMessagesWhenPagesRepeatItems() {
        cloud.setFilteredDeltaLimit(7);
        cloud.setDeltaPageOverlap(1);
        String folder = fresh(alice);
        List<FakeMessage> all = deliver(alice, folder, 12);
        Round r = round(delta(alice, folder) + "?$filter=receivedDateTime gt " + T0.minusSeconds(1),
                "Prefer", "odata.maxpagesize=3");
        List<String> newestFirst = new ArrayList<>();
        for (int i = 11; i >= 5; i--) {
            newestFirst.add(all.get(i).id());
        }
        assertThat(new ArrayList<>(r.distinct())).containsExactlyElementsOf(newestFirst);
        assertThat(r.ids().size()).isGreaterThan(7);
        assertThat(r.sizes()).containsExactly(3, 3, 3);
    }

    // ---- 2. empty pages with a next link --------------------------------------------------------------------------

    @Test
    void everyNthDeltaPageIsEmptyWithANextLinkAndTheRoundStillReturnsEverything() {
        String folder = fresh(alice);
        cloud.setEmptyDeltaPageEvery(3);
        List<FakeMessage> all = deliver(alice, folder, 9);
        Round r = round(delta(alice, folder), "Prefer", "odata.maxpagesize=2");
        assertThat(r.sizes()).containsExactly(2, 2, 0, 2, 2, 0, 1);
        for (int i = 0; i < r.pages().size() - 1; i++) {
            assertThat(r.nextLinks().get(i)).as("page %d has a next link", i).isTrue();
        }
        assertThat(r.distinct()).isEqualTo(new HashSet<>(ids(all))).hasSize(r.ids().size());
        Round later = round(r.deltaLink());
        assertThat(later.sizes()).as("a round without changes: one page, then its delta link").containsExactly(0);
    }

    @Test
    void seededEmptyDeltaPagesAreTheSameForTheSameSeedAndRequests() {
        String folder = fresh(alice);
        cloud.setEmptyDeltaPageProbability(0.4);
        List<FakeMessage> all = deliver(alice, folder, 20);
        Round a = round(delta(alice, folder), "Prefer", "odata.maxpagesize=2");
        Round b = round(delta(alice, folder), "Prefer", "odata.maxpagesize=2");
        assertThat(a.sizes()).contains(0).isEqualTo(b.sizes());
        assertThat(a.distinct()).isEqualTo(ids(all).stream().collect(java.util.stream.Collectors.toSet()));
        cloud.setEmptyDeltaPageProbability(0);
        assertThat(round(delta(alice, folder), "Prefer", "odata.maxpagesize=2").sizes()).doesNotContain(0);
    }

    // ---- 3. items repeated across pages ---------------------------------------------------------------------------

    @Test
    void withAnOverlapEachPageStartsWithTheLastItemsOfThePageBefore() {
        String folder = fresh(alice);
        cloud.setDeltaPageOverlap(2);
        List<FakeMessage> all = deliver(alice, folder, 11);
        Round r = round(delta(alice, folder), "Prefer", "odata.maxpagesize=4");
        for (int p = 1; p < r.pages().size(); p++) {
            List<JsonNode> before = r.pages().get(p - 1);
            List<String> tail = before.subList(before.size() - 2, before.size()).stream()
                    .map(i -> i.path("id").asText()).toList();
            List<String> head = r.pages().get(p).subList(0, 2).stream().map(i -> i.path("id").asText()).toList();
            assertThat(head).as("page %d repeats the end of page %d", p, p - 1).isEqualTo(tail);
        }
        assertThat(r.distinct()).isEqualTo(ids(all).stream().collect(java.util.stream.Collectors.toSet()));
        assertThat(r.ids()).hasSizeGreaterThan(11);
    }

    @Test
    void withAnOverlapFractionEachPageRepeatsThatShareOfThePageBefore() {
        String folder = fresh(alice);
        cloud.setDeltaPageOverlapFraction(0.25);
        List<FakeMessage> all = deliver(alice, folder, 20);
        Round r = round(delta(alice, folder), "Prefer", "odata.maxpagesize=8");
        assertThat(r.pages()).hasSizeGreaterThan(2);
        for (int p = 1; p < r.pages().size(); p++) {
            List<JsonNode> before = r.pages().get(p - 1);
            int k = (int) Math.ceil(0.25 * before.size());
            List<String> tail = before.subList(before.size() - k, before.size()).stream()
                    .map(i -> i.path("id").asText()).toList();
            List<String> head = r.pages().get(p).subList(0, k).stream().map(i -> i.path("id").asText()).toList();
            assertThat(head).as("page %d starts with the last %d of page %d", p, k, p - 1).isEqualTo(tail);
        }
        assertThat(r.distinct()).isEqualTo(ids(all).stream().collect(java.util.stream.Collectors.toSet()));
        cloud.setDeltaPageOverlapFraction(0);
        assertThat(round(delta(alice, folder), "Prefer", "odata.maxpagesize=8").ids()).hasSize(20);
    }

    // ---- 4. synchronization reset ---------------------------------------------------------------------------------

    @Test
    void anExpiredTokenCanAnswer410WithALocationWhoseDeltaTokenIsEmpty() {
        String folder = fresh(alice);
        cloud.setSyncResetLocation(true);
        List<FakeMessage> all = deliver(alice, folder, 4);
        String url = delta(alice, folder) + "?$select=subject&$filter=receivedDateTime ge " + T0;
        Round r = round(url);
        alice.expireDeltaTokens(folder);
        GraphHttp.Answer gone = http.get(r.deltaLink());
        assertThat(gone.status()).isEqualTo(410);
        assertThat(gone.errorCode()).isEqualTo("SyncStateNotFound");
        okhttp3.HttpUrl location = okhttp3.HttpUrl.get(gone.header("Location"));
        assertThat(location.encodedPath()).endsWith("/messages/delta");
        assertThat(location.queryParameter("$deltatoken")).isEmpty();
        assertThat(location.queryParameter("$select")).isEqualTo("subject");
        assertThat(location.queryParameter("$filter")).isEqualTo("receivedDateTime ge " + T0);
        Round again = round(location.toString());
        assertThat(again.distinct()).isEqualTo(ids(all).stream().collect(java.util.stream.Collectors.toSet()));
        assertThat(again.pages().get(0).get(0).has("subject")).isTrue();
        assertThat(again.pages().get(0).get(0).has("isRead")).isFalse();

        cloud.setSyncResetLocation(false);
        alice.expireDeltaTokens(folder);
        GraphHttp.Answer plain = http.get(again.deltaLink());
        assertThat(plain.status()).isEqualTo(410);
        assertThat(plain.header("Location")).as("off by default").isNull();
    }

    @Test
    void aScriptedSyncResetAnswers410WithTheRequestsUrlAndAnEmptyDeltaToken() {
        String folder = fresh(alice);
        deliver(alice, folder, 2);
        Round r = round(delta(alice, folder));
        cloud.faults().add(Faults.on(Faults.deltaLinkRequests()).nth(1).respond(Fault.syncReset()));
        GraphHttp.Answer gone = http.get(r.deltaLink());
        assertThat(gone.status()).isEqualTo(410);
        assertThat(gone.errorCode()).isEqualTo("SyncStateNotFound");
        assertThat(gone.header("Location")).isEqualTo(cloud.loginBaseUrl() + "/v1.0/users/" + alice.objectId()
                + "/mailFolders('" + folder + "')/messages/delta?$deltatoken=");
        assertThat(round(gone.header("Location")).ids()).hasSize(2);
    }

    // ---- 5. Retry-After as an HTTP date ---------------------------------------------------------------------------

    @Test
    void retryAfterCanBeAnHttpDateOnTheFakeClockNeverEarlierThanTheSeconds() {
        cloud.setRetryAfterAsHttpDate(true);
        cloud.clock().advance(Duration.ofMillis(400));
        Instant now = cloud.clock().instant();
        cloud.faults().add(Faults.throttleMailbox(alice.objectId(), 1, Duration.ofSeconds(7)));
        cloud.faults().add(Faults.on(Faults.mailbox(bob.objectId())).times(1)
                .respond(new Fault.Status(503, "serviceNotAvailable", "Service Unavailable", Duration.ofSeconds(3))));
        GraphHttp.Answer throttled = http.get("/users/" + alice.objectId() + "/mailFolders");
        assertThat(throttled.status()).isEqualTo(429);
        Instant at = IMF.parse(throttled.header("Retry-After"), Instant::from);
        assertThat(at).isEqualTo(now.plusSeconds(8).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        assertThat(throttled.header("Retry-After")).matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
        GraphHttp.Answer unavailable = http.get("/users/" + bob.objectId() + "/mailFolders");
        assertThat(unavailable.status()).isEqualTo(503);
        assertThat(IMF.parse(unavailable.header("Retry-After"), Instant::from))
                .isEqualTo(now.plusSeconds(4).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));

        cloud.setMailboxThrottling(MailboxThrottling.exchangeOnline().withRequestBudget(1, Duration.ofMinutes(1)));
        assertThat(http.get("/users/" + bob.objectId() + "/mailFolders").status()).isEqualTo(200);
        GraphHttp.Answer budget = http.get("/users/" + bob.objectId() + "/mailFolders");
        assertThat(budget.status()).isEqualTo(429);
        assertThat(IMF.parse(budget.header("Retry-After"), Instant::from))
                .isEqualTo(now.plusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(1));

        JournalEntry first = cloud.journal().entries().stream().filter(e -> e.status() == 429).findFirst()
                .orElseThrow();
        assertThat(first.receivedAt().plus(first.retryAfter().orElse(null))).isEqualTo(at);
        cloud.clock().advance(Duration.ofSeconds(6));
        http.get("/users/" + alice.objectId() + "/mailFolders");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JournalAssertions.assertThat(cloud.journal())
                        .noRequestBeforeRetryAfter())
                .hasMessageContaining("before " + at);
    }

    // ---- 6. $batch answers in any order ---------------------------------------------------------------------------

    @Test
    void batchResponsesComeBackInASeededOrderThatIsNotRequestOrder() {
        StringBuilder body = new StringBuilder("{\"requests\":[");
        List<String> requested = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            body.append(i > 1 ? "," : "").append("{\"id\":\"").append(i).append("\",\"method\":\"GET\",\"url\":\"/users/")
                    .append(i % 2 == 0 ? alice.objectId() : bob.objectId()).append("/mailFolders/inbox\"}");
            requested.add(Integer.toString(i));
        }
        body.append("]}");
        List<String> order = batchOrder(body.toString());
        assertThat(order).containsExactlyInAnyOrderElementsOf(requested).isNotEqualTo(requested);

        try (FakeMicrosoftCloud twin = FakeMicrosoftCloud.builder()
                .tenant(FakeTenant.builder("contoso").consentGranted()
                        .generate(TenantGenerator.builder(11).userMailboxes(2).sharedMailboxes(0).messagesPerMailbox(3)
                                .build()))
                .start()) {
            GraphHttp other = new GraphHttp(twin, twin.tenant("contoso"));
            assertThat(ids(other.post("/$batch", body.toString()))).as("same seed, same order").isEqualTo(order);
        }

        cloud.setShuffleBatchResponses(false);
        assertThat(batchOrder(body.toString())).isEqualTo(requested);
    }

    List<String> batchOrder(String body) {
        return ids(http.post("/$batch", body));
    }

    static List<String> ids(GraphHttp.Answer a) {
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        a.json().path("responses").forEach(r -> {
            assertThat(r.path("status").asInt()).isEqualTo(200);
            out.add(r.path("id").asText());
        });
        return out;
    }

    // ---- 7. throttled requests count ------------------------------------------------------------------------------

    @Test
    void throttledRequestsCountTowardsTheBudgetSoRetryingEarlyPushesTheRetryAfterOut() {
        cloud.setMailboxThrottling(MailboxThrottling.exchangeOnline().withRequestBudget(3, Duration.ofMinutes(1)));
        String folders = "/users/" + alice.objectId() + "/mailFolders";
        for (int i = 0; i < 3; i++) {
            assertThat(http.get(folders).status()).isEqualTo(200);
        }
        cloud.clock().advance(Duration.ofSeconds(10));
        GraphHttp.Answer over = http.get(folders);
        assertThat(over.status()).isEqualTo(429);
        assertThat(over.header("Retry-After")).isEqualTo("50");
        cloud.clock().advance(Duration.ofSeconds(40));
        GraphHttp.Answer early = http.get(folders);
        assertThat(early.header("Retry-After")).as("the first 429 is in the window too").isEqualTo("10");

        cloud.clock().advance(Duration.ofSeconds(10));
        assertThat(http.get(folders).status()).as("the three 200s left the window; two 429s are in it").isEqualTo(200);
        GraphHttp.Answer full = http.get(folders);
        assertThat(full.status()).isEqualTo(429);
        assertThat(full.header("Retry-After")).as("until the 429 of +50 s leaves").isEqualTo("50");
        cloud.clock().advance(Duration.ofSeconds(50));
        assertThat(http.get(folders).status()).as("waiting the Retry-After exactly gets through").isEqualTo(200);
        assertThat(http.get("/users/" + bob.objectId() + "/mailFolders").status()).isEqualTo(200);
    }

    // ---- what keyset paging of a backfill needs from the message list ---------------------------------------------

    @Test
    void messageListsFilterOnBothEndsOfAReceivedRangeOrderNewestFirstAndSelectOnlyIdAndTime() {
        String folder = fresh(alice);
        List<FakeMessage> all = deliver(alice, folder, 30);
        String list = "/users/" + alice.objectId() + "/mailFolders/" + folder + "/messages";
        Instant a = all.get(5).receivedDateTime();
        Instant b = all.get(20).receivedDateTime();
        record Case(String lower, String upper, int from, int to) {
        }
        for (Case k : List.of(new Case("ge", "le", 5, 20), new Case("ge", "lt", 5, 19), new Case("gt", "le", 6, 20),
                new Case("gt", "lt", 6, 19))) {
            GraphHttp.Answer page = http.get(list + "?$filter=receivedDateTime " + k.lower() + " " + a
                    + " and receivedDateTime " + k.upper() + " " + b
                    + "&$orderby=receivedDateTime desc&$top=1000&$select=id,receivedDateTime");
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            List<String> got = new ArrayList<>();
            List<Instant> times = new ArrayList<>();
            for (JsonNode item : page.json().path("value")) {
                List<String> fields = new ArrayList<>();
                item.fieldNames().forEachRemaining(fields::add);
                assertThat(fields).containsExactly("@odata.etag", "id", "receivedDateTime");
                got.add(item.path("id").asText());
                times.add(Instant.parse(item.path("receivedDateTime").asText()));
            }
            List<String> expected = new ArrayList<>();
            for (int i = k.to(); i >= k.from(); i--) {
                expected.add(all.get(i).id());
            }
            assertThat(got).as(k.toString()).containsExactlyElementsOf(expected);
            assertThat(times).isSortedAccordingTo(java.util.Comparator.reverseOrder());
            assertThat(page.json().has("@odata.nextLink")).isFalse();
        }

        // keyset paging: the next page is everything received before the oldest of the page before
        List<String> paged = new ArrayList<>();
        Instant before = T0.plus(Duration.ofDays(1));
        while (true) {
            JsonNode page = http.get(list + "?$filter=receivedDateTime ge " + T0 + " and receivedDateTime lt " + before
                    + "&$orderby=receivedDateTime desc&$top=7&$select=id,receivedDateTime").json();
            if (page.path("value").isEmpty()) {
                break;
            }
            page.path("value").forEach(v -> paged.add(v.path("id").asText()));
            JsonNode last = page.path("value").get(page.path("value").size() - 1);
            before = Instant.parse(last.path("receivedDateTime").asText());
        }
        List<String> newestFirst = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0; i--) {
            newestFirst.add(all.get(i).id());
        }
        assertThat(paged).containsExactlyElementsOf(newestFirst);
    }
}
