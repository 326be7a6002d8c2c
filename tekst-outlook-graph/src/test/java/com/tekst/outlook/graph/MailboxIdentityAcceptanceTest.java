package com.tekst.outlook.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.graph.core.content.BatchRequestContent;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.MailboxAccessException;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.MailboxIdentityChangedException;
import com.tekst.outlook.graph.internal.auth.MsalTokenProvider;
import com.tekst.outlook.graph.internal.http.GraphHttp;
import com.tekst.outlook.graph.internal.http.MailboxLimiter;
import com.tekst.outlook.graph.internal.scope.ScopeGuards;
import com.tekst.outlook.graph.internal.sync.GraphMailSource;
import com.tekst.outlook.mailbox.FolderRef;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.mailbox.MailboxType;
import com.tekst.outlook.store.MailboxRecord;
import com.tekst.outlook.sync.DeltaPage;
import com.tekst.outlook.sync.DeltaRequest;
import com.tekst.outlook.sync.MailMessage;
import com.tekst.outlook.sync.MailboxTarget;
import com.tekst.outlook.testkit.FakeMessage;
import com.tekst.outlook.testkit.FakeUser;
import com.tekst.outlook.testkit.JournalEntry;
import java.time.Instant;
import org.assertj.core.api.ThrowableAssert;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A mailbox added to the scope by address keeps its identity (its object id) when the address moves on: the user
 * leaves and the UPN is given to a new hire, or an alias moves to another mailbox. A request through the bound
 * {@code GraphServiceClient} for the old name — top level or inside a {@code $batch} — fails with
 * {@link MailboxIdentityChangedException}, the mailbox becomes {@link MailboxStatus#MAILBOX_IDENTITY_CHANGED}, and the
 * fake's journal shows no request for the new owner's mailbox and none for the name's mail resources (only the
 * directory lookup of the name). The sync path addresses the object id and never follows the name.
 */
class MailboxIdentityAcceptanceTest {
    static final String BOB = "bob@contoso.com";
    ScopeTenantFixture fx;
    ConnectionId connection;
    GraphServiceClient graph;

