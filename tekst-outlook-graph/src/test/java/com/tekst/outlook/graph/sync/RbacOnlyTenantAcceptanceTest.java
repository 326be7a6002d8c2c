package com.tekst.outlook.graph.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionPermissions;
import com.tekst.outlook.ConnectionStatus;
import com.tekst.outlook.MailboxAccessException;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.PermissionProfile;
import com.tekst.outlook.TenantHint;
import com.tekst.outlook.consent.ConsentCallback;
import com.tekst.outlook.consent.ConsentOutcome;
import com.tekst.outlook.consent.ConsentVerification;
import com.tekst.outlook.diagnostics.CheckOutcome;
import com.tekst.outlook.diagnostics.CheckResult;
import com.tekst.outlook.diagnostics.DiagnosticCheck;
import com.tekst.outlook.diagnostics.DiagnosticReport;
import com.tekst.outlook.graph.OutlookClient;
import com.tekst.outlook.graph.StateKey;
import com.tekst.outlook.mailbox.FolderSelection;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.mailbox.RestrictionCheck;
import com.tekst.outlook.mailbox.RestrictionMechanism;
import com.tekst.outlook.mailbox.RestrictionVerification;
import com.tekst.outlook.store.InMemoryOutlookStore;
import com.tekst.outlook.sync.MailMessage;
import com.tekst.outlook.sync.SyncEngine;
import com.tekst.outlook.testkit.FakeApp;
import com.tekst.outlook.testkit.FakeClock;
import com.tekst.outlook.testkit.FakeMailbox;
import com.tekst.outlook.testkit.FakeMessage;
import com.tekst.outlook.testkit.FakeMicrosoftCloud;
import com.tekst.outlook.testkit.FakeTenant;
import com.tekst.outlook.testkit.JournalEntry;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Acceptance: a tenant that restricts Tekst with RBAC for Applications done right. The application holds no
 * tenant-wide mail permission in Entra ID (only {@code User.Read.All}); Exchange grants {@code Application Mail.Read}
 * and {@code Application MailboxSettings.Read} over a management scope of two mailboxes. Everything goes through the
 * public wizard path: consent → verify → add mailboxes → record and verify the restriction → finish → sync.
 */
class RbacOnlyTenantAcceptanceTest {
    static final URI REDIRECT = URI.create("https://app.tekst.example/outlook/consent/callback");
    static final String ADMIN = "admin@northwind.com";
    static final String SALES = "sales@northwind.com";
    static final String OPS = "ops@northwind.com";
    static final String CEO = "ceo@northwind.com";

    final FakeClock clock = new FakeClock();
    FakeMicrosoftCloud cloud;
    FakeTenant northwind;
    final InMemoryOutlookStore store = new InMemoryOutlookStore();
    OutlookClient client;
    SyncEngine engine;
    final SyncCloud.Sink sink = new SyncCloud.Sink();
    final SyncCloud.Events events = new SyncCloud.Events();
    final ConnectionId id = ConnectionId.of("northwind");

    @BeforeEach
    void start() {
        cloud = FakeMicrosoftCloud.builder().clock(clock).app(FakeApp.builder().redirectUri(REDIRECT.toString()))
                .tenant(FakeTenant.builder("northwind").domain("northwind.com").administrator(ADMIN)
                        .user(SALES).user(OPS).user(CEO).user("hr@northwind.com"))
                .start();
        northwind = cloud.tenant("northwind");
        client = OutlookClient.builder(cloud).store(store).stateKeys(StateKey.random()).build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (engine != null) {
            engine.stopNow();
            engine.awaitIdle(Duration.ofSeconds(10));
        }
        client.close();
        cloud.close();
    }

