package com.tekst.outlook.graph;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.sync.BackfillWindow;
import com.tekst.outlook.sync.ConnectionProgress;
import com.tekst.outlook.sync.MailMessage;
import com.tekst.outlook.sync.MessagePage;
import com.tekst.outlook.sync.SyncEngine;
import com.tekst.outlook.sync.SyncListener;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;

/** The "Sync" snippet of tekst-outlook-graph/README.md, kept compiling here and run by {@link SyncReadmeExampleTest}. */
final class SyncReadmeExample {
    private final OutlookClient client;
    private final Consumer<MailMessage> tekst;
    private SyncEngine engine;

    SyncReadmeExample(OutlookClient client, Consumer<MailMessage> tekst) {
        this.client = client;
        this.tekst = tekst;
    }

    // README: begin
    /** Once, at start-up: one engine per store, fed by Microsoft Graph through the client. */
    SyncEngine startSync(SyncListener statusPage) {
        engine = client.syncEngine()
                .sink(this::ingest)            // returning normally acknowledges the page
                .listener(statusPage)          // status changes and progress, for the status page
                .select(Set.of("subject", "from", "receivedDateTime", "bodyPreview", "body"))
                .pageSize(100)                 // Prefer: odata.maxpagesize=100 on every delta request
                .build();
        engine.start();
        return engine;
    }

    /** At-least-once delivery: key everything by the immutable id, so a page delivered again changes nothing. */
    private void ingest(MessagePage page) {
        page.messages().forEach(tekst);
        page.removedIds().forEach(id -> { /* the message left page.folder(): forget it there */ });
    }

    /** Wizard step 4, "Finish": sync every chosen mailbox now, with 90 days of history. */
    ConnectionProgress finish(ConnectionId connection) {
        return client.finishSetup(engine, connection, BackfillWindow.last90Days());
    }

    /** On shutdown: let pages in progress finish, then release the client. */
    void shutdown() throws InterruptedException {
        engine.stop(Duration.ofSeconds(30));
        client.close();
    }
    // README: end
}
