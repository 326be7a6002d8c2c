package com.tekst.outlook.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.tekst.outlook.Connection;
import com.tekst.outlook.ConnectionPermissions;
import com.tekst.outlook.PermissionProfile;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionStatus;
import com.tekst.outlook.TenantId;
import com.tekst.outlook.consent.ConsentOutcome;
import com.tekst.outlook.consent.ConsentVerification;
import com.tekst.outlook.consent.ConsentVerification.Status;
import com.tekst.outlook.testkit.Fault;
import com.tekst.outlook.testkit.Faults;
import com.tekst.outlook.testkit.JournalEntry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code verify} proves a consent with a real app-only token from the fake and records the verdict. */
class ConsentVerificationTest {
    static final ConnectionId ACME = ConnectionId.of("acme");

    FakeCloudFixture fx;

    @BeforeEach
    void start() {
        fx = new FakeCloudFixture();
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    ConsentOutcome.Granted grantedByContoso(OutlookClient client) {
        ConsentOutcome outcome = fx.consent(client, ACME, FakeCloudFixture.CONTOSO_ADMIN, true);
        assertThat(outcome).isInstanceOf(ConsentOutcome.Granted.class);
        return (ConsentOutcome.Granted) outcome;
    }

    Connection stored() {
        return fx.store.findConnection(ACME).orElseThrow();
    }

    List<Integer> tokenStatuses(TenantId tenant) {
        return fx.cloud.journal().tokenRequests(tenant).stream().map(JournalEntry::status).toList();
    }

    @Test
    void consentThatPropagates20SecondsLateIsVerifiedWithinTheWindow() {
        fx.contoso.setConsentPropagationDelay(Duration.ofSeconds(20));
        OutlookClient client = fx.client();
        ConsentOutcome.Granted granted = grantedByContoso(client);
        Instant start = fx.clock.instant();

        ConsentVerification v = client.adminConsent().verify(granted);

        assertThat(v.status()).isEqualTo(Status.VERIFIED);
        Duration waited = Duration.between(start, fx.clock.instant());
        assertThat(waited).isGreaterThanOrEqualTo(Duration.ofSeconds(20)).isLessThan(Duration.ofSeconds(60));
        List<Integer> statuses = tokenStatuses(fx.contoso.id());
        assertThat(statuses).last().isEqualTo(200);
        assertThat(statuses.subList(0, statuses.size() - 1)).isNotEmpty().allMatch(s -> s == 400);
        List<Instant> attempts = fx.cloud.journal().tokenRequests(fx.contoso.id()).stream()
                .map(JournalEntry::receivedAt).toList();
        assertThat(Duration.between(attempts.get(0), attempts.get(1))).isEqualTo(Duration.ofSeconds(1));
        assertThat(Duration.between(attempts.get(1), attempts.get(2))).as("backoff doubles")
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(stored().tenant()).hasValue(fx.contoso.id());
        assertThat(stored().status()).isEqualTo(ConnectionStatus.CONNECTED);
    }

    @Test
    void consentLaterThanTheWindowIsConsentMissingAtTheWindowsEnd() {
        fx.contoso.setConsentPropagationDelay(Duration.ofSeconds(90));
        OutlookClient client = fx.client();
        ConsentOutcome.Granted granted = grantedByContoso(client);
        Instant start = fx.clock.instant();

        ConsentVerification v = client.adminConsent().verify(granted);

        assertThat(v.status()).isEqualTo(Status.CONSENT_MISSING);
        assertThat(v.detail()).startsWith("Admin consent is missing").contains("AADSTS700016");
        assertThat(Duration.between(start, fx.clock.instant())).isEqualTo(Duration.ofSeconds(60));
        assertThat(tokenStatuses(fx.contoso.id())).allMatch(s -> s == 400).hasSizeGreaterThan(3);
        assertThat(stored().tenant()).isEmpty();
        assertThat(stored().status()).isEqualTo(ConnectionStatus.CONSENT_MISSING);
    }

    @Test
    void aZeroWindowChecksOnce() {
        fx.contoso.setConsentPropagationDelay(Duration.ofSeconds(5));
        OutlookClient client = fx.client(b -> b.consentPropagationWindow(Duration.ZERO));
        ConsentVerification v = client.adminConsent().verify(grantedByContoso(client));
        assertThat(v.status()).isEqualTo(Status.CONSENT_MISSING);
        assertThat(tokenStatuses(fx.contoso.id())).containsExactly(400);
    }

    @Test
    void missingPermissionsAreNamed() {
        OutlookClient client = fx.client();
        ConsentOutcome.Granted granted = grantedByContoso(client);
        fx.contoso.setGrantedPermissions(fx.cloud.app(), Set.of("Mail.Read"));

        ConsentVerification v = client.adminConsent().verify(granted);

        assertThat(v.status()).isEqualTo(Status.PERMISSIONS_MISSING);
        assertThat(v.missingPermissions()).containsExactly("MailboxSettings.Read", "User.Read.All");
        assertThat(v.grantedPermissions()).containsExactly("Mail.Read");
        assertThat(v.detail()).startsWith("Admin consent is missing permissions: [MailboxSettings.Read, User.Read.All]");
        assertThat(stored().tenant()).isEmpty();
        assertThat(stored().status()).isEqualTo(ConnectionStatus.CONSENT_MISSING);
    }

    @Test
    void theClientsDefaultPermissionsAreWhatANewConnectionIsJudgedBy() {
        OutlookClient client = fx.client(b -> b.permissions(ConnectionPermissions.entra(PermissionProfile.MINIMAL)));
        ConsentOutcome.Granted granted = grantedByContoso(client);
        fx.contoso.setGrantedPermissions(fx.cloud.app(), Set.of("Mail.ReadBasic.All", "User.Read.All"));

        ConsentVerification v = client.adminConsent().verify(granted);

        assertThat(v.status()).isEqualTo(Status.VERIFIED);
        assertThat(stored().permissions()).isEqualTo(ConnectionPermissions.entra(PermissionProfile.MINIMAL));
    }

    @Test
    void aConnectionBegunWithAProfileIsJudgedByItAndNamesWhatIsMissing() {
        OutlookClient client = fx.client();
        client.adminConsent().begin(ACME, FakeCloudFixture.REDIRECT, com.tekst.outlook.TenantHint.ORGANIZATIONS,
                ConnectionPermissions.entra(PermissionProfile.PROCESS_AND_FORWARD));
        ConsentOutcome.Granted granted = grantedByContoso(client); // begins again: the connection keeps its profile

        ConsentVerification v = client.adminConsent().verify(granted);

        assertThat(stored().permissions().profile()).isEqualTo(PermissionProfile.PROCESS_AND_FORWARD);
        assertThat(v.status()).isEqualTo(Status.PERMISSIONS_MISSING);
        assertThat(v.missingPermissions()).containsExactly("Mail.ReadWrite", "Mail.Send");
        assertThat(stored().status()).isEqualTo(ConnectionStatus.CONSENT_MISSING);

        ConsentOutcome.Granted again = grantedByContoso(client);
        fx.contoso.setGrantedPermissions(fx.cloud.app(), PermissionProfile.PROCESS_AND_FORWARD.graphPermissions());
        assertThat(client.adminConsent().verify(again).status()).isEqualTo(Status.VERIFIED);
        assertThat(stored().status()).isEqualTo(ConnectionStatus.CONNECTED);
    }

    @Test
    void everyProfileAsksForItsPermissionsAndRbacLeavesOnlyTheDirectoryInTheToken() {
        assertThat(PermissionProfile.READ_ONLY.graphPermissions())
                .containsExactly("Mail.Read", "MailboxSettings.Read", "User.Read.All");
        assertThat(PermissionProfile.PROCESS.graphPermissions())
                .containsExactly("Mail.Read", "Mail.ReadWrite", "MailboxSettings.Read", "User.Read.All");
        assertThat(PermissionProfile.PROCESS_AND_FORWARD.exchangeRoles()).containsExactly("Application Mail.Read",
                "Application Mail.ReadWrite", "Application Mail.Send", "Application MailboxSettings.Read");
        assertThat(PermissionProfile.MINIMAL.graphPermissions()).containsExactly("Mail.ReadBasic.All", "User.Read.All");
        assertThat(PermissionProfile.MINIMAL.readsBodies()).isFalse();
        for (PermissionProfile p : PermissionProfile.values()) {
            assertThat(ConnectionPermissions.exchangeRbac(p).tokenPermissions()).containsExactly("User.Read.All");
            assertThat(ConnectionPermissions.entra(p).tokenPermissions()).isEqualTo(p.graphPermissions());
        }
    }

    @Test
    void aWrongSecretIsCredentialInvalid() {
        OutlookClient client = fx.client(b -> b.credential(AppCredential.secret("not-the-secret~0123456789")));
        ConsentVerification v = client.adminConsent().verify(grantedByContoso(client));
        assertThat(v.status()).isEqualTo(Status.CREDENTIAL_INVALID);
        assertThat(v.detail()).contains("AADSTS7000215");
        assertThat(stored().status()).isEqualTo(ConnectionStatus.CREDENTIAL_INVALID);
        assertThat(stored().tenant()).isEmpty();
    }

    @Test
    void anExpiredSecretIsCredentialInvalid() {
        OutlookClient client = fx.client();
        ConsentOutcome.Granted granted = grantedByContoso(client);
        fx.cloud.app().expireSecrets();
        ConsentVerification v = client.adminConsent().verify(granted);
        assertThat(v.status()).isEqualTo(Status.CREDENTIAL_INVALID);
        assertThat(v.detail()).contains("expired", "AADSTS7000222");
        assertThat(stored().status()).isEqualTo(ConnectionStatus.CREDENTIAL_INVALID);
    }

    @Test
    void anUnknownTenantIsTenantNotFound() {
        OutlookClient client = fx.client();
        client.adminConsent().begin(ACME, FakeCloudFixture.REDIRECT);
        TenantId nowhere = TenantId.of("0b0e0e0e-1111-2222-3333-444444444444");
        ConsentVerification v = client.adminConsent().verify(new ConsentOutcome.Granted(ACME, nowhere, ""));
        assertThat(v.status()).isEqualTo(Status.TENANT_NOT_FOUND);
        assertThat(v.detail()).contains("AADSTS90002");
        assertThat(stored().status()).isEqualTo(ConnectionStatus.TENANT_NOT_FOUND);
        assertThat(stored().tenant()).isEmpty();
    }

    @Test
    void aDisabledAppIsAppDisabled() {
        OutlookClient client = fx.client();
        ConsentOutcome.Granted granted = grantedByContoso(client);
        fx.contoso.setAppDisabled(fx.cloud.app(), true);
        ConsentVerification v = client.adminConsent().verify(granted);
        assertThat(v.status()).isEqualTo(Status.APP_DISABLED);
        assertThat(v.detail()).contains("AADSTS7000112");
        assertThat(stored().status()).isEqualTo(ConnectionStatus.APP_DISABLED);
    }

    @Test
    void throttlingIsReportedWithRetryAfterChangesNothingAndIsHonoured() {
        OutlookClient client = fx.client();
        ConsentOutcome.Granted granted = grantedByContoso(client);
        fx.cloud.faults().add(Faults.on(Faults.tokenRequests()).respond(Fault.throttle(Duration.ofSeconds(30))));

        ConsentVerification v = client.adminConsent().verify(granted);
        assertThat(v.status()).isEqualTo(Status.THROTTLED);
        assertThat(v.retryAfter()).contains(Duration.ofSeconds(30));
        assertThat(stored().status()).isEqualTo(ConnectionStatus.PENDING_CONSENT);

        fx.clock.advance(Duration.ofSeconds(10));
        ConsentVerification early = client.adminConsent().verify(granted);
        assertThat(early.status()).isEqualTo(Status.THROTTLED);
        assertThat(early.retryAfter()).contains(Duration.ofSeconds(20));
        assertThat(fx.cloud.journal().tokenRequests(fx.contoso.id())).as("no request before Retry-After").hasSize(1);

        fx.clock.advance(Duration.ofSeconds(20));
        assertThat(client.adminConsent().verify(granted).status()).isEqualTo(Status.VERIFIED);
        assertThat(tokenStatuses(fx.contoso.id())).containsExactly(429, 200);
    }

    @Test
    void aTransientServiceErrorIsRetriedByTheSdk() {
        OutlookClient client = fx.client();
        ConsentOutcome.Granted granted = grantedByContoso(client);
        fx.cloud.faults().add(Faults.on(Faults.tokenRequests()).respond(Fault.serviceUnavailable()));
        assertThat(client.adminConsent().verify(granted).status()).isEqualTo(Status.VERIFIED);
        assertThat(tokenStatuses(fx.contoso.id())).containsExactly(503, 200);
    }

    @Test
    void aPkcs12CertificateCredentialVerifies() throws Exception {
        HeldCertificate cert = new HeldCertificate.Builder().rsa2048().commonName("Tekst Outlook").build();
        fx.cloud.app().addCertificate(cert.certificate());
        char[] password = "pfx-password".toCharArray();
        KeyStore pkcs12 = KeyStore.getInstance("PKCS12");
        pkcs12.load(null, null);
        pkcs12.setKeyEntry("tekst", cert.keyPair().getPrivate(), password, new Certificate[] {cert.certificate()});
        ByteArrayOutputStream pfx = new ByteArrayOutputStream();
        pkcs12.store(pfx, password);

        OutlookClient client = fx.client(b -> b.credential(
                AppCredential.pkcs12(new ByteArrayInputStream(pfx.toByteArray()), password)));
        assertThat(client.adminConsent().verify(grantedByContoso(client)).status()).isEqualTo(Status.VERIFIED);
        assertThat(stored().tenant()).hasValue(fx.contoso.id());
    }

    @Test
    void pemCertificateCredentialsVerifyInPkcs8AndPkcs1Form() {
        HeldCertificate cert = new HeldCertificate.Builder().rsa2048().commonName("Tekst Outlook").build();
        fx.cloud.app().addCertificate(cert.certificate());
        OutlookClient pkcs8 = fx.client(b -> b.credential(
                AppCredential.pem(cert.privateKeyPkcs8Pem(), cert.certificatePem())));
        assertThat(pkcs8.adminConsent().verify(grantedByContoso(pkcs8)).status()).isEqualTo(Status.VERIFIED);

        OutlookClient pkcs1 = fx.client(b -> b.credential(
                AppCredential.pem(cert.privateKeyPkcs1Pem(), cert.certificatePem())));
        ConnectionId other = ConnectionId.of("acme-2");
        ConsentOutcome outcome = fx.consent(pkcs1, other, FakeCloudFixture.CONTOSO_ADMIN, true);
        assertThat(pkcs1.adminConsent().verify((ConsentOutcome.Granted) outcome).status()).isEqualTo(Status.VERIFIED);
        assertThat(tokenStatuses(fx.contoso.id())).containsExactly(200, 200);
    }

    @Test
    void aCertificateTheAppDoesNotKnowIsCredentialInvalid() {
        HeldCertificate unregistered = new HeldCertificate.Builder().rsa2048().build();
        OutlookClient client = fx.client(b -> b.credential(
                AppCredential.certificate(unregistered.keyPair().getPrivate(), unregistered.certificate())));
        ConsentVerification v = client.adminConsent().verify(grantedByContoso(client));
        assertThat(v.status()).isEqualTo(Status.CREDENTIAL_INVALID);
        assertThat(v.detail()).contains("AADSTS700027");
    }
}
