package com.tekst.outlook.internal.sync;

import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.sync.MailboxTarget;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the engine knows about one mailbox: limits, fences, status and its folders' tasks. Guarded by the lock. */
final class MailboxState {
    final ConnectionState connection;
    final MailboxId mailboxId;
    /** Serializes this mailbox's status writes (store, then event). */
    final Object statusLock = new Object();
    final RequestBudget budget;
    final ArrayDeque<FolderTask> liveReady = new ArrayDeque<>();
    final ArrayDeque<FolderTask> backfillReady = new ArrayDeque<>();
    final Map<String, LiveTask> live = new LinkedHashMap<>();
    final Map<String, BackfillTask> backfill = new LinkedHashMap<>();

    MailboxAddress address;
    /** The status as last written to (or read from) the store. */
    MailboxStatus persisted = MailboxStatus.PENDING;
    Instant persistedUntil;
    /** A status that stops sync (access denied, not found...), or {@code null}. */
    MailboxStatus stoppedBy;
    String stopDetail = "";
    boolean paused;
    boolean removed;
    boolean cursorsLoaded;
    /** No call for this mailbox before this instant (Retry-After). */
    Instant fenceUntil = Instant.MIN;
    int inFlight;
    int liveInFlight;
    long changedSeq;
    /**
     * The mailbox was added while the engine runs and the listener has not heard of it yet: the reason, reported
     * (with {@code from} null) before any other transition of the mailbox. Guarded by the lock.
     */
    String unannounced;

    MailboxState(ConnectionState connection, MailboxId mailboxId, MailboxAddress address, RequestBudget budget) {
        this.connection = connection;
        this.mailboxId = mailboxId;
        this.address = address;
        this.budget = budget;
    }

    boolean runnable() {
        return !removed && stoppedBy == null && !paused && connection.active();
    }

    boolean hasReady() {
        return !liveReady.isEmpty() || !backfillReady.isEmpty();
    }

    MailboxTarget target() {
        return new MailboxTarget(connection.id, connection.tenant, mailboxId, address, connection.permissions);
    }
}
