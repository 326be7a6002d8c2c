package com.tekst.outlook.graph.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionStatus;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.consent.ConsentCallback;
import com.tekst.outlook.consent.ConsentOutcome;
import com.tekst.outlook.consent.ConsentVerification;
import com.tekst.outlook.graph.OutlookClient;
import com.tekst.outlook.graph.StateKey;
import com.tekst.outlook.mailbox.FolderSelection;
import com.tekst.outlook.store.InMemoryOutlookStore;
import com.tekst.outlook.testkit.FakeApp;
import com.tekst.outlook.testkit.FakeClock;
import com.tekst.outlook.testkit.FakeMicrosoftCloud;
import com.tekst.outlook.testkit.FakeTenant;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Contoso with an administrator, alice, bob (users), support (shared) and four more users (canaries for the
 * restriction), Tekst's app, and a connection made through the public wizard path: consent, verification, alice and
 * support added with their Inbox, an application access policy on both. Close it after the test.
 */
final class DiagnosticsFixture implements AutoCloseable {
    static final URI REDIRECT = URI.create("https://app.tekst.example/outlook/consent/callback");
    static final String ADMIN = "admin@contoso.com";
    static final String ALICE = "alice@contoso.com";
    static final String SUPPORT = "support@contoso.com";

    final FakeClock clock = new FakeClock();
    final FakeMicrosoftCloud cloud;
    final FakeTenant contoso;
    final InMemoryOutlookStore store = new InMemoryOutlookStore();
    final StateKey key = StateKey.random();
    private final List<OutlookClient> clients = new ArrayList<>();
    final OutlookClient client;

    DiagnosticsFixture() {
        cloud = FakeMicrosoftCloud.builder()
                .clock(clock)
                .app(FakeApp.builder().redirectUri(REDIRECT.toString()))
                .tenant(FakeTenant.builder("contoso").domain("contoso.com").administrator(ADMIN)
                        .user(ALICE).user("bob@contoso.com").sharedMailbox(SUPPORT)
                        .user("carol@contoso.com").user("dave@contoso.com").user("erin@contoso.com"))
                .start();
        contoso = cloud.tenant("contoso");
        client = client(b -> b);
    }

    OutlookClient client(UnaryOperator<OutlookClient.Builder> customize) {
        OutlookClient c = customize.apply(OutlookClient.builder(cloud).store(store).stateKeys(key)).build();
        clients.add(c);
        return c;
    }

    /** Consent → verify → add alice and support → application access policy on both (the wizard's steps 1–3). */
    ConnectionId connectAndChoose() {
        ConnectionId id = ConnectionId.of("acme");
        URI consentUrl = client.adminConsent().begin(id, REDIRECT).consentUrl();
        URI back = cloud.adminConsent(consentUrl, ADMIN, true);
        ConsentOutcome outcome = client.adminConsent().complete(id, ConsentCallback.fromQueryString(back.getRawQuery()));
        ConsentVerification verification = client.adminConsent().verify((ConsentOutcome.Granted) outcome);
        assertThat(verification.isVerified()).as(verification.detail()).isTrue();
        assertThat(store.findConnection(id).orElseThrow().status()).isEqualTo(ConnectionStatus.CONNECTED);
        client.mailboxScope().add(id, MailboxAddress.of(ALICE), List.of(FolderSelection.inbox()));
        client.mailboxScope().add(id, MailboxAddress.of(SUPPORT), List.of(FolderSelection.inbox()));
        contoso.restrict(cloud.app(), FakeTenant.RestrictionMechanism.APPLICATION_ACCESS_POLICY);
        contoso.addToRestrictionGroup(cloud.app(), ALICE, SUPPORT);
        return id;
    }

    String objectId(String address) {
        return contoso.user(address).orElseThrow().objectId();
    }

    @Override
    public void close() {
        clients.forEach(OutlookClient::close);
        cloud.close();
    }
}
