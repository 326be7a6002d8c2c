package com.tekst.outlook.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Raw HTTP pins the wire details Graph clients depend on: headers, page sizes, tokens, error shapes, ids. */
class GraphWireTest {
    static FakeMicrosoftCloud cloud;
    static FakeTenant contoso;
    static GraphHttp http;

    @BeforeAll
    static void start() {
        cloud = FakeMicrosoftCloud.builder()
                .tenant(FakeTenant.builder("contoso").consentGranted()
                        .generate(TenantGenerator.builder(7).userMailboxes(8).sharedMailboxes(1).messagesPerMailbox(30)
                                .build()))
                .start();
        contoso = cloud.tenant("contoso");
        http = new GraphHttp(cloud, contoso);
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    static FakeMailbox mailbox(int i) {
        return contoso.mailboxes().get(i);
    }

    static String messages(FakeMailbox m) {
        return "/users/" + m.objectId() + "/messages";
    }

    static String delta(FakeMailbox m, String folder) {
        return "/users/" + m.objectId() + "/mailFolders/" + folder + "/messages/delta";
    }

    /** Every page of a round: the items, and the delta link in the last element's place. */
    record Round(List<JsonNode> items, List<Integer> pageSizes, String deltaLink) {
        Set<String> ids() {
            Set<String> out = new HashSet<>();
            items.forEach(i -> out.add(i.path("id").asText()));
            return out;
        }
    }

    static Round round(String url, String... headers) {
        List<JsonNode> items = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        GraphHttp.Answer a = http.get(url, headers);
        while (true) {
            assertThat(a.status()).as(a.body()).isEqualTo(200);
            JsonNode page = a.json();
            page.path("value").forEach(items::add);
            sizes.add(page.path("value").size());
            if (page.has("@odata.deltaLink")) {
                return new Round(items, sizes, page.path("@odata.deltaLink").asText());
            }
            a = http.get(page.path("@odata.nextLink").asText(), headers);
        }
    }

    // ---- headers and error shape ----------------------------------------------------------------------------------

    @Test
    void everyAnswerCarriesARequestIdAndEchoesTheClientRequestId() {
        GraphHttp.Answer ok = http.get("/users", "client-request-id", "11111111-2222-3333-4444-555555555555");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header("request-id")).matches("[0-9a-f-]{36}");
        assertThat(ok.header("client-request-id")).isEqualTo("11111111-2222-3333-4444-555555555555");
        assertThat(ok.header("Content-Type")).startsWith("application/json;odata.metadata=minimal");
        assertThat(ok.header("Date")).matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");

        http.sendClientRequestId = false;
        try {
            GraphHttp.Answer err = http.get("/users/nobody@contoso.onmicrosoft.com/messages", "client-request-id",
                    "aaaaaaaa-2222-3333-4444-555555555555");
            JsonNode error = err.json().path("error");
            assertThat(err.status()).isEqualTo(404);
            assertThat(error.path("code").asText()).isEqualTo("ErrorInvalidUser");
            assertThat(error.path("message").asText())
                    .isEqualTo("The requested user 'nobody@contoso.onmicrosoft.com' is invalid.");
            assertThat(error.path("innerError").path("request-id").asText()).isEqualTo(err.header("request-id"));
            assertThat(error.path("innerError").path("client-request-id").asText())
                    .isEqualTo("aaaaaaaa-2222-3333-4444-555555555555");
            assertThat(error.path("innerError").path("date").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}");

            GraphHttp.Answer anonymous = http.get("/users");
            assertThat(anonymous.header("client-request-id")).isNull();
            assertThat(anonymous.header("request-id")).isNotNull();
        } finally {
            http.sendClientRequestId = true;
        }
    }

