package com.tekst.outlook.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.tekst.outlook.Connection;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionStatus;
import com.tekst.outlook.ConsentException;
import com.tekst.outlook.CredentialException;
import com.tekst.outlook.ErrorDetails;
import com.tekst.outlook.MailboxAccessException;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.OutlookClientException;
import com.tekst.outlook.ServiceException;
import com.tekst.outlook.TenantException;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.store.FolderKey;
import com.tekst.outlook.sync.support.FakeGraph;
import com.tekst.outlook.sync.support.FakeGraph.CallKind;
import com.tekst.outlook.sync.support.RecordingListener;
import com.tekst.outlook.sync.support.SyncFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

class FailureTest {
    private final SyncFixture fx = new SyncFixture();

    @AfterEach
    void close() throws InterruptedException {
        fx.close();
    }

    @ParameterizedTest
    @EnumSource(MailboxAccessException.Reason.class)
    void aMailboxAccessErrorStopsThatMailboxOnlyUntilResumed(MailboxAccessException.Reason reason) throws Exception {
        Connection c = fx.connect("c1", 1);
        MailboxId denied = fx.addMailbox(c, 1, "inbox");
        MailboxId fine = fx.addMailbox(c, 2, "inbox");
        fx.graph.deliver(denied, "inbox", 5, fx.clock.instant(), Duration.ofSeconds(1));
        fx.graph.deliver(fine, "inbox", 5, fx.clock.instant(), Duration.ofSeconds(1));
        fx.graph.failAlways(denied, () -> new MailboxAccessException(reason, "ErrorAccessDenied", ErrorDetails.NONE,
                null));
        fx.start();
        fx.settle();

        MailboxStatus expected = MailboxStatus.valueOf(reason.name());
        assertThat(fx.mailbox(c, denied).status()).isEqualTo(expected);
        assertThat(fx.mailbox(c, denied).statusDetail()).isEqualTo("ErrorAccessDenied");
        assertThat(fx.listener.events(RecordingListener.MailboxChange.class))
                .contains(new RecordingListener.MailboxChange(denied, MailboxStatus.SYNCING, expected, null));
        assertThat(fx.sink.messageIds(fine)).hasSize(5);
        assertThat(fx.connectionStatus(c)).isEqualTo(ConnectionStatus.CONNECTED);
        for (int i = 0; i < 3; i++) {
            fx.advance(SyncFixture.POLL);
        }
        assertThat(fx.graph.calls(denied)).as("no call to a stopped mailbox").hasSize(1);
        assertThat(fx.graph.calls(fine)).hasSize(4);

        fx.graph.failAlways(denied, null);
        fx.engine.resume(c.id(), denied);
        fx.settle();
        assertThat(fx.sink.messageIds(denied)).hasSize(5);
        assertThat(fx.mailbox(c, denied).status()).isEqualTo(MailboxStatus.IDLE);
    }

