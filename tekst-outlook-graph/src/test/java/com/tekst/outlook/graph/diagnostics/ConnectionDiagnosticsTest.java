package com.tekst.outlook.graph.diagnostics;

import com.tekst.outlook.Connection;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionType;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.TenantId;
import com.tekst.outlook.diagnostics.Audience;
import com.tekst.outlook.diagnostics.CheckOutcome;
import com.tekst.outlook.diagnostics.CheckResult;
import com.tekst.outlook.diagnostics.DiagnosticCheck;
import com.tekst.outlook.diagnostics.DiagnosticReport;
import com.tekst.outlook.graph.AppCredential;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.mailbox.RestrictionMechanism;
import com.tekst.outlook.store.MailboxRecord;
import com.tekst.outlook.testkit.FakeUser;
import com.tekst.outlook.testkit.JournalEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.tekst.outlook.diagnostics.CheckOutcome.FAIL;
import static com.tekst.outlook.diagnostics.CheckOutcome.PASS;
import static com.tekst.outlook.diagnostics.CheckOutcome.SKIPPED;
import static com.tekst.outlook.diagnostics.CheckOutcome.WARN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One scenario per failure the diagnostics explain, each against the fake cloud, each compared with a golden file. */
class ConnectionDiagnosticsTest {
    DiagnosticsFixture fx;