    /** Consent and verification as the wizard does them, asking for READ_ONLY through Exchange RBAC. */
    ConsentVerification consentAndVerify() {
        URI consentUrl = client.adminConsent().begin(id, REDIRECT, TenantHint.ORGANIZATIONS,
                ConnectionPermissions.exchangeRbac(PermissionProfile.READ_ONLY)).consentUrl();
        URI back = cloud.adminConsent(consentUrl, ADMIN, true);
        ConsentOutcome outcome = client.adminConsent().complete(id, ConsentCallback.fromQueryString(back.getRawQuery()));
        assertThat(outcome).isInstanceOf(ConsentOutcome.Granted.class);
        // RBAC for Applications done right: the administrator removes the tenant-wide mail grants from Entra ID and
        // assigns the Exchange application roles over a scope of two mailboxes
        northwind.setGrantedPermissions(cloud.app(), Set.of("User.Read.All"));
        northwind.restrict(cloud.app(), FakeTenant.RestrictionMechanism.RBAC_FOR_APPLICATIONS);
        northwind.addToRestrictionGroup(cloud.app(), SALES, OPS);
        return client.adminConsent().verify((ConsentOutcome.Granted) outcome);
    }

    void settle() throws InterruptedException {
        assertThat(engine.awaitIdle(Duration.ofSeconds(60))).as("the engine settles").isTrue();
    }

    void advance(Duration d) throws InterruptedException {
        clock.advance(d);
        settle();
    }

    @Test
    void connectsVerifiesSyncsItsScopeAndRefusesTheRest() throws Exception {
        ConsentVerification first = consentAndVerify();
        assertThat(first.status()).as(first.detail()).isEqualTo(ConsentVerification.Status.VERIFIED);
        assertThat(first.grantedPermissions()).containsExactly("User.Read.All");
        assertThat(first.detail()).contains("proven by the connection's first readable mailbox (none yet)");
        assertThat(store.findConnection(id).orElseThrow().status()).isEqualTo(ConnectionStatus.CONNECTED);

        FakeMailbox sales = northwind.mailbox(SALES);
        FakeMailbox ops = northwind.mailbox(OPS);
        client.mailboxScope().add(id, MailboxAddress.of(SALES), List.of(FolderSelection.inbox()));
        client.mailboxScope().add(id, MailboxAddress.of(OPS), List.of(FolderSelection.inbox()));
        MailboxAccessException outside = catchThrowableOfType(MailboxAccessException.class,
                () -> client.mailboxScope().add(id, MailboxAddress.of(CEO), List.of(FolderSelection.inbox())));
        assertThat(outside.reason()).isEqualTo(MailboxAccessException.Reason.ACCESS_DENIED);
        assertThat(outside.denial()).contains(MailboxAccessException.Denial.TENANT_POLICY);
        assertThat(client.mailboxScope().list(id)).hasSize(2);

        // verified again with mailboxes: one content-free read proves Exchange grants the mail role
        ConsentVerification proven = client.adminConsent().verify(new ConsentOutcome.Granted(id, northwind.id(),
                "https://graph.microsoft.com/.default"));
        assertThat(proven.status()).isEqualTo(ConsentVerification.Status.VERIFIED);
        assertThat(proven.detail()).contains("mail access granted by Exchange RBAC for Applications");

        client.tenantRestriction().recordApplied(id, RestrictionMechanism.RBAC_FOR_APPLICATIONS);
        RestrictionVerification restriction = client.tenantRestriction().verify(id, RestrictionCheck.automatic());
        assertThat(restriction.verdict()).isEqualTo(RestrictionVerification.Verdict.ENFORCED);
        assertThat(restriction.findings()).isEmpty();

        sales.deliver("inbox", FakeMessage.builder().from("lead@fabrikam.com").subject("Quote")
                .receivedAt(clock.instant()));
        ops.deliver("inbox", FakeMessage.builder().from("vendor@fabrikam.com").subject("Invoice")
                .receivedAt(clock.instant()));
        engine = client.syncEngine().sink(sink).listener(events).pollInterval(Duration.ofMinutes(1))
                .timerResolution(Duration.ofMillis(5)).build();
        engine.start();
        client.finishSetup(engine, id);
        settle();
        advance(Duration.ofMinutes(1));
        assertThat(sink.messages(sales.objectId())).extracting(MailMessage::subject).containsExactly("Quote");
        assertThat(sink.messages(ops.objectId())).extracting(MailMessage::subject).containsExactly("Invoice");

        MailboxId ceo = northwind.mailbox(CEO).objectId();
        assertThat(cloud.journal().entries(e -> ceo.equals(e.mailbox().orElse(null))
                && e.path().contains("/messages"))).as("no message of a mailbox outside the scope is ever asked for")
                .isEmpty();

        DiagnosticReport report = client.diagnostics().run(id);
        assertThat(report.checks()).allSatisfy(r -> assertThat(r.outcome()).as(r.toString())
                .isEqualTo(CheckOutcome.PASS));
        assertThat(report.results(DiagnosticCheck.PERMISSIONS).get(0).summary())
                .contains("mail access granted by Exchange RBAC for Applications, scoped");
        assertThat(report.results(DiagnosticCheck.RESTRICTION).get(0).summary())
                .startsWith("Enforced via RBAC for Applications");
    }

