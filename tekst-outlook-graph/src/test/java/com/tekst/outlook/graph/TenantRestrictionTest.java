package com.tekst.outlook.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.MailboxOutOfScopeException;
import com.tekst.outlook.OutlookClientException;
import com.tekst.outlook.graph.internal.restriction.RestrictionScripts;
import com.tekst.outlook.mailbox.MailboxProbe;
import com.tekst.outlook.mailbox.MailboxType;
import com.tekst.outlook.mailbox.RestrictionCheck;
import com.tekst.outlook.mailbox.RestrictionMechanism;
import com.tekst.outlook.mailbox.RestrictionScript;
import com.tekst.outlook.mailbox.RestrictionScriptRequest;
import com.tekst.outlook.mailbox.RestrictionVerification;
import com.tekst.outlook.mailbox.ScopeMode;
import com.tekst.outlook.mailbox.TenantRestriction;
import com.tekst.outlook.testkit.FakeMailbox;
import com.tekst.outlook.testkit.FakeTenant;
import com.tekst.outlook.testkit.JournalEntry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Acceptance, the tenant-side restriction: the generated script for the connection's mailboxes, and the
 * verification returning ENFORCED, NOT_ENFORCED and MISCONFIGURED as the fake tenant's restriction group is set, for
 * an application access policy and for RBAC for Applications (with and without tenant-wide Mail.Read), reading no
 * message content and letting canaries through only for the verification.
 */
class TenantRestrictionTest {
    static ScopeTenantFixture fx;
    static TenantRestriction restriction;
    static List<FakeMailbox> scope;
    static ConnectionId connection;