    private void connectionLevelFailureStopsEveryMailboxAndResumes(Supplier<RuntimeException> fault,
                                                                   ConnectionStatus expected,
                                                                   boolean resumeThroughStore) throws Exception {
        Connection a = fx.connect("a", 1);
        Connection b = fx.connect("b", 2);
        MailboxId a1 = fx.addMailbox(a, 1, "inbox", "archive");
        MailboxId a2 = fx.addMailbox(a, 2, "inbox");
        MailboxId b1 = fx.addMailbox(b, 3, "inbox");
        for (MailboxId mb : List.of(a1, a2, b1)) {
            fx.graph.deliver(mb, "inbox", 20, fx.clock.instant(), Duration.ofSeconds(1));
        }
        fx.start(fx.builder().pageSize(10));
        fx.settle();
        FolderKey key = new FolderKey(a.id(), a1, "inbox");
        String deltaLink = fx.store.findCheckpoint(key).orElseThrow().deltaLink().orElse(null);

        fx.graph.failTenant(a.tenant().orElseThrow().value(), fault);
        fx.advance(SyncFixture.POLL);
        assertThat(fx.connectionStatus(a)).isEqualTo(expected);
        assertThat(fx.listener.events(RecordingListener.ConnectionChange.class))
                .contains(new RecordingListener.ConnectionChange(a.id(), ConnectionStatus.CONNECTED, expected));
        int callsA = fx.graph.calls(a1).size() + fx.graph.calls(a2).size();

        fx.graph.deliver(a1, "inbox", 3, fx.clock.instant(), Duration.ofSeconds(1));
        fx.graph.deliver(b1, "inbox", 3, fx.clock.instant(), Duration.ofSeconds(1));
        for (int i = 0; i < 5; i++) {
            fx.advance(SyncFixture.POLL);
        }
        assertThat(fx.graph.calls(a1).size() + fx.graph.calls(a2).size())
                .as("no call for any mailbox of the stopped connection").isEqualTo(callsA);
        assertThat(fx.sink.messageIds(b1)).as("the other connection goes on").hasSize(23);
        assertThat(fx.store.findCheckpoint(key).orElseThrow().deltaLink()).as("checkpoints kept")
                .contains(deltaLink);

        fx.graph.failTenant(a.tenant().orElseThrow().value(), null);
        if (resumeThroughStore) {
            fx.store.saveConnection(fx.store.findConnection(a.id()).orElseThrow()
                    .withStatus(ConnectionStatus.CONNECTED)); // e.g. re-consent verified by the consent flow
            fx.advance(SyncFixture.POLL);
        } else {
            fx.engine.resume(a.id());
            fx.settle();
        }
        assertThat(fx.connectionStatus(a)).isEqualTo(ConnectionStatus.CONNECTED);
        assertThat(fx.listener.events(RecordingListener.ConnectionChange.class))
                .as("the listener hears of the way back once, whoever made it")
                .containsOnlyOnce(new RecordingListener.ConnectionChange(a.id(), expected, ConnectionStatus.CONNECTED));
        List<FakeGraph.Call> resumed = fx.graph.calls(a1).stream()
                .filter(call -> call.folderId().equals("inbox") && !call.failed()).toList();
        FakeGraph.Call firstAfter = resumed.get(resumed.size() - 1);
        assertThat(firstAfter.kind()).as("resumed from the stored delta link").isEqualTo(CallKind.DELTA_LINK);
        assertThat(((DeltaRequest) firstAfter.request()).link()).contains(deltaLink);
        assertThat(fx.sink.messageIds(a1)).hasSize(23);
        assertThat(fx.store.duplicateAcks()).isEmpty();
    }

    @Test
    void revokedConsentStopsTheConnectionUntilTheStoreShowsItConnectedAgain() throws Exception {
        connectionLevelFailureStopsEveryMailboxAndResumes(() -> new ConsentException(
                ConsentException.Reason.CONSENT_MISSING, "AADSTS700016: application not found in the directory",
                ErrorDetails.NONE, null), ConnectionStatus.CONSENT_REVOKED, true);
    }

    @Test
    void anExpiredSecretStopsTheConnectionUntilResumed() throws Exception {
        connectionLevelFailureStopsEveryMailboxAndResumes(() -> new CredentialException(true,
                "AADSTS7000222: the client secret expired", ErrorDetails.NONE, null),
                ConnectionStatus.CREDENTIAL_INVALID, false);
    }

    @Test
    void aMissingTenantStopsTheConnectionUntilResumed() throws Exception {
        connectionLevelFailureStopsEveryMailboxAndResumes(() -> new TenantException(
                TenantException.Reason.TENANT_NOT_FOUND, "AADSTS90002", ErrorDetails.NONE, null),
                ConnectionStatus.TENANT_NOT_FOUND, false);
    }

    @Test
    void aDisabledAppStopsTheConnectionUntilResumed() throws Exception {
        connectionLevelFailureStopsEveryMailboxAndResumes(() -> new TenantException(
                TenantException.Reason.APP_DISABLED, "AADSTS7000112", ErrorDetails.NONE, null),
                ConnectionStatus.APP_DISABLED, false);
    }

    @Test
    void resumeRefusesADisconnectedOrUnknownConnection() throws Exception {
        Connection c = fx.connect("c1", 1);
        fx.store.saveConnection(c.withStatus(ConnectionStatus.DISCONNECTED));
        fx.start();
        assertThatThrownBy(() -> fx.engine.resume(c.id())).isInstanceOf(OutlookClientException.class)
                .hasMessageContaining("DISCONNECTED");
        assertThatThrownBy(() -> fx.engine.resume(ConnectionId.of("nope"))).isInstanceOf(OutlookClientException.class);
        assertThatThrownBy(() -> fx.engine.pause(c.id(), MailboxId.of(SyncFixture.guid(99))))
                .isInstanceOf(OutlookClientException.class);
    }

