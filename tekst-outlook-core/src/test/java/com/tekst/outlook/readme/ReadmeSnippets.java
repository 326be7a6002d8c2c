package com.tekst.outlook.readme;

import com.tekst.outlook.ErrorDetails;
import com.tekst.outlook.Connection;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionType;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.TenantId;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.store.InMemoryOutlookStore;
import com.tekst.outlook.store.JdbcOutlookStore;
import com.tekst.outlook.store.OutlookStore;
import com.tekst.outlook.sync.BackfillWindow;
import com.tekst.outlook.sync.FolderProgress;
import com.tekst.outlook.sync.MailSource;
import com.tekst.outlook.sync.MessagePage;
import com.tekst.outlook.sync.SyncEngine;
import com.tekst.outlook.sync.SyncListener;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The Java blocks of tekst-outlook-core/README.md, verbatim, so they compile (ReadmeSnippetsIT in
 * examples/consumer-check checks every README block appears in a compiled source). The tests that run them:
 * store.ReadmeExamplesTest and sync.ReadmeExampleTest. Not a test class itself.
 */
final class ReadmeSnippets {
    private ReadmeSnippets() {
    }

    /** "Packages". */
    static OutlookStore values() {
        TenantId tenant = TenantId.of("72F988BF-86F1-41AF-91AB-2D7CD011DB47"); // stored as 72f988bf-...
        MailboxAddress mailbox = MailboxAddress.of("Support@Contoso.com");       // support@contoso.com
        OutlookStore store = new InMemoryOutlookStore();
        store.saveConnection(Connection.pending(ConnectionId.random(), ConnectionType.ORGANIZATION_WIDE, Instant.now()));
        return store;
    }

    /** "Store": SQLite. */
    static void sqlite(Clock clock) {
        try (JdbcOutlookStore store = JdbcOutlookStore.sqlite(Path.of("data", "tekst-outlook.db"))) {
            store.saveConnection(Connection.pending(ConnectionId.random(), ConnectionType.ORGANIZATION_WIDE, clock.instant()));
        }
    }

    /** What the "Sync engine" block calls. */
    interface StatusPage {
        void update(ConnectionId connection, MailboxId mailboxId, MailboxStatus to, Instant until);
    }

    /** "Sync engine". */
    static void engine(OutlookStore store, MailSource mailSource, StatusPage statusPage, ConnectionId connectionId,
                       MailboxId mailboxId) throws InterruptedException {
        SyncEngine engine = SyncEngine.builder()
                .store(store)                                 // connections, mailboxes, checkpoints, cursors
                .source(mailSource)                           // the Graph implementation of MailSource
                .sink(page -> ingest(page))                   // returning normally acknowledges the page
                .listener(new SyncListener() {                // status and progress events; must be fast, never throw
                    @Override
                    public void mailboxStatusChanged(ConnectionId connection, MailboxId mailboxId, MailboxStatus from,
                                                     MailboxStatus to, Instant until, String reason, ErrorDetails details) {
                        statusPage.update(connection, mailboxId, to, until);
                    }
                })
                .pageSize(100)                                // Prefer: odata.maxpagesize
                .maxConcurrentPerMailbox(4)                   // Graph's limit per app and mailbox
                .requestBudget(9_000, Duration.ofMinutes(10)) // under Graph's 10,000 per 10 minutes
                .pollInterval(Duration.ofMinutes(1))
                .build();
        engine.start();
        engine.startBackfill(connectionId, mailboxId, BackfillWindow.last90Days());
        engine.progress(connectionId, mailboxId).ifPresent(p -> show(p.status(), p.folders()));
        engine.stop(Duration.ofSeconds(30));
    }

    private static void ingest(MessagePage page) {
    }

    private static void show(MailboxStatus status, List<FolderProgress> folders) {
    }
}