    @Test
    void missingAndExpiredTokensAre401() {
        String token = http.token;
        try {
            http.token = null;
            GraphHttp.Answer none = http.get("/users");
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.errorCode()).isEqualTo("InvalidAuthenticationToken");
            assertThat(none.header("WWW-Authenticate")).startsWith("Bearer ");

            http.token = token;
            cloud.clock().advance(Duration.ofMinutes(61));
            GraphHttp.Answer expired = http.get("/users");
            assertThat(expired.status()).isEqualTo(401);
            assertThat(expired.json().path("error").path("message").asText()).contains("expired");
        } finally {
            http.token = cloud.accessToken(contoso.id());
        }
    }

    @Test
    void meIsRefusedForAppOnlyTokensAndUnknownSegmentsAreBadRequests() {
        GraphHttp.Answer me = http.get("/me/messages");
        assertThat(me.status()).isEqualTo(400);
        assertThat(me.json().path("error").path("message").asText())
                .isEqualTo("/me request is only valid with delegated authentication flow.");
        GraphHttp.Answer unknown = http.get("/users/" + mailbox(0).objectId() + "/calendars");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().path("error").path("message").asText())
                .isEqualTo("Resource not found for the segment 'calendars'.");
        GraphHttp.Answer post = http.post(messages(mailbox(0)) + "/delta", "{}");
        assertThat(post.status()).isEqualTo(405);
        GraphHttp.Answer method = http.delete("/users/" + mailbox(0).objectId() + "/mailFolders");
        assertThat(method.status()).isEqualTo(405);
    }

    @Test
    void graphResolvesObjectIdAndUpnButNotProxyAddresses() {
        FakeMailbox m = contoso.mailboxes().stream().filter(b -> !b.owner().aliases().isEmpty()).findFirst()
                .orElseThrow();
        assertThat(http.get("/users/" + m.objectId().value().toUpperCase()).json().path("id").asText()).isEqualTo(m.objectId().value());
        assertThat(http.get("/users/" + m.owner().userPrincipalName().toUpperCase()).status()).isEqualTo(200);
        String alias = m.owner().aliases().get(0);
        GraphHttp.Answer directory = http.get("/users/" + alias);
        assertThat(directory.status()).isEqualTo(404);
        assertThat(directory.errorCode()).isEqualTo("Request_ResourceNotFound");
        GraphHttp.Answer mail = http.get("/users/" + alias + "/messages");
        assertThat(mail.status()).isEqualTo(404);
        assertThat(mail.errorCode()).isEqualTo("ErrorInvalidUser");
        assertThat(contoso.mailbox(alias).objectId()).isEqualTo(m.objectId());
    }

    // ---- paging ---------------------------------------------------------------------------------------------------

    @Test
    void messageListsPage10ByDefaultAndAcceptTopFrom1To1000() {
        FakeMailbox m = mailbox(0);
        GraphHttp.Answer first = http.get(messages(m));
        assertThat(first.json().path("value")).hasSize(10);
        assertThat(first.json().path("@odata.nextLink").asText()).contains("%24skip=10");
        assertThat(http.get(messages(m) + "?$top=1000").json().path("value")).hasSize(m.messages().size());
        for (String bad : List.of("0", "1001", "-3", "ten")) {
            GraphHttp.Answer a = http.get(messages(m) + "?$top=" + bad);
            assertThat(a.status()).as(bad).isEqualTo(400);
            assertThat(a.errorCode()).isEqualTo("ErrorInvalidUrlQuery");
        }
        assertThat(http.get(messages(m) + "?$top=1001").json().path("error").path("message").asText())
                .isEqualTo("The limit of '1000' for Top query has been exceeded. The value from the incoming request is '1001'.");

        List<String> all = new ArrayList<>();
        String url = messages(m) + "?$top=7&$select=subject";
        while (url != null) {
            JsonNode page = http.get(url).json();
            page.path("value").forEach(v -> all.add(v.path("id").asText()));
            url = page.has("@odata.nextLink") ? page.path("@odata.nextLink").asText() : null;
        }
        assertThat(all).containsExactlyElementsOf(m.messages().stream().map(FakeMessage::id).toList());
    }

    @Test
    void usersPage100ByDefaultKeepTheFilterInNextLinksAndRefuseTop1000() {
        GraphHttp.Answer bad = http.get("/users?$top=1000");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.errorCode()).isEqualTo("Request_UnsupportedQuery");
        JsonNode page = http.get("/users?$top=1&$filter=startswith(userPrincipalName,'s') or startswith(mail,'a')").json();
        String next = page.path("@odata.nextLink").asText();
        assertThat(next).contains("%24filter=").contains("%24skiptoken=");
        List<String> names = new ArrayList<>();
        names.add(page.path("value").get(0).path("userPrincipalName").asText());
        while (!next.isEmpty()) {
            JsonNode p = http.get(next).json();
            p.path("value").forEach(u -> names.add(u.path("userPrincipalName").asText()));
            next = p.path("@odata.nextLink").asText("");
        }
        assertThat(names).isNotEmpty().allMatch(n -> n.startsWith("s") || n.startsWith("a"));
        assertThat(names).containsExactlyElementsOf(contoso.users().stream().map(FakeUser::userPrincipalName)
                .filter(n -> n.startsWith("s") || n.startsWith("a")).toList());
    }

    @Test
    void deltaPages10ByDefaultAndHonoursMaxPageSizeOnlyOnTheRequestThatSendsIt() {
        FakeMailbox m = mailbox(1);
        int inbox = m.folder("inbox").totalItemCount();
        assertThat(inbox).isGreaterThan(13);
        GraphHttp.Answer first = http.get(delta(m, "inbox"), "Prefer", "odata.maxpagesize=3");
        assertThat(first.json().path("value")).hasSize(3);
        assertThat(first.header("Preference-Applied")).isEqualTo("odata.maxpagesize=3");
        String next = first.json().path("@odata.nextLink").asText();
        assertThat(next).doesNotContain("maxpagesize");
        GraphHttp.Answer second = http.get(next);
        assertThat(second.json().path("value")).hasSize(10);
        assertThat(second.header("Preference-Applied")).isNull();
        GraphHttp.Answer third = http.get(second.json().path("@odata.nextLink").asText(), "Prefer",
                "odata.maxpagesize=1000");
        assertThat(third.json().path("value")).hasSize(inbox - 13);
        assertThat(third.json().has("@odata.deltaLink")).isTrue();
        assertThat(third.json().path("@odata.context").asText()).endsWith("/v1.0/$metadata#Collection(message)");
    }

    // ---- delta tokens ---------------------------------------------------------------------------------------------

    @Test
    void deltaTokensAreOpaqueAndTamperEvident() {
        FakeMailbox m = mailbox(2);
        JsonNode page = http.get(delta(m, "inbox") + "?$select=subject", "Prefer", "odata.maxpagesize=2").json();
        String next = page.path("@odata.nextLink").asText();
        String token = next.substring(next.indexOf("$skiptoken=") + 11);
        byte[] raw = Base64.getUrlDecoder().decode(token);
        String visible = new String(raw, StandardCharsets.ISO_8859_1);
        assertThat(visible).doesNotContain(m.objectId().value()).doesNotContain("subject");
        assertThat(token).doesNotContain(m.objectId().value());

        char c = token.charAt(20);
        String tampered = next.replace(token, token.substring(0, 20) + (c == 'A' ? 'B' : 'A') + token.substring(21));
        GraphHttp.Answer a = http.get(tampered);
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.errorCode()).isEqualTo("ErrorInvalidSyncStateData");

        String otherMailbox = http.cloud.graphBaseUrl() + delta(mailbox(3), "inbox") + "?$skiptoken=" + token;
        assertThat(http.get(otherMailbox).errorCode()).isEqualTo("ErrorInvalidSyncStateData");
        assertThat(http.get(next.replace(m.objectId().value(), mailbox(3).objectId().value())).errorCode())
                .as("the folder id belongs to the first mailbox").isEqualTo("ErrorFolderNotFound");
        String otherFolder = http.cloud.graphBaseUrl() + delta(m, "archive") + "?$skiptoken=" + token;
        assertThat(http.get(otherFolder).errorCode()).isEqualTo("ErrorInvalidSyncStateData");
    }

    @Test
    void expiredDeltaTokensAre410SyncStateNotFoundInGraphsShape() {
        FakeMailbox m = mailbox(3);
        Round r = round(delta(m, "inbox"), "Prefer", "odata.maxpagesize=100");
        JsonNode page = http.get(delta(m, "archive"), "Prefer", "odata.maxpagesize=1").json();
        String archiveNext = page.path("@odata.nextLink").asText();
        m.expireDeltaTokens("inbox");
        GraphHttp.Answer gone = http.get(r.deltaLink());
        assertThat(gone.status()).isEqualTo(410);
        assertThat(gone.header("Content-Type")).startsWith("application/json");
        JsonNode error = gone.json().path("error");
        assertThat(error.path("code").asText()).isEqualTo("SyncStateNotFound");
        assertThat(error.path("message").asText())
                .matches("The sync state generation is not found; generation=1;\\[highest=2]\\[2]\\[1]\\[1]\\.");
        assertThat(error.path("innerError").path("request-id").asText()).isEqualTo(gone.header("request-id"));
        assertThat(error.path("innerError").has("date")).isTrue();
        assertThat(error.path("innerError").path("client-request-id").asText())
                .isEqualTo(gone.header("client-request-id"));
        assertThat(http.get(archiveNext).status()).as("other folders keep their tokens").isEqualTo(200);

        m.expireDeltaTokens();
        assertThat(http.get(archiveNext).status()).isEqualTo(410);
    }

    @Test
    void deltaTokensExpireAfterTheConfiguredAgeOnTheFakeClock() {
        FakeMailbox m = mailbox(4);
        cloud.setDeltaTokenLifetime(Duration.ofHours(1));
        try {
            Round r = round(delta(m, "inbox"), "Prefer", "odata.maxpagesize=500");
            cloud.clock().advance(Duration.ofMinutes(59));
            http.token = cloud.accessToken(contoso.id());
            Round again = round(r.deltaLink());
            assertThat(again.items()).isEmpty();
            cloud.clock().advance(Duration.ofMinutes(61));
            http.token = cloud.accessToken(contoso.id());
            GraphHttp.Answer old = http.get(again.deltaLink());
            assertThat(old.status()).isEqualTo(410);
            assertThat(old.errorCode()).isEqualTo("SyncStateNotFound");
        } finally {
            cloud.setDeltaTokenLifetime(null);
            http.token = cloud.accessToken(contoso.id());
        }
    }

    @Test
    void laterRoundsSeeOnlyChangesWithRemovalsForDeletesAndMovesOutAndAddsForMovesIn() {
        FakeMailbox m = mailbox(5);
        Round inbox = round(delta(m, "inbox"), "Prefer", "odata.maxpagesize=7");
        Round archive = round(delta(m, "archive"));
        assertThat(inbox.ids()).isEqualTo(ids(m.messages("inbox")));
        assertThat(round(inbox.deltaLink()).items()).as("no change, no item").isEmpty();

        List<FakeMessage> before = m.messages("inbox");
        FakeMessage moved = m.move(before.get(0), "archive");
        m.delete(before.get(1));
        FakeMessage read = m.markRead(before.get(2).id(), !before.get(2).isRead());
        FakeMessage categorized = m.categorize(before.get(3), "Red category");
        FakeMessage arrived = m.deliver(FakeMessage.builder().from("zoe@fabrikam.com").subject("Fresh"));

        Round changes = round(inbox.deltaLink());
        List<String> removed = new ArrayList<>();
        List<String> present = new ArrayList<>();
        for (JsonNode i : changes.items()) {
            if (i.has("@removed")) {
                assertThat(i.path("@removed").path("reason").asText()).isEqualTo("deleted");
                assertThat(i.path("@odata.type").asText()).isEqualTo("#microsoft.graph.message");
                removed.add(i.path("id").asText());
            } else {
                present.add(i.path("id").asText());
            }
        }
        assertThat(removed).containsExactlyInAnyOrder(before.get(0).id(), before.get(1).id());
        assertThat(present).containsExactlyInAnyOrder(read.id(), categorized.id(), arrived.id());
        Round archiveChanges = round(archive.deltaLink());
        assertThat(archiveChanges.ids()).containsExactly(moved.id());
        assertThat(moved.id()).isNotEqualTo(before.get(0).id());
    }

    @Test
    void aDeltaRoundStaysConsistentWhileTheMailboxChangesUnderIt() {
        FakeMailbox m = mailbox(6);
        Set<String> view = new HashSet<>();
        String[] prefer = {"Prefer", "odata.maxpagesize=4", "Prefer", "IdType=\"ImmutableId\""};
        GraphHttp.Answer a = http.get(delta(m, "inbox"), prefer);
        int step = 0;
        String deltaLink = null;
        for (int round = 0; round < 3; round++) {
            while (true) {
                JsonNode page = a.json();
                for (JsonNode i : page.path("value")) {
                    if (i.has("@removed")) {
                        view.remove(i.path("id").asText());
                    } else {
                        view.add(i.path("id").asText());
                    }
                }
                List<FakeMessage> current = m.messages("inbox");
                switch (step++ % 4) {
                    case 0 -> m.deliver(FakeMessage.builder().from("x@fabrikam.com").subject("during " + step));
                    case 1 -> m.move(current.get(current.size() - 1), "archive");
                    case 2 -> m.markRead(current.get(0));
                    default -> m.delete(current.get(current.size() / 2));
                }
                if (page.has("@odata.deltaLink")) {
                    deltaLink = page.path("@odata.deltaLink").asText();
                    break;
                }
                a = http.get(page.path("@odata.nextLink").asText(), prefer);
            }
            a = http.get(deltaLink, prefer);
        }
        while (true) {
            JsonNode page = a.json();
            for (JsonNode i : page.path("value")) {
                if (i.has("@removed")) {
                    view.remove(i.path("id").asText());
                } else {
                    view.add(i.path("id").asText());
                }
            }
            if (page.has("@odata.deltaLink")) {
                break;
            }
            a = http.get(page.path("@odata.nextLink").asText(), prefer);
        }
        Set<String> expected = new HashSet<>();
        m.messages("inbox").forEach(x -> expected.add(x.immutableId()));
        assertThat(view).isEqualTo(expected);
    }

    @Test
    void duplicatesAcrossPagesAreAllowedWhenConfigured() {
        FakeMailbox m = mailbox(7);
        cloud.setDeltaPageOverlap(1);
        try {
            Round r = round(delta(m, "inbox"), "Prefer", "odata.maxpagesize=5");
            assertThat(r.items().size()).isGreaterThan(r.ids().size());
            assertThat(r.ids()).isEqualTo(ids(m.messages("inbox")));
        } finally {
            cloud.setDeltaPageOverlap(0);
        }
    }

    @Test
    void deltaRefusesOptionsGraphDoesNotSupportOnChangeTracking() {
        FakeMailbox m = mailbox(0);
        GraphHttp.Answer top = http.get(delta(m, "inbox") + "?$top=5");
        assertThat(top.status()).isEqualTo(400);
        assertThat(top.json().path("error").path("message").asText()).contains("'$top'");
        GraphHttp.Answer filter = http.get(delta(m, "inbox") + "?$filter=receivedDateTime lt 2025-12-01T00:00:00Z");
        assertThat(filter.errorCode()).isEqualTo("ErrorInvalidUrlQuery");
        assertThat(http.get(delta(m, "inbox") + "?$filter=receivedDateTime gt 2025-12-01").status()).isEqualTo(200);
        assertThat(http.get(messages(m) + "/delta").status()).isEqualTo(400);
    }

    @Test
    void folderDeltaFlattensTheTreeAndReportsNewRenamedAndDeletedFolders() {
        FakeMailbox m = mailbox(1);
        Round first = round("/users/" + m.objectId() + "/mailFolders/delta");
        List<String> names = first.items().stream().map(i -> i.path("displayName").asText()).toList();
        assertThat(names).contains("Inbox", "Projects", "Archive 2025", "Receipts", "Sent Items")
                .doesNotContain("Top of Information Store", "Quick Step Settings", "Deletions");
        FakeFolder created = m.createFolder("Inbox/Projects", "Tekst");
        m.renameFolder("Inbox/Receipts", "Invoices");
        String receiptsId = m.folder("Inbox/Invoices").id();
        m.deleteFolder("Inbox/Projects/Archive 2025");
        Round second = round(first.deltaLink());
        assertThat(second.items()).anySatisfy(i -> assertThat(i.path("id").asText()).isEqualTo(created.id()));
        assertThat(second.items()).anySatisfy(i -> {
            assertThat(i.path("id").asText()).isEqualTo(receiptsId);
            assertThat(i.path("displayName").asText()).isEqualTo("Invoices");
        });
        assertThat(second.items()).anySatisfy(i -> assertThat(i.has("@removed")).isTrue());
    }

    // ---- query options --------------------------------------------------------------------------------------------

    @Test
    void selectIsHonouredAndUnknownPropertiesAreRefused() {
        FakeMailbox m = mailbox(2);
        JsonNode item = http.get(messages(m) + "?$top=1&$select=subject,isRead").json().path("value").get(0);
        List<String> fields = new ArrayList<>();
        item.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("@odata.etag", "id", "subject", "isRead");
        GraphHttp.Answer bad = http.get(messages(m) + "?$select=subject,colour");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.errorCode()).isEqualTo("RequestBroker--ParseUri");
        JsonNode user = http.get("/users/" + m.objectId() + "?$select=displayName").json();
        assertThat(user.path("@odata.context").asText()).endsWith("$metadata#users(displayName)/$entity");
        assertThat(user.has("mail")).isFalse();
    }

    @Test
    void malformedAndUnsupportedFiltersAreTypedBadRequests() {
        FakeMailbox m = mailbox(2);
        for (String f : List.of("receivedDateTime ge", "receivedDateTime gq 2025-01-01T00:00:00Z", "(isRead eq true",
                "subject eq 'unterminated", "receivedDateTime ge 'soon'")) {
            GraphHttp.Answer a = http.get(messages(m) + "?$filter=" + f);
            assertThat(a.status()).as(f).isEqualTo(400);
            assertThat(a.errorCode()).as(f).isEqualTo("BadRequest");
            assertThat(a.json().path("error").path("message").asText()).startsWith("Invalid filter clause");
        }
        GraphHttp.Answer unknown = http.get(messages(m) + "?$filter=colour eq 'red'");
        assertThat(unknown.errorCode()).isEqualTo("ErrorInvalidUrlQueryFilter");
        GraphHttp.Answer contains = http.get("/users?$filter=contains(displayName,'a')");
        assertThat(contains.errorCode()).isEqualTo("Request_UnsupportedQuery");
    }

    @Test
    void filterAndOrderbyFollowOutlooksRule() {
        FakeMailbox m = mailbox(3);
        Instant from = Instant.parse("2025-11-01T00:00:00Z");
        Instant to = Instant.parse("2025-12-15T00:00:00Z");
        JsonNode page = http.get(messages(m) + "?$top=1000&$filter=receivedDateTime ge " + from
                + " and receivedDateTime lt " + to + "&$orderby=receivedDateTime desc&$select=receivedDateTime").json();
        List<String> expected = m.messages().stream()
                .filter(x -> !x.receivedDateTime().isBefore(from) && x.receivedDateTime().isBefore(to))
                .map(FakeMessage::id).toList();
        List<String> got = new ArrayList<>();
        page.path("value").forEach(v -> got.add(v.path("id").asText()));
        assertThat(got).isNotEmpty().containsExactlyElementsOf(expected);
        GraphHttp.Answer asc = http.get(messages(m) + "?$filter=receivedDateTime ge " + from
                + "&$orderby=receivedDateTime asc&$top=3");
        assertThat(asc.status()).isEqualTo(200);
        GraphHttp.Answer bad = http.get(messages(m) + "?$filter=importance eq 'high' and receivedDateTime ge " + from
                + "&$orderby=receivedDateTime desc");
        assertThat(bad.errorCode()).isEqualTo("InefficientFilter");
        GraphHttp.Answer orderOnly = http.get(messages(m) + "?$orderby=subject asc&$top=3");
        assertThat(orderOnly.status()).isEqualTo(200);
    }

    // ---- ids, permissions, writes ---------------------------------------------------------------------------------

    @Test
    void immutableIdsSurviveMovesOnlyWithThePreferHeader() {
        FakeMailbox m = mailbox(4);
        FakeMessage msg = m.messages("inbox").get(0);
        String url = messages(m) + "/" + msg.id();
        JsonNode rest = http.get(url).json();
        JsonNode immutable = http.get(url, "Prefer", "IdType=\"ImmutableId\"").json();
        assertThat(rest.path("id").asText()).isEqualTo(msg.id());
        assertThat(immutable.path("id").asText()).isEqualTo(msg.immutableId());
        GraphHttp writer = new GraphHttp(cloud, contoso);
        writer.token = cloud.accessToken(contoso.id(), Set.of("Mail.ReadWrite"));
        GraphHttp.Answer moved = writer.post(url + "/move", "{\"destinationId\":\"junkemail\"}");
        assertThat(moved.status()).isEqualTo(201);
        String newId = moved.json().path("id").asText();
        assertThat(newId).isNotEqualTo(msg.id());
        assertThat(http.get(url).status()).isEqualTo(404);
        GraphHttp.Answer movedImmutable = writer.post(messages(m) + "/" + newId + "/move",
                "{\"destinationId\":\"inbox\"}", "Prefer", "IdType=\"ImmutableId\"");
        assertThat(movedImmutable.json().path("id").asText()).isEqualTo(msg.immutableId());
        assertThat(movedImmutable.header("Preference-Applied")).isEqualTo("IdType=\"ImmutableId\"");
        GraphHttp.Answer lowerCase = http.get(messages(m) + "/" + msg.immutableId().toLowerCase());
        assertThat(lowerCase.errorCode()).isEqualTo("ErrorItemNotFound");
        assertThat(http.get(messages(m) + "/not-an-id").errorCode()).isEqualTo("ErrorInvalidIdMalformed");
        assertThat(http.get("/users/" + m.objectId() + "/mailFolders/InBox").json().path("displayName").asText())
                .isEqualTo("Inbox");
    }

    @Test
    void permissionsAreCheckedPerCall() {
        FakeMailbox m = mailbox(5);
        FakeMessage msg = m.messages().get(0);
        GraphHttp basic = new GraphHttp(cloud, contoso);
        basic.token = cloud.accessToken(contoso.id(), Set.of("Mail.ReadBasic.All"));
        JsonNode metadataOnly = basic.get(messages(m) + "/" + msg.id()).json();
        assertThat(metadataOnly.path("subject").asText()).isEqualTo(msg.subject());
        assertThat(metadataOnly.has("body")).isFalse();
        assertThat(metadataOnly.has("bodyPreview")).isFalse();
        assertThat(basic.get("/users/" + m.objectId() + "/mailFolders").status()).isEqualTo(403);
        assertThat(basic.get("/users/" + m.objectId() + "/mailboxSettings").json().path("error").path("message")
                .asText()).isEqualTo("Access is denied. Check credentials and try again.");
        GraphHttp.Answer users = basic.get("/users");
        assertThat(users.status()).isEqualTo(403);
        assertThat(users.errorCode()).isEqualTo("Authorization_RequestDenied");

        assertThat(http.patch(messages(m) + "/" + msg.id(), "{\"isRead\":true}").errorCode())
                .isEqualTo("ErrorAccessDenied");
        assertThat(http.post(messages(m) + "/" + msg.id() + "/forward",
                "{\"toRecipients\":[{\"emailAddress\":{\"address\":\"a@b.com\"}}]}").status()).isEqualTo(403);

        GraphHttp writer = new GraphHttp(cloud, contoso);
        writer.token = cloud.accessToken(contoso.id(), Set.of("Mail.ReadWrite"));
        GraphHttp.Answer bad = writer.patch(messages(m) + "/" + msg.id(), "{\"subject\":\"changed\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.errorCode()).isEqualTo("ErrorInvalidPropertyUpdateSentMessage");
        assertThat(writer.patch(messages(m) + "/" + msg.id(), "{not json").status()).isEqualTo(400);
        GraphHttp.Answer ok = writer.patch(messages(m) + "/" + msg.id(), "{\"isRead\":false,\"categories\":[\"A\"]}");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().path("isRead").asBoolean()).isFalse();
        assertThat(m.message(msg.immutableId()).categories()).containsExactly("A");
        assertThat(writer.delete(messages(m) + "/" + msg.id()).status()).isEqualTo(204);
        assertThat(m.findMessage(msg.immutableId()).orElseThrow().parentFolderId())
                .isEqualTo(m.folder("recoverableitemsdeletions").id());
        assertThat(m.messages()).extracting(FakeMessage::immutableId).doesNotContain(msg.immutableId());
    }

    @Test
    void mailboxSettingsPropertiesAreAddressable() {
        FakeMailbox shared = contoso.mailboxes().stream()
                .filter(x -> x.owner().mailboxType().orElseThrow() == com.tekst.outlook.mailbox.MailboxType.SHARED)
                .findFirst().orElseThrow();
        JsonNode purpose = http.get("/users/" + shared.objectId() + "/mailboxSettings/userPurpose").json();
        assertThat(purpose.path("value").asText()).isEqualTo("shared");
        assertThat(purpose.path("@odata.context").asText()).endsWith("/mailboxSettings/userPurpose");
        JsonNode selected = http.get("/users/" + shared.objectId() + "/mailboxSettings?$select=timeZone,userPurpose")
                .json();
        Iterator<String> names = selected.fieldNames();
        List<String> fields = new ArrayList<>();
        names.forEachRemaining(fields::add);
        assertThat(fields).containsExactly("@odata.context", "timeZone", "userPurpose");
    }

    private static Set<String> ids(List<FakeMessage> messages) {
        Set<String> out = new HashSet<>();
        messages.forEach(m -> out.add(m.id()));
        return out;
    }
}
