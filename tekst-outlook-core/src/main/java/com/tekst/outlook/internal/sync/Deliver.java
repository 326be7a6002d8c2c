package com.tekst.outlook.internal.sync;

import com.tekst.outlook.sync.MessagePage;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 3 of a step: hands one fetched page to the application's sink. Returning normally acknowledges it, and only
 * then does the step go on to its {@link Checkpoint}. A page the sink refused stays with its task (the step keeps it)
 * and comes again as is after a backoff: nothing is lost, nothing is fetched again.
 */
final class Deliver {
    private static final Logger LOG = LoggerFactory.getLogger(Deliver.class);

    private final DefaultSyncEngine engine;

    Deliver(DefaultSyncEngine engine) {
        this.engine = engine;
    }

    /** {@code null} when the sink acknowledged the page, else the outcome that delivers it again later. */
    Outcome page(FolderTask t, MessagePage page) {
        if (!engine.leasing.mayWork(t.key.connection(), t.key.mailboxId())) {
            return Outcome.DORMANT; // the lease went to another engine while the page was fetched
        }
        try {
            engine.config.sink().accept(page);
            return null;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            if (engine.gate.killed()) {
                return Outcome.DORMANT;
            }
            t.failures++;
            Instant at = engine.now().plus(engine.backoff.delay(t.failures));
            LOG.warn("sink did not acknowledge a {} page of folder {} ({}); delivering it again at {}", t.kind(),
                    t.folder.id(), e.getClass().getName(), at);
            engine.report.folderEvent(t, com.tekst.outlook.store.FolderEvent.SINK_FAILURE);
            engine.listener.retryScheduled(t.key, t.kind(), e, at);
            return Outcome.waitUntil(at);
        }
    }
}
