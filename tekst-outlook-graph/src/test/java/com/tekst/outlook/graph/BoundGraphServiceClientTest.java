package com.tekst.outlook.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.microsoft.graph.core.content.BatchRequestContent;
import com.microsoft.graph.core.content.BatchResponseContent;
import com.microsoft.graph.models.EmailAddress;
import com.microsoft.graph.models.Message;
import com.microsoft.graph.models.Recipient;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.messages.item.forward.ForwardPostRequestBody;
import com.microsoft.graph.users.item.messages.item.move.MovePostRequestBody;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxOutOfScopeException;
import com.tekst.outlook.OutlookClientException;
import com.tekst.outlook.mailbox.MailboxType;
import com.tekst.outlook.testkit.Fault;
import com.tekst.outlook.testkit.FakeMailbox;
import com.tekst.outlook.testkit.FakeMessage;
import com.tekst.outlook.testkit.Faults;
import com.tekst.outlook.testkit.JournalAssertions;
import com.tekst.outlook.testkit.JournalEntry;
import com.tekst.outlook.testkit.MailboxThrottling;
import com.tekst.outlook.testkit.SentMail;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Acceptance, the tenant-bound {@code GraphServiceClient}: actions on in-scope mailboxes work without a
 * token in sight; an out-of-scope mailbox — by id, address, alias, UPN, inside a {@code $batch} — fails with
 * {@link MailboxOutOfScopeException} itself and the fake's journal shows no request for it (not even a token request);
 * Graph's errors stay {@code ODataError}; Retry-After is honoured exactly and at most 4 requests are in flight per
 * mailbox.
 */
class BoundGraphServiceClientTest {
    static ScopeTenantFixture fx;
    static ConnectionId connection;
    static GraphServiceClient graph;
    static FakeMailbox inScope;
    static FakeMailbox outOfScope;

