package com.tekst.outlook.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxOutOfScopeException;
import com.tekst.outlook.ThrottledException;
import com.tekst.outlook.graph.internal.auth.MsalTokenProvider;
import com.tekst.outlook.graph.internal.http.GraphCall;
import com.tekst.outlook.graph.internal.http.GraphHttp;
import com.tekst.outlook.graph.internal.http.GraphResponse;
import com.tekst.outlook.graph.internal.http.MailboxLimiter;
import com.tekst.outlook.graph.internal.scope.ScopeGuards;
import com.tekst.outlook.mailbox.MailboxType;
import com.tekst.outlook.mailbox.ScopeMode;
import com.tekst.outlook.testkit.FakeMailbox;
import com.tekst.outlook.testkit.Faults;
import com.tekst.outlook.testkit.JournalAssertions;
import com.tekst.outlook.testkit.JournalEntry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Acceptance, the guard on the sync path, wired as the Graph {@code MailSource} wires it: the SDK's OkHttp
 * stack with the connection's {@code ScopeGuard} and the shared limiter in fail-fast mode. A sync request for an
 * out-of-scope mailbox — by object id, address, alias, UPN, any case, percent-encoded, in key syntax, inside a
 * {@code $batch} — fails with {@link MailboxOutOfScopeException} and the fake's journal shows no request for it, not
 * even a token request.
 */
class MailboxScopeAcceptanceTest {
    static final MediaType JSON = MediaType.get("application/json");
    static ScopeTenantFixture fx;
    static ConnectionId connection;
    static FakeMailbox inScope;
    static FakeMailbox alice;
    MsalTokenProvider tokens;
    GraphHttp http;
    OkHttpClient sync;
    MailboxLimiter limiter;

    @BeforeAll
    static void start() {
        fx = new ScopeTenantFixture();
        connection = fx.connect(fx.contoso);
        inScope = fx.ofType(MailboxType.SHARED).get(3);
        alice = fx.contoso.mailbox(ScopeTenantFixture.ALICE_UPN);
        fx.client.mailboxScope().add(connection, MailboxAddress.of(inScope.address()));
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @BeforeEach
    void stack() {
        CloudEndpoints cloud = CloudEndpoints.of(fx.cloud.loginBaseUrl(), fx.cloud.graphBaseUrl());
        tokens = new MsalTokenProvider(fx.cloud.app().clientId(),
                ClientCredentialFactory.createFromSecret(fx.cloud.clientSecret()), cloud, fx.cloud.trustManager(),
                fx.clock, fx.clock);
        http = new GraphHttp(fx.cloud.trustManager(), tokens, fx.clock);
        limiter = new MailboxLimiter(4, fx.clock, fx.clock);
        ScopeGuards guards = new ScopeGuards(fx.store, cloud.graphBaseUrl());
        sync = http.client(List.of(guards.forConnection(connection, fx.contoso.id()),
                limiter.interceptor(MailboxLimiter.FenceMode.FAIL_FAST)));
        fx.cloud.journal().clear();
    }

    @AfterEach
    void close() {
        http.close();
        tokens.close();
        fx.cloud.faults().clear();
        fx.store.saveScopeMode(connection, ScopeMode.RESTRICTED);
    }

    Request delta(String user) {
        HttpUrl url = HttpUrl.get(fx.cloud.graphBaseUrl() + "/users/" + user + "/mailFolders/inbox/messages/delta");
        return new Request.Builder().url(url).header("Prefer", "odata.maxpagesize=50")
                .header("Prefer", "IdType=\"ImmutableId\"")
                .tag(GraphCall.class, GraphCall.forTenant(fx.contoso.id(), connection)).build();
    }

    @Test
    void aSyncRequestForAnInScopeMailboxGoesThrough() {
        GraphResponse page = http.execute(sync, delta(inScope.objectId().value()));

        assertThat(page.status()).isEqualTo(200);
        JournalAssertions.assertThat(fx.cloud.journal()).onlyMailboxes(inScope.objectId())
                .everyGraphRequestHasClientRequestId().everyTokenTenantMatchesAddressedTenant();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ID", "ID_UPPER", ScopeTenantFixture.ALICE_MAIL, "ALICE.SMITH@CONTOSO.COM",
            ScopeTenantFixture.ALICE_UPN, "alice@contoso.com", "a.smith@contoso.com", "alice.smith%40contoso.com",
            "('alice@contoso.com')", "alice%40contoso.com%2F..%2F" + "support@contoso.com"})
    void aSyncRequestForAnOutOfScopeMailboxNeverLeavesTheProcess(String addressed) {
        String user = switch (addressed) {
            case "ID" -> alice.objectId().value();
            case "ID_UPPER" -> alice.objectId().value().toUpperCase(Locale.ROOT);
            default -> addressed;
        };
        Request request = addressed.startsWith("(")
                ? delta("x").newBuilder().url(HttpUrl.get(fx.cloud.graphBaseUrl() + "/users" + addressed
                        + "/mailFolders/inbox/messages/delta")).build()
                : delta(user);

        Throwable thrown = catchThrowable(() -> http.execute(sync, request));

        assertThat(thrown).isInstanceOf(MailboxOutOfScopeException.class);
        MailboxOutOfScopeException e = (MailboxOutOfScopeException) thrown;
        assertThat(e.details().tenant()).contains(fx.contoso.id());
        assertThat(e.details().connection()).contains(connection);
        assertThat(e.details().clientRequestId()).isPresent();
        JournalAssertions.assertThat(fx.cloud.journal()).onlyMailboxes(inScope.objectId());
        assertThat(fx.cloud.journal().entries()).as("no request at all, not even for a token").isEmpty();
    }

