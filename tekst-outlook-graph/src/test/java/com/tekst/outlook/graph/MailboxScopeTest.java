package com.tekst.outlook.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.MailboxAccessException;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.OutlookClientException;
import com.tekst.outlook.FolderNotFoundException;
import com.tekst.outlook.mailbox.FolderRef;
import com.tekst.outlook.mailbox.FolderSelection;
import com.tekst.outlook.mailbox.MailboxScope;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.mailbox.MailboxType;
import com.tekst.outlook.mailbox.ScopeMode;
import com.tekst.outlook.mailbox.ScopedMailbox;
import com.tekst.outlook.store.MailboxRecord;
import com.tekst.outlook.testkit.FakeMailbox;
import com.tekst.outlook.testkit.FakeTenant;
import com.tekst.outlook.testkit.FakeUser;
import com.tekst.outlook.testkit.JournalAssertions;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Acceptance, the connection's mailboxes: add (resolved through Graph, with every name it answers to, its
 * type and folders), idempotent, typed failures that add nothing, folders by id and nested path, remove, the mode.
 */
class MailboxScopeTest {
    static ScopeTenantFixture fx;
    static MailboxScope scope;
    ConnectionId connection;

    @BeforeAll
    static void start() {
        fx = new ScopeTenantFixture();
        scope = fx.client.mailboxScope();
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @BeforeEach
    void connect() {
        connection = fx.connect(fx.contoso);
        fx.cloud.journal().clear();
    }

    @AfterEach
    void unrestrict() {
        fx.contoso.restrict(fx.cloud.app(), FakeTenant.RestrictionMechanism.NONE);
    }

    @Test
    void aMailboxAddedByAliasIsStoredUnderItsObjectIdWithEveryNameItsTypeAndTheInbox() {
        FakeUser alice = fx.user(ScopeTenantFixture.ALICE_UPN);

        ScopedMailbox added = scope.add(connection, MailboxAddress.of("A.Smith@contoso.com"));

        assertThat(added.mailboxId()).isEqualTo(MailboxId.of(alice.objectId()));
        assertThat(added.address()).isEqualTo(MailboxAddress.of(ScopeTenantFixture.ALICE_MAIL));
        assertThat(added.aliases()).extracting(MailboxAddress::value).containsExactly("a.smith@contoso.com",
                "alice@contoso.com", "alice@contoso.onmicrosoft.com");
        assertThat(added.type()).isEqualTo(MailboxType.USER);
        assertThat(added.folders()).containsExactly(FolderRef.INBOX);
        assertThat(added.status()).isEqualTo(MailboxStatus.PENDING);
        assertThat(added.addedAt()).isEqualTo(fx.clock.instant());
        MailboxRecord stored = fx.store.findMailbox(connection, MailboxId.of(alice.objectId())).orElseThrow();
        assertThat(stored.aliases()).isEqualTo(added.aliases());
        assertThat(fx.store.findMailboxesByName(connection, MailboxAddress.of("ALICE@contoso.com"))).hasSize(1);
        assertThat(scope.list(connection)).containsExactly(added);
        JournalAssertions.assertThat(fx.cloud.journal()).onlyMailboxes(MailboxId.of(alice.objectId()))
                .everyGraphRequestHasClientRequestId();
        assertThat(fx.cloud.journal().entries(e -> e.path().contains("/messages"))).isEmpty();
    }

    @Test
    void addingTwiceUnderAnyNameIsIdempotentAndNeedsNoRequest() {
        FakeMailbox shared = fx.ofType(MailboxType.SHARED).get(1);
        ScopedMailbox first = scope.add(connection, MailboxAddress.of(shared.address()));
        fx.cloud.journal().clear();

        ScopedMailbox byId = scope.add(connection, MailboxAddress.of(shared.objectId().value().toUpperCase(Locale.ROOT)));
        ScopedMailbox byAddress = scope.add(connection, MailboxAddress.of(shared.address().toUpperCase(Locale.ROOT)),
                List.of(FolderSelection.byPath("Inbox/Receipts")));

        assertThat(byId).isEqualTo(first);
        assertThat(byAddress).isEqualTo(first).extracting(ScopedMailbox::folders).isEqualTo(List.of(FolderRef.INBOX));
        assertThat(scope.list(connection)).hasSize(1);
        assertThat(fx.cloud.journal().entries()).isEmpty();
    }

    @Test
    void aRoomAndASharedMailboxKeepTheirTypes() {
        FakeMailbox room = fx.ofType(MailboxType.ROOM).get(0);
        FakeMailbox shared = fx.ofType(MailboxType.SHARED).get(0);

        scope.add(connection, MailboxAddress.of(room.address()));
        scope.add(connection, MailboxAddress.of(shared.objectId().value()));

        assertThat(scope.list(connection)).extracting(ScopedMailbox::address, ScopedMailbox::type)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(MailboxAddress.of(room.address()), MailboxType.ROOM),
                        org.assertj.core.groups.Tuple.tuple(MailboxAddress.of(shared.address()), MailboxType.SHARED));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nobody@contoso.com", "unlicensed@contoso.com", "onprem@contoso.com"})
    void aMailboxThatIsNotThereOrNotEnabledFailsTypedAndAddsNothing(String name) {
        MailboxAccessException e = catchThrowableOfType(MailboxAccessException.class,
                () -> scope.add(connection, MailboxAddress.of(name)));

        assertThat(e.reason()).isIn(MailboxAccessException.Reason.NOT_FOUND, MailboxAccessException.Reason.NOT_ENABLED);
        assertThat(e.reason()).isEqualTo(name.startsWith("nobody") ? MailboxAccessException.Reason.NOT_FOUND
                : MailboxAccessException.Reason.NOT_ENABLED);
        assertThat(scope.list(connection)).isEmpty();
        assertThat(fx.store.listMailboxes(connection)).isEmpty();
    }

    @Test
    void aMailboxDeniedByTheTenantFailsTypedAndAddsNothing() {
        fx.contoso.restrict(fx.cloud.app(), FakeTenant.RestrictionMechanism.APPLICATION_ACCESS_POLICY);

        MailboxAccessException e = catchThrowableOfType(MailboxAccessException.class,
                () -> scope.add(connection, MailboxAddress.of(ScopeTenantFixture.ALICE_MAIL)));

        assertThat(e.reason()).isEqualTo(MailboxAccessException.Reason.ACCESS_DENIED);
        assertThat(e.denial()).contains(MailboxAccessException.Denial.TENANT_POLICY);
        assertThat(scope.list(connection)).isEmpty();
    }

    @Test
    void foldersAreChosenByNestedPathOrByIdAndResolvedToIdsAndPaths() {
        FakeMailbox box = fx.ofType(MailboxType.USER).get(3);

        ScopedMailbox added = scope.add(connection, MailboxAddress.of(box.address()), List.of(
                FolderSelection.byPath("inbox/projects/ARCHIVE 2025"),
                FolderSelection.byId(box.folder("Inbox/Receipts").id()),
                FolderSelection.byPath("Sent Items"),
                FolderSelection.byPath("Inbox"),
                FolderSelection.byId("INBOX")));

        assertThat(added.folders()).containsExactly(
                new FolderRef(box.folder("Inbox/Projects/Archive 2025").id(), "Inbox/Projects/Archive 2025"),
                new FolderRef(box.folder("Inbox/Receipts").id(), "Inbox/Receipts"),
                new FolderRef("sentitems", "Sent Items"),
                FolderRef.INBOX);
        JournalAssertions.assertThat(fx.cloud.journal()).onlyMailboxes(box.objectId());
        assertThat(fx.cloud.journal().entries(e -> e.path().contains("/messages"))).isEmpty();
    }

    @Test
    void aFolderThatDoesNotExistFailsTypedAndAddsNothing() {
        FakeMailbox box = fx.ofType(MailboxType.USER).get(4);

        for (FolderSelection missing : List.of(FolderSelection.byPath("Inbox/Invoices/2026"),
                FolderSelection.byPath("No such top folder"),
                FolderSelection.byId("AAMkAGI2TG93AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="),
                FolderSelection.byId("not an id ? # '"))) {
            FolderNotFoundException e = catchThrowableOfType(FolderNotFoundException.class,
                    () -> scope.add(connection, MailboxAddress.of(box.address()),
                            List.of(FolderSelection.inbox(), missing)));
            assertThat(e.folder()).isEqualTo(missing);
            assertThat(e.details().mailbox()).contains(MailboxAddress.of(box.address()));
        }
        assertThat(scope.list(connection)).isEmpty();
    }

    @Test
    void foldersOfAMailboxInTheScopeAreReplacedAndItsStatusKept() {
        FakeMailbox box = fx.ofType(MailboxType.SHARED).get(2);
        scope.add(connection, MailboxAddress.of(box.address()));
        fx.store.updateMailboxStatus(connection, box.objectId(), MailboxStatus.PENDING, MailboxStatus.IDLE, null, "");

        ScopedMailbox updated = scope.setFolders(connection, MailboxAddress.of(box.objectId().value()),
                List.of(FolderSelection.inbox(), FolderSelection.byPath("Inbox/Projects")));

        assertThat(updated.folders()).containsExactly(FolderRef.INBOX,
                new FolderRef(box.folder("Inbox/Projects").id(), "Inbox/Projects"));
        assertThat(updated.status()).isEqualTo(MailboxStatus.IDLE);
        assertThat(scope.find(connection, MailboxAddress.of(box.address()))).contains(updated);
        assertThatThrownBy(() -> scope.setFolders(connection, MailboxAddress.of(box.address()),
                List.of(FolderSelection.byPath("Inbox/Nope")))).isInstanceOf(FolderNotFoundException.class);
        assertThat(scope.find(connection, MailboxAddress.of(box.address()))).contains(updated);
        assertThatThrownBy(() -> scope.setFolders(connection, MailboxAddress.of("nobody@contoso.com"),
                List.of(FolderSelection.inbox()))).isInstanceOf(OutlookClientException.class);
    }

    @Test
    void removingByAnyNameRemovesTheMailbox() {
        FakeUser alice = fx.user(ScopeTenantFixture.ALICE_UPN);
        scope.add(connection, MailboxAddress.of(ScopeTenantFixture.ALICE_UPN));

        assertThat(scope.remove(connection, MailboxAddress.of("alice@contoso.com"))).isTrue();

        assertThat(scope.list(connection)).isEmpty();
        assertThat(fx.store.findMailbox(connection, MailboxId.of(alice.objectId()))).isEmpty();
        assertThat(scope.remove(connection, MailboxAddress.of(alice.objectId()))).isFalse();
    }

    @Test
    void theModeIsRestrictedUntilAllMailboxesIsChosen() {
        assertThat(scope.mode(connection)).isEqualTo(ScopeMode.RESTRICTED);

        scope.setMode(connection, ScopeMode.ALL_MAILBOXES);

        assertThat(scope.mode(connection)).isEqualTo(ScopeMode.ALL_MAILBOXES);
        assertThat(fx.store.findScopeMode(connection)).isEqualTo(ScopeMode.ALL_MAILBOXES);
        scope.setMode(connection, ScopeMode.RESTRICTED);
        assertThat(scope.mode(connection)).isEqualTo(ScopeMode.RESTRICTED);
    }

    @Test
    void anUnknownOrUnverifiedConnectionHasNoScope() {
        ConnectionId pending = ConnectionId.of("pending-scope");
        fx.store.saveConnection(com.tekst.outlook.Connection.pending(pending,
                com.tekst.outlook.ConnectionType.ORGANIZATION_WIDE, fx.clock.instant()));
        ConnectionId personal = ConnectionId.of("personal-scope");
        fx.store.saveConnection(com.tekst.outlook.Connection.pending(personal,
                com.tekst.outlook.ConnectionType.PERSONAL, fx.clock.instant()).connectedTo(fx.contoso.id(),
                fx.clock.instant()));

        for (ConnectionId c : List.of(pending, personal, ConnectionId.of("never-started"))) {
            assertThatThrownBy(() -> scope.add(c, MailboxAddress.of(ScopeTenantFixture.ALICE_MAIL)))
                    .isInstanceOf(OutlookClientException.class);
            assertThatThrownBy(() -> scope.setMode(c, ScopeMode.ALL_MAILBOXES))
                    .isInstanceOf(OutlookClientException.class);
        }
        assertThat(fx.cloud.journal().entries()).isEmpty();
    }
}
