package com.tekst.outlook.graph.internal.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.MailboxIdentityChangedException;
import com.tekst.outlook.MailboxOutOfScopeException;
import com.tekst.outlook.OutlookClientException;
import com.tekst.outlook.OutlookException;
import com.tekst.outlook.TenantId;
import com.tekst.outlook.graph.internal.http.GraphCall;
import com.tekst.outlook.mailbox.FolderRef;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.mailbox.MailboxType;
import com.tekst.outlook.mailbox.ScopeMode;
import com.tekst.outlook.store.InMemoryOutlookStore;
import com.tekst.outlook.store.MailboxRecord;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSink;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scope guard as an interceptor, with a terminal interceptor behind it that records what would have been sent
 * (no network): which requests pass, which are refused with which exception, and that nothing refused goes on.
 */
class ScopeGuardTest {
    static final String BASE = "https://graph.example/v1.0";
    static final TenantId TENANT = TenantId.of("72f988bf-86f1-41af-91ab-2d7cd011db47");
    static final ConnectionId CONN = ConnectionId.of("conn-1");
    static final String IN_ID = "0a6f1a2e-5d7b-4c1e-9f3a-000000000001";
    static final String OUT_ID = "0a6f1a2e-5d7b-4c1e-9f3a-000000000002";
    static final MediaType JSON = MediaType.get("application/json");

    final InMemoryOutlookStore store = new InMemoryOutlookStore();
    final ScopeGuards guards = new ScopeGuards(store, URI.create(BASE));
    final List<Request> sent = new ArrayList<>();
    /** The guard's owner lookups, answered from {@link #directory} by the terminal interceptor. */
    final List<Request> lookups = new ArrayList<>();
    /** Who owns a name now (lower case), as the directory would answer: object ids; absent = nobody. */
    final java.util.Map<String, List<String>> directory = new java.util.HashMap<>();
    int lookupStatus = 200;
    OkHttpClient client;
    static final java.util.regex.Pattern LOOKUP_NAME =
            java.util.regex.Pattern.compile("userPrincipalName eq '((?:[^']|'')*)' or mail eq");

    @BeforeEach
    void scope() {
        store.saveMailbox(new MailboxRecord(CONN, MailboxId.of(IN_ID), MailboxAddress.of("support@contoso.com"), "Support",
                MailboxType.SHARED, List.of(FolderRef.INBOX), MailboxStatus.IDLE, null, "", Instant.EPOCH,
                List.of(MailboxAddress.of("helpdesk@contoso.com"), MailboxAddress.of("support@contoso.onmicrosoft.com"),
                        MailboxAddress.of("o'brien@contoso.com"))));
        for (String name : List.of("support@contoso.com", "helpdesk@contoso.com", "support@contoso.onmicrosoft.com",
                "o'brien@contoso.com")) {
            directory.put(name, List.of(IN_ID));
        }
        directory.put("ceo@contoso.com", List.of(OUT_ID));
        client = clientWith(guards.forConnection(CONN, TENANT));
    }

    OkHttpClient clientWith(ScopeGuard guard) {
        return new OkHttpClient.Builder()
                .addInterceptor(guard)
                .addInterceptor(chain -> {
                    GuardTicket ticket = chain.request().tag(GuardTicket.class);
                    if (ticket != null && ticket.purpose() == GuardTicket.Purpose.OWNER_LOOKUP) {
                        lookups.add(chain.request());
                        java.util.regex.Matcher m = LOOKUP_NAME.matcher(chain.request().url().queryParameter("$filter"));
                        assertThat(m.find()).isTrue();
                        StringBuilder value = new StringBuilder("{\"value\":[");
                        List<String> ids = directory.getOrDefault(m.group(1).replace("''", "'")
                                .toLowerCase(java.util.Locale.ROOT), List.of());
                        for (int i = 0; i < ids.size(); i++) {
                            value.append(i == 0 ? "" : ",").append("{\"id\":\"").append(ids.get(i)).append("\"}");
                        }
                        return new Response.Builder().request(chain.request()).protocol(Protocol.HTTP_1_1)
                                .code(lookupStatus).message("-").body(ResponseBody.create(lookupStatus == 200
                                        ? value + "]}" : "{\"error\":{\"code\":\"Authorization_RequestDenied\"}}",
                                        JSON)).build();
                    }
                    sent.add(chain.request());
                    return new Response.Builder().request(chain.request()).protocol(Protocol.HTTP_1_1).code(200)
                            .message("OK").body(ResponseBody.create("{}", JSON)).build();
                })
                .build();
    }

