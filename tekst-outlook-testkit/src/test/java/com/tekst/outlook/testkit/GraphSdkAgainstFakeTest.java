package com.tekst.outlook.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.models.BodyType;
import com.microsoft.graph.models.EmailAddress;
import com.microsoft.graph.models.ItemBody;
import com.microsoft.graph.models.MailFolder;
import com.microsoft.graph.models.MailboxSettings;
import com.microsoft.graph.models.Message;
import com.microsoft.graph.models.MessageCollectionResponse;
import com.microsoft.graph.models.Recipient;
import com.microsoft.graph.models.User;
import com.microsoft.graph.models.UserCollectionResponse;
import com.microsoft.graph.models.UserPurpose;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.mailfolders.item.messages.delta.DeltaGetResponse;
import com.microsoft.graph.users.item.messages.item.forward.ForwardPostRequestBody;
import com.microsoft.graph.users.item.messages.item.move.MovePostRequestBody;
import com.microsoft.graph.users.item.sendmail.SendMailPostRequestBody;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import com.microsoft.kiota.http.middleware.options.RetryHandlerOption;
import com.tekst.outlook.mailbox.MailboxType;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real Microsoft Graph SDK (6.70.0), with tokens from the real msal4j, works unchanged against the fake: paging,
 * users, mailbox settings, folders, message lists with Outlook's query rules, delta rounds, the action surface, and
 * every error as an {@link ODataError} with Graph's status and code.
 */
class GraphSdkAgainstFakeTest {
    static final Instant FROM = Instant.parse("2025-11-01T00:00:00Z");
    static FakeMicrosoftCloud cloud;
    static FakeTenant contoso;
    static FakeTenant litware;
    static FakeTenant fabrikam;
    static GraphServiceClient graph;
    static GraphServiceClient readOnlyDirectory;
    static FakeMailbox alice;
    static FakeMailbox shared;

