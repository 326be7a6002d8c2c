package com.tekst.outlook.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tekst.outlook.Connection;
import com.tekst.outlook.ConnectionPermissions;
import com.tekst.outlook.MailAccess;
import com.tekst.outlook.PermissionProfile;
import com.tekst.outlook.mailbox.AppliedRestriction;
import com.tekst.outlook.mailbox.RestrictionMechanism;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionStatus;
import com.tekst.outlook.ConnectionType;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.TenantId;
import com.tekst.outlook.mailbox.FolderRef;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.mailbox.MailboxType;
import com.tekst.outlook.mailbox.ScopeMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link OutlookStore} contract, run against every implementation (one subclass each). The in-memory store is the
 * reference: every test here passes on it unchanged.
 *
 * <p>Instants in these tests have microsecond precision, the precision JDBC stores keep (see {@link OutlookStore}):
 * with such values every implementation returns exactly what was written.
 */
abstract class OutlookStoreContractTest {
    static final Instant T0 = Instant.parse("2026-11-26T10:15:30.123456Z");
    static final TenantId TENANT = TenantId.of("72f988bf-86f1-41af-91ab-2d7cd011db47");
    static final ConnectionId CONN = ConnectionId.of("conn-1");
    static final ConnectionId OTHER_CONN = ConnectionId.of("conn-2");
    static final MailboxId MBX_A = MailboxId.of("0a6f1a2e-5d7b-4c1e-9f3a-000000000001");
    static final MailboxId MBX_B = MailboxId.of("0a6f1a2e-5d7b-4c1e-9f3a-000000000002");

    /** The store under test, empty at the start of every test. */
    protected OutlookStore store;

    /** An empty store: a new one, or the class's store emptied. */
    protected abstract OutlookStore emptyStore() throws Exception;

    @BeforeEach
    final void startEmpty() throws Exception {
        store = emptyStore();
    }

    // ---- values ----------------------------------------------------------------------------------------------------

    static Instant t(long seconds) {
        return T0.plusSeconds(seconds);
    }

    static Connection pending(ConnectionId id) {
        return Connection.pending(id, ConnectionType.ORGANIZATION_WIDE, T0);
    }

    static Connection connected(ConnectionId id) {
        return new Connection(id, ConnectionType.ORGANIZATION_WIDE, TENANT, ConnectionStatus.CONNECTED, T0,
                t(60).plusNanos(654_321_000), ConnectionPermissions.DEFAULT);
    }

    static ConsentNonce nonce(String digest, ConnectionId connection, Instant expiresAt) {
        return new ConsentNonce(digest, connection, "https://app.example.com/consent/callback?x=1", T0, expiresAt);
    }

    static MailboxRecord mailbox(ConnectionId connection, MailboxId mailboxId, String address, FolderRef... folders) {
        return new MailboxRecord(connection, mailboxId, MailboxAddress.of(address), "Display " + address,
                MailboxType.SHARED, List.of(folders), MailboxStatus.PENDING, null, "", t(5));
    }

    static FolderKey key(ConnectionId connection, MailboxId mailboxId, String folderId) {
        return new FolderKey(connection, mailboxId, folderId);
    }

    static FolderCheckpoint checkpoint(FolderKey key, long version, String deltaLink, String nextLink) {
        return new FolderCheckpoint(key, deltaLink, nextLink, t(version).plusNanos(1_000), null, version,
                t(100 + version));
    }

    static BackfillCursor cursor(FolderKey key, long version, String positionId, BackfillCursor.State state) {
        return new BackfillCursor(key, Instant.EPOCH, T0, position(positionId), version * 10, 1_000, state, version,
                t(200 + version));
    }

    /** A distinct position per id: the bound one second before T0, with that id delivered at it. */
    static BackfillPosition position(String id) {
        return id == null ? BackfillPosition.before(T0) : new BackfillPosition(T0.minusSeconds(1), true, Set.of(id));
    }

    static String link(String kind, int length) {
        StringBuilder sb = new StringBuilder("https://graph.microsoft.com/v1.0/users/" + MBX_A
                + "/mailFolders/inbox/messages/delta?$" + kind + "token=");
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_%&=ü✓";
        for (int i = 0; sb.length() < length; i++) {
            sb.append(alphabet.charAt((i * 31 + 7) % alphabet.length()));
        }
        return sb.toString();
    }

    // ---- connections -----------------------------------------------------------------------------------------------

    @Test
    void pendingConnectionWithoutTenantRoundTrips() {
        Connection pending = Connection.pending(CONN, ConnectionType.PERSONAL, T0);

        store.saveConnection(pending);

        Connection found = store.findConnection(CONN).orElseThrow();
        assertThat(found).isEqualTo(pending);
        assertThat(found.tenant()).isEmpty();
        assertThat(found.connectedAt()).isEmpty();
        assertThat(found.status()).isEqualTo(ConnectionStatus.PENDING_CONSENT);
    }

    @Test
    void connectedConnectionWithTenantRoundTrips() {
        Connection connected = connected(CONN);

        store.saveConnection(connected);

        assertThat(store.findConnection(CONN)).contains(connected);
        assertThat(store.findConnection(CONN).orElseThrow().tenant()).contains(TENANT);
    }

    @Test
    void savingAConnectionAgainReplacesIt() {
        store.saveConnection(pending(CONN));
        Connection connected = pending(CONN).connectedTo(TENANT, t(30));
        Connection degraded = connected.withStatus(ConnectionStatus.DEGRADED);

        store.saveConnection(connected);
        store.saveConnection(degraded);

        assertThat(store.findConnection(CONN)).contains(degraded);
        assertThat(store.listConnections()).containsExactly(degraded);
    }

    @Test
    void unknownConnectionIsEmpty() {
        store.saveConnection(pending(CONN));

        assertThat(store.findConnection(OTHER_CONN)).isEmpty();
    }

    @Test
    void connectionsAreListedById() {
        List<String> ids = new ArrayList<>(List.of("b", "A", "a-1", "0z", "Z.9", "a_2", "a", "B", "10", "9"));
        Collections.shuffle(ids, new java.util.Random(7));
        for (String id : ids) {
            store.saveConnection(pending(ConnectionId.of(id)));
        }

        List<String> listed = store.listConnections().stream().map(c -> c.id().value()).toList();

        // String order (UTF-16 code units), whatever the database's collation: upper case before lower case
        assertThat(listed).containsExactly("0z", "10", "9", "A", "B", "Z.9", "a", "a-1", "a_2", "b");
    }

