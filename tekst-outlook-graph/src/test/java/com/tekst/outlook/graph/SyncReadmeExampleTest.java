package com.tekst.outlook.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionStatus;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.consent.ConsentOutcome;
import com.tekst.outlook.mailbox.FolderRef;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.mailbox.MailboxType;
import com.tekst.outlook.store.BackfillCursor;
import com.tekst.outlook.store.MailboxRecord;
import com.tekst.outlook.sync.ConnectionProgress;
import com.tekst.outlook.sync.MailMessage;
import com.tekst.outlook.sync.SyncEngine;
import com.tekst.outlook.sync.SyncListener;
import com.tekst.outlook.testkit.FakeMailbox;
import com.tekst.outlook.testkit.FakeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The README's "Sync" snippet runs as written against the fake cloud, and the README shows exactly that code. */
class SyncReadmeExampleTest {
    FakeCloudFixture fx;

    @BeforeEach
    void start() {
        fx = new FakeCloudFixture();
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void theSnippetSyncsLiveMailAndNinetyDaysOfHistory() throws Exception {
        OutlookClient client = fx.client();
        ConnectionId acme = ConnectionId.of("acme");
        ConsentOutcome granted = fx.consent(client, acme, FakeCloudFixture.CONTOSO_ADMIN, true);
        assertThat(client.adminConsent().verify((ConsentOutcome.Granted) granted).isVerified()).isTrue();
        Instant connectedAt = fx.store.findConnection(acme).orElseThrow().connectedAt().orElseThrow();
        FakeMailbox alice = fx.contoso.mailbox("alice@contoso.onmicrosoft.com");
        fx.store.saveMailbox(new MailboxRecord(acme, alice.objectId(), MailboxAddress.of(alice.address()), "Alice",
                MailboxType.USER, List.of(new FolderRef(alice.folder("inbox").id(), "Inbox")), MailboxStatus.PENDING,
                null, "", connectedAt));
        FakeMessage tooOld = deliver(alice, "Archived long ago", connectedAt.minus(Duration.ofDays(120)));
        FakeMessage history = deliver(alice, "Quarterly review", connectedAt.minus(Duration.ofDays(60)));
        fx.clock.advance(Duration.ofMinutes(5));
        FakeMessage live = deliver(alice, "Invoice 4471", fx.clock.instant());

        Map<String, MailMessage> tekst = new ConcurrentHashMap<>();
        SyncReadmeExample example = new SyncReadmeExample(client, m -> tekst.put(m.id(), m));
        SyncEngine engine = example.startSync(SyncListener.NONE);
        ConnectionProgress progress = example.finish(acme);
        assertThat(progress.status()).isEqualTo(ConnectionStatus.CONNECTED);
        assertThat(engine.awaitIdle(Duration.ofSeconds(30))).isTrue();

        assertThat(tekst).containsOnlyKeys(history.immutableId(), live.immutableId());
        assertThat(tekst.get(live.immutableId()).subject()).isEqualTo("Invoice 4471");
        assertThat(tekst.get(live.immutableId()).internetMessageId()).as("always selected")
                .isEqualTo(live.internetMessageId());
        assertThat(tekst.get(live.immutableId()).isRead()).as("not selected").isFalse();
        assertThat(engine.progress(acme, alice.objectId()).orElseThrow().folders()).singleElement()
                .satisfies(f -> assertThat(f.backfill().orElseThrow().state()).isEqualTo(BackfillCursor.State.COMPLETE));
        assertThat(tekst).doesNotContainKey(tooOld.immutableId());
        example.shutdown();
    }

    @Test
    void finishingSetupNeedsAConnectedConnectionWithMailboxes() {
        OutlookClient client = fx.client();
        SyncEngine engine = client.syncEngine().sink(page -> { }).build();
        ConnectionId acme = ConnectionId.of("acme");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.finishSetup(engine, acme))
                .hasMessageContaining("unknown");
        client.adminConsent().begin(acme, FakeCloudFixture.REDIRECT);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.finishSetup(engine, acme))
                .hasMessageContaining("PENDING_CONSENT");
        ConsentOutcome granted = fx.consent(client, acme, FakeCloudFixture.CONTOSO_ADMIN, true);
        client.adminConsent().verify((ConsentOutcome.Granted) granted);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.finishSetup(engine, acme))
                .hasMessageContaining("no mailbox");
    }

    static FakeMessage deliver(FakeMailbox mailbox, String subject, Instant at) {
        return mailbox.deliver("inbox", FakeMessage.builder().from("debra@fabrikam.example").subject(subject)
                .receivedAt(at));
    }

    @Test
    void theReadmeShowsTheCompiledSnippet() throws Exception {
        String source = Files.readString(Path.of("src/test/java/com/tekst/outlook/graph/SyncReadmeExample.java"));
        String snippet = source.substring(source.indexOf("// README: begin\n") + "// README: begin\n".length(),
                source.indexOf("    // README: end"));
        String readme = Files.readString(Path.of("README.md"));
        assertThat(readme).contains(snippet.stripTrailing().stripIndent().strip());
    }
}
