package com.tekst.outlook.graph.internal.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.MailboxAccessException;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.MalformedResponseException;
import com.tekst.outlook.ServiceException;
import com.tekst.outlook.graph.CloudEndpoints;
import com.tekst.outlook.graph.internal.auth.MsalTokenProvider;
import com.tekst.outlook.graph.internal.http.GraphHttp;
import com.tekst.outlook.mailbox.FolderRef;
import com.tekst.outlook.sync.BackfillPage;
import com.tekst.outlook.sync.BackfillRequest;
import com.tekst.outlook.DeltaExpiredException;
import com.tekst.outlook.sync.DeltaPage;
import com.tekst.outlook.sync.DeltaRequest;
import com.tekst.outlook.sync.MailMessage;
import com.tekst.outlook.sync.MailSource;
import com.tekst.outlook.sync.MailboxTarget;
import com.tekst.outlook.sync.ReceivedRange;
import com.tekst.outlook.sync.SyncEngine;
import com.tekst.outlook.testkit.FakeClock;
import com.tekst.outlook.testkit.FakeMicrosoftCloud;
import com.tekst.outlook.testkit.FakeTenant;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The exact requests {@link GraphMailSource} sends and how it reads the answers, seen on a plain MockWebServer
 * standing in for Graph (the fake cloud issues the real tokens): encoded path segments, {@code $select} and
 * {@code $filter}, links verbatim, the {@code Prefer} headers, links outside Graph, typed errors with the operator's
 * details, interruption.
 */
class GraphMailSourceTest {
    static final String MAILBOX = "5a1b1c3e-0000-4000-8000-00000000a11c";
    static final String PAGE = "{\"@odata.context\":\"c\",\"value\":[{\"id\":\"m1\",\"receivedDateTime\":"
            + "\"2026-01-05T09:10:00Z\",\"parentFolderId\":\"f1\",\"subject\":\"Hello\"},{\"id\":\"gone\","
            + "\"@removed\":{\"reason\":\"deleted\"}}],\"@odata.%s\":\"%s\"}";

    final FakeClock clock = new FakeClock();
    FakeMicrosoftCloud cloud;
    MsalTokenProvider tokens;
    GraphHttp http;
    MockWebServer graph;
    GraphMailSource source;
    MailboxTarget target;

    @BeforeEach
    void start() throws Exception {
        cloud = FakeMicrosoftCloud.builder().clock(clock).tenant(FakeTenant.builder("contoso").consentGranted())
                .start();
        graph = new MockWebServer();
        graph.start(0);
        tokens = new MsalTokenProvider(cloud.app().clientId(), ClientCredentialFactory.createFromSecret(
                cloud.clientSecret()), CloudEndpoints.of(cloud.loginBaseUrl(), cloud.graphBaseUrl()),
                cloud.trustManager(), clock, clock);
        http = new GraphHttp(cloud.trustManager(), tokens, clock);
        source = new GraphMailSource(http, c -> http.client(List.of()), graph.url("/v1.0").uri());
        target = new MailboxTarget(ConnectionId.of("acme"), cloud.tenant("contoso").id(), MailboxId.of(MAILBOX),
                MailboxAddress.of("alice@contoso.com"));
    }

    @AfterEach
    void stop() {
        graph.close();
        http.close();
        tokens.close();
        cloud.close();
    }

    String link(String query) {
        return graph.url("/v1.0/users/" + MAILBOX + "/mailFolders('f1')/messages/delta") + "?" + query;
    }