    @BeforeEach
    void start() {
        fx = new ScopeTenantFixture();
        connection = fx.connect(fx.contoso);
        graph = fx.client.graphServiceClient(connection);
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    FakeUser hire(FakeUser.Builder user, String subject) {
        FakeUser u = fx.contoso.addUser(user);
        fx.contoso.mailbox(u.objectId()).deliver(FakeMessage.builder().from("carol@example.com").subject(subject));
        return u;
    }

    /** The journal shows nothing for the new owner's mailbox and no mail request that addresses {@code name}. */
    void nothingReached(String newOwnerId, String name) {
        List<JournalEntry> graphCalls = fx.cloud.journal().entries().stream()
                .filter(e -> e.kind() == JournalEntry.Kind.GRAPH).toList();
        assertThat(graphCalls).noneMatch(e -> e.mailbox().map(MailboxId::value).filter(newOwnerId::equals).isPresent());
        assertThat(graphCalls).noneMatch(e -> e.path().toLowerCase(Locale.ROOT).contains(newOwnerId));
        assertThat(graphCalls).noneMatch(e -> e.path().toLowerCase(Locale.ROOT).startsWith("/v1.0/users/" + name + "/"));
        assertThat(graphCalls).as("only directory lookups of the name")
                .allMatch(e -> e.path().equals("/v1.0/users") && e.query().contains("filter"));
    }

    MailboxIdentityChangedException refused(ThrowableAssert.ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(MailboxIdentityChangedException.class);
        return (MailboxIdentityChangedException) thrown;
    }

    MailboxRecord stored(MailboxId id) {
        return fx.store.findMailbox(connection, id).orElseThrow();
    }

    @Test
    void aUpnGivenToANewHireNeverReachesTheNewHiresMailbox() {
        FakeUser leaver = hire(FakeUser.builder(BOB), "for bob");
        fx.client.mailboxScope().add(connection, MailboxAddress.of(BOB));
        assertThat(graph.users().byUserId(BOB).mailFolders().get().getValue()).isNotEmpty();
        assertThat(fx.cloud.journal().forMailbox(MailboxId.of(leaver.objectId()))).isNotEmpty();

        fx.contoso.removeUser(BOB);
        FakeUser newHire = hire(FakeUser.builder(BOB), "for the new hire");
        assertThat(newHire.objectId()).isNotEqualTo(leaver.objectId());
        fx.cloud.journal().clear();

        MailboxIdentityChangedException single = refused(() -> graph.users().byUserId(BOB).mailFolders().get());
        MailboxIdentityChangedException inBatch = refused(() -> {
            BatchRequestContent batch = new BatchRequestContent(graph);
            batch.addBatchRequestStep(graph.users().byUserId(BOB).messages().toGetRequestInformation());
            graph.getBatchRequestBuilder().post(batch, null);
        });

        for (MailboxIdentityChangedException e : List.of(single, inBatch)) {
            assertThat(e.change()).isEqualTo(MailboxIdentityChangedException.Change.REASSIGNED);
            assertThat(e.mailboxId()).isEqualTo(MailboxId.of(leaver.objectId()));
            assertThat(e.reason()).isEqualTo(MailboxAccessException.Reason.OUT_OF_SCOPE);
            assertThat(e.details().tenant()).contains(fx.contoso.id());
            assertThat(e.details().mailbox()).contains(MailboxAddress.of(BOB));
            assertThat(e.getMessage()).doesNotContain("for the new hire").doesNotContain(newHire.objectId());
        }
        nothingReached(newHire.objectId(), BOB);
        assertThat(stored(MailboxId.of(leaver.objectId())).status()).isEqualTo(MailboxStatus.MAILBOX_IDENTITY_CHANGED);
        assertThat(stored(MailboxId.of(leaver.objectId())).statusDetail()).contains(BOB);
        assertThat(MailboxStatus.MAILBOX_IDENTITY_CHANGED.stopsSync()).isTrue();
    }

    @Test
    void aLeaverWhoseUpnIsNotGivenAgainIsRefusedAsUnassigned() {
        FakeUser leaver = hire(FakeUser.builder(BOB), "for bob");
        fx.client.mailboxScope().add(connection, MailboxAddress.of(BOB));
        fx.contoso.removeUser(BOB);
        fx.cloud.journal().clear();

        assertThat(refused(() -> graph.users().byUserId(BOB).messages().get()).change())
                .isEqualTo(MailboxIdentityChangedException.Change.UNASSIGNED);
        assertThat(stored(MailboxId.of(leaver.objectId())).status()).isEqualTo(MailboxStatus.MAILBOX_IDENTITY_CHANGED);
        nothingReached(leaver.objectId(), BOB);
    }

    @Test
    void aMovedAliasNeverReachesItsNewOwner() {
        FakeUser team = hire(FakeUser.builder("team@contoso.com").mailboxType(MailboxType.SHARED)
                .alias("help@contoso.com"), "for team");
        FakeUser newTeam = hire(FakeUser.builder("newteam@contoso.com").mailboxType(MailboxType.SHARED), "for new");
        fx.client.mailboxScope().add(connection, MailboxAddress.of("team@contoso.com"));
        assertThat(stored(MailboxId.of(team.objectId())).aliases()).contains(MailboxAddress.of("help@contoso.com"));
        assertThat(graph.users().byUserId("help@contoso.com").mailFolders().get().getValue()).as("pinned to its id")
                .isNotEmpty();

        fx.contoso.moveAlias("help@contoso.com", "newteam@contoso.com");
        fx.cloud.journal().clear();

        refused(() -> graph.users().byUserId("help@contoso.com").mailFolders().get());
        refused(() -> {
            BatchRequestContent batch = new BatchRequestContent(graph);
            batch.addBatchRequestStep(graph.users().byUserId(team.objectId()).messages().toGetRequestInformation());
            batch.addBatchRequestStep(graph.users().byUserId("help@contoso.com").messages().toGetRequestInformation());
            graph.getBatchRequestBuilder().post(batch, null);
        });

        nothingReached(newTeam.objectId(), "help@contoso.com");
        assertThat(stored(MailboxId.of(team.objectId())).status()).isEqualTo(MailboxStatus.MAILBOX_IDENTITY_CHANGED);
        assertThat(graph.users().byUserId(team.objectId()).mailFolders().get().getValue())
                .as("the object id keeps working").isNotEmpty();
    }

    @Test
    void theSyncPathAddressesTheObjectIdAndNeverTheName() {
        FakeUser team = hire(FakeUser.builder("team@contoso.com").mailboxType(MailboxType.SHARED)
                .alias("help@contoso.com"), "for team");
        FakeUser newTeam = hire(FakeUser.builder("newteam@contoso.com").mailboxType(MailboxType.SHARED), "for new");
        fx.client.mailboxScope().add(connection, MailboxAddress.of("help@contoso.com"));
        MailboxRecord record = stored(MailboxId.of(team.objectId()));
        fx.contoso.moveAlias("help@contoso.com", "newteam@contoso.com");
        fx.cloud.journal().clear();

        withMailSource(source -> {
            DeltaPage page = source.fetchDelta(DeltaRequest.initial(new MailboxTarget(connection, fx.contoso.id(),
                    record.mailboxId(), record.address()), FolderRef.INBOX, Instant.EPOCH, 50,
                    MailMessage.DEFAULT_FIELDS));
            assertThat(page.messages()).extracting(MailMessage::subject).containsExactly("for team");
        });

        assertThat(fx.cloud.journal().entries()).filteredOn(e -> e.kind() == JournalEntry.Kind.GRAPH)
                .isNotEmpty().allMatch(e -> e.path().startsWith("/v1.0/users/" + team.objectId() + "/"));
        assertThat(fx.cloud.journal().forMailbox(MailboxId.of(newTeam.objectId()))).isEmpty();
    }

    /** The Graph mail source as OutlookClient wires it: the SDK chain with the connection's guard and the limiter. */
    void withMailSource(Consumer<GraphMailSource> use) {
        CloudEndpoints cloud = CloudEndpoints.of(fx.cloud.loginBaseUrl(), fx.cloud.graphBaseUrl());
        try (MsalTokenProvider tokens = new MsalTokenProvider(fx.cloud.app().clientId(),
                ClientCredentialFactory.createFromSecret(fx.cloud.clientSecret()), cloud, fx.cloud.trustManager(),
                fx.clock, fx.clock);
             GraphHttp http = new GraphHttp(fx.cloud.trustManager(), tokens, fx.clock)) {
            ScopeGuards guards = new ScopeGuards(fx.store, cloud.graphBaseUrl());
            MailboxLimiter limiter = new MailboxLimiter(4, fx.clock, fx.clock);
            use.accept(new GraphMailSource(http, c -> http.client(List.of(guards.forConnection(c, fx.contoso.id()),
                    limiter.interceptor(MailboxLimiter.FenceMode.FAIL_FAST))), cloud.graphBaseUrl()));
        }
    }
}