    @BeforeAll
    static void start() {
        fx = new ScopeTenantFixture();
        restriction = fx.client.tenantRestriction();
        connection = fx.connect(fx.contoso);
        scope = List.of(fx.ofType(MailboxType.SHARED).get(0), fx.ofType(MailboxType.SHARED).get(1),
                fx.ofType(MailboxType.USER).get(5));
        for (FakeMailbox m : scope) {
            fx.client.mailboxScope().add(connection, MailboxAddress.of(m.address()));
        }
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @BeforeEach
    void clear() {
        fx.cloud.journal().clear();
    }

    @AfterEach
    void unrestrict() {
        fx.contoso.restrict(fx.cloud.app(), FakeTenant.RestrictionMechanism.NONE);
        for (String id : fx.contoso.restrictionGroup(fx.cloud.app())) {
            fx.contoso.removeFromRestrictionGroup(fx.cloud.app(), id);
        }
    }

    static void restrictTo(FakeTenant.RestrictionMechanism mechanism, List<FakeMailbox> members) {
        fx.contoso.restrict(fx.cloud.app(), mechanism);
        for (FakeMailbox m : members) {
            fx.contoso.addToRestrictionGroup(fx.cloud.app(), m.objectId().value());
        }
    }

    static void onlyInboxIdsWereRead() {
        List<JournalEntry> mailbox = fx.cloud.journal().entries(e -> e.mailbox().isPresent());
        assertThat(mailbox).isNotEmpty().allSatisfy(e -> {
            assertThat(e.method()).isEqualTo("GET");
            assertThat(e.path()).endsWith("/mailFolders/inbox");
            assertThat(e.query()).isIn("$select=id", "%24select=id");
        });
    }

    // ---- scripts ---------------------------------------------------------------------------------------------------

    @Test
    void theScriptsCarryTheAppIdAndTheConnectionsMailboxes() {
        RestrictionScriptRequest aap = RestrictionScriptRequest.applicationAccessPolicy("Tekst mailboxes",
                MailboxAddress.of("tekst-mailboxes@contoso.com"), MailboxAddress.of("ceo@contoso.com"));

        RestrictionScript script = restriction.script(connection, aap);

        List<MailboxAddress> expected = scope.stream().map(m -> MailboxAddress.of(m.address()))
                .sorted(java.util.Comparator.comparing(MailboxAddress::value)).toList();
        assertThat(script.mailboxes()).isEqualTo(expected);
        assertThat(script.text()).isEqualTo(RestrictionScripts.generate(fx.cloud.app().clientId(), connection,
                expected, aap).text());
        assertThat(script.text()).contains("$AppId = '" + fx.cloud.app().clientId() + "'");
        for (MailboxAddress m : expected) {
            assertThat(script.text()).contains("    '" + m.value() + "'");
        }
        assertThat(fx.cloud.journal().entries()).as("generated locally").isEmpty();
        assertThatThrownBy(() -> restriction.script(connection, RestrictionScriptRequest.applicationAccessPolicy("x",
                MailboxAddress.of("g@contoso.com"), MailboxAddress.of(scope.get(0).address()))))
                .isInstanceOf(OutlookClientException.class).hasMessageContaining("out-of-scope example");
        assertThatThrownBy(() -> restriction.script(fx.connect(fx.contoso), aap))
                .isInstanceOf(OutlookClientException.class).hasMessageContaining("no mailboxes");
    }

    // ---- application access policy ---------------------------------------------------------------------------------

    @Test
    void anApplicationAccessPolicyOnTheScopeIsEnforced() {
        restrictTo(FakeTenant.RestrictionMechanism.APPLICATION_ACCESS_POLICY, scope);

        RestrictionVerification v = restriction.verify(connection, RestrictionCheck.automatic());

        assertThat(v.verdict()).isEqualTo(RestrictionVerification.Verdict.ENFORCED);
        assertThat(v.inScope()).hasSize(3).allSatisfy(p -> assertThat(p.outcome())
                .isEqualTo(MailboxProbe.Outcome.READABLE));
        assertThat(v.canaries()).hasSize(2).allSatisfy(p -> {
            assertThat(p.outcome()).isEqualTo(MailboxProbe.Outcome.DENIED);
            assertThat(p.errorCode()).contains("ErrorAccessDenied");
            assertThat(scope).noneMatch(m -> m.objectId().equals(p.mailboxId()));
        });
        assertThat(v.findings()).isEmpty();
        assertThat(v.checkedAt()).isEqualTo(fx.clock.instant());
        assertThat(v.recheckAt()).isEqualTo(fx.clock.instant().plus(Duration.ofHours(2)));
        assertThat(v.propagationNote()).contains("30 minutes to 2 hours");
        onlyInboxIdsWereRead();
    }

    @Test
    void withoutARestrictionTheCanaryIsReadableAndItIsNotEnforced() {
        RestrictionVerification v = restriction.verify(connection, RestrictionCheck.automatic()
                .forMechanism(RestrictionMechanism.APPLICATION_ACCESS_POLICY));

        assertThat(v.verdict()).isEqualTo(RestrictionVerification.Verdict.NOT_ENFORCED);
        assertThat(v.canaries()).isNotEmpty().allSatisfy(p -> assertThat(p.outcome())
                .isEqualTo(MailboxProbe.Outcome.READABLE));
        assertThat(v.findings()).doesNotContain(RestrictionVerification.Finding.TENANT_WIDE_MAIL_PERMISSION);
        assertThat(v.recheckAt()).isEqualTo(fx.clock.instant().plus(Duration.ofMinutes(30)));
        onlyInboxIdsWereRead();
    }

    @Test
    void aPolicyGroupMissingAnInScopeMailboxIsMisconfigured() {
        restrictTo(FakeTenant.RestrictionMechanism.APPLICATION_ACCESS_POLICY, scope.subList(0, 2));

        RestrictionVerification v = restriction.verify(connection, RestrictionCheck.automatic());

        assertThat(v.verdict()).isEqualTo(RestrictionVerification.Verdict.MISCONFIGURED);
        assertThat(v.inScope()).filteredOn(p -> p.outcome() == MailboxProbe.Outcome.DENIED).singleElement()
                .satisfies(p -> assertThat(p.mailboxId()).isEqualTo(scope.get(2).objectId()));
    }

    @Test
    void givenCanariesAreProbedAndNotPicked() {
        restrictTo(FakeTenant.RestrictionMechanism.APPLICATION_ACCESS_POLICY, scope);
        FakeMailbox room = fx.ofType(MailboxType.ROOM).get(0);

        RestrictionVerification v = restriction.verify(connection, RestrictionCheck.withCanaries(
                MailboxAddress.of(ScopeTenantFixture.ALICE_ALIASES.get(1)), MailboxAddress.of(room.objectId().value())));

        assertThat(v.verdict()).isEqualTo(RestrictionVerification.Verdict.ENFORCED);
        assertThat(v.canaries()).extracting(MailboxProbe::mailboxId).containsExactly(
                MailboxId.of(fx.user(ScopeTenantFixture.ALICE_UPN).objectId()), room.objectId());
        assertThatThrownBy(() -> restriction.verify(connection, RestrictionCheck.withCanaries(
                MailboxAddress.of(scope.get(0).address().toUpperCase(java.util.Locale.ROOT)))))
                .isInstanceOf(OutlookClientException.class).hasMessageContaining("outside the scope");
    }

    @Test
    void aCanaryIsReachableOnlyDuringTheVerification() {
        restrictTo(FakeTenant.RestrictionMechanism.APPLICATION_ACCESS_POLICY, scope);
        RestrictionVerification v = restriction.verify(connection, RestrictionCheck.automatic());
        String canary = v.canaries().get(0).mailboxId().value();
        fx.cloud.journal().clear();

        Throwable thrown = catchThrowable(() -> fx.client.graphServiceClient(connection).users().byUserId(canary)
                .mailFolders().byMailFolderId("inbox").get(c -> c.queryParameters.select = new String[] {"id"}));

        assertThat(thrown).isInstanceOf(MailboxOutOfScopeException.class);
        assertThat(fx.cloud.journal().entries()).isEmpty();
    }

    // ---- RBAC for Applications -------------------------------------------------------------------------------------

    @Test
    void rbacWhileTheAppHoldsTenantWideMailReadIsNotEnforcedAndSaysWhy() {
        restrictTo(FakeTenant.RestrictionMechanism.RBAC_FOR_APPLICATIONS, scope);

        RestrictionVerification v = restriction.verify(connection, RestrictionCheck.automatic()
                .forMechanism(RestrictionMechanism.RBAC_FOR_APPLICATIONS));

        assertThat(v.verdict()).isEqualTo(RestrictionVerification.Verdict.NOT_ENFORCED);
        assertThat(v.findings()).containsExactly(RestrictionVerification.Finding.TENANT_WIDE_MAIL_PERMISSION);
        assertThat(v.findings().get(0).description()).contains("restricts nothing");
    }

    @Test
    void rbacAloneOnTheScopeIsEnforcedAndMisconfiguredWhenTheScopeLacksAMailbox() {
        ConnectionId northwind = fx.connect(fx.northwind); // verified: User.Read.All in Entra, mail by RBAC
        fx.client.mailboxScope().add(northwind, MailboxAddress.of("member@northwind.com"),
                List.of(com.tekst.outlook.mailbox.FolderSelection.inbox()));
        // no mechanism named: an RBAC connection is judged as RBAC for Applications
        RestrictionCheck check = RestrictionCheck.withCanaries(MailboxAddress.of("other@northwind.com"));

        RestrictionVerification enforced = restriction.verify(northwind, check);

        assertThat(enforced.verdict()).isEqualTo(RestrictionVerification.Verdict.ENFORCED);
        assertThat(enforced.findings()).isEmpty();
        assertThat(enforced.canaries()).singleElement().satisfies(p -> {
            assertThat(p.outcome()).isEqualTo(MailboxProbe.Outcome.DENIED);
            assertThat(p.errorCode()).contains("ErrorAccessDenied");
        });

        fx.northwind.removeFromRestrictionGroup(fx.cloud.app(), "member@northwind.com");
        try {
            RestrictionVerification misconfigured = restriction.verify(northwind, check);
            assertThat(misconfigured.verdict()).isEqualTo(RestrictionVerification.Verdict.MISCONFIGURED);
        } finally {
            fx.northwind.addToRestrictionGroup(fx.cloud.app(), "member@northwind.com");
        }
    }

    // ---- edges -----------------------------------------------------------------------------------------------------

    @Test
    void withoutMailboxesOrWithAllMailboxesThereIsNothingToVerify() {
        ConnectionId empty = fx.connect(fx.contoso);
        fx.cloud.journal().clear();
        RestrictionVerification v = restriction.verify(empty, RestrictionCheck.automatic());
        assertThat(v.verdict()).isEqualTo(RestrictionVerification.Verdict.INCONCLUSIVE);
        assertThat(v.findings()).containsExactly(RestrictionVerification.Finding.NO_MAILBOX_IN_SCOPE);
        assertThat(v.probes()).isEmpty();
        assertThat(fx.cloud.journal().entries()).isEmpty();

        fx.client.mailboxScope().setMode(empty, ScopeMode.ALL_MAILBOXES);
        assertThatThrownBy(() -> restriction.verify(empty, RestrictionCheck.automatic()))
                .isInstanceOf(OutlookClientException.class).hasMessageContaining("ALL_MAILBOXES");
    }
}