    @Test
    void noConnectionsListEmpty() {
        assertThat(store.listConnections()).isEmpty();
    }

    @Test
    void deletingAConnectionRemovesItAndEverythingStoredForIt() {
        for (ConnectionId id : List.of(CONN, OTHER_CONN)) {
            store.saveConnection(connected(id));
            store.saveMailbox(mailbox(id, MBX_A, "a@contoso.com", FolderRef.INBOX, new FolderRef("sent", "Sent")));
            store.saveMailbox(mailbox(id, MBX_B, "b@contoso.com", FolderRef.INBOX));
            store.saveConsentNonce(nonce("digest-" + id, id, t(600)));
            assertThat(store.commitCheckpoint(checkpoint(key(id, MBX_A, "inbox"), 1, "d", null), 0)).isTrue();
            assertThat(store.commitCheckpoint(checkpoint(key(id, MBX_B, "inbox"), 1, "d", null), 0)).isTrue();
            assertThat(store.commitBackfillCursor(
                    cursor(key(id, MBX_A, "inbox"), 1, "n", BackfillCursor.State.RUNNING), 0)).isTrue();
        }

        assertThat(store.deleteConnection(CONN)).isTrue();

        assertThat(store.findConnection(CONN)).isEmpty();
        assertThat(store.listMailboxes(CONN)).isEmpty();
        assertThat(store.findMailbox(CONN, MBX_A)).isEmpty();
        assertThat(store.listCheckpoints(CONN, MBX_A)).isEmpty();
        assertThat(store.listCheckpoints(CONN, MBX_B)).isEmpty();
        assertThat(store.findBackfillCursor(key(CONN, MBX_A, "inbox"))).isEmpty();
        assertThat(store.consumeConsentNonce("digest-" + CONN)).isEmpty();
        // the other connection keeps everything
        assertThat(store.listConnections()).extracting(Connection::id).containsExactly(OTHER_CONN);
        assertThat(store.listMailboxes(OTHER_CONN)).hasSize(2);
        assertThat(store.findMailbox(OTHER_CONN, MBX_A).orElseThrow().folders()).hasSize(2);
        assertThat(store.listCheckpoints(OTHER_CONN, MBX_A)).hasSize(1);
        assertThat(store.listCheckpoints(OTHER_CONN, MBX_B)).hasSize(1);
        assertThat(store.findBackfillCursor(key(OTHER_CONN, MBX_A, "inbox"))).isPresent();
        assertThat(store.consumeConsentNonce("digest-" + OTHER_CONN)).isPresent();
        // deleting again: nothing existed
        assertThat(store.deleteConnection(CONN)).isFalse();
    }

    @Test
    void deletingAConnectionRemovesDependantsEvenWhenTheConnectionWasNeverSaved() {
        store.saveMailbox(mailbox(CONN, MBX_A, "a@contoso.com", FolderRef.INBOX));
        store.commitCheckpoint(checkpoint(key(CONN, MBX_A, "inbox"), 1, null, "n"), 0);
        store.saveConsentNonce(nonce("d1", CONN, t(600)));

        assertThat(store.deleteConnection(CONN)).isFalse();

        assertThat(store.findMailbox(CONN, MBX_A)).isEmpty();
        assertThat(store.findCheckpoint(key(CONN, MBX_A, "inbox"))).isEmpty();
        assertThat(store.consumeConsentNonce("d1")).isEmpty();
    }

    // ---- consent nonces --------------------------------------------------------------------------------------------

    @Test
    void nonceIsConsumedOnce() {
        ConsentNonce nonce = nonce("sha256-abc", CONN, t(600));
        store.saveConsentNonce(nonce);

        assertThat(store.consumeConsentNonce("sha256-abc")).contains(nonce);
        assertThat(store.consumeConsentNonce("sha256-abc")).isEmpty();
    }

    @Test
    void unknownNonceIsEmpty() {
        store.saveConsentNonce(nonce("known", CONN, t(600)));

        assertThat(store.consumeConsentNonce("unknown")).isEmpty();
        assertThat(store.consumeConsentNonce("known")).isPresent();
    }

    @Test
    void duplicateNonceDigestIsRefusedAndTheFirstIsKept() {
        ConsentNonce first = nonce("same", CONN, t(600));
        store.saveConsentNonce(first);
        ConsentNonce second = new ConsentNonce("same", OTHER_CONN, "https://other.example.com/cb", t(1), t(900));

        assertThatThrownBy(() -> store.saveConsentNonce(second)).isInstanceOf(IllegalStateException.class);

        assertThat(store.consumeConsentNonce("same")).contains(first);
    }

    @Test
    void expiredNonceIsStillReturnedByConsume() {
        ConsentNonce expired = new ConsentNonce("old", CONN, "https://app.example.com/cb", t(-900), t(-300));
        store.saveConsentNonce(expired);

        assertThat(store.consumeConsentNonce("old")).contains(expired);
    }

    @Test
    void purgeRemovesOnlyNoncesExpiredBeforeNow() {
        Instant now = t(1_000);
        store.saveConsentNonce(nonce("expired-long-ago", CONN, t(10)));
        store.saveConsentNonce(nonce("expired-just-now", CONN, now.minusNanos(1_000)));
        store.saveConsentNonce(nonce("expires-now", CONN, now));
        store.saveConsentNonce(nonce("valid", OTHER_CONN, now.plusSeconds(1)));

        assertThat(store.purgeExpiredConsentNonces(now)).isEqualTo(2);
        assertThat(store.purgeExpiredConsentNonces(now)).isZero();

        assertThat(store.consumeConsentNonce("expired-long-ago")).isEmpty();
        assertThat(store.consumeConsentNonce("expired-just-now")).isEmpty();
        assertThat(store.consumeConsentNonce("expires-now")).isPresent();
        assertThat(store.consumeConsentNonce("valid")).isPresent();
    }

    @Test
    void onlyOneOfConcurrentConsumersGetsTheNonce() throws Exception {
        for (int round = 0; round < 10; round++) {
            String digest = "race-" + round;
            ConsentNonce nonce = nonce(digest, CONN, t(600));
            store.saveConsentNonce(nonce);

            List<Optional<ConsentNonce>> results = Concurrently.run(8, thread -> store.consumeConsentNonce(digest));

            assertThat(results.stream().filter(Optional::isPresent).toList())
                    .as("round %d", round).containsExactly(Optional.of(nonce));
        }
    }

    // ---- mailboxes -------------------------------------------------------------------------------------------------