    @BeforeAll
    static void start() throws Exception {
        cloud = FakeMicrosoftCloud.builder()
                .tenant(FakeTenant.builder("contoso")
                        .consentGranted(Set.of("Mail.ReadWrite", "Mail.Send", "User.Read.All", "MailboxSettings.Read"))
                        .userWithoutMailbox("unlicensed@contoso.onmicrosoft.com", FakeUser.NoMailboxReason.UNLICENSED)
                        .generate(TenantGenerator.builder(42).userMailboxes(3).sharedMailboxes(1)
                                .messagesPerMailbox(40).between(FROM, FakeClock.DEFAULT_START).build()))
                .tenant(FakeTenant.builder("litware").consentGranted(Set.of("User.Read.All")).user("ann@litware.com"))
                .tenant(FakeTenant.builder("fabrikam").consentGranted().user("frank@fabrikam.onmicrosoft.com"))
                .start();
        contoso = cloud.tenant("contoso");
        litware = cloud.tenant("litware");
        fabrikam = cloud.tenant("fabrikam");
        alice = contoso.mailboxes().get(0);
        shared = contoso.mailboxes().stream().filter(m -> m.owner().mailboxType().orElseThrow() == MailboxType.SHARED)
                .findFirst().orElseThrow();
        graph = client(contoso, Function.identity());
        readOnlyDirectory = client(litware, Function.identity());
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    /** A Graph client as an SDK user builds it: msal4j for tokens, Graph's own OkHttp stack, the fake's base URL. */
    static GraphServiceClient client(FakeTenant tenant, Function<String, String> tokenFilter) throws Exception {
        ConfidentialClientApplication msal = ConfidentialClientApplication
                .builder(cloud.app().clientId(), ClientCredentialFactory.createFromSecret(cloud.clientSecret()))
                .authority(cloud.authority(tenant.id()))
                .aadInstanceDiscoveryResponse(cloud.instanceDiscoveryJson(tenant.id()))
                .sslSocketFactory(cloud.sslSocketFactory())
                .build();
        AccessTokenProvider tokens = new AccessTokenProvider() {
            @Override
            public String getAuthorizationToken(URI uri, Map<String, Object> context) {
                try {
                    return tokenFilter.apply(msal.acquireToken(ClientCredentialParameters
                            .builder(Set.of("https://graph.microsoft.com/.default")).build()).get().accessToken());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public AllowedHostsValidator getAllowedHostsValidator() {
                return new AllowedHostsValidator("localhost");
            }
        };
        BaseBearerTokenAuthenticationProvider auth = new BaseBearerTokenAuthenticationProvider(tokens);
        OkHttpClient http = GraphClientFactory.create(auth)
                .sslSocketFactory(cloud.sslSocketFactory(), cloud.trustManager())
                .build();
        GraphServiceClient client = new GraphServiceClient(auth, http);
        client.getRequestAdapter().setBaseUrl(cloud.graphBaseUrl().toString());
        return client;
    }

    static ODataError odataError(Runnable call) {
        return catchThrowableOfType(ODataError.class, call::run);
    }

    static final RetryHandlerOption NO_RETRY = new RetryHandlerOption((delay, attempt, request, response) -> false, 0, 0);

    // ---- directory -------------------------------------------------------------------------------------------------

    @Test
    void listsUsersPageByPageFollowingNextLinks() {
        List<String> ids = new ArrayList<>();
        UserCollectionResponse page = graph.users().get(c -> c.queryParameters.top = 2);
        int pages = 1;
        page.getValue().forEach(u -> ids.add(u.getId()));
        while (page.getOdataNextLink() != null) {
            page = graph.users().withUrl(page.getOdataNextLink()).get();
            page.getValue().forEach(u -> ids.add(u.getId()));
            pages++;
        }
        assertThat(ids).containsExactlyElementsOf(contoso.users().stream().map(FakeUser::objectId).toList());
        assertThat(pages).isEqualTo((contoso.users().size() + 1) / 2);
    }

    @Test
    void filtersUsersWithStartswithAndOr() {
        FakeUser first = contoso.users().get(1);
        String prefix = first.displayName().substring(0, 3);
        UserCollectionResponse page = graph.users().get(c -> {
            c.queryParameters.filter = "startswith(displayName,'" + prefix + "') or startswith(mail,'support')";
            c.queryParameters.select = new String[] {"id", "displayName", "mail"};
        });
        Set<String> expected = contoso.users().stream()
                .filter(u -> u.displayName().toLowerCase().startsWith(prefix.toLowerCase())
                        || u.mail().orElse("").startsWith("support"))
                .map(FakeUser::objectId).collect(Collectors.toSet());
        assertThat(page.getValue()).extracting(User::getId).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(page.getValue()).allSatisfy(u -> assertThat(u.getUserPrincipalName()).isNull());
    }

    @Test
    void readsAUserByUpnAndItsUserPurpose() {
        User user = graph.users().byUserId(alice.owner().userPrincipalName()).get();
        assertThat(user.getId()).isEqualTo(alice.objectId().value());
        assertThat(user.getMail()).isEqualTo(alice.address());

        MailboxSettings settings = graph.users().byUserId(alice.objectId().value()).mailboxSettings().get();
        assertThat(settings.getUserPurpose()).isEqualTo(UserPurpose.User);
        assertThat(settings.getArchiveFolder()).isEqualTo(alice.folder("archive").id());
        MailboxSettings sharedSettings = graph.users().byUserId(shared.objectId().value()).mailboxSettings()
                .get(c -> c.queryParameters.select = new String[] {"userPurpose"});
        assertThat(sharedSettings.getUserPurpose()).isEqualTo(UserPurpose.Shared);
        assertThat(sharedSettings.getTimeZone()).isNull();
    }

    // ---- folders ---------------------------------------------------------------------------------------------------

    @Test
    void listsFoldersAndChildFolders() {
        List<MailFolder> top = graph.users().byUserId(alice.objectId().value()).mailFolders()
                .get(c -> c.queryParameters.top = 50).getValue();
        assertThat(top).extracting(MailFolder::getDisplayName).containsExactly("Archive", "Conversation History",
                "Deleted Items", "Drafts", "Inbox", "Junk Email", "Outbox", "Sent Items");
        List<MailFolder> withHidden = graph.users().byUserId(alice.objectId().value()).mailFolders()
                .get(c -> {
                    c.queryParameters.top = 50;
                    c.queryParameters.includeHiddenFolders = "true";
                }).getValue();
        assertThat(withHidden).extracting(MailFolder::getDisplayName).contains("Conversation Action Settings");
        assertThat(withHidden.stream().filter(f -> Boolean.TRUE.equals(f.getIsHidden()))).hasSize(2);

        MailFolder inbox = top.stream().filter(f -> f.getDisplayName().equals("Inbox")).findFirst().orElseThrow();
        assertThat(inbox.getId()).isEqualTo(alice.folder("inbox").id());
        assertThat(inbox.getTotalItemCount()).isEqualTo(alice.folder("inbox").totalItemCount());
        assertThat(inbox.getChildFolderCount()).isEqualTo(2);

        List<MailFolder> children = graph.users().byUserId(alice.objectId().value()).mailFolders().byMailFolderId("inbox")
                .childFolders().get().getValue();
        assertThat(children).extracting(MailFolder::getDisplayName).containsExactly("Projects", "Receipts");
        MailFolder projects = children.get(0);
        List<MailFolder> grandChildren = graph.users().byUserId(alice.objectId().value()).mailFolders()
                .byMailFolderId(projects.getId()).childFolders().get().getValue();
        assertThat(grandChildren).extracting(MailFolder::getDisplayName).containsExactly("Archive 2025");
        assertThat(grandChildren.get(0).getParentFolderId()).isEqualTo(projects.getId());
    }

    // ---- messages --------------------------------------------------------------------------------------------------

    @Test
    void listsMessagesWithTopFilterAndOrderby() {
        Instant since = Instant.parse("2025-12-01T00:00:00Z");
        MessageCollectionResponse page = graph.users().byUserId(alice.objectId().value()).messages().get(c -> {
            c.queryParameters.top = 5;
            c.queryParameters.filter = "receivedDateTime ge " + since;
            c.queryParameters.orderby = new String[] {"receivedDateTime desc"};
            c.queryParameters.select = new String[] {"subject", "receivedDateTime", "conversationId"};
        });
        List<FakeMessage> expected = alice.messages().stream()
                .filter(m -> !m.receivedDateTime().isBefore(since)).limit(5).toList();
        assertThat(page.getValue()).extracting(Message::getId)
                .containsExactlyElementsOf(expected.stream().map(FakeMessage::id).toList());
        assertThat(page.getValue()).extracting(m -> m.getReceivedDateTime().toInstant())
                .isSortedAccordingTo((a, b) -> b.compareTo(a));
        assertThat(page.getValue().get(0).getBody()).isNull();
        assertThat(page.getOdataNextLink()).contains("%24skip=5");

        MessageCollectionResponse next = graph.users().byUserId(alice.objectId().value()).messages()
                .withUrl(page.getOdataNextLink()).get();
        assertThat(next.getValue()).hasSizeLessThanOrEqualTo(5);
        assertThat(next.getValue()).extracting(Message::getId).doesNotContainAnyElementsOf(
                page.getValue().stream().map(Message::getId).toList());
    }

    @Test
    void orderbyThatDoesNotLeadTheFilterIsInefficientFilter() {
        ODataError e = odataError(() -> graph.users().byUserId(alice.objectId().value()).messages().get(c -> {
            c.queryParameters.filter = "isRead eq false and receivedDateTime ge 2025-12-01T00:00:00Z";
            c.queryParameters.orderby = new String[] {"receivedDateTime desc"};
        }));
        assertThat(e.getResponseStatusCode()).isEqualTo(400);
        assertThat(e.getError().getCode()).isEqualTo("InefficientFilter");
        assertThat(e.getError().getMessage()).isEqualTo("The restriction or sort order is too complex for this operation.");
    }

    @Test
    void pagesAMessageDeltaRoundToItsDeltaLinkThenSeesChanges() {
        FakeMailbox box = contoso.mailboxes().get(1);
        var delta = graph.users().byUserId(box.objectId().value()).mailFolders().byMailFolderId("inbox").messages().delta();
        List<String> ids = new ArrayList<>();
        int pages = 0;
        DeltaGetResponse page = delta.get(c -> {
            c.headers.add("Prefer", "odata.maxpagesize=4");
            c.headers.add("Prefer", "IdType=\"ImmutableId\"");
            c.queryParameters.select = new String[] {"subject", "receivedDateTime", "isRead", "parentFolderId"};
        });
        while (true) {
            pages++;
            assertThat(page.getValue()).hasSizeLessThanOrEqualTo(4);
            page.getValue().forEach(m -> ids.add(m.getId()));
            if (page.getOdataNextLink() == null) {
                break;
            }
            page = delta.withUrl(page.getOdataNextLink()).get(c -> {
                c.headers.add("Prefer", "odata.maxpagesize=4");
                c.headers.add("Prefer", "IdType=\"ImmutableId\"");
            });
        }
        String deltaLink = page.getOdataDeltaLink();
        assertThat(deltaLink).isNotNull();
        List<FakeMessage> inbox = box.messages("inbox");
        assertThat(ids).containsExactlyInAnyOrderElementsOf(inbox.stream().map(FakeMessage::immutableId).toList());
        assertThat(pages).isEqualTo(Math.max(1, (inbox.size() + 3) / 4));

        FakeMessage delivered = box.deliver(FakeMessage.builder().from("carol@fabrikam.com").subject("New order 1"));
        FakeMessage moved = box.move(inbox.get(0), "archive");
        box.delete(inbox.get(1));
        FakeMessage read = box.markRead(inbox.get(2).immutableId(), !inbox.get(2).isRead());

        List<Message> changes = new ArrayList<>();
        page = delta.withUrl(deltaLink).get(c -> c.headers.add("Prefer", "IdType=\"ImmutableId\""));
        changes.addAll(page.getValue());
        while (page.getOdataNextLink() != null) {
            page = delta.withUrl(page.getOdataNextLink()).get(c -> c.headers.add("Prefer", "IdType=\"ImmutableId\""));
            changes.addAll(page.getValue());
        }
        assertThat(page.getOdataDeltaLink()).isNotNull().isNotEqualTo(deltaLink);
        Set<String> removed = changes.stream().filter(m -> m.getAdditionalData().containsKey("@removed"))
                .map(Message::getId).collect(Collectors.toSet());
        Set<String> present = changes.stream().filter(m -> !m.getAdditionalData().containsKey("@removed"))
                .map(Message::getId).collect(Collectors.toSet());
        assertThat(removed).containsExactlyInAnyOrder(moved.immutableId(), inbox.get(1).immutableId());
        assertThat(present).containsExactlyInAnyOrder(delivered.immutableId(), read.immutableId());
        assertThat(changes.stream().filter(m -> m.getId().equals(read.immutableId())).findFirst().orElseThrow()
                .getIsRead()).isEqualTo(read.isRead());

        List<String> archiveIds = new ArrayList<>();
        DeltaGetResponse archive = graph.users().byUserId(box.objectId().value()).mailFolders().byMailFolderId("archive")
                .messages().delta().get(c -> c.headers.add("Prefer", "IdType=\"ImmutableId\""));
        archive.getValue().forEach(m -> archiveIds.add(m.getId()));
        while (archive.getOdataNextLink() != null) {
            archive = delta.withUrl(archive.getOdataNextLink()).get(c -> c.headers.add("Prefer",
                    "IdType=\"ImmutableId\""));
            archive.getValue().forEach(m -> archiveIds.add(m.getId()));
        }
        assertThat(archiveIds).contains(moved.immutableId());
    }

    @Test
    void categorizesMovesForwardsAndSendsThroughTheSdk() {
        FakeMailbox box = contoso.mailboxes().get(2);
        FakeMessage target = box.messages("inbox").get(0);
        Message patch = new Message();
        patch.setCategories(List.of("Blue category", "Tekst"));
        Message patched = graph.users().byUserId(box.objectId().value()).messages().byMessageId(target.id()).patch(patch);
        assertThat(patched.getCategories()).containsExactly("Blue category", "Tekst");
        assertThat(box.message(target.immutableId()).categories()).containsExactly("Blue category", "Tekst");
        assertThat(patched.getChangeKey()).isNotEqualTo(target.changeKey());

        MovePostRequestBody move = new MovePostRequestBody();
        move.setDestinationId("archive");
        Message moved = graph.users().byUserId(box.objectId().value()).messages().byMessageId(target.id()).move().post(move);
        assertThat(moved.getParentFolderId()).isEqualTo(box.folder("archive").id());
        assertThat(moved.getId()).isNotEqualTo(target.id());
        assertThat(box.message(moved.getId()).immutableId()).isEqualTo(target.immutableId());

        ForwardPostRequestBody forward = new ForwardPostRequestBody();
        forward.setComment("FYI");
        forward.setToRecipients(List.of(recipient(alice.address())));
        graph.users().byUserId(box.objectId().value()).messages().byMessageId(moved.getId()).forward().post(forward);
        SentMail forwarded = box.sentMail().get(box.sentMail().size() - 1);
        assertThat(forwarded.kind()).isEqualTo(SentMail.Kind.FORWARD);
        assertThat(forwarded.forwardedId()).contains(target.immutableId());
        assertThat(forwarded.subject()).isEqualTo("FW: " + target.subject());
        assertThat(alice.messages("inbox").get(0).subject()).isEqualTo("FW: " + target.subject());

        SendMailPostRequestBody send = new SendMailPostRequestBody();
        Message message = new Message();
        message.setSubject("Hello from the SDK");
        ItemBody body = new ItemBody();
        body.setContentType(BodyType.Html);
        body.setContent("<p>Hi</p>");
        message.setBody(body);
        message.setToRecipients(List.of(recipient("someone@example.com")));
        send.setMessage(message);
        send.setSaveToSentItems(true);
        graph.users().byUserId(box.objectId().value()).sendMail().post(send);
        assertThat(box.sentMail()).last().satisfies(s -> {
            assertThat(s.kind()).isEqualTo(SentMail.Kind.SEND_MAIL);
            assertThat(s.subject()).isEqualTo("Hello from the SDK");
            assertThat(s.bodyHtml()).isEqualTo("<p>Hi</p>");
        });
        assertThat(box.messages("sentitems")).extracting(FakeMessage::subject).contains("Hello from the SDK");
    }

    private static Recipient recipient(String address) {
        Recipient r = new Recipient();
        EmailAddress a = new EmailAddress();
        a.setAddress(address);
        r.setEmailAddress(a);
        return r;
    }

    @Test
    void immutableIdsSurviveAMoveAndRestIdsDoNot() {
        FakeMailbox box = contoso.mailboxes().get(0);
        FakeMessage m = box.messages("inbox").get(3);
        Message before = graph.users().byUserId(box.objectId().value()).messages().byMessageId(m.id())
                .get(c -> c.headers.add("Prefer", "IdType=\"ImmutableId\""));
        assertThat(before.getId()).isEqualTo(m.immutableId());
        box.move(m, "Inbox/Receipts");
        Message after = graph.users().byUserId(box.objectId().value()).messages().byMessageId(m.immutableId())
                .get(c -> c.headers.add("Prefer", "IdType=\"ImmutableId\""));
        assertThat(after.getId()).isEqualTo(m.immutableId());
        assertThat(after.getParentFolderId()).isEqualTo(box.folder("Inbox/Receipts").id());
        ODataError stale = odataError(() -> graph.users().byUserId(box.objectId().value()).messages().byMessageId(m.id()).get());
        assertThat(stale.getResponseStatusCode()).isEqualTo(404);
        assertThat(stale.getError().getCode()).isEqualTo("ErrorItemNotFound");
    }

    // ---- errors ----------------------------------------------------------------------------------------------------

    @Test
    void everyAuthorizationAndLookupErrorArrivesAsODataError() throws Exception {
        record Case(Runnable call, int status, String code) {
        }
        FakeTenant t = contoso;
        FakeUser other = fabrikam.users().get(0);
        String unknownId = alice.messages().get(0).id().substring(0, 60) + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
        GraphServiceClient badToken = client(contoso, token -> token.substring(0, token.length() - 4) + "AAAA");
        List<Case> cases = List.of(
                new Case(() -> badToken.users().get(), 401, "InvalidAuthenticationToken"),
                new Case(() -> readOnlyDirectory.users().byUserId("ann@litware.com").messages().get(), 403,
                        "ErrorAccessDenied"),
                new Case(() -> readOnlyDirectory.users().byUserId("ann@litware.com").mailFolders().get(), 403,
                        "ErrorAccessDenied"),
                new Case(() -> graph.users().byUserId("unlicensed@contoso.onmicrosoft.com").messages().get(), 404,
                        "MailboxNotEnabledForRESTAPI"),
                new Case(() -> graph.users().byUserId("nobody@contoso.onmicrosoft.com").messages().get(), 404,
                        "ErrorInvalidUser"),
                new Case(() -> graph.users().byUserId(other.userPrincipalName()).messages().get(), 404,
                        "ErrorInvalidUser"),
                new Case(() -> graph.users().byUserId("nobody@contoso.onmicrosoft.com").get(), 404,
                        "Request_ResourceNotFound"),
                new Case(() -> graph.users().byUserId(alice.objectId().value()).messages().byMessageId(unknownId).get(), 404,
                        "ErrorItemNotFound"),
                new Case(() -> graph.users().byUserId(alice.objectId().value()).mailFolders()
                        .byMailFolderId(alice.folder("inbox").id().replace('A', 'B')).get(), 404,
                        "ErrorFolderNotFound"));
        for (Case c : cases) {
            ODataError e = odataError(c.call());
            assertThat(e).as("expected %s %s", c.status(), c.code()).isNotNull();
            assertThat(e.getResponseStatusCode()).as(c.code()).isEqualTo(c.status());
            assertThat(e.getError().getCode()).isEqualTo(c.code());
        }
        assertThat(t.id()).isNotNull();
    }

    @Test
    void aMailboxOutsideTheApplicationAccessPolicyIsODataDisabled() {
        FakeMailbox inScope = contoso.mailboxes().get(0);
        FakeMailbox outOfScope = contoso.mailboxes().get(1);
        contoso.restrict(cloud.app(), FakeTenant.RestrictionMechanism.APPLICATION_ACCESS_POLICY);
        contoso.addToRestrictionGroup(cloud.app(), inScope.address());
        try {
            ODataError e = odataError(() -> graph.users().byUserId(outOfScope.objectId().value()).messages().get());
            assertThat(e.getResponseStatusCode()).isEqualTo(403);
            assertThat(e.getError().getCode()).isEqualTo("ErrorAccessDenied");
            assertThat(e.getError().getMessage()).isEqualTo("Access to OData is disabled.");
            assertThat(graph.users().byUserId(inScope.objectId().value()).messages().get().getValue()).isNotEmpty();
            assertThat(graph.users().byUserId(outOfScope.objectId().value()).get().getId()).isEqualTo(outOfScope.objectId().value());
        } finally {
            contoso.restrict(cloud.app(), FakeTenant.RestrictionMechanism.NONE);
        }
    }

    @Test
    void anExpiredDeltaTokenIs410SyncStateNotFound() {
        FakeMailbox box = contoso.mailboxes().get(3);
        var delta = graph.users().byUserId(box.objectId().value()).mailFolders().byMailFolderId("inbox").messages().delta();
        DeltaGetResponse page = delta.get(c -> c.headers.add("Prefer", "odata.maxpagesize=100"));
        assertThat(page.getOdataDeltaLink()).isNotNull();
        box.expireDeltaTokens();
        ODataError e = odataError(() -> delta.withUrl(page.getOdataDeltaLink()).get());
        assertThat(e.getResponseStatusCode()).isEqualTo(410);
        assertThat(e.getError().getCode()).isEqualTo("SyncStateNotFound");
        assertThat(e.getError().getMessage()).startsWith("The sync state generation is not found; generation=");
    }

    @Test
    void throttlingArrivesAsODataErrorWithRetryAfterAndTheSdkRetriesAScripted429() {
        FakeMailbox box = contoso.mailboxes().get(2);
        cloud.setMailboxThrottling(MailboxThrottling.exchangeOnline().withRequestBudget(3, Duration.ofMinutes(1)));
        try {
            for (int i = 0; i < 3; i++) {
                graph.users().byUserId(box.objectId().value()).mailFolders().get();
            }
            ODataError e = odataError(() -> graph.users().byUserId(box.objectId().value()).mailFolders()
                    .get(c -> c.options.add(NO_RETRY)));
            assertThat(e.getResponseStatusCode()).isEqualTo(429);
            assertThat(e.getError().getCode()).isEqualTo("TooManyRequests");
            assertThat(e.getResponseHeaders().get("Retry-After")).containsExactly("60");
            cloud.clock().advance(Duration.ofSeconds(60));
            assertThat(graph.users().byUserId(box.objectId().value()).mailFolders().get().getValue()).isNotEmpty();
        } finally {
            cloud.setMailboxThrottling(MailboxThrottling.exchangeOnline());
        }
        cloud.faults().add(Faults.on(Faults.mailbox(box.objectId())).times(1)
                .respond(Fault.throttle(Duration.ofSeconds(1))));
        long before = System.nanoTime();
        assertThat(graph.users().byUserId(box.objectId().value()).mailFolders().get().getValue()).isNotEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        List<JournalEntry> last = cloud.journal().forMailbox(box.objectId());
        assertThat(last.get(last.size() - 2).status()).isEqualTo(429);
        assertThat(last.get(last.size() - 1).status()).isEqualTo(200);
    }

    @Test
    void receivedDateTimeFilterOnDeltaStartsTheRoundAtConnectionTime() {
        FakeMailbox box = contoso.mailboxes().get(1);
        OffsetDateTime since = OffsetDateTime.of(2025, 12, 15, 0, 0, 0, 0, ZoneOffset.UTC);
        DeltaGetResponse page = graph.users().byUserId(box.objectId().value()).mailFolders().byMailFolderId("inbox")
                .messages().delta().get(c -> {
                    c.queryParameters.filter = "receivedDateTime ge " + since.toInstant();
                    c.headers.add("Prefer", "odata.maxpagesize=500");
                });
        Set<String> got = new HashSet<>();
        page.getValue().forEach(m -> got.add(m.getId()));
        Set<String> expected = box.messages("inbox").stream()
                .filter(m -> !m.receivedDateTime().isBefore(since.toInstant())).map(FakeMessage::id)
                .collect(Collectors.toSet());
        assertThat(got).isEqualTo(expected).isNotEmpty();
        assertThatThrownBy(() -> graph.users().byUserId(box.objectId().value()).mailFolders().byMailFolderId("inbox")
                .messages().delta().get(c -> c.queryParameters.filter = "isRead eq false"))
                .isInstanceOfSatisfying(ODataError.class, e -> {
                    assertThat(e.getResponseStatusCode()).isEqualTo(400);
                    assertThat(e.getError().getCode()).isEqualTo("ErrorInvalidUrlQuery");
                });
    }
}