    @BeforeEach
    void start() {
        fx = new DiagnosticsFixture();
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void aHealthyTenantPassesEverythingWithOneTokenRequestAndAtMostTwoPlusTwoPerMailboxGraphRequests() {
        ConnectionId id = fx.connectAndChoose();
        fx.cloud.journal().clear();

        DiagnosticReport report = fx.client.diagnostics().run(id);

        assertThat(report.checks()).allSatisfy(r -> assertThat(r.outcome()).as(r.toString()).isEqualTo(PASS));
        assertThat(report.outcome()).isEqualTo(PASS);
        assertThat(report.results(DiagnosticCheck.MAILBOX)).extracting(r -> r.subject().orElseThrow())
                .containsExactly(DiagnosticsFixture.ALICE, DiagnosticsFixture.SUPPORT);
        assertThat(report.results(DiagnosticCheck.SYNC)).hasSize(2);
        List<JournalEntry> graph = fx.cloud.journal().entries(e -> e.kind() == JournalEntry.Kind.GRAPH);
        List<JournalEntry> tokens = fx.cloud.journal().entries(e -> e.kind() == JournalEntry.Kind.IDENTITY
                && e.path().endsWith("/oauth2/v2.0/token"));
        assertThat(tokens).as("token requests").hasSize(1);
        assertThat(graph.size()).as("Graph requests for 2 mailboxes").isLessThanOrEqualTo(2 + 2 * 2);
        assertThat(graph).allSatisfy(e -> assertThat(e.method()).isEqualTo("GET"));
        assertThat(graph).as("no message content is read")
                .noneMatch(e -> e.path().contains("/messages"));
        Golden.assertMatches("healthy", report.toJson());
        assertThat(report.toText()).contains("PASS", "Tenant reachable and known", DiagnosticsFixture.SUPPORT);
    }

    @Test
    void anUnknownTenantFailsTheFirstCheckAndSkipsTheRest() {
        ConnectionId id = ConnectionId.of("ghost");
        fx.store.saveConnection(Connection.pending(id, ConnectionType.ORGANIZATION_WIDE, fx.clock.instant())
                .connectedTo(TenantId.of("0b5c1a8e-2f3d-4e6a-9b7c-1d2e3f4a5b6c"), fx.clock.instant()));

        DiagnosticReport report = fx.client.diagnostics().run(id);

        assertOutcomes(report, Map.of(DiagnosticCheck.TENANT, FAIL));
        CheckResult tenant = report.results(DiagnosticCheck.TENANT).get(0);
        assertThat(tenant.evidence().errorCode()).hasValue("AADSTS90002");
        assertThat(tenant.remediation().orElseThrow().text()).contains("national cloud");
        assertSkippedAfter(report, DiagnosticCheck.TENANT);
        Golden.assertMatches("unknown-tenant", report.toJson());
    }

    @Test
    void aWrongSecretFailsTheCredentialForTheOperator() {
        ConnectionId id = fx.connectAndChoose();
        DiagnosticReport report = fx.client(b -> b.credential(AppCredential.secret("not-the-secret")))
                .diagnostics().run(id);

        assertOutcomes(report, Map.of(DiagnosticCheck.TENANT, PASS, DiagnosticCheck.CREDENTIAL, FAIL));
        CheckResult credential = report.results(DiagnosticCheck.CREDENTIAL).get(0);
        assertThat(credential.evidence().errorCode()).hasValue("AADSTS7000215");
        assertThat(credential.remediation().orElseThrow().audience()).isEqualTo(Audience.TEKST_OPERATOR);
        assertSkippedAfter(report, DiagnosticCheck.CREDENTIAL);
        assertThat(report.toJson()).doesNotContain("not-the-secret");
        assertThat(report.toText()).doesNotContain("not-the-secret");
        Golden.assertMatches("wrong-secret", report.toJson());
    }

    @Test
    void anExpiredSecretSaysItExpired() {
        ConnectionId id = fx.connectAndChoose();
        fx.cloud.app().expireSecrets();

        DiagnosticReport report = fx.client.diagnostics().run(id);

        CheckResult credential = report.results(DiagnosticCheck.CREDENTIAL).get(0);
        assertThat(credential.outcome()).isEqualTo(FAIL);
        assertThat(credential.summary()).contains("expired");
        assertThat(credential.evidence().errorCode()).hasValue("AADSTS7000222");
        assertThat(credential.remediation().orElseThrow().text()).contains("new client secret");
        assertSkippedAfter(report, DiagnosticCheck.CREDENTIAL);
        Golden.assertMatches("expired-secret", report.toJson());
    }

    @Test
    void aCertificateExpiringInTenDaysWarnsAndTheRestStillRuns() {
        ConnectionId id = fx.connectAndChoose();
        long now = fx.clock.instant().toEpochMilli();
        HeldCertificate cert = new HeldCertificate.Builder().rsa2048().commonName("Tekst Outlook")
                .validityInterval(now - Duration.ofDays(355).toMillis(), now + Duration.ofDays(10).toMillis())
                .build();
        fx.cloud.app().addCertificate(cert.certificate());

        DiagnosticReport report = fx.client(b -> b.credential(AppCredential.pem(cert.privateKeyPkcs8Pem(),
                cert.certificatePem()))).diagnostics().run(id);

        CheckResult credential = report.results(DiagnosticCheck.CREDENTIAL).get(0);
        assertThat(credential.outcome()).isEqualTo(WARN);
        assertThat(credential.summary()).contains("expires in 10 day(s)");
        assertThat(credential.remediation().orElseThrow().audience()).isEqualTo(Audience.TEKST_OPERATOR);
        assertThat(report.results(DiagnosticCheck.MAILBOX)).extracting(CheckResult::outcome).containsOnly(PASS);
        assertThat(report.outcome()).isEqualTo(WARN);
        assertThat(report.toJson()).doesNotContain("PRIVATE KEY");
        Golden.assertMatches("certificate-expiring", report.toJson()
                .replaceAll("SHA-256 [0-9A-F]{64}", "SHA-256 <thumbprint>"));
    }

    @Test
    void consentNeverGrantedLeavesNoTenantAndSaysAdminConsentIsMissing() {
        ConnectionId id = ConnectionId.of("never");
        fx.client.adminConsent().begin(id, DiagnosticsFixture.REDIRECT);
        fx.cloud.journal().clear();

        DiagnosticReport report = fx.client.diagnostics().run(id);

        assertThat(report.tenant()).isEmpty();
        CheckResult tenant = report.results(DiagnosticCheck.TENANT).get(0);
        assertThat(tenant.outcome()).isEqualTo(FAIL);
        assertThat(tenant.remediation().orElseThrow().text()).startsWith("Admin consent is missing");
        assertThat(tenant.remediation().orElseThrow().audience()).isEqualTo(Audience.MICROSOFT_365_ADMINISTRATOR);
        assertSkippedAfter(report, DiagnosticCheck.TENANT);
        assertThat(fx.cloud.journal().entries()).as("nothing to ask without a tenant").isEmpty();
        Golden.assertMatches("consent-never-granted", report.toJson());
    }

    @Test
    void revokedConsentFailsTheConsentCheckForTheAdministrator() {
        ConnectionId id = fx.connectAndChoose();
        fx.contoso.revokeConsent(fx.cloud.app());

        DiagnosticReport report = fx.client.diagnostics().run(id);

        assertOutcomes(report, Map.of(DiagnosticCheck.TENANT, PASS, DiagnosticCheck.CREDENTIAL, PASS,
                DiagnosticCheck.CONSENT, FAIL));
        CheckResult consent = report.results(DiagnosticCheck.CONSENT).get(0);
        assertThat(consent.summary()).startsWith("Admin consent is missing");
        assertThat(consent.evidence().errorCode()).hasValue("AADSTS700016");
        assertThat(consent.remediation().orElseThrow().audience()).isEqualTo(Audience.MICROSOFT_365_ADMINISTRATOR);
        assertSkippedAfter(report, DiagnosticCheck.CONSENT);
        Golden.assertMatches("consent-revoked", report.toJson());
    }

    @Test
    void askedForAConsentLinkARevokedConsentGetsAFreshOneThatWorks() {
        ConnectionId id = fx.connectAndChoose();
        fx.contoso.revokeConsent(fx.cloud.app());
        fx.cloud.journal().clear();

        DiagnosticReport report = fx.client.diagnostics().run(id, DiagnosticsFixture.REDIRECT);

        CheckResult consent = report.results(DiagnosticCheck.CONSENT).get(0);
        java.net.URI link = consent.remediation().orElseThrow().link().orElseThrow();
        assertThat(link.toString()).startsWith(fx.cloud.loginBaseUrl() + "/" + fx.contoso.id().value()
                + "/v2.0/adminconsent?client_id=").contains("&state=");
        assertThat(report.checks()).filteredOn(r -> r.remediation().flatMap(m -> m.link()).isPresent()).hasSize(1);
        String state = link.getRawQuery().replaceAll(".*state=([^&]+).*", "$1");
        assertThat(report.toText()).contains("link: ").contains("state=…").doesNotContain(state);
        assertThat(report.toJson()).contains(state);
        assertThat(consent.remediation().orElseThrow().toString()).doesNotContain(state);

        // the administrator follows it: the usual callback completes and verifies the connection again
        java.net.URI back = fx.cloud.adminConsent(link, DiagnosticsFixture.ADMIN, true);
        com.tekst.outlook.consent.ConsentOutcome outcome = fx.client.adminConsent().complete(id,
                com.tekst.outlook.consent.ConsentCallback.fromQueryString(back.getRawQuery()));
        assertThat(fx.client.adminConsent().verify((com.tekst.outlook.consent.ConsentOutcome.Granted) outcome)
                .isVerified()).isTrue();
        assertThat(fx.client.diagnostics().run(id).results(DiagnosticCheck.CONSENT).get(0).outcome()).isEqualTo(PASS);
    }

    @Test
    void aConsentNeverGrantedGetsALinkForAnyDirectoryAndAHealthyOneNone() {
        ConnectionId never = ConnectionId.of("never");
        fx.client.adminConsent().begin(never, DiagnosticsFixture.REDIRECT);
        CheckResult tenant = fx.client.diagnostics().run(never, DiagnosticsFixture.REDIRECT)
                .results(DiagnosticCheck.TENANT).get(0);
        assertThat(tenant.remediation().orElseThrow().link().orElseThrow().toString())
                .startsWith(fx.cloud.loginBaseUrl() + "/organizations/v2.0/adminconsent?");

        ConnectionId healthy = fx.connectAndChoose();
        assertThat(fx.client.diagnostics().run(healthy, DiagnosticsFixture.REDIRECT).checks())
                .allSatisfy(r -> assertThat(r.remediation().flatMap(m -> m.link())).isEmpty());
        assertThatThrownBy(() -> fx.client.diagnostics().run(healthy, java.net.URI.create("http://evil.example/cb")))
                .isInstanceOf(com.tekst.outlook.InvalidValueException.class);
    }

    @Test
    void aRemovedPermissionIsNamedWithTheFeaturesItDisables() {
        ConnectionId id = fx.connectAndChoose();
        fx.contoso.setGrantedPermissions(fx.cloud.app(), java.util.Set.of("Mail.Read", "User.Read.All"));

        DiagnosticReport report = fx.client.diagnostics().run(id);

        CheckResult permissions = report.results(DiagnosticCheck.PERMISSIONS).get(0);
        assertThat(permissions.outcome()).isEqualTo(FAIL);
        assertThat(permissions.summary()).contains("MailboxSettings.Read", "mailbox types");
        assertThat(permissions.remediation().orElseThrow().text()).contains("[MailboxSettings.Read]");
        assertThat(report.results(DiagnosticCheck.MAILBOX)).extracting(CheckResult::outcome).containsOnly(PASS);
        Golden.assertMatches("permission-removed", report.toJson());
    }

    @Test
    void aMailboxWithoutExchangeFailsItsMailboxCheckOnly() {
        ConnectionId id = fx.connectAndChoose();
        fx.contoso.disableMailbox(DiagnosticsFixture.ALICE, FakeUser.NoMailboxReason.UNLICENSED);

        DiagnosticReport report = fx.client.diagnostics().run(id);

        Map<String, CheckOutcome> mailboxes = bySubject(report.results(DiagnosticCheck.MAILBOX));
        assertThat(mailboxes).containsEntry(DiagnosticsFixture.ALICE, FAIL)
                .containsEntry(DiagnosticsFixture.SUPPORT, PASS);
        CheckResult alice = report.results(DiagnosticCheck.MAILBOX).get(0);
        assertThat(alice.summary()).contains("no Exchange Online mailbox");
        assertThat(alice.remediation().orElseThrow().audience()).isEqualTo(Audience.MICROSOFT_365_ADMINISTRATOR);
        Golden.assertMatches("mailbox-without-exchange", report.toJson());
    }

    @Test
    void aMailboxDeniedByTheApplicationAccessPolicySaysThePolicyDeniedIt() {
        ConnectionId id = fx.connectAndChoose();
        fx.contoso.removeFromRestrictionGroup(fx.cloud.app(), DiagnosticsFixture.SUPPORT);

        DiagnosticReport report = fx.client.diagnostics().run(id);

        CheckResult support = report.results(DiagnosticCheck.MAILBOX).stream()
                .filter(r -> r.subject().orElseThrow().equals(DiagnosticsFixture.SUPPORT)).findFirst().orElseThrow();
        assertThat(support.outcome()).isEqualTo(FAIL);
        assertThat(support.summary()).startsWith("Denied by the tenant's policy");
        assertThat(support.evidence().httpStatus()).hasValue(403);
        assertThat(support.remediation().orElseThrow().text()).contains("application access policy");
        CheckResult restriction = report.results(DiagnosticCheck.RESTRICTION).get(0);
        assertThat(restriction.outcome()).isEqualTo(FAIL);
        assertThat(restriction.summary()).startsWith("Misconfigured");
        Golden.assertMatches("mailbox-denied-by-restriction", report.toJson());
    }

    @Test
    void aRestrictionThatIsNotInForceFailsWithTheCanaryReadable() {
        ConnectionId id = fx.connectAndChoose();
        fx.contoso.restrict(fx.cloud.app(), com.tekst.outlook.testkit.FakeTenant.RestrictionMechanism.NONE);

        DiagnosticReport report = fx.client.diagnostics().run(id);

        CheckResult restriction = report.results(DiagnosticCheck.RESTRICTION).get(0);
        assertThat(restriction.outcome()).isEqualTo(FAIL);
        assertThat(restriction.summary()).startsWith("Not enforced");
        assertThat(restriction.remediation().orElseThrow().text()).contains("30 minutes to 2 hours");
        assertThat(report.results(DiagnosticCheck.MAILBOX)).extracting(CheckResult::outcome).containsOnly(PASS);
        Golden.assertMatches("restriction-not-enforced", report.toJson());
    }

    @Test
    void aThrottledMailboxIsReportedAndNotAsked() {
        ConnectionId id = fx.connectAndChoose();
        MailboxId alice = MailboxId.of(fx.objectId(DiagnosticsFixture.ALICE));
        Instant until = fx.clock.instant().plusSeconds(60);
        MailboxRecord record = fx.store.findMailbox(id, alice).orElseThrow();
        fx.store.updateMailboxStatus(id, alice, record.status(), MailboxStatus.THROTTLED, until, "429 from Graph");
        fx.cloud.journal().clear();

        DiagnosticReport report = fx.client.diagnostics().run(id);

        assertThat(bySubject(report.results(DiagnosticCheck.MAILBOX)))
                .containsEntry(DiagnosticsFixture.ALICE, WARN).containsEntry(DiagnosticsFixture.SUPPORT, PASS);
        assertThat(fx.cloud.journal().forMailbox(alice)).as("no request to the throttled mailbox").isEmpty();
        assertThat(report.results(DiagnosticCheck.SYNC).get(0).outcome()).isEqualTo(WARN);
        Golden.assertMatches("throttled-mailbox", report.toJson());
    }

    @Test
    void aFolderWithoutASuccessfulSyncForTwoHoursIsStale() {
        ConnectionId id = fx.connectAndChoose();
        fx.clock.advance(Duration.ofHours(2));

        DiagnosticReport report = fx.client.diagnostics().run(id);

        assertThat(report.results(DiagnosticCheck.SYNC)).extracting(CheckResult::outcome).containsOnly(FAIL);
        assertThat(report.results(DiagnosticCheck.SYNC).get(0).summary()).startsWith("Stale")
                .contains("2 h");
        Golden.assertMatches("stale-connection", report.toJson());
    }

    @Test
    void aSinkThatKeepsThrowingLeavesItsFoldersStaleAndSaysWhereToLook() throws Exception {
        ConnectionId id = fx.connectAndChoose();
        fx.contoso.mailbox(DiagnosticsFixture.ALICE).deliver(com.tekst.outlook.testkit.FakeMessage.builder()
                .from("customer@fabrikam.com").subject("Order 1").receivedAt(fx.clock.instant()));
        java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
        syncFor(id, 125, fx.client.syncEngine().sink(page -> {
            refused.incrementAndGet();
            throw new IllegalStateException("Tekst's ingestion is down");
        }));
        assertThat(refused.get()).as("pages the sink refused").isGreaterThan(5);

        DiagnosticReport report = fx.client.diagnostics().run(id);

        CheckResult alice = report.results(DiagnosticCheck.SYNC).stream()
                .filter(r -> r.subject().orElseThrow().startsWith(DiagnosticsFixture.ALICE)).findFirst().orElseThrow();
        assertThat(alice.outcome()).isEqualTo(FAIL);
        assertThat(alice.summary()).startsWith("Stale: no successful sync of this folder for 2 h");
        assertThat(alice.remediation().orElseThrow().audience()).isEqualTo(Audience.TEKST_OPERATOR);
        assertThat(Integer.parseInt(alice.evidence().facts().get("sinkFailures24h")))
                .as("sink failures of the last 24 h, as the engine recorded them")
                .isEqualTo(refused.get());
        assertThat(report.results(DiagnosticCheck.MAILBOX)).extracting(CheckResult::outcome).containsOnly(PASS);
        Golden.assertMatches("sink-keeps-throwing", report.toJson());
    }

    @Test
    void aSinkThatFailedRecentlyButRecoveredWarnsWithTheCount() throws Exception {
        ConnectionId id = fx.connectAndChoose();
        fx.contoso.mailbox(DiagnosticsFixture.ALICE).deliver(com.tekst.outlook.testkit.FakeMessage.builder()
                .from("customer@fabrikam.com").subject("Order 1").receivedAt(fx.clock.instant()));
        java.util.concurrent.atomic.AtomicInteger refusals = new java.util.concurrent.atomic.AtomicInteger(3);
        syncFor(id, 5, fx.client.syncEngine().sink(page -> {
            if (refusals.getAndDecrement() > 0) {
                throw new IllegalStateException("Tekst's ingestion is down");
            }
        }).backoff(Duration.ofSeconds(10), Duration.ofSeconds(10)));

        DiagnosticReport report = fx.client.diagnostics().run(id);

        Map<String, CheckOutcome> sync = bySubject(report.results(DiagnosticCheck.SYNC));
        assertThat(sync).containsEntry(DiagnosticsFixture.ALICE + "/Inbox", WARN)
                .containsEntry(DiagnosticsFixture.SUPPORT + "/Inbox", PASS);
        CheckResult alice = report.results(DiagnosticCheck.SYNC).get(0);
        assertThat(alice.summary()).startsWith("The sink failed 3 time(s) in the last 24 h");
        assertThat(alice.evidence().facts()).containsEntry("sinkFailures24h", "3")
                .containsEntry("deltaResets24h", "0");
        assertThat(alice.remediation().orElseThrow().text()).contains("nothing is lost");
        Golden.assertMatches("sink-recovered", report.toJson());
    }

    @Test
    void aDeltaTokenResetIsCountedAndWarns() throws Exception {
        ConnectionId id = fx.connectAndChoose();
        com.tekst.outlook.sync.SyncEngine engine = fx.client.syncEngine().sink(page -> { })
                .pollInterval(Duration.ofMinutes(1)).timerResolution(Duration.ofMillis(5)).build();
        engine.start();
        try {
            fx.client.finishSetup(engine, id);
            assertThat(engine.awaitIdle(Duration.ofSeconds(30))).isTrue();
            fx.contoso.mailbox(DiagnosticsFixture.ALICE).expireDeltaTokens();
            fx.clock.advance(Duration.ofMinutes(1));
            assertThat(engine.awaitIdle(Duration.ofSeconds(30))).isTrue();
            fx.clock.advance(Duration.ofMinutes(1));
            assertThat(engine.awaitIdle(Duration.ofSeconds(30))).isTrue();
        } finally {
            engine.stop(Duration.ofSeconds(5));
        }

        DiagnosticReport report = fx.client.diagnostics().run(id);

        CheckResult alice = report.results(DiagnosticCheck.SYNC).get(0);
        assertThat(alice.subject()).hasValue(DiagnosticsFixture.ALICE + "/Inbox");
        assertThat(alice.outcome()).isEqualTo(WARN);
        assertThat(alice.summary()).startsWith("Microsoft Graph reset the folder's delta token 1 time(s) in the last"
                + " 24 h");
        assertThat(alice.evidence().facts()).containsEntry("deltaResets24h", "1");
        assertThat(report.results(DiagnosticCheck.SYNC).get(1).outcome()).isEqualTo(PASS);
        Golden.assertMatches("delta-reset", report.toJson());
    }

    @Test
    void aRestrictionAppliedFiveMinutesAgoIsPropagatingNotFailed() {
        ConnectionId id = fx.connectAndChoose();
        // the administrator ran the script; Exchange has not applied it yet (every mailbox is still readable)
        fx.contoso.restrict(fx.cloud.app(), com.tekst.outlook.testkit.FakeTenant.RestrictionMechanism.NONE);
        fx.client.tenantRestriction().recordApplied(id, RestrictionMechanism.APPLICATION_ACCESS_POLICY);
        fx.clock.advance(Duration.ofMinutes(5));

        DiagnosticReport report = fx.client.diagnostics().run(id);

        CheckResult restriction = report.results(DiagnosticCheck.RESTRICTION).get(0);
        assertThat(restriction.outcome()).isEqualTo(WARN);
        assertThat(restriction.summary()).isEqualTo("Propagating: NOT_ENFORCED now; the restriction was applied via an"
                + " application access policy 5 min ago and Exchange takes up to 30 min to enforce it");
        assertThat(restriction.evidence().facts()).containsKey("appliedAt");
        assertThat(report.outcome()).isEqualTo(WARN);
        Golden.assertMatches("restriction-propagating", report.toJson());

        fx.clock.advance(Duration.ofMinutes(26)); // past the window: now it is a failure
        CheckResult later = fx.client.diagnostics().run(id).results(DiagnosticCheck.RESTRICTION).get(0);
        assertThat(later.outcome()).isEqualTo(FAIL);
        assertThat(later.summary()).startsWith("Not enforced");
    }

    @Test
    void diagnosticsChangeNothingInTheStore() {
        ConnectionId id = fx.connectAndChoose();
        fx.contoso.revokeConsent(fx.cloud.app());
        Connection before = fx.store.findConnection(id).orElseThrow();
        List<MailboxRecord> mailboxes = fx.store.listMailboxes(id);

        fx.client.diagnostics().run(id);

        assertThat(fx.store.findConnection(id)).hasValue(before);
        assertThat(fx.store.listMailboxes(id)).isEqualTo(mailboxes);
    }

    /** Finishes the connection's setup on an engine and lets it run for {@code minutes} of the fake clock. */
    private void syncFor(ConnectionId id, int minutes, com.tekst.outlook.graph.OutlookClient.EngineBuilder builder)
            throws InterruptedException {
        com.tekst.outlook.sync.SyncEngine engine = builder.pollInterval(Duration.ofMinutes(1))
                .timerResolution(Duration.ofMillis(5)).random(new java.util.Random(7)).build();
        engine.start();
        try {
            fx.client.finishSetup(engine, id);
            for (int minute = 0; minute < minutes; minute++) {
                assertThat(engine.awaitIdle(Duration.ofSeconds(30))).isTrue();
                fx.clock.advance(Duration.ofMinutes(1));
            }
            assertThat(engine.awaitIdle(Duration.ofSeconds(30))).isTrue();
        } finally {
            engine.stop(Duration.ofSeconds(5));
        }
    }

    private static Map<String, CheckOutcome> bySubject(List<CheckResult> results) {
        return results.stream().collect(Collectors.toMap(r -> r.subject().orElseThrow(), CheckResult::outcome));
    }

    private static void assertOutcomes(DiagnosticReport report, Map<DiagnosticCheck, CheckOutcome> expected) {
        expected.forEach((check, outcome) -> assertThat(report.results(check)).as(check.name())
                .extracting(CheckResult::outcome).containsOnly(outcome));
    }

    private static void assertSkippedAfter(DiagnosticReport report, DiagnosticCheck failed) {
        for (DiagnosticCheck c : DiagnosticCheck.values()) {
            if (c.ordinal() > failed.ordinal()) {
                assertThat(report.results(c)).as(c.name()).singleElement().satisfies(r -> {
                    assertThat(r.outcome()).isEqualTo(SKIPPED);
                    assertThat(r.skippedBecause()).hasValue(failed);
                });
            }
        }
    }
}
