package com.tekst.outlook.graph.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tekst.outlook.ErrorDetails;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.MailboxIdentityChangedException;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.sync.BackfillWindow;
import com.tekst.outlook.sync.SyncListener;
import com.tekst.outlook.testkit.FakeMailbox;
import com.tekst.outlook.testkit.FakeUser;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every persisted status transition reaches the {@link SyncListener} exactly once, whoever causes it: the
 * application's {@code pause} and {@code resume} (also of a mailbox the engine has not read yet), the mailbox scope
 * adding or removing a mailbox, the scope guard flagging {@code MAILBOX_IDENTITY_CHANGED}, and {@code finishSetup}.
 * (A verified re-consent, {@code CONSENT_REVOKED} → {@code CONNECTED}, is core's {@code FailureTest}.) Each test
 * settles the engine on the fake clock and across a further poll, so a late duplicate would be seen.
 */
class StatusEventsAcceptanceTest {
    SyncCloud w;
    final Transitions events = new Transitions();

    @BeforeEach
    void start() {
        w = new SyncCloud();
    }

    @AfterEach
    void stop() throws InterruptedException {
        w.close();
    }

    /** Records mailbox transitions as {@code mailboxId:from>to}. */
    static final class Transitions implements SyncListener {
        final List<String> mailbox = new CopyOnWriteArrayList<>();

        @Override
        public void mailboxStatusChanged(ConnectionId c, MailboxId mailboxId, MailboxStatus from, MailboxStatus to,
                                         Instant until, String reason, ErrorDetails details) {
            mailbox.add(mailboxId + ":" + from + ">" + to);
        }

        long count(MailboxId mailboxId, MailboxStatus from, MailboxStatus to) {
            return mailbox.stream().filter((mailboxId + ":" + from + ">" + to)::equals).count();
        }

        /** The mailbox's events, {@code from>to}, in order. */
        List<String> of(MailboxId mailboxId) {
            return mailbox.stream().filter(e -> e.startsWith(mailboxId + ":"))
                    .map(e -> e.substring(mailboxId.value().length() + 1)).toList();
        }
    }

    /**
     * The mailbox's events form one chain from {@code first} to what the store holds (or {@code null}, removed):
     * each event starts where the one before ended, so none is missing and none is reported twice.
     */
    private void assertChain(MailboxId mailboxId, MailboxStatus first) {
        List<String> chain = events.of(mailboxId);
        assertThat(chain).as("events of %s", mailboxId).isNotEmpty();
        String at = String.valueOf(first);
        for (String e : chain) {
            assertThat(e).as("events of %s: %s", mailboxId, chain).startsWith(at + ">");
            at = e.substring(e.indexOf('>') + 1);
        }
        String stored = String.valueOf(w.store.findMailbox(w.connection, mailboxId).map(r -> r.status())
                .orElse(null));
        assertThat(at).as("the last event of %s (%s) ends at the stored status", mailboxId, chain).isEqualTo(stored);
    }

    private FakeMailbox syncedMailbox() throws InterruptedException {
        FakeMailbox alice = w.addMailbox("alice", "inbox");
        w.start(w.builder().listener(events));
        w.settle();
        assertThat(w.mailbox(alice).status()).isEqualTo(MailboxStatus.IDLE);
        return alice;
    }

    /** Two more polls on the fake clock: whatever a store read or a round would still report has been reported. */
    private void twoPolls() throws InterruptedException {
        w.advance(SyncCloud.POLL);
        w.advance(SyncCloud.POLL);
    }

    @Test
    void pauseAndResumeAreReportedOnce() throws Exception {
        FakeMailbox alice = syncedMailbox();

        w.engine.pause(w.connection, alice.objectId());
        twoPolls();
        assertThat(events.count(alice.objectId(), MailboxStatus.IDLE, MailboxStatus.PAUSED)).isEqualTo(1);
        assertThat(w.mailbox(alice).status()).isEqualTo(MailboxStatus.PAUSED);

        w.engine.resume(w.connection, alice.objectId());
        twoPolls();
        assertThat(events.of(alice.objectId())).as("resumed: the mailbox leaves PAUSED once (a round starts at once)")
                .filteredOn(e -> e.startsWith("PAUSED>")).hasSize(1);
        assertThat(w.mailbox(alice).status()).isEqualTo(MailboxStatus.IDLE);
        assertThat(events.mailbox).filteredOn(e -> e.endsWith(">PAUSED")).hasSize(1);
        assertChain(alice.objectId(), MailboxStatus.PENDING);
    }

    @Test
    void aMailboxAddedByTheScopeIsReportedOnceThenItsPauseOnce() throws Exception {
        syncedMailbox();
        FakeUser bob = w.tenant.addUser(FakeUser.builder("bob@contoso.onmicrosoft.com"));

        w.client.mailboxScope().add(w.connection, MailboxAddress.of(bob.userPrincipalName()));
        // paused before the engine's next store read: the engine reads the mailbox first
        w.engine.pause(w.connection, MailboxId.of(bob.objectId()));
        twoPolls();

        assertChain(MailboxId.of(bob.objectId()), null);
        assertThat(events.of(MailboxId.of(bob.objectId()))).first().isEqualTo("null>PENDING");
        assertThat(events.of(MailboxId.of(bob.objectId()))).filteredOn(e -> e.endsWith(">PAUSED")).hasSize(1);
        assertThat(w.store.findMailbox(w.connection, MailboxId.of(bob.objectId())).orElseThrow().status())
                .isEqualTo(MailboxStatus.PAUSED);
    }

    @Test
    void aMailboxAddedByTheScopeIsReportedOnceAndSyncs() throws Exception {
        syncedMailbox();
        FakeUser bob = w.tenant.addUser(FakeUser.builder("bob@contoso.onmicrosoft.com"));

        w.client.mailboxScope().add(w.connection, MailboxAddress.of(bob.userPrincipalName()));
        twoPolls();

        assertThat(events.count(MailboxId.of(bob.objectId()), null, MailboxStatus.PENDING)).isEqualTo(1);
        assertThat(events.of(MailboxId.of(bob.objectId()))).first().isEqualTo("null>PENDING");
        assertChain(MailboxId.of(bob.objectId()), null);
        assertThat(w.store.findMailbox(w.connection, MailboxId.of(bob.objectId())).orElseThrow().status())
                .isEqualTo(MailboxStatus.IDLE);
    }

    @Test
    void aMailboxRemovedByTheScopeIsReportedOnce() throws Exception {
        FakeMailbox alice = syncedMailbox();

        assertThat(w.client.mailboxScope().remove(w.connection, MailboxAddress.of(alice.address()))).isTrue();
        twoPolls();

        assertThat(events.mailbox).filteredOn(e -> e.startsWith(alice.objectId() + ":") && e.endsWith(">null"))
                .containsExactly(alice.objectId() + ":IDLE>null");
        assertChain(alice.objectId(), MailboxStatus.PENDING);
    }

    @Test
    void theScopeGuardsIdentityChangeIsReportedOnce() throws Exception {
        syncedMailbox();
        String upn = "bob@contoso.onmicrosoft.com";
        FakeUser leaver = w.tenant.addUser(FakeUser.builder(upn));
        w.client.mailboxScope().add(w.connection, MailboxAddress.of(upn));
        twoPolls();
        assertThat(w.store.findMailbox(w.connection, MailboxId.of(leaver.objectId())).orElseThrow().status())
                .isEqualTo(MailboxStatus.IDLE);

        w.tenant.removeUser(upn);
        assertThatThrownBy(() -> w.client.graphServiceClient(w.connection).users().byUserId(upn).messages().get())
                .isInstanceOf(MailboxIdentityChangedException.class);
        twoPolls();

        assertThat(w.store.findMailbox(w.connection, MailboxId.of(leaver.objectId())).orElseThrow().status())
                .isEqualTo(MailboxStatus.MAILBOX_IDENTITY_CHANGED);
        assertThat(events.mailbox).filteredOn(e -> e.startsWith(leaver.objectId() + ":")
                        && e.endsWith(">MAILBOX_IDENTITY_CHANGED"))
                .containsExactly(leaver.objectId() + ":IDLE>MAILBOX_IDENTITY_CHANGED");
        assertChain(MailboxId.of(leaver.objectId()), null);
    }

    @Test
    void finishSetupsBackfillIsReportedOnce() throws Exception {
        FakeMailbox alice = syncedMailbox();
        SyncCloud.deliver(alice, "inbox", 30, SyncCloud.CONNECTED_AT.minusSeconds(60), Duration.ofHours(1));

        w.client.finishSetup(w.engine, w.connection, BackfillWindow.last90Days());
        twoPolls();
        // the backfill's last page and the reconciliation after it may need further polls on a loaded machine
        for (int poll = 0; poll < 10 && w.mailbox(alice).status() != MailboxStatus.IDLE; poll++) {
            w.advance(SyncCloud.POLL);
        }

        assertThat(events.count(alice.objectId(), MailboxStatus.IDLE, MailboxStatus.BACKFILLING)).isEqualTo(1);
        assertThat(events.count(alice.objectId(), MailboxStatus.BACKFILLING, MailboxStatus.IDLE)).isEqualTo(1);
        assertThat(w.mailbox(alice).status()).isEqualTo(MailboxStatus.IDLE);
        assertChain(alice.objectId(), MailboxStatus.PENDING);
    }
}