    Request get(String pathAndQuery) {
        return new Request.Builder().url(BASE + pathAndQuery).build();
    }

    /** Sends it; returns what passed (with its decision) or fails the test. */
    Request passes(Request request) {
        int before = sent.size();
        try (Response ignored = client.newCall(request).execute()) {
            assertThat(sent).hasSize(before + 1);
            return sent.get(sent.size() - 1);
        } catch (IOException e) {
            throw new AssertionError("refused: " + request.url() + ": " + e.getMessage(), e);
        }
    }

    /** Sends it; asserts nothing was sent and returns the SDK exception the guard refused it with. */
    OutlookException refused(Request request) {
        int before = sent.size();
        Throwable thrown = catchThrowable(() -> client.newCall(request).execute().close());
        assertThat(sent).as("nothing may reach the network for " + request.url()).hasSize(before);
        assertThat(thrown).as(request.url().toString()).isInstanceOf(IOException.class);
        assertThat(thrown.getCause()).isInstanceOf(OutlookException.class);
        return (OutlookException) thrown.getCause();
    }

    MailboxOutOfScopeException outOfScope(Request request) {
        OutlookException e = refused(request);
        assertThat(e).as(request.url().toString()).isInstanceOf(MailboxOutOfScopeException.class);
        assertThat(e.details().tenant()).contains(TENANT);
        assertThat(e.details().connection()).contains(CONN);
        return (MailboxOutOfScopeException) e;
    }

    static List<String> decision(Request passed) {
        return passed.tag(ScopeDecision.class).mailboxes();
    }

