package com.tekst.outlook.graph.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.tekst.outlook.ConnectionStatus;
import com.tekst.outlook.ErrorDetails;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.consent.ConsentOutcome;
import com.tekst.outlook.consent.ConsentVerification;
import com.tekst.outlook.graph.OutlookClient;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.store.BackfillCursor;
import com.tekst.outlook.sync.BackfillWindow;
import com.tekst.outlook.sync.MailMessage;
import com.tekst.outlook.sync.SyncEngine;
import com.tekst.outlook.testkit.FakeMailbox;
import com.tekst.outlook.testkit.JournalEntry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Acceptance: consent revoked, or the application's secret expired, in the middle of live sync and backfill.
 * The connection stops with a typed status, no request at all (Graph or token) is made for it until the cause is
 * fixed, and then sync resumes from the stored checkpoints and cursors: nothing delivered again beyond the page in
 * progress, no backfill started over.
 */
class ConnectionFailureAcceptanceTest {
    static final int LIVE = 100;
    static final int OLD = 600;

    SyncCloud w;
    FakeMailbox alice;
    FakeMailbox bob;
    Set<String> expected;

    @BeforeEach
    void start() {
        w = new SyncCloud();
        alice = w.addMailbox("alice", "inbox", "archive");
        bob = w.addMailbox("bob", "inbox");
        expected = SyncCloud.ids(SyncCloud.deliver(alice, "inbox", OLD, SyncCloud.CONNECTED_AT.minusSeconds(60),
                Duration.ofMinutes(7)));
        w.clock.advance(Duration.ofMinutes(50));
        expected.addAll(SyncCloud.ids(SyncCloud.deliver(alice, "archive", LIVE, w.clock.instant(),
                Duration.ofSeconds(20))));
        expected.addAll(SyncCloud.ids(SyncCloud.deliver(bob, "inbox", LIVE, w.clock.instant(),
                Duration.ofSeconds(20))));
    }

    @AfterEach
    void stop() throws InterruptedException {
        w.close();
    }

    /** Breaks the connection from inside the sink after some pages, and lets the cached token expire. */
    void breakAfterPages(int pages, Runnable cause) {
        AtomicInteger n = new AtomicInteger();
        w.sink.behave(p -> {
            if (n.incrementAndGet() == pages) {
                cause.run();
                w.clock.advance(Duration.ofHours(2)); // the cached token expires; the next call needs a new one
            }
        });
    }

    List<JournalEntry> tenantRequests() {
        return w.requests(e -> w.tenant.id().equals(e.tenant().orElse(null)));
    }

    /** Sync is stopped: polls pass, and not one request (Graph or token) is made for the tenant. */
    void assertStoppedWithoutRequests(ConnectionStatus status) throws InterruptedException {
        w.settle();
        assertThat(w.connectionStatus()).isEqualTo(status);
        assertThat(w.events.connection).contains(status);
        int before = tenantRequests().size();
        int delivered = w.sink.pages.size();
        for (int i = 0; i < 5; i++) {
            w.advance(SyncCloud.POLL);
        }
        w.advance(Duration.ofHours(1));
        assertThat(tenantRequests()).as("no request while the connection is " + status).hasSize(before);
        assertThat(w.sink.pages).hasSize(delivered);
        assertThat(w.sink.messageIds(alice.objectId()).size() + w.sink.messageIds(bob.objectId()).size())
                .as("sync was stopped in the middle").isLessThan(expected.size());
    }