    @Test
    void connectionStatusIsCompareAndSet() {
        store.saveConnection(connected(CONN));

        assertThat(store.updateConnectionStatus(CONN, ConnectionStatus.CONNECTED, ConnectionStatus.CONSENT_REVOKED))
                .isTrue();
        assertThat(store.updateConnectionStatus(CONN, ConnectionStatus.CONNECTED, ConnectionStatus.DEGRADED))
                .as("stale expectation").isFalse();
        assertThat(store.updateConnectionStatus(OTHER_CONN, ConnectionStatus.CONNECTED, ConnectionStatus.DEGRADED))
                .as("absent connection").isFalse();

        Connection found = store.findConnection(CONN).orElseThrow();
        assertThat(found).isEqualTo(connected(CONN).withStatus(ConnectionStatus.CONSENT_REVOKED));
    }

    @Test
    void connectionStatusNeedingATenantIsRefusedWithoutOne() {
        store.saveConnection(pending(CONN));

        assertThatThrownBy(() -> store.updateConnectionStatus(CONN, ConnectionStatus.PENDING_CONSENT,
                ConnectionStatus.CONNECTED)).isInstanceOf(com.tekst.outlook.InvalidValueException.class);
        assertThat(store.findConnection(CONN).orElseThrow().status()).isEqualTo(ConnectionStatus.PENDING_CONSENT);
    }

    @Test
    void mailboxStatusIsCompareAndSetAndKeepsTheFolders() {
        store.saveMailbox(mailbox(CONN, MBX_A, "shared@contoso.com", FolderRef.INBOX, new FolderRef("archive", "")));

        assertThat(store.updateMailboxStatus(CONN, MBX_A, MailboxStatus.PENDING, MailboxStatus.THROTTLED,
                t(30).plusNanos(1_000), "Retry-After 30 s")).isTrue();
        assertThat(store.updateMailboxStatus(CONN, MBX_A, MailboxStatus.PENDING, MailboxStatus.IDLE, null, ""))
                .as("stale expectation").isFalse();
        assertThat(store.updateMailboxStatus(CONN, MBX_B, MailboxStatus.PENDING, MailboxStatus.IDLE, null, ""))
                .as("absent mailbox").isFalse();

        MailboxRecord found = store.findMailbox(CONN, MBX_A).orElseThrow();
        assertThat(found.status()).isEqualTo(MailboxStatus.THROTTLED);
        assertThat(found.throttledUntil()).contains(t(30).plusNanos(1_000));
        assertThat(found.statusDetail()).isEqualTo("Retry-After 30 s");
        assertThat(found.folders()).containsExactly(FolderRef.INBOX, new FolderRef("archive", ""));

        assertThat(store.updateMailboxStatus(CONN, MBX_A, MailboxStatus.THROTTLED, MailboxStatus.IDLE, null, null))
                .isTrue();
        MailboxRecord idle = store.findMailbox(CONN, MBX_A).orElseThrow();
        assertThat(idle.throttledUntil()).isEmpty();
        assertThat(idle.statusDetail()).isEmpty();
    }

    @Test
    void mailboxWithFoldersInOrderRoundTrips() {
        List<FolderRef> folders = List.of(
                new FolderRef("AAMkAGI2TG93AAA=", "Posteingang/Rechnungen ✓"),
                FolderRef.INBOX,
                new FolderRef("archive", ""),
                new FolderRef("A".repeat(512), "Deep/" + "x".repeat(300)));
        MailboxRecord mailbox = new MailboxRecord(CONN, MBX_A, MailboxAddress.of("Invoices@Contoso.com"),
                "Invoices – Contoso", MailboxType.SHARED, folders, MailboxStatus.THROTTLED, t(90).plusNanos(5_000),
                "Graph throttled the mailbox (Retry-After 30 s)", t(1));

        store.saveMailbox(mailbox);

        MailboxRecord found = store.findMailbox(CONN, MBX_A).orElseThrow();
        assertThat(found).isEqualTo(mailbox);
        assertThat(found.folders()).containsExactlyElementsOf(folders);
        assertThat(found.throttledUntil()).contains(t(90).plusNanos(5_000));
    }

    @Test
    void mailboxWithoutOptionalValuesRoundTrips() {
        MailboxRecord mailbox = new MailboxRecord(CONN, MBX_A, MailboxAddress.of("room@contoso.com"), null,
                MailboxType.ROOM, List.of(FolderRef.INBOX), MailboxStatus.IDLE, null, null, t(1));

        store.saveMailbox(mailbox);

        MailboxRecord found = store.findMailbox(CONN, MBX_A).orElseThrow();
        assertThat(found).isEqualTo(mailbox);
        assertThat(found.throttledUntil()).isEmpty();
        assertThat(found.displayName()).isEmpty();
        assertThat(found.statusDetail()).isEmpty();
    }

    @Test
    void savingAMailboxAgainReplacesItAndItsFolders() {
        List<FolderRef> five = IntStream.range(0, 5).mapToObj(i -> new FolderRef("f" + i, "Folder " + i)).toList();
        store.saveMailbox(mailbox(CONN, MBX_A, "a@contoso.com", five.toArray(FolderRef[]::new)));
        MailboxRecord replaced = mailbox(CONN, MBX_A, "a@contoso.com", new FolderRef("f3", "Renamed"), five.get(0))
                .withStatus(MailboxStatus.ACCESS_DENIED, null, "ErrorAccessDenied");

        store.saveMailbox(replaced);

        assertThat(store.findMailbox(CONN, MBX_A)).contains(replaced);
        assertThat(store.listMailboxes(CONN)).containsExactly(replaced);
    }

    @Test
    void mailboxesAreListedByAddressPerConnection() {
        MailboxRecord zed = mailbox(CONN, MBX_A, "zed@contoso.com", FolderRef.INBOX);
        MailboxRecord alice = mailbox(CONN, MBX_B, "alice@contoso.com", FolderRef.INBOX, new FolderRef("x", "X"));
        MailboxRecord otherConnection = mailbox(OTHER_CONN, MBX_A, "bob@contoso.com", FolderRef.INBOX);
        store.saveMailbox(zed);
        store.saveMailbox(otherConnection);
        store.saveMailbox(alice);

        assertThat(store.listMailboxes(CONN)).containsExactly(alice, zed);
        assertThat(store.listMailboxes(OTHER_CONN)).containsExactly(otherConnection);
        assertThat(store.listMailboxes(ConnectionId.of("none"))).isEmpty();
    }