    @Test
    void aMailboxLeavingTheRbacScopeIsDeniedAloneAndTheOthersKeepSyncing() throws Exception {
        assertThat(consentAndVerify().isVerified()).isTrue();
        FakeMailbox sales = northwind.mailbox(SALES);
        FakeMailbox ops = northwind.mailbox(OPS);
        client.mailboxScope().add(id, MailboxAddress.of(SALES), List.of(FolderSelection.inbox()));
        client.mailboxScope().add(id, MailboxAddress.of(OPS), List.of(FolderSelection.inbox()));
        engine = client.syncEngine().sink(sink).listener(events).pollInterval(Duration.ofMinutes(1))
                .timerResolution(Duration.ofMillis(5)).build();
        engine.start();
        client.finishSetup(engine, id);
        settle();

        northwind.removeFromRestrictionGroup(cloud.app(), OPS);
        sales.deliver("inbox", FakeMessage.builder().from("lead@fabrikam.com").subject("After")
                .receivedAt(clock.instant()));
        ops.deliver("inbox", FakeMessage.builder().from("vendor@fabrikam.com").subject("Unreachable")
                .receivedAt(clock.instant()));
        advance(Duration.ofMinutes(1));
        advance(Duration.ofMinutes(1));

        assertThat(store.findMailbox(id, ops.objectId()).orElseThrow().status())
                .isEqualTo(MailboxStatus.ACCESS_DENIED);
        assertThat(store.findMailbox(id, sales.objectId()).orElseThrow().status()).isNotEqualTo(
                MailboxStatus.ACCESS_DENIED);
        assertThat(store.findConnection(id).orElseThrow().status()).as("one mailbox denied, not the connection")
                .isEqualTo(ConnectionStatus.CONNECTED);
        assertThat(events.connection).doesNotContain(ConnectionStatus.CONSENT_MISSING,
                ConnectionStatus.CONSENT_REVOKED);
        assertThat(sink.messages(sales.objectId())).extracting(MailMessage::subject).contains("After");
        assertThat(sink.messages(ops.objectId())).extracting(MailMessage::subject).doesNotContain("Unreachable");

        DiagnosticReport report = client.diagnostics().run(id);
        CheckResult denied = report.results(DiagnosticCheck.MAILBOX).stream()
                .filter(r -> r.subject().orElseThrow().equals(OPS)).findFirst().orElseThrow();
        assertThat(denied.outcome()).isEqualTo(CheckOutcome.FAIL);
        assertThat(denied.summary()).startsWith("Denied by the tenant's RBAC for Applications");
        assertThat(denied.remediation().orElseThrow().text()).contains("management scope");
        List<JournalEntry> tokens = cloud.journal().entries(e -> e.kind() == JournalEntry.Kind.IDENTITY
                && e.path().endsWith("/oauth2/v2.0/token") && e.status() != 200);
        assertThat(tokens).as("no token request failed").isEmpty();
    }
}
