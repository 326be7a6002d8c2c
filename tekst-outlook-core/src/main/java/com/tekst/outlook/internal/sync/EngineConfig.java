package com.tekst.outlook.internal.sync;

import com.tekst.outlook.store.OutlookStore;
import com.tekst.outlook.sync.MailSource;
import com.tekst.outlook.sync.MessageSink;
import com.tekst.outlook.sync.SyncListener;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.Set;

/** A validated engine configuration, made by {@code SyncEngine.Builder}. */
public record EngineConfig(OutlookStore store, MailSource source, MessageSink sink, SyncListener listener, Clock clock,
                           int threads, int maxConcurrentPerMailbox, int budgetRequests, Duration budgetWindow,
                           int pageSize, int backfillPageSize, Duration pollInterval, Duration overlap,
                           Duration reconcileInterval,
                           Set<String> select, Duration backoffInitial, Duration backoffMax, Random random,
                           Duration timerResolution, Duration staleAfter, Duration leaseDuration,
                           Duration leaseRenewal) {

    /** Budget kept for live sync: backfill never uses the last tenth of the window's requests. */
    int liveReserve() {
        return budgetRequests >= 10 ? budgetRequests / 10 : 0;
    }

    /** How many calls a mailbox's backfill may have in flight: one slot always stays free for live sync. */
    int backfillSlots() {
        return maxConcurrentPerMailbox > 1 ? maxConcurrentPerMailbox - 1 : 1;
    }

    /** How many workers backfill may occupy at once: one always stays free for live sync. */
    int backfillWorkers() {
        return threads > 1 ? threads - 1 : 1;
    }
}