    void answer(String body) {
        graph.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .addHeader("request-id", "11111111-2222-3333-4444-555555555555").body(body).build());
    }

    RecordedRequest taken() throws InterruptedException {
        RecordedRequest r = graph.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r).isNotNull();
        return r;
    }

    @Test
    void theInitialDeltaRequestSelectsFiltersAndPrefersOnEncodedSegments() throws Exception {
        String next = link("$skiptoken=abc%2Bdef~x");
        answer(PAGE.formatted("nextLink", next));
        FolderRef folder = new FolderRef("AAMk/odd 'id'?#%", "Inbox");

        DeltaPage page = source.fetchDelta(DeltaRequest.initial(target, folder,
                Instant.parse("2026-01-05T09:00:00.750Z"), 50, Set.of("subject", "id", "receivedDateTime")));

        RecordedRequest r = taken();
        HttpUrl url = r.getUrl();
        assertThat(url.encodedPath()).isEqualTo("/v1.0/users/" + MAILBOX
                + "/mailFolders/AAMk%2Fodd%20'id'%3F%23%25/messages/delta");
        assertThat(url.pathSegments()).containsExactly("v1.0", "users", MAILBOX, "mailFolders", "AAMk/odd 'id'?#%",
                "messages", "delta");
        assertThat(url.queryParameter("$select")).isEqualTo("id,receivedDateTime,subject");
        assertThat(url.queryParameter("$filter")).isEqualTo("receivedDateTime ge 2026-01-05T09:00:00Z");
        assertThat(url.querySize()).isEqualTo(2);
        assertThat(r.getHeaders().values("Prefer")).containsExactlyInAnyOrder("IdType=\"ImmutableId\"",
                "odata.maxpagesize=50");
        assertThat(r.getHeaders().get("Authorization")).startsWith("Bearer eyJ");
        assertThat(r.getHeaders().get("client-request-id")).hasSize(36);
        assertThat(r.getHeaders().values("User-Agent")).containsExactly("tekst-outlook");
        assertThat(page.messages()).extracting(MailMessage::id).containsExactly("m1");
        assertThat(page.removedIds()).containsExactly("gone");
        assertThat(page.nextLink()).contains(next);
    }

    @Test
    void aMinimalConnectionAsksForNoBodyPreviewOrAttachments() throws Exception {
        answer(PAGE.formatted("deltaLink", link("$deltatoken=zz")));
        MailboxTarget minimal = new MailboxTarget(target.connection(), target.tenant(), target.mailboxId(),
                target.address(), com.tekst.outlook.ConnectionPermissions.entra(com.tekst.outlook.PermissionProfile.MINIMAL));

        source.fetchDelta(DeltaRequest.initial(minimal, FolderRef.INBOX, Instant.parse("2026-01-05T09:00:00Z"), 50,
                Set.of("id", "receivedDateTime", "subject", "body", "bodyPreview", "uniqueBody", "hasAttachments")));

        assertThat(taken().getUrl().queryParameter("$select"))
                .isEqualTo("hasAttachments,id,receivedDateTime,subject");
    }

    @Test
    void aContinuationSendsTheLinkVerbatimWithThePreferHeadersAgain() throws Exception {
        String link = link("$skiptoken=abc%2Bdef~x_-=");
        answer(PAGE.formatted("deltaLink", link("$deltatoken=zz")));

        DeltaPage page = source.fetchDelta(DeltaRequest.continueFrom(target, FolderRef.INBOX, link, 100,
                MailMessage.DEFAULT_FIELDS));

        RecordedRequest r = taken();
        assertThat(r.getUrl().toString()).isEqualTo(link);
        assertThat(r.getHeaders().values("Prefer")).containsExactlyInAnyOrder("IdType=\"ImmutableId\"",
                "odata.maxpagesize=100");
        assertThat(page.isLast()).isTrue();
    }

    @Test
    void aStoredLinkOutsideGraphIsNeverFollowedAndRestartsTheFolder() {
        for (String elsewhere : List.of("https://attacker.example/v1.0/users/x/messages/delta?$skiptoken=a",
                graph.url("/v2.0/users/x").toString(), "http://localhost:1/v1.0/users/x?$deltatoken=a",
                graph.url("/v1.0").toString().replace("localhost", "localhost.example"))) {
            DeltaExpiredException e = catchThrowableOfType(DeltaExpiredException.class, () -> source.fetchDelta(
                    DeltaRequest.continueFrom(target, FolderRef.INBOX, elsewhere, 10, MailMessage.DEFAULT_FIELDS)));
            assertThat(e).as(elsewhere).isNotNull();
            assertThat(e.getMessage()).doesNotContain("skiptoken").doesNotContain("deltatoken")
                    .contains("alice@contoso.com");
        }
        assertThat(graph.getRequestCount()).isZero();
    }

    @Test
    void aPageWhoseLinkLeavesGraphIsMalformedWithTheRequestIds() throws Exception {
        answer(PAGE.formatted("nextLink", "https://elsewhere.example/v1.0/x?$skiptoken=SECRETTOKEN"));

        MalformedResponseException e = catchThrowableOfType(MalformedResponseException.class, () -> source
                .fetchDelta(DeltaRequest.initial(target, FolderRef.INBOX, Instant.EPOCH, 10, Set.of("id"))));

        assertThat(e).isNotNull();
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.getMessage()).doesNotContain("SECRETTOKEN").doesNotContain("elsewhere");
        assertThat(e.details().requestId()).contains("11111111-2222-3333-4444-555555555555");
        assertThat(e.details().clientRequestId()).contains(taken().getHeaders().get("client-request-id"));
        assertThat(e.details().mailbox()).contains(MailboxAddress.of("alice@contoso.com"));
        assertThat(e.details().connection()).contains(ConnectionId.of("acme"));
    }

    @Test
    void aListingIsAlwaysAFreshQueryByKeyAndNeverFollowsTheNextLink() throws Exception {
        String next = graph.url("/v1.0/users/" + MAILBOX + "/mailFolders/f1/messages") + "?%24filter=x&%24skip=2";
        answer("{\"value\":[{\"id\":\"m1\",\"receivedDateTime\":\"2025-12-01T00:00:00Z\",\"parentFolderId\":\"f1\"}],"
                + "\"@odata.nextLink\":\"" + next + "\"}");
        answer("{\"value\":[]}");
        answer("{\"value\":[]}");

        BackfillPage first = source.fetchBackfill(new BackfillRequest(target, new FolderRef("f1", ""),
                new ReceivedRange(Instant.parse("2025-10-07T09:00:00Z"), true,
                        Instant.parse("2026-01-05T09:00:00.123456Z"), false), 250, Set.of("id", "subject")));
        BackfillPage second = source.fetchBackfill(new BackfillRequest(target, new FolderRef("f1", ""),
                new ReceivedRange(Instant.parse("2025-10-07T09:00:00Z"), true, Instant.parse("2025-12-01T00:00:00Z"),
                        true), 250, Set.of("id", "subject")));
        BackfillPage open = source.fetchBackfill(new BackfillRequest(target, new FolderRef("f1", ""),
                new ReceivedRange(Instant.parse("2025-10-07T09:00:00Z"), false, null, false), 1000,
                Set.of("id")));

        RecordedRequest r = taken();
        assertThat(r.getUrl().encodedPath()).isEqualTo("/v1.0/users/" + MAILBOX + "/mailFolders/f1/messages");
        assertThat(r.getUrl().queryParameter("$filter")).isEqualTo(
                "receivedDateTime ge 2025-10-07T09:00:00Z and receivedDateTime lt 2026-01-05T09:00:00.123456Z");
        assertThat(r.getUrl().queryParameter("$orderby")).isEqualTo("receivedDateTime desc");
        assertThat(r.getUrl().queryParameter("$top")).isEqualTo("250");
        assertThat(r.getUrl().queryParameter("$select")).isEqualTo("id,subject");
        assertThat(r.getHeaders().values("Prefer")).containsExactly("IdType=\"ImmutableId\"");
        RecordedRequest again = taken();
        assertThat(again.getUrl().queryParameter("$filter")).isEqualTo(
                "receivedDateTime ge 2025-10-07T09:00:00Z and receivedDateTime le 2025-12-01T00:00:00Z");
        assertThat(again.getUrl().queryParameter("$skip")).isNull();
        assertThat(taken().getUrl().queryParameter("$filter")).isEqualTo("receivedDateTime gt 2025-10-07T09:00:00Z");
        assertThat(first.messages()).hasSize(1);
        assertThat(first.more()).isTrue();
        assertThat(second.more()).isFalse();
        assertThat(open.messages()).isEmpty();
    }

    @Test
    void anEngineRegisteredAsAWorkerNamesItsWorkerIdInTheUserAgentOfEveryRequest() throws Exception {
        AtomicReference<Optional<String>> workerId = new AtomicReference<>(Optional.empty());
        SyncEngine engine = (SyncEngine) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {SyncEngine.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "workerId" -> workerId.get();
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        MailSource leased = source.forEngine();
        MailSource unleased = source.forEngine();
        workerId.set(Optional.of("4f0c2d9e-7b1a-4c55-9d3e-0a1b2c3d4e5f"));
        leased.engineStarted(engine);
        answer(PAGE.formatted("deltaLink", link("$deltatoken=d1")));
        answer("{\"@odata.context\":\"c\",\"value\":[]}");
        answer("{\"@odata.context\":\"c\",\"id\":\"f1\",\"totalItemCount\":3}");
        answer(PAGE.formatted("deltaLink", link("$deltatoken=d2")));

        leased.fetchDelta(DeltaRequest.initial(target, new FolderRef("f1", "Inbox"), Instant.parse(
                "2026-01-05T09:00:00Z"), 10, Set.of("id")));
        leased.fetchBackfill(new BackfillRequest(target, new FolderRef("f1", "Inbox"), ReceivedRange.since(
                Instant.parse("2025-10-05T09:00:00Z")), 10, Set.of("id")));
        leased.folderItemCount(target, new FolderRef("f1", "Inbox"));
        unleased.fetchDelta(DeltaRequest.initial(target, new FolderRef("f1", "Inbox"), Instant.parse(
                "2026-01-05T09:00:00Z"), 10, Set.of("id")));

        for (int i = 0; i < 3; i++) {
            assertThat(taken().getHeaders().values("User-Agent"))
                    .containsExactly("tekst-outlook (sync worker 4f0c2d9e-7b1a-4c55-9d3e-0a1b2c3d4e5f)");
        }
        assertThat(taken().getHeaders().values("User-Agent")).as("an engine that did not start names no worker")
                .containsExactly("tekst-outlook");
        leased.engineStopped(engine);
        assertThat(source.stopEngines(Duration.ZERO)).as("the view's engine is the source's").isZero();
    }

    @Test
    void folderItemCountSelectsTotalItemCount() throws Exception {
        answer("{\"@odata.context\":\"c\",\"id\":\"f1\",\"totalItemCount\":6712}");
        answer("<html>Service Unavailable</html>");

        assertThat(source.folderItemCount(target, new FolderRef("f1", ""))).isEqualTo(6712);
        RecordedRequest r = taken();
        assertThat(r.getUrl().encodedPath()).isEqualTo("/v1.0/users/" + MAILBOX + "/mailFolders/f1");
        assertThat(r.getUrl().queryParameter("$select")).isEqualTo("totalItemCount");
        assertThat(catchThrowableOfType(MalformedResponseException.class,
                () -> source.folderItemCount(target, new FolderRef("f1", "")))).isNotNull();
    }

    @Test
    void graphErrorsAreTypedWithTheMailboxAndTheDeltaExpiryIsRecognised() {
        graph.enqueue(new MockResponse.Builder().code(404).addHeader("Content-Type", "application/json")
                .body("{\"error\":{\"code\":\"ErrorInvalidUser\",\"message\":\"The requested user '"
                        + MAILBOX + "' is invalid.\"}}").build());
        graph.enqueue(new MockResponse.Builder().code(410).addHeader("Content-Type", "application/json")
                .body("{\"error\":{\"code\":\"SyncStateNotFound\",\"message\":\"generation=1\"}}").build());

        MailboxAccessException denied = catchThrowableOfType(MailboxAccessException.class, () -> source.fetchDelta(
                DeltaRequest.initial(target, FolderRef.INBOX, Instant.EPOCH, 10, Set.of("id"))));
        assertThat(denied.reason()).isEqualTo(MailboxAccessException.Reason.NOT_FOUND);
        assertThat(denied.details().mailbox()).contains(MailboxAddress.of("alice@contoso.com"));
        assertThat(denied.details().tenant()).contains(target.tenant());
        assertThat(catchThrowableOfType(DeltaExpiredException.class, () -> source.fetchDelta(
                DeltaRequest.continueFrom(target, FolderRef.INBOX, link("$deltatoken=old"), 10, Set.of("id")))))
                .isNotNull();
    }

    @Test
    void anInterruptedThreadSendsNothing() {
        Thread.currentThread().interrupt();
        try {
            ServiceException e = catchThrowableOfType(ServiceException.class, () -> source.fetchDelta(
                    DeltaRequest.initial(target, FolderRef.INBOX, Instant.EPOCH, 10, Set.of("id"))));
            assertThat(e).hasMessageContaining("interrupted");
            assertThat(graph.getRequestCount()).isZero();
        } finally {
            Thread.interrupted();
        }
    }
}