    @Test
    void transientErrorsBackOffWithJitterDegradeTheConnectionAndRecover() throws Exception {
        Connection c = fx.connect("c1", 1);
        MailboxId mb = fx.addMailbox(c, 1, "inbox");
        fx.graph.deliver(mb, "inbox", 5, fx.clock.instant(), Duration.ofSeconds(1));
        fx.graph.failNext(mb, () -> new ServiceException(true, "503 Service Unavailable", ErrorDetails.NONE, null),
                () -> new ServiceException(true, "504 Gateway Timeout", ErrorDetails.NONE, null),
                () -> new java.io.UncheckedIOException(new java.io.IOException("connection reset")));
        fx.start(fx.builder().backoff(Duration.ofSeconds(2), Duration.ofSeconds(5)));
        fx.settle();
        assertThat(fx.connectionStatus(c)).isEqualTo(ConnectionStatus.DEGRADED);

        List<Instant> retries = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RecordingListener.Retry retry = fx.listener.events(RecordingListener.Retry.class).get(i);
            Duration wait = Duration.between(fx.clock.instant(), retry.at());
            Duration full = Duration.ofSeconds(Math.min(5, 2L << i));
            assertThat(wait).isBetween(full.dividedBy(2), full);
            fx.advance(wait.minusMillis(1));
            assertThat(fx.graph.calls(mb)).as("not before the backoff").hasSize(i + 1);
            fx.advance(Duration.ofMillis(1));
            retries.add(retry.at());
        }
        assertThat(fx.graph.calls(mb)).hasSize(4);
        assertThat(fx.sink.messageIds(mb)).hasSize(5);
        assertThat(fx.connectionStatus(c)).isEqualTo(ConnectionStatus.CONNECTED);
        assertThat(fx.listener.events(RecordingListener.ConnectionChange.class)).extracting(e -> e.to())
                .containsExactly(ConnectionStatus.DEGRADED, ConnectionStatus.CONNECTED);

        // the same seed gives the same schedule
        SyncFixture again = new SyncFixture();
        try (again) {
            Connection c2 = again.connect("c1", 1);
            MailboxId mb2 = again.addMailbox(c2, 1, "inbox");
            again.graph.failNext(mb2, () -> new ServiceException(true, "503", ErrorDetails.NONE, null));
            again.start(again.builder().backoff(Duration.ofSeconds(2), Duration.ofSeconds(5)));
            again.settle();
            assertThat(again.listener.events(RecordingListener.Retry.class).get(0).at()).isEqualTo(retries.get(0));
        }
    }

    @Test
    void aListenerThatThrowsIsLoggedAndIgnored() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger("com.tekst.outlook.internal.sync");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            Connection c = fx.connect("c1", 1);
            MailboxId mb = fx.addMailbox(c, 1, "inbox");
            fx.graph.deliver(mb, "inbox", 250, fx.clock.instant(), Duration.ofMillis(500));
            SyncListener angry = new SyncListener() {
                @Override
                public void mailboxStatusChanged(ConnectionId connection, MailboxId mailboxId, MailboxStatus from,
                                                 MailboxStatus to, Instant until, String reason, ErrorDetails details) {
                    throw new IllegalStateException("listener bug");
                }

                @Override
                public void pageAcknowledged(FolderKey folder, MessagePage.Kind kind, int messages, int removals) {
                    throw new AssertionError("listener bug");
                }

                @Override
                public void roundCompleted(FolderKey folder, int pages, int messages, int removals) {
                    throw new IllegalStateException("listener bug");
                }
            };
            fx.start(fx.builder().listener(angry));
            fx.settle();

            assertThat(fx.sink.messageIds(mb)).hasSize(250);
            assertThat(fx.store.findCheckpoint(new FolderKey(c.id(), mb, "inbox")).orElseThrow().deltaLink())
                    .isPresent();
            assertThat(fx.mailbox(c, mb).status()).as("persisted even though the listener threw")
                    .isEqualTo(MailboxStatus.IDLE);
            assertThat(appender.list).filteredOn(e -> e.getFormattedMessage().contains("threw"))
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .contains("SyncListener " + angry.getClass().getName()
                                    + " threw java.lang.IllegalStateException from mailboxStatusChanged; ignored",
                            "SyncListener " + angry.getClass().getName()
                                    + " threw java.lang.AssertionError from pageAcknowledged; ignored");
        } finally {
            logger.detachAppender(appender);
        }
    }
}
