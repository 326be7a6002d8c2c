package com.tekst.outlook.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.InvalidValueException;
import com.tekst.outlook.MailboxAccessException;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.mailbox.MailboxCandidate;
import com.tekst.outlook.mailbox.MailboxDirectory;
import com.tekst.outlook.mailbox.MailboxSearch;
import com.tekst.outlook.mailbox.MailboxSearchPage;
import com.tekst.outlook.mailbox.MailboxType;
import com.tekst.outlook.mailbox.ResolvedMailbox;
import com.tekst.outlook.testkit.FakeMailbox;
import com.tekst.outlook.testkit.FakeTenant;
import com.tekst.outlook.testkit.FakeUser;
import com.tekst.outlook.testkit.JournalEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Acceptance, discovery: search by prefix over display name, mail and UPN, paged, with every mailbox type
 * from {@code userPurpose} read in {@code $batch}es of at most 20; resolution by address, alias, UPN and object id in
 * any case; each typed failure.
 */
class MailboxDiscoveryTest {
    static ScopeTenantFixture fx;
    static MailboxDirectory directory;
    ConnectionId connection;

    @BeforeAll
    static void start() {
        fx = new ScopeTenantFixture();
        directory = fx.client.mailboxDirectory();
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

    static List<MailboxCandidate> all(ConnectionId connection, MailboxSearch search, List<Integer> pageSizes) {
        List<MailboxCandidate> out = new ArrayList<>();
        MailboxSearchPage page = directory.search(connection, search);
        while (true) {
            pageSizes.add(page.mailboxes().size());
            out.addAll(page.mailboxes());
            if (page.next().isEmpty()) {
                return out;
            }
            page = directory.search(connection, search.after(page.next().get()));
        }
    }

    static boolean startsWith(String value, String prefix) {
        return value != null && value.toLowerCase(Locale.ROOT).startsWith(prefix.toLowerCase(Locale.ROOT));
    }

    // ---- search ----------------------------------------------------------------------------------------------------

    @Test
    void theTenantHasTheAcceptanceShape() {
        assertThat(fx.ofType(MailboxType.USER)).hasSize(40);
        assertThat(fx.ofType(MailboxType.SHARED)).hasSize(5);
        assertThat(fx.ofType(MailboxType.ROOM)).hasSize(2);
        assertThat(fx.contoso.users().stream().filter(u -> !u.hasMailbox())).hasSize(3);
    }

    @Test
    void everyAccountIsListedOnceAcrossPagesWithItsTypeAndAvailability() {
        List<Integer> pageSizes = new ArrayList<>();

        List<MailboxCandidate> found = all(connection, MailboxSearch.all().withPageSize(7), pageSizes);

        List<FakeUser> users = fx.contoso.users();
        assertThat(found).extracting(MailboxCandidate::mailboxId)
                .containsExactlyElementsOf(users.stream().map(u -> MailboxId.of(u.objectId())).toList());
        assertThat(pageSizes).hasSize((users.size() + 6) / 7).allMatch(n -> n <= 7);
        Map<String, FakeUser> byId = users.stream().collect(Collectors.toMap(FakeUser::objectId, u -> u));
        for (MailboxCandidate c : found) {
            FakeUser u = byId.get(c.mailboxId().value());
            assertThat(c.displayName()).isEqualTo(u.displayName());
            assertThat(c.userPrincipalName()).isEqualTo(u.userPrincipalName());
            if (u.hasMailbox()) {
                assertThat(c.type()).as(u.userPrincipalName()).isEqualTo(u.mailboxType().orElseThrow());
                assertThat(c.availability()).isEqualTo(MailboxCandidate.Availability.AVAILABLE);
                assertThat(c.address()).map(MailboxAddress::value).contains(u.mail().orElseThrow().toLowerCase(Locale.ROOT));
                assertThat(c.isSelectable()).isTrue();
            } else {
                assertThat(c.availability()).as(u.userPrincipalName())
                        .isEqualTo(MailboxCandidate.Availability.NO_EXCHANGE_MAILBOX);
                assertThat(c.type()).isEqualTo(MailboxType.UNKNOWN);
                assertThat(c.isSelectable()).isFalse();
            }
        }
        Map<MailboxType, Long> types = found.stream().filter(c -> c.availability()
                == MailboxCandidate.Availability.AVAILABLE).collect(Collectors.groupingBy(MailboxCandidate::type,
                Collectors.counting()));
        assertThat(types).containsOnly(Map.entry(MailboxType.USER, 40L), Map.entry(MailboxType.SHARED, 5L),
                Map.entry(MailboxType.ROOM, 2L));
    }

    @Test
    void typesAreReadInBatchesOfAtMostTwentyAndNothingElseOfAMailboxIsRead() {
        directory.search(connection, MailboxSearch.all().withPageSize(50));

        List<JournalEntry> inner = fx.cloud.journal().entries(e -> e.batchId().isPresent());
        Map<String, Long> perBatch = inner.stream().collect(Collectors.groupingBy(e -> e.batchId().orElseThrow(),
                Collectors.counting()));
        assertThat(inner).hasSize(50);
        assertThat(perBatch.values()).containsExactlyInAnyOrder(20L, 20L, 10L);
        assertThat(inner).allSatisfy(e -> assertThat(e.path()).endsWith("/mailboxSettings/userPurpose"));
        assertThat(fx.cloud.journal().entries(e -> e.mailbox().isPresent() && e.batchId().isEmpty())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sup", "SUP", "Room", "alice", "Alice Sm", "a.smith", "unlic", "guest_", "x-nobody"})
    void aPrefixMatchesDisplayNameMailOrUserPrincipalName(String prefix) {
        List<MailboxCandidate> found = all(connection, MailboxSearch.prefix(prefix).withPageSize(10),
                new ArrayList<>());

        List<MailboxId> expected = fx.contoso.users().stream()
                .filter(u -> startsWith(u.displayName(), prefix) || startsWith(u.mail().orElse(null), prefix)
                        || startsWith(u.userPrincipalName(), prefix))
                .map(u -> MailboxId.of(u.objectId())).toList();
        assertThat(found).extracting(MailboxCandidate::mailboxId).containsExactlyElementsOf(expected);
    }

    @Test
    void aPrefixWithQuotesAndUrlCharactersIsJustText() {
        for (String prefix : List.of("o'brien", "a&$top=1", "x#y", "%2F..", "ü✓", "') or startswith(mail,'")) {
            MailboxSearchPage page = directory.search(connection, MailboxSearch.prefix(prefix));
            assertThat(page.mailboxes()).as(prefix).isEmpty();
        }
        List<JournalEntry> users = fx.cloud.journal().entries(e -> e.path().endsWith("/v1.0/users"));
        assertThat(users).allSatisfy(e -> assertThat(e.status()).isEqualTo(200));
    }

    @Test
    void roomsAndSharedMailboxesAreTypedAndAGuestHasNoAddress() {
        Map<String, MailboxCandidate> byUpn = new HashMap<>();
        for (MailboxCandidate c : all(connection, MailboxSearch.all().withPageSize(100), new ArrayList<>())) {
            byUpn.put(c.userPrincipalName(), c);
        }

        assertThat(byUpn.get("room.berlin@contoso.com").type()).isEqualTo(MailboxType.ROOM);
        for (FakeMailbox shared : fx.ofType(MailboxType.SHARED)) {
            assertThat(byUpn.get(shared.owner().userPrincipalName()).type()).isEqualTo(MailboxType.SHARED);
        }
        MailboxCandidate guest = byUpn.get("guest_fabrikam.com#EXT#@contoso.onmicrosoft.com");
        assertThat(guest.address()).isEmpty();
        assertThat(guest.availability()).isEqualTo(MailboxCandidate.Availability.NO_EXCHANGE_MAILBOX);
    }

    @Test
    void withAnApplicationAccessPolicyOnlyTheGroupsTypesAreReadable() {
        FakeMailbox member = fx.ofType(MailboxType.SHARED).get(0);
        fx.contoso.restrict(fx.cloud.app(), FakeTenant.RestrictionMechanism.APPLICATION_ACCESS_POLICY);
        fx.contoso.addToRestrictionGroup(fx.cloud.app(), member.objectId().value());
        try {
            List<MailboxCandidate> found = all(connection, MailboxSearch.all().withPageSize(100), new ArrayList<>());

            assertThat(found).filteredOn(c -> c.mailboxId().equals(member.objectId())).singleElement()
                    .satisfies(c -> assertThat(c.type()).isEqualTo(MailboxType.SHARED));
            assertThat(found).filteredOn(c -> fx.contoso.user(c.mailboxId().value()).orElseThrow().hasMailbox()
                    && !c.mailboxId().equals(member.objectId()))
                    .allSatisfy(c -> assertThat(c.availability()).isEqualTo(MailboxCandidate.Availability.DENIED));
        } finally {
            fx.contoso.removeFromRestrictionGroup(fx.cloud.app(), member.objectId().value());
        }
    }

    @Test
    void aCursorBelongsToItsSearch() {
        MailboxSearch search = MailboxSearch.prefix("a").withPageSize(2);
        String cursor = directory.search(connection, search).next().orElseThrow();

        assertThatThrownBy(() -> directory.search(connection, MailboxSearch.prefix("b").withPageSize(2).after(cursor)))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("another search");
        assertThatThrownBy(() -> directory.search(connection, search.after("bm90IGEgY3Vyc29y")))
                .isInstanceOf(InvalidValueException.class);
        assertThat(directory.search(connection, search.after(cursor)).mailboxes()).hasSizeLessThanOrEqualTo(2);
    }

    // ---- resolve ---------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {ScopeTenantFixture.ALICE_MAIL, "Alice.Smith@Contoso.COM", ScopeTenantFixture.ALICE_UPN,
            "ALICE@CONTOSO.ONMICROSOFT.COM", "alice@contoso.com", "A.Smith@contoso.com"})
    void aMailboxResolvesByAddressAliasOrUpnInAnyCase(String name) {
        FakeUser alice = fx.user(ScopeTenantFixture.ALICE_UPN);

        ResolvedMailbox resolved = directory.resolve(connection, MailboxAddress.of(name));

        assertThat(resolved.mailboxId()).isEqualTo(MailboxId.of(alice.objectId()));
        assertThat(resolved.address()).isEqualTo(MailboxAddress.of(ScopeTenantFixture.ALICE_MAIL));
        assertThat(resolved.userPrincipalName()).isEqualTo(ScopeTenantFixture.ALICE_UPN);
        assertThat(resolved.aliases()).extracting(MailboxAddress::value).containsExactlyInAnyOrder(
                ScopeTenantFixture.ALICE_UPN, "alice@contoso.com", "a.smith@contoso.com");
        assertThat(resolved.type()).isEqualTo(MailboxType.USER);
        assertThat(resolved.displayName()).isEqualTo("Alice Smith");
    }

    @Test
    void aMailboxResolvesByObjectIdInAnyCase() {
        FakeMailbox room = fx.ofType(MailboxType.ROOM).get(1);

        ResolvedMailbox resolved = directory.resolve(connection,
                MailboxAddress.of(room.objectId().value().toUpperCase(Locale.ROOT)));

        assertThat(resolved.mailboxId()).isEqualTo(room.objectId());
        assertThat(resolved.type()).isEqualTo(MailboxType.ROOM);
        assertThat(resolved.address().value()).isEqualTo(room.address());
    }

    @ParameterizedTest
    @ValueSource(strings = {"nobody@contoso.com", "ann@litware.com", "0a6f1a2e-5d7b-4c1e-9f3a-00000000dead"})
    void anUnknownNameIsNotFound(String name) {
        MailboxAccessException e = catchThrowableOfType(MailboxAccessException.class,
                () -> directory.resolve(connection, MailboxAddress.of(name)));

        assertThat(e.reason()).isEqualTo(MailboxAccessException.Reason.NOT_FOUND);
        assertThat(e.details().tenant()).contains(fx.contoso.id());
        assertThat(e.details().connection()).contains(connection);
    }

    @ParameterizedTest
    @ValueSource(strings = {"unlicensed@contoso.com", "onprem@contoso.com"})
    void anAccountWithoutExchangeOnlineIsNotEnabled(String name) {
        MailboxAccessException e = catchThrowableOfType(MailboxAccessException.class,
                () -> directory.resolve(connection, MailboxAddress.of(name)));

        assertThat(e.reason()).isEqualTo(MailboxAccessException.Reason.NOT_ENABLED);
        assertThat(e.details().errorCode()).contains("MailboxNotEnabledForRESTAPI");
    }

    @Test
    void aMailboxOutsideAnApplicationAccessPolicyIsDeniedByTenantPolicy() {
        fx.contoso.restrict(fx.cloud.app(), FakeTenant.RestrictionMechanism.APPLICATION_ACCESS_POLICY);

        MailboxAccessException e = catchThrowableOfType(MailboxAccessException.class,
                () -> directory.resolve(connection, MailboxAddress.of(ScopeTenantFixture.ALICE_MAIL)));

        assertThat(e.reason()).isEqualTo(MailboxAccessException.Reason.ACCESS_DENIED);
        assertThat(e.denial()).contains(MailboxAccessException.Denial.TENANT_POLICY);
        assertThat(e.details().httpStatus()).hasValue(403);
    }

    @Test
    void rbacForApplicationsGrantsItsScopeAndDeniesTheRestAsTheTenantsRestriction() {
        ConnectionId northwind = fx.connect(fx.northwind);

        assertThat(directory.resolve(northwind, MailboxAddress.of("member@northwind.com")).type())
                .isEqualTo(MailboxType.USER);
        MailboxAccessException e = catchThrowableOfType(MailboxAccessException.class,
                () -> directory.resolve(northwind, MailboxAddress.of("other@northwind.com")));

        // the connection's mail access comes from RBAC for Applications: a 403 is the scope's, for this mailbox only
        assertThat(e.reason()).isEqualTo(MailboxAccessException.Reason.ACCESS_DENIED);
        assertThat(e.denial()).contains(MailboxAccessException.Denial.TENANT_POLICY);
        assertThat(e.getMessage()).contains("RBAC for Applications");
    }

    @Test
    void withoutMailboxSettingsReadTheDenialIsAMissingPermission() {
        ConnectionId litware = fx.connect(fx.litware);

        MailboxAccessException e = catchThrowableOfType(MailboxAccessException.class,
                () -> directory.resolve(litware, MailboxAddress.of("ann@litware.com")));

        assertThat(e.reason()).isEqualTo(MailboxAccessException.Reason.ACCESS_DENIED);
        assertThat(e.denial()).contains(MailboxAccessException.Denial.MISSING_PERMISSION);
        assertThat(e.summary()).contains("MailboxSettings.Read");
    }

    @Test
    void withoutUserReadAllTheDirectoryIsAMissingPermission() {
        ConnectionId fabrikam = fx.connect(fx.fabrikam);

        MailboxAccessException e = catchThrowableOfType(MailboxAccessException.class,
                () -> directory.resolve(fabrikam, MailboxAddress.of("frank@fabrikam.com")));

        assertThat(e.reason()).isEqualTo(MailboxAccessException.Reason.ACCESS_DENIED);
        assertThat(e.denial()).contains(MailboxAccessException.Denial.MISSING_PERMISSION);
        assertThat(e.details().errorCode()).contains("Authorization_RequestDenied");
    }

    @Test
    void aConnectionWithoutVerifiedConsentCannotSearch() {
        ConnectionId pending = ConnectionId.of("pending-1");
        fx.store.saveConnection(com.tekst.outlook.Connection.pending(pending,
                com.tekst.outlook.ConnectionType.ORGANIZATION_WIDE, fx.clock.instant()));

        assertThatThrownBy(() -> directory.search(pending, MailboxSearch.all()))
                .isInstanceOf(com.tekst.outlook.OutlookClientException.class).hasMessageContaining("verified");
        assertThatThrownBy(() -> directory.search(ConnectionId.of("unknown"), MailboxSearch.all()))
                .isInstanceOf(com.tekst.outlook.OutlookClientException.class);
        assertThat(fx.cloud.journal().entries()).isEmpty();
    }
}