    @Test
    void unknownMailboxIsEmpty() {
        store.saveMailbox(mailbox(CONN, MBX_A, "a@contoso.com", FolderRef.INBOX));

        assertThat(store.findMailbox(CONN, MBX_B)).isEmpty();
        assertThat(store.findMailbox(OTHER_CONN, MBX_A)).isEmpty();
    }

    @Test
    void removingAMailboxRemovesItsCheckpointsAndCursorsOnly() {
        store.saveMailbox(mailbox(CONN, MBX_A, "a@contoso.com", FolderRef.INBOX, new FolderRef("sent", "Sent")));
        store.saveMailbox(mailbox(CONN, MBX_B, "b@contoso.com", FolderRef.INBOX));
        store.saveMailbox(mailbox(OTHER_CONN, MBX_A, "a@contoso.com", FolderRef.INBOX));
        for (FolderKey key : List.of(key(CONN, MBX_A, "inbox"), key(CONN, MBX_A, "sent"), key(CONN, MBX_B, "inbox"),
                key(OTHER_CONN, MBX_A, "inbox"))) {
            assertThat(store.commitCheckpoint(checkpoint(key, 1, "d", null), 0)).isTrue();
            assertThat(store.commitBackfillCursor(cursor(key, 1, "n", BackfillCursor.State.RUNNING), 0)).isTrue();
        }

        assertThat(store.removeMailbox(CONN, MBX_A)).isTrue();

        assertThat(store.findMailbox(CONN, MBX_A)).isEmpty();
        assertThat(store.listCheckpoints(CONN, MBX_A)).isEmpty();
        assertThat(store.listBackfillCursors(CONN, MBX_A)).isEmpty();
        assertThat(store.findCheckpoint(key(CONN, MBX_A, "sent"))).isEmpty();
        assertThat(store.listMailboxes(CONN)).extracting(MailboxRecord::mailboxId).containsExactly(MBX_B);
        assertThat(store.listCheckpoints(CONN, MBX_B)).hasSize(1);
        assertThat(store.listBackfillCursors(CONN, MBX_B)).hasSize(1);
        assertThat(store.findMailbox(OTHER_CONN, MBX_A)).isPresent();
        assertThat(store.listCheckpoints(OTHER_CONN, MBX_A)).hasSize(1);
        assertThat(store.listBackfillCursors(OTHER_CONN, MBX_A)).hasSize(1);
        assertThat(store.removeMailbox(CONN, MBX_A)).isFalse();
        // a new checkpoint for the removed mailbox starts from version 0 again
        assertThat(store.commitCheckpoint(checkpoint(key(CONN, MBX_A, "inbox"), 1, null, null), 0)).isTrue();
    }

    // ---- mailbox scope: names and mode ------------------------------------------------------------------------------

    static MailboxRecord named(ConnectionId connection, MailboxId mailboxId, String address, String... aliases) {
        return mailbox(connection, mailboxId, address, FolderRef.INBOX)
                .withAliases(java.util.Arrays.stream(aliases).map(MailboxAddress::of).toList());
    }

    @Test
    void mailboxAliasesRoundTripDistinctSortedAndWithoutThePrimaryAddress() {
        MailboxRecord saved = named(CONN, MBX_A, "Support@Contoso.com", "helpdesk@contoso.com",
                "Support@contoso.onmicrosoft.com", "HELPDESK@contoso.com", "support@contoso.com", "o'brien@contoso.com");

        store.saveMailbox(saved);

        MailboxRecord found = store.findMailbox(CONN, MBX_A).orElseThrow();
        assertThat(found).isEqualTo(saved);
        assertThat(found.aliases()).extracting(MailboxAddress::value)
                .containsExactly("helpdesk@contoso.com", "o'brien@contoso.com", "support@contoso.onmicrosoft.com");
        assertThat(store.listMailboxes(CONN)).containsExactly(saved);
    }

    @Test
    void aMailboxIsFoundByObjectIdPrimaryAddressOrAliasInAnyCaseAndOnlyInItsConnection() {
        MailboxRecord a = named(CONN, MBX_A, "support@contoso.com", "helpdesk@contoso.com",
                "support@contoso.onmicrosoft.com");
        MailboxRecord b = named(CONN, MBX_B, "bob@contoso.com", "robert@contoso.com");
        store.saveMailbox(a);
        store.saveMailbox(b);
        store.saveMailbox(named(OTHER_CONN, MBX_A, "support@contoso.com", "other-alias@contoso.com"));

        for (String name : List.of("support@contoso.com", "SUPPORT@Contoso.COM", "helpdesk@contoso.com",
                "Support@Contoso.OnMicrosoft.com", MBX_A.value(), MBX_A.value().toUpperCase(java.util.Locale.ROOT))) {
            assertThat(store.findMailboxesByName(CONN, MailboxAddress.of(name))).as(name).containsExactly(a);
        }
        assertThat(store.findMailboxesByName(CONN, MailboxAddress.of("Robert@contoso.com"))).containsExactly(b);
        assertThat(store.findMailboxesByName(CONN, MailboxAddress.of("other-alias@contoso.com"))).isEmpty();
        assertThat(store.findMailboxesByName(CONN, MailboxAddress.of("nobody@contoso.com"))).isEmpty();
        assertThat(store.findMailboxesByName(CONN, MailboxAddress.of("0a6f1a2e-5d7b-4c1e-9f3a-000000000009")))
                .isEmpty();
        assertThat(store.findMailboxesByName(ConnectionId.of("conn-3"), MailboxAddress.of("support@contoso.com")))
                .isEmpty();
    }

    @Test
    void twoMailboxesAnsweringToOneNameAreBothReturned() {
        store.saveMailbox(named(CONN, MBX_A, "a@contoso.com", "shared-name@contoso.com"));
        store.saveMailbox(named(CONN, MBX_B, "b@contoso.com", "shared-name@contoso.com"));

        assertThat(store.findMailboxesByName(CONN, MailboxAddress.of("shared-name@contoso.com")))
                .extracting(MailboxRecord::mailboxId).containsExactly(MBX_A, MBX_B);
    }