    @BeforeAll
    static void start() {
        fx = new ScopeTenantFixture();
        connection = fx.connect(fx.contoso);
        inScope = fx.ofType(MailboxType.SHARED).get(0);
        outOfScope = fx.contoso.mailbox(ScopeTenantFixture.ALICE_UPN);
        fx.client.mailboxScope().add(connection, MailboxAddress.of(inScope.address()));
        graph = fx.client.graphServiceClient(connection);
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @BeforeEach
    void clearJournal() {
        fx.cloud.journal().clear();
    }

    @AfterEach
    void clearFaults() {
        fx.cloud.faults().clear();
        fx.cloud.setMailboxThrottling(MailboxThrottling.exchangeOnline());
    }

    static List<JournalEntry> journal() {
        return fx.cloud.journal().entries();
    }

    @Test
    void actionsOnAnInScopeMailboxWorkWithTheTenantsTokenAndAClientRequestId() {
        FakeMessage target = inScope.messages("inbox").get(0);
        Message patch = new Message();
        patch.setCategories(List.of("Tekst"));

        Message categorized = graph.users().byUserId(inScope.objectId().value()).messages().byMessageId(target.id())
                .patch(patch);
        MovePostRequestBody move = new MovePostRequestBody();
        move.setDestinationId("archive");
        Message moved = graph.users().byUserId(inScope.address()).messages().byMessageId(categorized.getId()).move()
                .post(move);
        ForwardPostRequestBody forward = new ForwardPostRequestBody();
        Recipient to = new Recipient();
        EmailAddress address = new EmailAddress();
        address.setAddress("someone@example.com");
        to.setEmailAddress(address);
        forward.setToRecipients(List.of(to));
        graph.users().byUserId(inScope.objectId().value()).messages().byMessageId(moved.getId()).forward().post(forward);

        assertThat(inScope.message(target.immutableId()).categories()).containsExactly("Tekst");
        assertThat(moved.getParentFolderId()).isEqualTo(inScope.folder("archive").id());
        assertThat(inScope.sentMail()).last().extracting(SentMail::kind).isEqualTo(SentMail.Kind.FORWARD);
        JournalAssertions.assertThat(fx.cloud.journal()).onlyMailboxes(inScope.objectId())
                .everyGraphRequestHasClientRequestId().everyTokenTenantMatchesAddressedTenant();
        assertThat(journal()).filteredOn(e -> e.kind() == JournalEntry.Kind.GRAPH).hasSize(4)
                .allSatisfy(e -> assertThat(e.tokenTenant()).contains(fx.contoso.id()));
        assertThat(journal()).as("the move by address went to the object id, after the directory confirmed the owner")
                .filteredOn(e -> e.kind() == JournalEntry.Kind.GRAPH).extracting(JournalEntry::path)
                .contains("/v1.0/users").noneMatch(p -> p.contains(inScope.address()));
    }

    static final List<Function<GraphServiceClient, Object>> OUT_OF_SCOPE_CALLS = List.of(
            g -> g.users().byUserId(outOfScope.objectId().value()).messages().get(),
            g -> g.users().byUserId(outOfScope.objectId().value().toUpperCase(Locale.ROOT)).mailFolders().get(),
            g -> g.users().byUserId(ScopeTenantFixture.ALICE_MAIL).messages().get(),
            g -> g.users().byUserId("Alice@Contoso.com").messages().get(),
            g -> g.users().byUserId(ScopeTenantFixture.ALICE_UPN).mailboxSettings().get(),
            g -> g.users().byUserId(outOfScope.objectId().value()).mailFolders().byMailFolderId("inbox").messages().delta()
                    .get(),
            g -> g.users().byUserId(inScope.address() + "/../" + ScopeTenantFixture.ALICE_MAIL).messages().get(),
            g -> g.me().messages().get(),
            // path parameters, which servers that strip ";…" read as another path
            g -> g.users().withUrl(fx.cloud.graphBaseUrl() + "/users/" + inScope.objectId() + "/messages/..;/..;/"
                    + outOfScope.objectId() + "/messages").get(),
            g -> g.users().withUrl(fx.cloud.graphBaseUrl() + "/users;x=1/" + inScope.objectId()).get(),
            g -> g.users().withUrl(fx.cloud.graphBaseUrl() + "/users/" + inScope.objectId()
                    + "/mailFolders;x=1/inbox").get(),
            // URL-override headers, which proxies and servers route by instead of the request line
            g -> g.users().byUserId(inScope.objectId().value()).messages().get(c -> c.headers.add("X-Original-URL",
                    "/v1.0/users/" + outOfScope.objectId() + "/messages")),
            g -> g.users().byUserId(inScope.objectId().value()).messages().get(c -> c.headers.add("X-Rewrite-URL",
                    "/v1.0/users/" + outOfScope.objectId() + "/messages")));

    @Test
    void everyOutOfScopeCallFailsWithMailboxOutOfScopeBeforeAnyRequest() {
        // a client of its own, with no token yet: the token request would show in the journal
        try (OutlookClient fresh = fx.builder().build()) {
            GraphServiceClient g = fresh.graphServiceClient(connection);
            for (int i = 0; i < OUT_OF_SCOPE_CALLS.size(); i++) {
                Function<GraphServiceClient, Object> call = OUT_OF_SCOPE_CALLS.get(i);
                Throwable thrown = catchThrowable(() -> call.apply(g));
                assertThat(thrown).as("call %d", i).isInstanceOf(MailboxOutOfScopeException.class);
                MailboxOutOfScopeException e = (MailboxOutOfScopeException) thrown;
                assertThat(e.details().tenant()).contains(fx.contoso.id());
                assertThat(e.details().connection()).contains(connection);
            }
        }
        assertThat(journal()).as("not a single request, not even for a token").isEmpty();
    }

    @Test
    void aSendFromAnOutOfScopeMailboxIsRefusedWithTheMailboxAsAddressed() {
        com.microsoft.graph.users.item.sendmail.SendMailPostRequestBody send =
                new com.microsoft.graph.users.item.sendmail.SendMailPostRequestBody();
        send.setMessage(new Message());

        MailboxOutOfScopeException e = catchThrowableOfType(MailboxOutOfScopeException.class,
                () -> graph.users().byUserId("A.Smith@contoso.com").sendMail().post(send));

        assertThat(e.details().mailbox()).contains(MailboxAddress.of("a.smith@contoso.com"));
        assertThat(outOfScope.sentMail()).isEmpty();
        JournalAssertions.assertThat(fx.cloud.journal()).onlyMailboxes(inScope.objectId());
    }

    @Test
    void aBatchWithOneOutOfScopeRequestIsRefusedWholeAndAnInScopeBatchRuns() throws Exception {
        BatchRequestContent mixed = new BatchRequestContent(graph);
        mixed.addBatchRequestStep(graph.users().byUserId(inScope.objectId().value()).mailFolders().toGetRequestInformation());
        mixed.addBatchRequestStep(graph.users().byUserId("alice@contoso.com").messages().toGetRequestInformation());

        Throwable thrown = catchThrowable(() -> graph.getBatchRequestBuilder().post(mixed, null));

        assertThat(thrown).isInstanceOf(MailboxOutOfScopeException.class);
        assertThat(journal()).isEmpty();

        BatchRequestContent ok = new BatchRequestContent(graph);
        String first = ok.addBatchRequestStep(graph.users().byUserId(inScope.objectId().value()).mailFolders()
                .toGetRequestInformation());
        String second = ok.addBatchRequestStep(graph.users().byUserId(inScope.address()).mailboxSettings()
                .toGetRequestInformation());
        BatchResponseContent answer = graph.getBatchRequestBuilder().post(ok, null);
        assertThat(answer.getResponsesStatusCode()).containsEntry(first, 200).containsEntry(second, 200);
        JournalAssertions.assertThat(fx.cloud.journal()).onlyMailboxes(inScope.objectId());
        assertThat(journal()).filteredOn(e -> e.batchId().isPresent()).hasSize(2);
    }

    @Test
    void pathParametersAndUrlOverridesInsideABatchAreRefusedBeforeAnyRequest() throws Exception {
        com.microsoft.kiota.RequestInformation dotDotSemicolon = graph.users().byUserId(inScope.objectId().value()).messages()
                .toGetRequestInformation();
        dotDotSemicolon.setUri(java.net.URI.create(fx.cloud.graphBaseUrl() + "/users/" + inScope.objectId()
                + "/..;/" + outOfScope.objectId() + "/messages"));
        BatchRequestContent withPathParameter = new BatchRequestContent(graph);
        withPathParameter.addBatchRequestStep(dotDotSemicolon);
        BatchRequestContent withOverride = new BatchRequestContent(graph);
        withOverride.addBatchRequestStep(graph.users().byUserId(inScope.objectId().value()).messages()
                .toGetRequestInformation(c -> c.headers.add("X-Original-URL", "/v1.0/users/" + outOfScope.objectId()
                        + "/messages")));

        assertThat(catchThrowable(() -> graph.getBatchRequestBuilder().post(withPathParameter, null)))
                .isInstanceOf(MailboxOutOfScopeException.class).hasMessageContaining("path parameter");
        assertThat(catchThrowable(() -> graph.getBatchRequestBuilder().post(withOverride, null)))
                .isInstanceOf(MailboxOutOfScopeException.class).hasMessageContaining("overrides its URL");
        assertThat(journal()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example/v1.0/users", "https://login.microsoftonline.com/common/oauth2/v2.0/token"})
    void theClientNeverTalksToAnotherHost(String url) {
        Throwable thrown = catchThrowable(() -> graph.users().withUrl(url).get());

        assertThat(thrown).isInstanceOf(OutlookClientException.class).hasMessageContaining("only to Microsoft Graph");
        assertThat(journal()).isEmpty();
    }

    @Test
    void graphErrorsStillArriveAsODataError() {
        String unknown = inScope.messages().get(0).id().substring(0, 60) + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

        ODataError e = catchThrowableOfType(ODataError.class,
                () -> graph.users().byUserId(inScope.objectId().value()).messages().byMessageId(unknown).get());

        assertThat(e.getResponseStatusCode()).isEqualTo(404);
        assertThat(e.getError().getCode()).isEqualTo("ErrorItemNotFound");
    }

    @Test
    void aThrottledCallIsRetriedAfterExactlyItsRetryAfterOnTheSdkClock() {
        fx.cloud.faults().add(Faults.throttleMailbox(inScope.objectId(), 1, Duration.ofSeconds(9)));
        Instant start = fx.clock.instant();

        assertThat(graph.users().byUserId(inScope.objectId().value()).mailFolders().get().getValue()).isNotEmpty();

        List<JournalEntry> calls = fx.cloud.journal().forMailbox(inScope.objectId());
        assertThat(calls).extracting(JournalEntry::status).containsExactly(429, 200);
        assertThat(calls.get(1).receivedAt()).isEqualTo(calls.get(0).receivedAt().plusSeconds(9));
        assertThat(Duration.between(start, fx.clock.instant())).isEqualTo(Duration.ofSeconds(9));
        JournalAssertions.assertThat(fx.cloud.journal()).noRequestBeforeRetryAfter();
    }

    @Test
    void aRetryAfterBeyondTwoMinutesComesBackAsODataError429() {
        fx.cloud.faults().add(Faults.throttleMailbox(inScope.objectId(), 1, Duration.ofMinutes(10)));

        ODataError e = catchThrowableOfType(ODataError.class,
                () -> graph.users().byUserId(inScope.objectId().value()).mailFolders().get());

        assertThat(e.getResponseStatusCode()).isEqualTo(429);
        assertThat(fx.cloud.journal().forMailbox(inScope.objectId())).hasSize(1);
        fx.clock.advance(Duration.ofMinutes(10));
    }

    @Test
    void neverMoreThanFourRequestsAreInFlightForOneMailbox() throws Exception {
        fx.cloud.setMailboxThrottling(MailboxThrottling.exchangeOnline()
                .withConcurrencyRetryAfter(Duration.ofMinutes(10)));
        fx.cloud.faults().add(Faults.on(Faults.mailbox(inScope.objectId())).respond(Fault.latency(
                Duration.ofMillis(150))));
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                calls.add(pool.submit(() -> graph.users().byUserId(inScope.objectId().value()).mailFolders().get()
                        .getValue().size()));
            }
            for (Future<Integer> f : calls) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isPositive();
            }
        } finally {
            pool.shutdownNow();
        }
        List<JournalEntry> entries = fx.cloud.journal().forMailbox(inScope.objectId());
        assertThat(entries).hasSize(12).allSatisfy(e -> assertThat(e.status()).isEqualTo(200));
        int highest = 0;
        for (JournalEntry e : entries) {
            int overlapping = 0;
            for (JournalEntry o : entries) {
                if (o.startNanos() <= e.startNanos() && o.endNanos() > e.startNanos()) {
                    overlapping++;
                }
            }
            highest = Math.max(highest, overlapping);
        }
        assertThat(highest).isBetween(2, 4);
    }

    @Test
    void aConnectionWithoutVerifiedConsentHasNoClient() {
        ConnectionId pending = ConnectionId.of("pending-graph");
        fx.store.saveConnection(com.tekst.outlook.Connection.pending(pending,
                com.tekst.outlook.ConnectionType.ORGANIZATION_WIDE, fx.clock.instant()));

        assertThat(catchThrowable(() -> fx.client.graphServiceClient(pending)))
                .isInstanceOf(OutlookClientException.class);
        assertThat(fx.client.graphServiceClient(connection)).isSameAs(graph);
    }
}