    @Test
    void aBatchWithAnOutOfScopeRequestNeverLeavesTheProcess() {
        String body = "{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users/" + inScope.objectId()
                + "/mailFolders/inbox/messages/delta\"},{\"id\":\"2\",\"method\":\"GET\",\"url\":"
                + "\"/users/A.Smith@contoso.com/mailFolders/inbox/messages/delta\"}]}";
        Request batch = new Request.Builder().url(fx.cloud.graphBaseUrl() + "/$batch")
                .post(RequestBody.create(body, JSON))
                .tag(GraphCall.class, GraphCall.forTenant(fx.contoso.id(), connection)).build();

        Throwable thrown = catchThrowable(() -> http.execute(sync, batch));

        assertThat(thrown).isInstanceOf(MailboxOutOfScopeException.class)
                .hasMessageContaining("request '2' of a $batch");
        assertThat(fx.cloud.journal().entries()).isEmpty();
    }

    @Test
    void aMailboxRemovedFromTheScopeIsRefusedFromTheNextRequestOn() {
        FakeMailbox room = fx.ofType(MailboxType.ROOM).get(1);
        fx.client.mailboxScope().add(connection, MailboxAddress.of(room.address()));
        assertThat(http.execute(sync, delta(room.objectId().value())).status()).isEqualTo(200);

        fx.client.mailboxScope().remove(connection, MailboxAddress.of(room.address()));
        fx.cloud.journal().clear();

        assertThat(catchThrowable(() -> http.execute(sync, delta(room.objectId().value()))))
                .isInstanceOf(MailboxOutOfScopeException.class);
        assertThat(fx.cloud.journal().entries()).isEmpty();
    }

    @Test
    void allMailboxesLetsTheSyncReachAnyMailboxOfTheTenant() {
        fx.client.mailboxScope().setMode(connection, ScopeMode.ALL_MAILBOXES);

        assertThat(http.execute(sync, delta(alice.objectId().value())).status()).isEqualTo(200);
        assertThat(fx.cloud.journal().forMailbox(alice.objectId())).hasSize(1);
    }

    @Test
    void aThrottledMailboxFailsFastOnTheSyncPathUntilItsRetryAfter() {
        fx.cloud.faults().add(Faults.throttleMailbox(inScope.objectId(), 1, Duration.ofSeconds(20)));

        assertThat(catchThrowable(() -> http.execute(sync, delta(inScope.objectId().value()))))
                .isInstanceOfSatisfying(ThrottledException.class,
                        e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(20)));
        fx.clock.advance(Duration.ofSeconds(5));
        assertThat(catchThrowable(() -> http.execute(sync, delta(inScope.objectId().value()))))
                .isInstanceOfSatisfying(ThrottledException.class,
                        e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(15)));
        assertThat(fx.cloud.journal().forMailbox(inScope.objectId())).hasSize(1);

        fx.clock.advance(Duration.ofSeconds(15));
        assertThat(http.execute(sync, delta(inScope.objectId().value())).status()).isEqualTo(200);
        List<JournalEntry> calls = fx.cloud.journal().forMailbox(inScope.objectId());
        assertThat(calls).extracting(JournalEntry::status).containsExactly(429, 200);
        JournalAssertions.assertThat(fx.cloud.journal()).noRequestBeforeRetryAfter();
    }
}