    @Test
    void savingAMailboxAgainReplacesItsNamesAndAStatusUpdateKeepsThem() {
        store.saveMailbox(named(CONN, MBX_A, "old@contoso.com", "old-alias@contoso.com"));
        MailboxRecord renamed = named(CONN, MBX_A, "new@contoso.com", "new-alias@contoso.com");

        store.saveMailbox(renamed);
        assertThat(store.updateMailboxStatus(CONN, MBX_A, MailboxStatus.PENDING, MailboxStatus.IDLE, null, ""))
                .isTrue();

        assertThat(store.findMailboxesByName(CONN, MailboxAddress.of("old@contoso.com"))).isEmpty();
        assertThat(store.findMailboxesByName(CONN, MailboxAddress.of("old-alias@contoso.com"))).isEmpty();
        assertThat(store.findMailboxesByName(CONN, MailboxAddress.of("new-alias@contoso.com")))
                .containsExactly(renamed.withStatus(MailboxStatus.IDLE, null, ""));
        assertThat(store.findMailbox(CONN, MBX_A).orElseThrow().aliases()).extracting(MailboxAddress::value)
                .containsExactly("new-alias@contoso.com");
    }

    @Test
    void removingAMailboxForgetsItsNames() {
        store.saveMailbox(named(CONN, MBX_A, "a@contoso.com", "alias-a@contoso.com"));
        store.saveMailbox(named(OTHER_CONN, MBX_A, "a@contoso.com", "alias-a@contoso.com"));

        assertThat(store.removeMailbox(CONN, MBX_A)).isTrue();

        assertThat(store.findMailboxesByName(CONN, MailboxAddress.of("alias-a@contoso.com"))).isEmpty();
        assertThat(store.findMailboxesByName(CONN, MailboxAddress.of("a@contoso.com"))).isEmpty();
        assertThat(store.findMailboxesByName(CONN, MailboxAddress.of(MBX_A.value()))).isEmpty();
        assertThat(store.findMailboxesByName(OTHER_CONN, MailboxAddress.of("alias-a@contoso.com"))).hasSize(1);
        // saved again without the alias, it does not answer to it
        store.saveMailbox(named(CONN, MBX_A, "a@contoso.com"));
        assertThat(store.findMailboxesByName(CONN, MailboxAddress.of("alias-a@contoso.com"))).isEmpty();
    }

    @Test
    void scopeModeIsRestrictedUntilSavedAndIsPerConnection() {
        assertThat(store.findScopeMode(CONN)).isEqualTo(ScopeMode.RESTRICTED);

        store.saveScopeMode(CONN, ScopeMode.ALL_MAILBOXES);

        assertThat(store.findScopeMode(CONN)).isEqualTo(ScopeMode.ALL_MAILBOXES);
        assertThat(store.findScopeMode(OTHER_CONN)).isEqualTo(ScopeMode.RESTRICTED);
        store.saveScopeMode(CONN, ScopeMode.RESTRICTED);
        assertThat(store.findScopeMode(CONN)).isEqualTo(ScopeMode.RESTRICTED);
    }

    @Test
    void deletingAConnectionForgetsItsScopeModeAndMailboxNames() {
        store.saveConnection(connected(CONN));
        store.saveScopeMode(CONN, ScopeMode.ALL_MAILBOXES);
        store.saveScopeMode(OTHER_CONN, ScopeMode.ALL_MAILBOXES);
        store.saveMailbox(named(CONN, MBX_A, "a@contoso.com", "alias-a@contoso.com"));

        assertThat(store.deleteConnection(CONN)).isTrue();

        assertThat(store.findScopeMode(CONN)).isEqualTo(ScopeMode.RESTRICTED);
        assertThat(store.findScopeMode(OTHER_CONN)).isEqualTo(ScopeMode.ALL_MAILBOXES);
        assertThat(store.findMailboxesByName(CONN, MailboxAddress.of("alias-a@contoso.com"))).isEmpty();
        store.saveMailbox(named(CONN, MBX_A, "a@contoso.com"));
        assertThat(store.findMailboxesByName(CONN, MailboxAddress.of("alias-a@contoso.com"))).isEmpty();
    }

    // ---- checkpoints -----------------------------------------------------------------------------------------------

    @Test
    void checkpointOfAFolderNeverWrittenIsEmpty() {
        assertThat(store.findCheckpoint(key(CONN, MBX_A, "inbox"))).isEmpty();
        assertThat(store.listCheckpoints(CONN, MBX_A)).isEmpty();
    }

    @Test
    void checkpointWritesMoveOneVersionAtATimeAndRoundTripNulls() {
        FolderKey key = key(CONN, MBX_A, "inbox");
        FolderCheckpoint first = new FolderCheckpoint(key, null, "next-1", null, null, 1, t(1));
        FolderCheckpoint second = new FolderCheckpoint(key, null, "next-2", t(2), null, 2, t(2));
        FolderCheckpoint third = new FolderCheckpoint(key, "delta-3", null, t(3), t(3), 3, t(3));
        FolderCheckpoint reset = new FolderCheckpoint(key, null, null, null, Instant.EPOCH, 4, t(4));

        assertThat(store.commitCheckpoint(first, 0)).isTrue();
        assertThat(store.findCheckpoint(key)).contains(first);
        assertThat(store.commitCheckpoint(second, 1)).isTrue();
        assertThat(store.findCheckpoint(key)).contains(second);
        assertThat(store.commitCheckpoint(third, 2)).isTrue();
        assertThat(store.findCheckpoint(key)).contains(third);
        assertThat(store.commitCheckpoint(reset, 3)).isTrue();

        FolderCheckpoint found = store.findCheckpoint(key).orElseThrow();
        assertThat(found).isEqualTo(reset);
        assertThat(found.deltaLink()).isEmpty();
        assertThat(found.nextLink()).isEmpty();
        assertThat(found.lastReceivedAt()).isEmpty();
    }

    @Test
    void staleCheckpointWriteIsRefusedAndChangesNothing() {
        FolderKey key = key(CONN, MBX_A, "inbox");
        store.commitCheckpoint(checkpoint(key, 1, null, "n1"), 0);
        FolderCheckpoint two = checkpoint(key, 2, "d2", null);
        store.commitCheckpoint(two, 1);

        assertThat(store.commitCheckpoint(checkpoint(key, 1, "stale-from-0", null), 0)).isFalse();
        assertThat(store.commitCheckpoint(checkpoint(key, 2, "stale-from-1", null), 1)).isFalse();
        assertThat(store.commitCheckpoint(checkpoint(key, 4, "ahead-from-3", null), 3)).isFalse();

        assertThat(store.findCheckpoint(key)).contains(two);
    }

    @Test
    void checkpointWriteExpectingAVersionOfAFolderNeverWrittenIsRefused() {
        FolderKey key = key(CONN, MBX_A, "inbox");

        assertThat(store.commitCheckpoint(checkpoint(key, 3, "d", null), 2)).isFalse();

        assertThat(store.findCheckpoint(key)).isEmpty();
    }