    /** After the fix: everything arrives, at most one page comes twice per folder, no backfill restarts. */
    void assertResumedFromCheckpoints() throws InterruptedException {
        for (int i = 0; i < 10 && !allDelivered(); i++) {
            w.advance(SyncCloud.POLL);
        }
        Map<String, Integer> n = new HashMap<>();
        for (MailboxId mailbox : List.of(alice.objectId(), bob.objectId())) {
            for (MailMessage m : w.sink.messages(mailbox)) {
                n.merge(m.id(), 1, Integer::sum);
            }
        }
        assertThat(n.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        long again = n.values().stream().filter(c -> c > 1).count();
        assertThat(again).as("messages delivered twice (at most the page in progress)").isLessThanOrEqualTo(50);
        assertThat(w.store.listBackfillCursors(w.connection, alice.objectId())).filteredOn(
                c -> c.key().folderId().equals(alice.folder("inbox").id())).singleElement()
                .satisfies(c -> {
                    assertThat(c.state()).isEqualTo(BackfillCursor.State.COMPLETE);
                    assertThat(c.delivered()).isEqualTo(OLD);
                });
        // a backfill's first page lists below the connection time (lt); later pages from their key (le)
        List<JournalEntry> firstListings = w.requests(e -> alice.objectId().equals(e.mailbox().orElse(null))
                && e.path().endsWith("/messages") && e.query().contains("orderby")
                && java.net.URLDecoder.decode(e.query(), java.nio.charset.StandardCharsets.UTF_8)
                .contains("receivedDateTime lt "));
        assertThat(firstListings).as("the inbox backfill listed from the top once; archive's window is empty")
                .filteredOn(e -> e.status() == 200).hasSize(2);
        assertThat(w.acks.duplicates()).isEmpty();
        assertThat(w.mailbox(alice).status()).isIn(MailboxStatus.IDLE, MailboxStatus.SYNCING);
        System.out.printf("resumed: %d messages, %d delivered twice%n", n.size(), again);
    }

    boolean allDelivered() {
        Set<String> got = new java.util.HashSet<>(w.sink.messageIds(alice.objectId()));
        got.addAll(w.sink.messageIds(bob.objectId()));
        return got.containsAll(expected);
    }

    @Test
    void consentRevokedMidSyncStopsTheConnectionUntilReConsentThenResumesFromCheckpoints() throws Exception {
        breakAfterPages(6, () -> w.tenant.revokeConsent(w.cloud.app()));
        SyncEngine engine = w.start(w.builder().pageSize(20).backfillPageSize(50).threads(2));
        w.client.finishSetup(engine, w.connection, BackfillWindow.everything());

        assertStoppedWithoutRequests(ConnectionStatus.CONSENT_REVOKED);
        ErrorDetails revoked = w.events.connectionDetails.get(ConnectionStatus.CONSENT_REVOKED);
        assertThat(revoked.errorCode()).as("the refused token request's code reaches the listener")
                .hasValue("AADSTS700016");
        assertThat(revoked.tenant()).hasValue(w.tenant.id());
        // the last token request was refused (a Graph call already under way with the old token may arrive after it)
        List<JournalEntry> tokenRequests = tenantRequests().stream()
                .filter(e -> e.path().endsWith("/oauth2/v2.0/token")).toList();
        JournalEntry refused = tokenRequests.get(tokenRequests.size() - 1);
        assertThat(refused.status()).isEqualTo(400);

        // The administrator consents again; the application verifies it (as after the consent page's callback).
        w.tenant.grantConsent(w.cloud.app());
        ConsentVerification v = w.client.adminConsent().verify(new ConsentOutcome.Granted(w.connection,
                w.tenant.id(), "https://graph.microsoft.com/.default"));
        assertThat(v.isVerified()).isTrue();
        assertThat(w.connectionStatus()).isEqualTo(ConnectionStatus.CONNECTED);

        assertResumedFromCheckpoints();
        assertThat(w.events.connection).as("one event for the revocation, one for the recovery, none per failed call")
                .containsExactly(ConnectionStatus.CONSENT_REVOKED, ConnectionStatus.CONNECTED);
    }

    @Test
    void secretExpiredMidSyncStopsTheConnectionUntilANewClientWithANewSecretResumesIt() throws Exception {
        breakAfterPages(6, () -> w.cloud.app().expireSecrets());
        SyncEngine engine = w.start(w.builder().pageSize(20).backfillPageSize(50).threads(2));
        w.client.finishSetup(engine, w.connection, BackfillWindow.everything());

        assertStoppedWithoutRequests(ConnectionStatus.CREDENTIAL_INVALID);

        // The operator adds a new secret to the app registration and rolls it out: a new client, a new engine on the
        // same store, and the stopped connection resumed.
        String secret = "new~secret~" + "0123456789abcdefghijklmnopqrstu";
        w.cloud.app().addSecret(secret, Duration.ofDays(365));
        assertThat(engine.stop(Duration.ofSeconds(10))).isTrue();
        OutlookClient renewed = w.newClient(secret);
        w.client = renewed;
        SyncEngine next = w.start(w.builder().pageSize(20).backfillPageSize(50).threads(2));
        next.resume(w.connection);
        assertThat(w.connectionStatus()).isEqualTo(ConnectionStatus.CONNECTED);

        assertResumedFromCheckpoints();
        assertThat(w.events.connection).as("one event for the expired secret, one for the recovery by the new client")
                .containsExactly(ConnectionStatus.CREDENTIAL_INVALID, ConnectionStatus.CONNECTED);
    }
}
