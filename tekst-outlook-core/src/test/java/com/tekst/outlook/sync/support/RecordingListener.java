package com.tekst.outlook.sync.support;

import com.tekst.outlook.ErrorDetails;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionStatus;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.ThrottledException;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.store.BackfillCursor;
import com.tekst.outlook.store.FolderKey;
import com.tekst.outlook.sync.MessagePage;
import com.tekst.outlook.sync.SyncListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Records listener events as typed records, in order. */
public final class RecordingListener implements SyncListener {
    public record ConnectionChange(ConnectionId connection, ConnectionStatus from, ConnectionStatus to) {
    }

    public record MailboxChange(MailboxId mailboxId, MailboxStatus from, MailboxStatus to, Instant until) {
    }

    public record Progress(FolderKey folder, long delivered, long estimatedTotal) {
    }

    public record Throttle(MailboxId mailboxId, ThrottledException.Scope scope, Duration retryAfter, Instant until) {
    }

    public record Expiry(FolderKey folder, Instant restartFrom) {
    }

    public record Retry(FolderKey folder, MessagePage.Kind kind, Throwable cause, Instant at) {
    }

    public record BackfillChange(FolderKey folder, BackfillCursor.State from, BackfillCursor.State to) {
    }

    public record Round(FolderKey folder, int pages, int messages, int removals) {
    }

    private final List<Object> events = new ArrayList<>();

    private synchronized void add(Object event) {
        events.add(event);
    }

    public synchronized <T> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Override
    public void connectionStatusChanged(ConnectionId connection, ConnectionStatus from, ConnectionStatus to,
                                        String reason, ErrorDetails details) {
        add(new ConnectionChange(connection, from, to));
    }

    @Override
    public void mailboxStatusChanged(ConnectionId connection, MailboxId mailboxId, MailboxStatus from, MailboxStatus to,
                                     Instant until, String reason, ErrorDetails details) {
        add(new MailboxChange(mailboxId, from, to, until));
    }

    @Override
    public void roundCompleted(FolderKey folder, int pages, int messages, int removals) {
        add(new Round(folder, pages, messages, removals));
    }

    @Override
    public void deltaExpired(FolderKey folder, Instant restartFrom) {
        add(new Expiry(folder, restartFrom));
    }

    @Override
    public void backfillProgress(FolderKey folder, long delivered, long estimatedTotal) {
        add(new Progress(folder, delivered, estimatedTotal));
    }

    @Override
    public void backfillStateChanged(FolderKey folder, BackfillCursor.State from, BackfillCursor.State to) {
        add(new BackfillChange(folder, from, to));
    }

    @Override
    public void throttled(ConnectionId connection, MailboxId mailboxId, ThrottledException.Scope scope,
                          Duration retryAfter, Instant until, ErrorDetails details) {
        add(new Throttle(mailboxId, scope, retryAfter, until));
    }

    @Override
    public void retryScheduled(FolderKey folder, MessagePage.Kind kind, Throwable cause, Instant retryAt) {
        add(new Retry(folder, kind, cause, retryAt));
    }
}
