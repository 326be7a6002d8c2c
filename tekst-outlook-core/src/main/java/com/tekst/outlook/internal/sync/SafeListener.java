package com.tekst.outlook.internal.sync;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionStatus;
import com.tekst.outlook.ErrorDetails;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.ThrottledException;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.store.BackfillCursor;
import com.tekst.outlook.store.FolderKey;
import com.tekst.outlook.sync.MessagePage;
import com.tekst.outlook.sync.SyncListener;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the application's {@link SyncListener} and swallows what it throws: logged (class names only: a listener's
 * exception message is the application's text and may quote mail) and never propagated into the engine.
 */
final class SafeListener implements SyncListener {
    private static final Logger LOG = LoggerFactory.getLogger(SafeListener.class);

    private final SyncListener delegate;

    SafeListener(SyncListener delegate) {
        this.delegate = delegate;
    }

    private void swallow(String event, Throwable t) {
        if (t instanceof VirtualMachineError error) {
            throw error;
        }
        LOG.warn("SyncListener {} threw {} from {}; ignored", delegate.getClass().getName(), t.getClass().getName(),
                event);
    }

    @Override
    public void connectionStatusChanged(ConnectionId connection, ConnectionStatus from, ConnectionStatus to,
                                        String reason, ErrorDetails details) {
        try {
            delegate.connectionStatusChanged(connection, from, to, reason, details);
        } catch (Throwable t) {
            swallow("connectionStatusChanged", t);
        }
    }

    @Override
    public void mailboxStatusChanged(ConnectionId connection, MailboxId mailboxId, MailboxStatus from, MailboxStatus to,
                                     Instant until, String reason, ErrorDetails details) {
        try {
            delegate.mailboxStatusChanged(connection, mailboxId, from, to, until, reason, details);
        } catch (Throwable t) {
            swallow("mailboxStatusChanged", t);
        }
    }

    @Override
    public void pageAcknowledged(FolderKey folder, MessagePage.Kind kind, int messages, int removals) {
        try {
            delegate.pageAcknowledged(folder, kind, messages, removals);
        } catch (Throwable t) {
            swallow("pageAcknowledged", t);
        }
    }

    @Override
    public void roundCompleted(FolderKey folder, int pages, int messages, int removals) {
        try {
            delegate.roundCompleted(folder, pages, messages, removals);
        } catch (Throwable t) {
            swallow("roundCompleted", t);
        }
    }

    @Override
    public void reconciled(FolderKey folder, long listed, int added, int removed) {
        try {
            delegate.reconciled(folder, listed, added, removed);
        } catch (Throwable t) {
            swallow("reconciled", t);
        }
    }

    @Override
    public void connectionStaleChanged(ConnectionId connection, boolean stale, Instant lastSuccessfulSync) {
        try {
            delegate.connectionStaleChanged(connection, stale, lastSuccessfulSync);
        } catch (Throwable t) {
            swallow("connectionStaleChanged", t);
        }
    }

    @Override
    public void deltaExpired(FolderKey folder, Instant restartFrom) {
        try {
            delegate.deltaExpired(folder, restartFrom);
        } catch (Throwable t) {
            swallow("deltaExpired", t);
        }
    }

    @Override
    public void backfillProgress(FolderKey folder, long delivered, long estimatedTotal) {
        try {
            delegate.backfillProgress(folder, delivered, estimatedTotal);
        } catch (Throwable t) {
            swallow("backfillProgress", t);
        }
    }

    @Override
    public void backfillStateChanged(FolderKey folder, BackfillCursor.State from, BackfillCursor.State to) {
        try {
            delegate.backfillStateChanged(folder, from, to);
        } catch (Throwable t) {
            swallow("backfillStateChanged", t);
        }
    }

    @Override
    public void throttled(ConnectionId connection, MailboxId mailboxId, ThrottledException.Scope scope,
                          Duration retryAfter, Instant until, ErrorDetails details) {
        try {
            delegate.throttled(connection, mailboxId, scope, retryAfter, until, details);
        } catch (Throwable t) {
            swallow("throttled", t);
        }
    }

    @Override
    public void retryScheduled(FolderKey folder, MessagePage.Kind kind, Throwable cause, Instant retryAt) {
        try {
            delegate.retryScheduled(folder, kind, cause, retryAt);
        } catch (Throwable t) {
            swallow("retryScheduled", t);
        }
    }
}