    @Test
    void checkpointWriteMustMoveTheVersionByOne() {
        FolderKey key = key(CONN, MBX_A, "inbox");

        assertThatThrownBy(() -> store.commitCheckpoint(checkpoint(key, 2, "d", null), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.commitCheckpoint(checkpoint(key, 0, "d", null), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.findCheckpoint(key)).isEmpty();

        store.commitCheckpoint(checkpoint(key, 1, "d1", null), 0);
        assertThatThrownBy(() -> store.commitCheckpoint(checkpoint(key, 1, "d", null), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.commitCheckpoint(checkpoint(key, 0, "d", null), -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.findCheckpoint(key)).contains(checkpoint(key, 1, "d1", null));
    }

    @Test
    void longLinksRoundTrip() {
        FolderKey key = key(CONN, MBX_A, "inbox");
        String delta = link("delta", 10 * 1024);
        String next = link("skip", 12 * 1024);
        FolderCheckpoint checkpoint = new FolderCheckpoint(key, delta, next, t(1), null, 1, t(1));
        Set<String> ids = new java.util.TreeSet<>();
        for (int i = 0; i < 1000; i++) {
            ids.add("AAMkAGI2TG93AAA=" + link("id", 140) + i); // a page of ids at one instant, as long as Graph's
        }
        BackfillCursor cursor = new BackfillCursor(key, Instant.EPOCH, T0, new BackfillPosition(t(0), true, ids), 0,
                -1, BackfillCursor.State.RUNNING, 1, t(1));

        store.commitCheckpoint(checkpoint, 0);
        store.commitBackfillCursor(cursor, 0);

        assertThat(store.findCheckpoint(key).orElseThrow().deltaLink().orElseThrow()).hasSize(10 * 1024).isEqualTo(delta);
        assertThat(store.findCheckpoint(key).orElseThrow().nextLink()).contains(next);
        assertThat(store.findBackfillCursor(key)).contains(cursor);
    }

    @Test
    void instantsAtTheEdgesRoundTrip() {
        FolderKey key = key(CONN, MBX_A, "inbox");
        FolderCheckpoint old = new FolderCheckpoint(key, null, null, Instant.parse("1969-07-20T20:17:40.000001Z"),
                Instant.parse("1601-01-01T00:00:00Z"), 1, Instant.parse("1601-01-01T00:00:00Z"));
        Instant end = Instant.parse("9999-12-31T23:59:59.999999Z");
        BackfillCursor cursor = new BackfillCursor(key, Instant.EPOCH, end, BackfillPosition.before(end), 0, 0,
                BackfillCursor.State.PAUSED, 1, Instant.EPOCH.minusNanos(1_000));

        store.commitCheckpoint(old, 0);
        store.commitBackfillCursor(cursor, 0);

        assertThat(store.findCheckpoint(key)).contains(old);
        assertThat(store.findBackfillCursor(key)).contains(cursor);
    }

    @Test
    void checkpointsAreListedByFolderPerMailbox() {
        List<String> folders = new ArrayList<>(List.of("sent", "Inbox", "archive", "AAMk-2", "AAMk-10", "inbox"));
        Collections.shuffle(folders, new java.util.Random(3));
        for (String folder : folders) {
            store.commitCheckpoint(checkpoint(key(CONN, MBX_A, folder), 1, "d-" + folder, null), 0);
        }
        store.commitCheckpoint(checkpoint(key(CONN, MBX_B, "zzz"), 1, "d", null), 0);
        store.commitCheckpoint(checkpoint(key(OTHER_CONN, MBX_A, "aaa"), 1, "d", null), 0);

        assertThat(store.listCheckpoints(CONN, MBX_A))
                .extracting(c -> c.key().folderId())
                .containsExactly("AAMk-10", "AAMk-2", "Inbox", "archive", "inbox", "sent");
        assertThat(store.listCheckpoints(CONN, MBX_A).get(0))
                .isEqualTo(checkpoint(key(CONN, MBX_A, "AAMk-10"), 1, "d-AAMk-10", null));
        assertThat(store.listCheckpoints(CONN, MBX_B)).hasSize(1);
    }

    @Test
    void exactlyOneOfConcurrentCheckpointWritersWins() throws Exception {
        FolderKey key = key(CONN, MBX_A, "inbox");
        for (long version = 0; version < 5; version++) {
            long expected = version;
            List<Boolean> results = Concurrently.run(8, thread -> store.commitCheckpoint(
                    checkpoint(key, expected + 1, "delta-by-" + thread, null), expected));

            assertThat(results).as("writers from version %d", expected).containsOnlyOnce(true);
            int winner = results.indexOf(true);
            assertThat(store.findCheckpoint(key))
                    .contains(checkpoint(key, expected + 1, "delta-by-" + winner, null));
        }
    }

    @Test
    void concurrentWritersOfDifferentFoldersAllSucceed() throws Exception {
        int threads = 8;
        int writes = 200;

        List<Integer> succeeded = Concurrently.run(threads, thread -> {
            FolderKey key = key(CONN, MBX_A, "folder-" + thread);
            int ok = 0;
            for (long version = 1; version <= writes; version++) {
                if (store.commitCheckpoint(checkpoint(key, version, null, "next-" + version), version - 1)) {
                    ok++;
                }
            }
            return ok;
        });

        assertThat(succeeded).containsOnly(writes);
        assertThat(store.listCheckpoints(CONN, MBX_A)).hasSize(threads)
                .allSatisfy(c -> {
                    assertThat(c.version()).isEqualTo(writes);
                    assertThat(c.nextLink()).contains("next-" + writes);
                });
    }

    // ---- backfill cursors ------------------------------------------------------------------------------------------

    @Test
    void backfillCursorOfAFolderNeverWrittenIsEmpty() {
        assertThat(store.findBackfillCursor(key(CONN, MBX_A, "inbox"))).isEmpty();
        assertThat(store.listBackfillCursors(CONN, MBX_A)).isEmpty();
    }

    @Test
    void backfillCursorRoundTripsThroughEveryState() {
        FolderKey key = key(CONN, MBX_A, "inbox");
        long version = 0;
        for (BackfillCursor.State state : BackfillCursor.State.values()) {
            BackfillPosition position = state.isFinal() ? BackfillPosition.before(T0)
                    : new BackfillPosition(t(-3_600 * (version + 1)), version % 2 == 0, version % 2 == 0
                    ? Set.of("id-" + state, "id-2") : Set.of());
            BackfillCursor cursor = new BackfillCursor(key, t(-86_400), T0, position, version * 7,
                    version == 0 ? -1 : 99, state, version + 1, t(version));

            assertThat(store.commitBackfillCursor(cursor, version)).isTrue();

            assertThat(store.findBackfillCursor(key)).contains(cursor);
            version++;
        }
        assertThat(store.findBackfillCursor(key).orElseThrow().position()).isEqualTo(BackfillPosition.before(T0));
    }

    @Test
    void staleBackfillCursorWriteIsRefusedAndChangesNothing() {
        FolderKey key = key(CONN, MBX_A, "inbox");
        BackfillCursor one = cursor(key, 1, "n1", BackfillCursor.State.RUNNING);
        store.commitBackfillCursor(one, 0);

        assertThat(store.commitBackfillCursor(cursor(key, 1, "again", BackfillCursor.State.PAUSED), 0)).isFalse();
        assertThat(store.commitBackfillCursor(cursor(key, 3, "ahead", BackfillCursor.State.PAUSED), 2)).isFalse();
        assertThat(store.commitBackfillCursor(cursor(key(CONN, MBX_A, "other"), 2, "x",
                BackfillCursor.State.RUNNING), 1)).isFalse();

        assertThat(store.findBackfillCursor(key)).contains(one);
        assertThat(store.findBackfillCursor(key(CONN, MBX_A, "other"))).isEmpty();
    }

    @Test
    void backfillCursorWriteMustMoveTheVersionByOne() {
        FolderKey key = key(CONN, MBX_A, "inbox");

        assertThatThrownBy(() -> store.commitBackfillCursor(cursor(key, 2, "n", BackfillCursor.State.RUNNING), 0))
                .isInstanceOf(IllegalArgumentException.class);
        store.commitBackfillCursor(cursor(key, 1, "n1", BackfillCursor.State.RUNNING), 0);
        assertThatThrownBy(() -> store.commitBackfillCursor(cursor(key, 1, "n", BackfillCursor.State.RUNNING), 1))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(store.findBackfillCursor(key)).contains(cursor(key, 1, "n1", BackfillCursor.State.RUNNING));
    }

    @Test
    void backfillCursorsAreListedByFolderPerMailbox() {
        for (String folder : List.of("sent", "archive", "Inbox")) {
            store.commitBackfillCursor(cursor(key(CONN, MBX_A, folder), 1, "n-" + folder,
                    BackfillCursor.State.RUNNING), 0);
        }
        store.commitBackfillCursor(cursor(key(CONN, MBX_B, "aaa"), 1, null, BackfillCursor.State.COMPLETE), 0);

        assertThat(store.listBackfillCursors(CONN, MBX_A))
                .extracting(c -> c.key().folderId())
                .containsExactly("Inbox", "archive", "sent");
        assertThat(store.listBackfillCursors(CONN, MBX_B))
                .containsExactly(cursor(key(CONN, MBX_B, "aaa"), 1, null, BackfillCursor.State.COMPLETE));
    }

    @Test
    void exactlyOneOfConcurrentBackfillCursorWritersWins() throws Exception {
        FolderKey key = key(CONN, MBX_A, "inbox");
        for (long version = 0; version < 5; version++) {
            long expected = version;
            List<Boolean> results = Concurrently.run(8, thread -> store.commitBackfillCursor(
                    cursor(key, expected + 1, "next-by-" + thread, BackfillCursor.State.RUNNING), expected));

            assertThat(results).as("writers from version %d", expected).containsOnlyOnce(true);
            assertThat(store.findBackfillCursor(key).orElseThrow().position())
                    .isEqualTo(position("next-by-" + results.indexOf(true)));
        }
    }

    @Test
    void concurrentBackfillCursorWritersOfDifferentFoldersAllSucceed() throws Exception {
        List<Integer> succeeded = Concurrently.run(8, thread -> {
            FolderKey key = key(CONN, MBX_B, "folder-" + thread);
            int ok = 0;
            for (long version = 1; version <= 50; version++) {
                if (store.commitBackfillCursor(cursor(key, version, "n" + version, BackfillCursor.State.RUNNING),
                        version - 1)) {
                    ok++;
                }
            }
            return ok;
        });

        assertThat(succeeded).containsOnly(50);
        assertThat(store.listBackfillCursors(CONN, MBX_B).stream().map(BackfillCursor::version)
                .collect(Collectors.toSet())).containsExactly(50L);
    }

    @Test
    void readsRunWhileOthersWrite() throws Exception {
        FolderKey key = key(CONN, MBX_A, "inbox");
        store.commitCheckpoint(checkpoint(key, 1, "d", null), 0);

        List<Long> seen = Concurrently.run(4, thread -> {
            long last = 0;
            for (int i = 0; i < 50; i++) {
                if (thread == 0) {
                    FolderCheckpoint current = store.findCheckpoint(key).orElseThrow();
                    assertThat(store.commitCheckpoint(checkpoint(key, current.version() + 1, "d", null),
                            current.version())).isTrue();
                    last = current.version() + 1;
                } else {
                    long version = store.findCheckpoint(key).orElseThrow().version();
                    assertThat(version).isGreaterThanOrEqualTo(last);
                    last = version;
                }
            }
            return last;
        });

        assertThat(store.findCheckpoint(key).orElseThrow().version()).isEqualTo(51);
        assertThat(seen.get(0)).isEqualTo(51);
        assertThat(seen).allSatisfy(v -> assertThat(v).isBetween(1L, 51L));
    }

    // ---- synced messages -------------------------------------------------------------------------------------------

    @Test
    void connectionPermissionsRoundTripForEveryProfileAndAccess() {
        for (PermissionProfile profile : PermissionProfile.values()) {
            for (MailAccess access : MailAccess.values()) {
                Connection c = pending(CONN).withPermissions(new ConnectionPermissions(profile, access))
                        .connectedTo(TENANT, t(5));
                store.saveConnection(c);
                assertThat(store.findConnection(CONN)).contains(c);
                assertThat(store.findConnection(CONN).orElseThrow().permissions().profile()).isEqualTo(profile);
            }
        }
        assertThat(store.updateConnectionStatus(CONN, ConnectionStatus.CONNECTED, ConnectionStatus.DEGRADED)).isTrue();
        assertThat(store.findConnection(CONN).orElseThrow().permissions())
                .isEqualTo(ConnectionPermissions.exchangeRbac(PermissionProfile.PROCESS_AND_FORWARD));
    }

    @Test
    void theAppliedRestrictionIsPerConnectionReplacedAndGoesWithItsConnection() {
        store.saveConnection(connected(CONN));
        store.saveConnection(connected(OTHER_CONN));
        assertThat(store.findAppliedRestriction(CONN)).isEmpty();
        AppliedRestriction first = new AppliedRestriction(RestrictionMechanism.APPLICATION_ACCESS_POLICY, t(10));
        AppliedRestriction second = new AppliedRestriction(RestrictionMechanism.RBAC_FOR_APPLICATIONS, t(20));
        store.saveAppliedRestriction(CONN, first);
        store.saveAppliedRestriction(OTHER_CONN, first);
        store.saveAppliedRestriction(CONN, second);
        assertThat(store.findAppliedRestriction(CONN)).contains(second);
        assertThat(store.findAppliedRestriction(OTHER_CONN)).contains(first);
        store.deleteConnection(CONN);
        assertThat(store.findAppliedRestriction(CONN)).isEmpty();
        assertThat(store.findAppliedRestriction(OTHER_CONN)).contains(first);
    }

    @Test
    void folderEventsAreCountedPerFolderAndKindSinceATimeAndPrunedAfterSevenDays() {
        FolderKey inbox = new FolderKey(CONN, MBX_A, "inbox");
        FolderKey other = new FolderKey(CONN, MBX_A, "archive");
        store.recordFolderEvent(inbox, FolderEvent.DELTA_RESET, t(0));
        store.recordFolderEvent(inbox, FolderEvent.DELTA_RESET, t(100));
        store.recordFolderEvent(inbox, FolderEvent.SINK_FAILURE, t(100));
        store.recordFolderEvent(other, FolderEvent.DELTA_RESET, t(100));
        assertThat(store.countFolderEvents(inbox, FolderEvent.DELTA_RESET, t(0))).isEqualTo(2);
        assertThat(store.countFolderEvents(inbox, FolderEvent.DELTA_RESET, t(1))).isEqualTo(1);
        assertThat(store.countFolderEvents(inbox, FolderEvent.SINK_FAILURE, t(0))).isEqualTo(1);
        assertThat(store.countFolderEvents(other, FolderEvent.SINK_FAILURE, t(0))).isZero();

        // eight days later: the events of day 0 are pruned when the folder records a new one
        Instant later = t(0).plus(java.time.Duration.ofDays(8));
        store.recordFolderEvent(inbox, FolderEvent.SINK_FAILURE, later);
        assertThat(store.countFolderEvents(inbox, FolderEvent.DELTA_RESET, Instant.EPOCH)).isZero();
        assertThat(store.countFolderEvents(inbox, FolderEvent.SINK_FAILURE, Instant.EPOCH)).isEqualTo(1);
        assertThat(store.countFolderEvents(other, FolderEvent.DELTA_RESET, Instant.EPOCH)).isEqualTo(1);

        store.removeMailbox(CONN, MBX_A);
        assertThat(store.countFolderEvents(other, FolderEvent.DELTA_RESET, Instant.EPOCH)).isZero();
    }

    @Test
    void syncedMessagesAreWrittenWithTheirCheckpointOrNotAtAll() {
        FolderKey key = key(CONN, MBX_A, "inbox");
        FolderKey other = key(CONN, MBX_A, "archive");
        SyncedChanges page = new SyncedChanges(List.of(new SyncedMessage("m1", t(1)), new SyncedMessage("m2", t(2)),
                new SyncedMessage("m3", t(3))), List.of());

        assertThat(store.commitCheckpoint(checkpoint(key, 1, null, "next-1"), 0, page)).isTrue();
        assertThat(store.commitCheckpoint(checkpoint(key, 1, null, "next-x"), 0,
                new SyncedChanges(List.of(new SyncedMessage("lost", t(4))), List.of()))).as("stale").isFalse();

        assertThat(store.listSyncedMessages(key, t(0), t(10))).extracting(SyncedMessage::id)
                .containsExactly("m3", "m2", "m1");
        assertThat(store.countSyncedMessages(key)).isEqualTo(3);
        assertThat(store.countSyncedMessages(other)).isZero();

        // removals and re-delivery with a new receivedDateTime in one write; bounds are inclusive
        assertThat(store.commitCheckpoint(checkpoint(key, 2, null, "next-2"), 1,
                new SyncedChanges(List.of(new SyncedMessage("m1", t(5))), List.of("m2", "never-synced")))).isTrue();
        assertThat(store.listSyncedMessages(key, t(3), t(5))).containsExactly(new SyncedMessage("m1", t(5)),
                new SyncedMessage("m3", t(3)));
        assertThat(store.listSyncedMessages(key, t(4), t(4))).isEmpty();
    }

    @Test
    void syncedMessagesComeWithBackfillCursorsAndGoWithTheirMailbox() {
        FolderKey a = key(CONN, MBX_A, "inbox");
        FolderKey b = key(CONN, MBX_B, "inbox");
        SyncedChanges one = new SyncedChanges(List.of(new SyncedMessage("x", t(1))), List.of());

        assertThat(store.commitBackfillCursor(cursor(a, 1, "p1", BackfillCursor.State.RUNNING), 0, one)).isTrue();
        assertThat(store.commitBackfillCursor(cursor(a, 1, "p2", BackfillCursor.State.RUNNING), 0,
                new SyncedChanges(List.of(new SyncedMessage("y", t(2))), List.of()))).isFalse();
        assertThat(store.commitBackfillCursor(cursor(b, 1, "p1", BackfillCursor.State.RUNNING), 0, one)).isTrue();
        assertThat(store.listSyncedMessages(a, Instant.EPOCH, t(10))).containsExactly(new SyncedMessage("x", t(1)));

        store.removeMailbox(CONN, MBX_A);
        assertThat(store.countSyncedMessages(a)).isZero();
        assertThat(store.countSyncedMessages(b)).isEqualTo(1);
        store.deleteConnection(CONN);
        assertThat(store.countSyncedMessages(b)).isZero();
    }

    @Test
    void aThousandSyncedMessagesInOneWrite() {
        FolderKey key = key(CONN, MBX_A, "inbox");
        List<SyncedMessage> added = IntStream.range(0, 1000)
                .mapToObj(i -> new SyncedMessage("AAMkAGI2" + link("id", 140).hashCode() + "-" + i, t(i % 50)))
                .toList();

        assertThat(store.commitCheckpoint(checkpoint(key, 1, null, "n"), 0, new SyncedChanges(added, List.of())))
                .isTrue();

        assertThat(store.countSyncedMessages(key)).isEqualTo(1000);
        assertThat(store.listSyncedMessages(key, t(49), t(49))).hasSize(20);
    }
}