    // ---- what passes -----------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"/users/" + IN_ID + "/messages", "/users/0A6F1A2E-5D7B-4C1E-9F3A-000000000001/messages",
            "/users/support@contoso.com/messages", "/users/SUPPORT@Contoso.COM/mailFolders/inbox/messages/delta",
            "/users/support%40contoso.com/messages", "/users/helpdesk@contoso.com/messages?$top=5",
            "/users/support@contoso.onmicrosoft.com/mailFolders", "/users('support@contoso.com')/messages",
            "/Users('Support@Contoso.com')/messages", "/users('o''brien@contoso.com')/messages",
            "/users/o'brien@contoso.com/messages", "/users/" + IN_ID + "/messages/", "/USERS/" + IN_ID + "/messages"})
    void theScopesMailboxPassesUnderAnyOfItsNamesResolvedToItsObjectId(String path) {
        Request passed = passes(get(path));

        assertThat(decision(passed)).containsExactly(IN_ID);
        assertThat(passed.url().pathSegments().get(1)).as("the name is pinned to the object id")
                .isEqualToIgnoringCase("users");
        assertThat(passed.url().pathSegments().get(2)).isEqualToIgnoringCase(IN_ID);
        assertThat(passed.url().pathSegments().get(3)).isIn("messages", "mailFolders");
        assertThat(passed.url().query()).isEqualTo(get(path).url().query());
        assertThat(lookups).hasSize(path.contains("@") || path.contains("%40") ? 1 : 0);
    }

    @Test
    void anActionOnAnInScopeMailboxPasses() {
        Request move = new Request.Builder().url(BASE + "/users/" + IN_ID + "/messages/AAMkAG=/move")
                .post(RequestBody.create("{\"destinationId\":\"archive\"}", JSON)).build();

        assertThat(decision(passes(move))).containsExactly(IN_ID);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/users", "/users?$filter=startswith(displayName,'a')&$select=id,displayName,mail&$top=5",
            "/users/" + OUT_ID, "/users/ceo@contoso.com?$select=id,displayName,userPrincipalName",
            "/users/delta", "/users('ceo@contoso.com')"})
    void directoryReadsAddressNoMailboxAndPass(String path) {
        assertThat(decision(passes(get(path)))).isEmpty();
    }

    // ---- what is refused -------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"/users/" + OUT_ID + "/messages", "/users/0A6F1A2E-5D7B-4C1E-9F3A-000000000002/messages",
            "/users/ceo@contoso.com/messages", "/users/CEO@Contoso.com/mailFolders/inbox/messages/delta",
            "/users/ceo%40contoso.com/messages", "/users('ceo@contoso.com')/messages",
            "/users(%27ceo@contoso.com%27)/messages", "/users/" + OUT_ID + "/sendMail",
            "/users/" + OUT_ID + "/mailboxSettings/userPurpose", "/users/" + OUT_ID + "/mailFolders/inbox?$select=id"})
    void anOutOfScopeMailboxIsRefusedUnderAnyName(String path) {
        MailboxOutOfScopeException e = outOfScope(get(path));

        assertThat(e.reason()).isEqualTo(com.tekst.outlook.MailboxAccessException.Reason.OUT_OF_SCOPE);
        assertThat(e.details().mailbox()).isPresent();
        assertThat(e.summary()).contains("not in the scope of connection conn-1").contains("not sent");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/me/messages", "/ME/mailFolders", "/me", "/users/support@contoso.com%2F..%2Fceo@contoso.com/messages",
            "/users/support@contoso.com/messages/..%2F..%2F..%2Fusers%2Fceo@contoso.com%2Fmessages",
            "/users/support@contoso.com%5C..%5Cceo@contoso.com/messages", "/users/support%252F@contoso.com/messages",
            "/users/%20support@contoso.com/messages", "/users/support@contoso.com%20/messages",
            "/users/support@contoso.com%3Bx=1/messages", "/users/support@contoso.com%00/messages",
            "/users/support@contoso.com%C0%AF/messages", "/users/%E2%84%AAarl@contoso.com/messages",
            "/users/s%C3%BCpport@contoso.com/messages", "/users(support@contoso.com)/messages",
            "/users('support@contoso.com'x)/messages", "/users('a'b@contoso.com')/messages",
            "/groups/" + IN_ID + "/conversations", "/subscriptions",
            "/$batch/x", "/", "/users//messages", "/users?$expand=messages",
            "/users/" + OUT_ID + "?$select=id,mailboxSettings", "/users/" + OUT_ID + "?$expand=mailFolders",
            "/users/" + OUT_ID + "?$select=mailboxSettings/userPurpose", "/users?%24select=MailboxSettings"})
    void pathsThatCouldReachAnotherMailboxOrNameNoneAreRefused(String path) {
        outOfScope(get(path));
    }

    @Test
    void tenKilobyteAndUnicodeKeysAreRefusedWithAShortMessage() {
        MailboxOutOfScopeException huge = outOfScope(get("/users/" + "a".repeat(10_000) + "@contoso.com/messages"));
        MailboxOutOfScopeException unicode = outOfScope(new Request.Builder().url(
                okhttp3.HttpUrl.get(BASE).newBuilder().addPathSegment("users").addPathSegment("süppört@contoso.com")
                        .addPathSegment("messages").build()).build());

        assertThat(huge.getMessage()).hasSizeLessThan(600);
        assertThat(unicode.getMessage()).doesNotContain("ü").contains("\\u00fc");
    }

    @Test
    void dotSegmentsAreResolvedBeforeTheGuardSeesThemAndCannotClimbOut() {
        // OkHttp resolves ".." and "%2e%2e" while parsing: the guard judges the resolved path
        outOfScope(get("/users/support@contoso.com/../ceo@contoso.com/messages"));
        outOfScope(get("/users/support@contoso.com/%2e%2e/ceo@contoso.com/messages"));
        outOfScope(get("/users/support@contoso.com/../../beta/users/support@contoso.com/messages"));
        outOfScope(new Request.Builder().url("https://graph.example/beta/users/" + IN_ID + "/messages").build());
    }

    @Test
    void writesToTheDirectoryAreRefused() {
        outOfScope(new Request.Builder().url(BASE + "/users").post(RequestBody.create("{}", JSON)).build());
        outOfScope(new Request.Builder().url(BASE + "/users/" + OUT_ID).patch(RequestBody.create("{}", JSON)).build());
        outOfScope(new Request.Builder().url(BASE + "/users/" + OUT_ID).delete().build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example/v1.0/users/" + IN_ID + "/messages",
            "http://graph.example/v1.0/users/" + IN_ID + "/messages",
            "https://graph.example:8443/v1.0/users/" + IN_ID + "/messages",
            "https://user:pw@graph.example/v1.0/users/" + IN_ID + "/messages"})
    void anotherHostNeverGetsARequest(String url) {
        OutlookException e = refused(new Request.Builder().url(url).build());

        assertThat(e).isInstanceOfAny(OutlookClientException.class, MailboxOutOfScopeException.class);
        if (!url.contains("user:pw")) {
            assertThat(e).isInstanceOf(OutlookClientException.class).hasMessageContaining("only to Microsoft Graph");
        }
    }

    @Test
    void aMethodOverrideHeaderIsRefusedAlsoInsideABatch() {
        GuardTicket ticket = guards.ticket(GuardTicket.Purpose.MAILBOX_TYPE);
        outOfScope(ticketed(get("/users/" + OUT_ID + "/mailboxSettings/userPurpose"), ticket).newBuilder()
                .header("X-HTTP-Method-Override", "PATCH").build());
        outOfScope(get("/users/" + OUT_ID).newBuilder().header("X-HTTP-Method", "DELETE").build());
        outOfScope(batch("{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users/" + IN_ID
                + "/messages\",\"headers\":{\"X-Method-Override\":\"DELETE\"}}]}"));
        passes(batch("{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users/" + IN_ID
                + "/messages\",\"headers\":{\"Prefer\":\"IdType=\\\"ImmutableId\\\"\"}}]}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/users/" + IN_ID + "/messages/..;/..;/" + OUT_ID + "/messages",
            "/users/" + IN_ID + "/..;/" + OUT_ID + "/messages", "/users;x=1/" + IN_ID + "/messages",
            "/users/" + IN_ID + "/mailFolders;x=1/inbox/messages", "/users/" + IN_ID + "/messages%3B/x",
            "/users/" + IN_ID + ";/messages", "/users('support@contoso.com');x=1/messages",
            "/users/" + IN_ID + "/messages;jsessionid=1"})
    void pathParametersAreRefused(String path) {
        assertThat(outOfScope(get(path)).summary()).contains("path parameter");
        assertThat(lookups).isEmpty();
    }

    @Test
    void pathParametersAreRefusedInsideABatch() {
        for (String url : List.of("/users/" + IN_ID + "/messages/..;/..;/" + OUT_ID + "/messages",
                "/users;x=1/" + IN_ID + "/messages", "/users/" + IN_ID + "/mailFolders;x=1/inbox")) {
            assertThat(outOfScope(batch(batchOf("/users/" + IN_ID + "/messages", url))).summary())
                    .contains("path parameter");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Original-URL", "x-rewrite-url", "X-ORIGINAL-URL"})
    void aUrlOverrideHeaderIsRefusedAlsoInsideABatch(String header) {
        assertThat(outOfScope(get("/users/" + IN_ID + "/messages").newBuilder()
                .header(header, "/v1.0/users/" + OUT_ID + "/messages").build()).summary())
                .contains("overrides its URL");
        assertThat(outOfScope(batch("{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users/" + IN_ID
                + "/messages\",\"headers\":{\"" + header + "\":\"/users/" + OUT_ID + "/messages\"}}]}")).summary())
                .contains("overrides its URL");
        assertThat(outOfScope(batch("{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users/" + IN_ID
                + "/messages\"}]}").newBuilder().header(header, "/v1.0/users/" + OUT_ID).build()).summary())
                .contains("overrides its URL");
    }

    // ---- names are pinned to object ids ---------------------------------------------------------------------------

    @Test
    void aNameThatNowBelongsToAnotherAccountIsRefusedAndTheMailboxFlagged() {
        directory.put("helpdesk@contoso.com", List.of(OUT_ID));

        MailboxOutOfScopeException e = outOfScope(get("/users/helpdesk@contoso.com/mailFolders?$top=5"));

        assertThat(e).isInstanceOfSatisfying(MailboxIdentityChangedException.class, changed -> {
            assertThat(changed.change()).isEqualTo(MailboxIdentityChangedException.Change.REASSIGNED);
            assertThat(changed.mailboxId()).isEqualTo(MailboxId.of(IN_ID));
        });
        assertThat(e.details().mailbox()).contains(MailboxAddress.of("helpdesk@contoso.com"));
        assertThat(e.summary()).contains("MAILBOX_IDENTITY_CHANGED").doesNotContain(OUT_ID);
        assertThat(lookups).hasSize(1);
        MailboxRecord flagged = store.findMailbox(CONN, MailboxId.of(IN_ID)).orElseThrow();
        assertThat(flagged.status()).isEqualTo(MailboxStatus.MAILBOX_IDENTITY_CHANGED);
        assertThat(flagged.statusDetail()).contains("helpdesk@contoso.com");
        assertThat(decision(passes(get("/users/" + IN_ID + "/messages")))).as("the object id still works")
                .containsExactly(IN_ID);
    }

    @Test
    void aNameNoAccountAnswersToAnyMoreIsRefusedAndTheMailboxFlagged() {
        directory.remove("support@contoso.com");

        assertThat(outOfScope(get("/users/support@contoso.com/messages")))
                .isInstanceOfSatisfying(MailboxIdentityChangedException.class, changed -> assertThat(changed.change())
                        .isEqualTo(MailboxIdentityChangedException.Change.UNASSIGNED));
        assertThat(store.findMailbox(CONN, MailboxId.of(IN_ID)).orElseThrow().status())
                .isEqualTo(MailboxStatus.MAILBOX_IDENTITY_CHANGED);
    }

    @Test
    void aDirectoryThatCannotAnswerRefusesTheNameWithoutFlagging() {
        lookupStatus = 403;

        MailboxOutOfScopeException e = outOfScope(get("/users/support@contoso.com/messages"));

        assertThat(e).isNotInstanceOf(MailboxIdentityChangedException.class);
        assertThat(e.summary()).contains("HTTP 403").contains("object id");
        assertThat(store.findMailbox(CONN, MailboxId.of(IN_ID)).orElseThrow().status()).isEqualTo(MailboxStatus.IDLE);
        lookupStatus = 503;
        assertThat(refused(get("/users/support@contoso.com/messages"))).isInstanceOf(
                com.tekst.outlook.ServiceException.class).satisfies(x -> assertThat(x.isRetryable()).isTrue());
    }

    @Test
    void aNameTwoAccountsAnswerToIsRefusedWithoutFlagging() {
        directory.put("helpdesk@contoso.com", List.of(IN_ID, OUT_ID));

        MailboxOutOfScopeException e = outOfScope(get("/users/helpdesk@contoso.com/messages"));

        assertThat(e).isNotInstanceOf(MailboxIdentityChangedException.class);
        assertThat(store.findMailbox(CONN, MailboxId.of(IN_ID)).orElseThrow().status()).isEqualTo(MailboxStatus.IDLE);
    }

    @Test
    void namesInsideABatchArePinnedAndOneChangedNameRefusesTheBatch() throws IOException {
        Request passed = passes(batch(batchOf("/users/helpdesk@contoso.com/mailFolders?$top=5",
                "users('support@contoso.com')/messages", "/users/helpdesk@contoso.com/messages")));

        assertThat(body(passed)).isEqualTo(batchOf("/users/" + IN_ID + "/mailFolders?$top=5",
                "/users/" + IN_ID + "/messages", "/users/" + IN_ID + "/messages"));
        assertThat(lookups).as("one lookup per name").hasSize(2);

        directory.put("support@contoso.com", List.of(OUT_ID));
        MailboxOutOfScopeException e = outOfScope(batch(batchOf("/users/" + IN_ID + "/messages",
                "/users/support@contoso.com/messages")));
        assertThat(e).isInstanceOf(MailboxIdentityChangedException.class);
        assertThat(e.summary()).contains("request '2' of a $batch");
        assertThat(store.findMailbox(CONN, MailboxId.of(IN_ID)).orElseThrow().status())
                .isEqualTo(MailboxStatus.MAILBOX_IDENTITY_CHANGED);
    }

    @Test
    void anObjectIdNeedsNoLookupAndTicketedReadsOfOtherMailboxesStayAsAddressed() {
        passes(get("/users/" + IN_ID + "/messages"));
        Request typed = passes(ticketed(get("/users/ceo@contoso.com/mailboxSettings/userPurpose"),
                guards.ticket(GuardTicket.Purpose.MAILBOX_TYPE)));

        assertThat(lookups).isEmpty();
        assertThat(typed.url().pathSegments()).contains("ceo@contoso.com");
    }

    @Test
    void aRequestTaggedForAnotherTenantOrConnectionIsRefused() {
        Request otherTenant = get("/users/" + IN_ID + "/messages").newBuilder()
                .tag(GraphCall.class, GraphCall.forTenant(TenantId.of("11111111-2222-3333-4444-555555555555"), CONN))
                .build();
        Request otherConnection = get("/users/" + IN_ID + "/messages").newBuilder()
                .tag(GraphCall.class, GraphCall.forTenant(TENANT, ConnectionId.of("conn-2"))).build();

        assertThat(refused(otherTenant)).isInstanceOf(OutlookClientException.class);
        assertThat(refused(otherConnection)).isInstanceOf(OutlookClientException.class);
        assertThat(decision(passes(get("/users/" + IN_ID + "/messages").newBuilder()
                .tag(GraphCall.class, GraphCall.forTenant(TENANT, CONN)).build()))).containsExactly(IN_ID);
    }

    @Test
    void aNameTwoMailboxesAnswerToIsRefused() {
        store.saveMailbox(store.findMailbox(CONN, MailboxId.of(IN_ID)).orElseThrow().withAliases(
                List.of(MailboxAddress.of("team@contoso.com"))));
        store.saveMailbox(new MailboxRecord(CONN, MailboxId.of(OUT_ID), MailboxAddress.of("ceo@contoso.com"), "", MailboxType.USER,
                List.of(FolderRef.INBOX), MailboxStatus.IDLE, null, "", Instant.EPOCH,
                List.of(MailboxAddress.of("team@contoso.com"))));

        assertThat(outOfScope(get("/users/team@contoso.com/messages")).summary()).contains("matches 2 mailboxes");
        assertThat(decision(passes(get("/users/ceo@contoso.com/messages")))).containsExactly(OUT_ID);
    }

    @Test
    void aRemovedMailboxIsRefusedFromTheNextRequestOn() {
        passes(get("/users/helpdesk@contoso.com/messages"));

        store.removeMailbox(CONN, MailboxId.of(IN_ID));

        outOfScope(get("/users/helpdesk@contoso.com/messages"));
        outOfScope(get("/users/" + IN_ID + "/messages"));
    }

    @Test
    void anotherConnectionsMailboxIsOutOfThisConnectionsScope() {
        OkHttpClient other = clientWith(guards.forConnection(ConnectionId.of("conn-2"), TENANT));
        int before = sent.size();

        Throwable thrown = catchThrowable(() -> other.newCall(get("/users/" + IN_ID + "/messages")).execute());

        assertThat(thrown.getCause()).isInstanceOf(MailboxOutOfScopeException.class);
        assertThat(sent).hasSize(before);
    }

    // ---- ALL_MAILBOXES -------------------------------------------------------------------------------------------

    @Test
    void allMailboxesLetsEveryMailboxKeyThroughButNotAmbiguityOrOtherHosts() {
        store.saveScopeMode(CONN, ScopeMode.ALL_MAILBOXES);

        assertThat(decision(passes(get("/users/" + OUT_ID + "/messages")))).containsExactly(OUT_ID);
        assertThat(decision(passes(get("/users/CEO@contoso.com/messages")))).containsExactly("ceo@contoso.com");
        assertThat(decision(passes(get("/users/helpdesk@contoso.com/messages")))).containsExactly(IN_ID);
        outOfScope(get("/me/messages"));
        outOfScope(get("/users/support@contoso.com%2F..%2Fceo@contoso.com/messages"));
        outOfScope(get("/users/not-an-address/messages"));
        assertThat(refused(new Request.Builder().url("https://evil.example/v1.0/users/x/messages").build()))
                .isInstanceOf(OutlookClientException.class);

        store.saveScopeMode(CONN, ScopeMode.RESTRICTED);
        outOfScope(get("/users/" + OUT_ID + "/messages"));
    }

    // ---- tickets ---------------------------------------------------------------------------------------------------

    Request ticketed(Request request, GuardTicket ticket) {
        return request.newBuilder().tag(GuardTicket.class, ticket).build();
    }

    @Test
    void aMailboxTypeTicketLetsExactlyTheUserPurposeReadThrough() {
        GuardTicket ticket = guards.ticket(GuardTicket.Purpose.MAILBOX_TYPE);

        assertThat(decision(passes(ticketed(get("/users/" + OUT_ID + "/mailboxSettings/userPurpose"), ticket))))
                .containsExactly(OUT_ID);
        passes(ticketed(get("/users/" + OUT_ID + "/mailboxSettings?$select=userPurpose"), ticket));
        passes(ticketed(get("/users/ceo@contoso.com/MailboxSettings/UserPurpose"), ticket));
        outOfScope(ticketed(get("/users/" + OUT_ID + "/mailboxSettings"), ticket));
        outOfScope(ticketed(get("/users/" + OUT_ID + "/mailboxSettings?$select=userPurpose,automaticRepliesSetting"),
                ticket));
        outOfScope(ticketed(get("/users/" + OUT_ID + "/mailboxSettings/userPurpose?$expand=x"), ticket));
        outOfScope(ticketed(get("/users/" + OUT_ID + "/messages"), ticket));
        outOfScope(ticketed(get("/users/" + OUT_ID + "/mailFolders/inbox?$select=id"), ticket));
        outOfScope(ticketed(new Request.Builder().url(BASE + "/users/" + OUT_ID + "/mailboxSettings/userPurpose")
                .patch(RequestBody.create("{}", JSON)).build(), ticket));
    }

    @Test
    void aProbeTicketLetsExactlyTheInboxIdReadThrough() {
        GuardTicket ticket = guards.ticket(GuardTicket.Purpose.RESTRICTION_PROBE);

        assertThat(decision(passes(ticketed(get("/users/" + OUT_ID + "/mailFolders/inbox?$select=id"), ticket))))
                .containsExactly(OUT_ID);
        outOfScope(ticketed(get("/users/" + OUT_ID + "/mailFolders/inbox"), ticket));
        outOfScope(ticketed(get("/users/" + OUT_ID + "/mailFolders/inbox?$select=id,displayName"), ticket));
        outOfScope(ticketed(get("/users/" + OUT_ID + "/mailFolders/inbox/messages?$select=id"), ticket));
        outOfScope(ticketed(get("/users/" + OUT_ID + "/mailboxSettings/userPurpose"), ticket));
    }

    @Test
    void aFolderLookupTicketLetsOnlyThatMailboxsFolderTreeThrough() {
        GuardTicket ticket = guards.folderLookup(OUT_ID);

        passes(ticketed(get("/users/" + OUT_ID + "/mailFolders?$filter=displayName eq 'Inbox'&$select=id"), ticket));
        passes(ticketed(get("/users/" + OUT_ID + "/mailFolders/inbox?$select=id,displayName,parentFolderId"), ticket));
        passes(ticketed(get("/users/" + OUT_ID + "/mailFolders/AAMkAG=/childFolders?$top=50&includeHiddenFolders=true"),
                ticket));
        outOfScope(ticketed(get("/users/" + OUT_ID + "/mailFolders/inbox/messages"), ticket));
        outOfScope(ticketed(get("/users/" + OUT_ID + "/mailFolders/inbox/childFolders/x/childFolders"), ticket));
        outOfScope(ticketed(get("/users/" + OUT_ID + "/mailFolders?$expand=childFolders"), ticket));
        outOfScope(ticketed(get("/users/ceo@contoso.com/mailFolders"), ticket));
        outOfScope(ticketed(get("/users/0a6f1a2e-5d7b-4c1e-9f3a-000000000003/mailFolders"), ticket));
    }

    @Test
    void aTicketOfAnotherIssuerIsWorthNothing() {
        GuardTicket forged = new ScopeGuards(store, URI.create(BASE)).ticket(GuardTicket.Purpose.MAILBOX_TYPE);

        outOfScope(ticketed(get("/users/" + OUT_ID + "/mailboxSettings/userPurpose"), forged));
    }

    // ---- $batch ----------------------------------------------------------------------------------------------------

    Request batch(String json) {
        return new Request.Builder().url(BASE + "/$batch").post(RequestBody.create(json, JSON)).build();
    }

    static String batchOf(String... urls) {
        StringBuilder sb = new StringBuilder("{\"requests\":[");
        for (int i = 0; i < urls.length; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"id\":\"").append(i + 1).append("\",\"method\":\"GET\",\"url\":\"")
                    .append(urls[i]).append("\"}");
        }
        return sb.append("]}").toString();
    }

    static String body(Request r) throws IOException {
        Buffer b = new Buffer();
        r.body().writeTo(b);
        return b.readUtf8();
    }

    @Test
    void aBatchOfInScopeAndDirectoryRequestsPassesWithEveryMailboxCounted() throws IOException {
        String json = batchOf("/users/" + IN_ID + "/messages", "users/helpdesk@contoso.com/mailFolders",
                "/users?$select=id", "/users/" + OUT_ID);

        Request passed = passes(batch(json));

        assertThat(decision(passed)).containsExactly(IN_ID, IN_ID);
        assertThat(body(passed)).isEqualTo(batchOf("/users/" + IN_ID + "/messages", "/users/" + IN_ID + "/mailFolders",
                "/users?$select=id", "/users/" + OUT_ID));
        assertThat(body(passes(batch(batchOf("/users/" + IN_ID + "/messages"))))).as("nothing to pin: sent as is")
                .isEqualTo(batchOf("/users/" + IN_ID + "/messages"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/users/" + OUT_ID + "/messages", "/users/ceo@contoso.com/messages", "/me/messages",
            "users/CEO@contoso.com/mailFolders", "https://graph.example/v1.0/users/" + IN_ID + "/messages",
            "//evil.example/v1.0/users/x", "/users/" + IN_ID + "/../" + OUT_ID + "/messages",
            "/../beta/users/" + IN_ID + "/messages", "/$batch", "/users/support@contoso.com%2F..%2Fx@contoso.com/messages",
            "/users/" + IN_ID + "/messages#x", "/users/" + IN_ID + "\\\\..\\\\" + OUT_ID,
            "/users/" + OUT_ID + "/mailboxSettings/userPurpose"})
    void aBatchWithOneOutOfScopeOrUnclearRequestIsRefusedWhole(String innerUrl) {
        outOfScope(batch(batchOf("/users/" + IN_ID + "/messages", innerUrl)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users/" + IN_ID + "/messages\","
            + "\"url\":\"/users/" + OUT_ID + "/messages\"}]}",
            "{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users/" + IN_ID + "/messages\","
                    + "\"URL\":\"/users/" + OUT_ID + "/messages\"}]}",
            "{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"Url\":\"/users/" + OUT_ID + "/messages\"}]}",
            "{\"requests\":[],\"Requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users/" + OUT_ID + "\"}]}",
            "{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":[\"/users/" + IN_ID + "\"]}]}",
            "{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users/" + IN_ID + "/messages\"}]} trailing",
            "{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",/*c*/\"url\":\"/users/" + IN_ID + "/messages\"}]}",
            "{\"requests\":[]}", "[]", "not json", ""})
    void aBatchBodyTheGuardCannotReadUnambiguouslyIsRefused(String json) {
        outOfScope(batch(json));
    }

    @Test
    void aBatchOfMoreThanTwentyRequestsIsRefused() {
        String[] urls = new String[21];
        java.util.Arrays.fill(urls, "/users/" + IN_ID + "/messages");
        outOfScope(batch(batchOf(urls)));
        assertThat(decision(passes(batch(batchOf(java.util.Arrays.copyOf(urls, 20)))))).hasSize(20);
    }

    @Test
    void aBatchThatCannotBeInspectedIsRefused() {
        RequestBody oneShot = new RequestBody() {
            @Override
            public MediaType contentType() {
                return JSON;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                sink.writeUtf8(batchOf("/users/" + IN_ID + "/messages"));
            }

            @Override
            public boolean isOneShot() {
                return true;
            }
        };
        outOfScope(new Request.Builder().url(BASE + "/$batch").post(oneShot).build());
        outOfScope(batch(batchOf("/users/" + IN_ID + "/messages")).newBuilder().header("Content-Encoding", "gzip")
                .build());
        outOfScope(get("/$batch"));
    }

    @Test
    void theBytesInspectedAreTheBytesSent() throws IOException {
        AtomicInteger writes = new AtomicInteger();
        String inScope = batchOf("/users/" + IN_ID + "/messages");
        String outOfScope = batchOf("/users/" + OUT_ID + "/messages");
        RequestBody fickle = new RequestBody() {
            @Override
            public MediaType contentType() {
                return JSON;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                sink.writeUtf8(writes.getAndIncrement() == 0 ? inScope : outOfScope);
            }
        };

        Request passed = passes(new Request.Builder().url(BASE + "/$batch").post(fickle).build());

        assertThat(body(passed)).isEqualTo(inScope);
        assertThat(body(passed)).isEqualTo(inScope);
        assertThat(writes).hasValue(1);
    }

    @Test
    void aTicketCoversTheRequestsOfItsBatch() {
        GuardTicket ticket = guards.ticket(GuardTicket.Purpose.MAILBOX_TYPE);
        String json = batchOf("/users/" + OUT_ID + "/mailboxSettings/userPurpose",
                "/users/" + IN_ID + "/mailboxSettings/userPurpose");

        assertThat(decision(passes(ticketed(batch(json), ticket)))).containsExactly(OUT_ID, IN_ID);
        outOfScope(ticketed(batch(batchOf("/users/" + OUT_ID + "/messages")), ticket));
        assertThat(new String(json.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(json);
    }
}
