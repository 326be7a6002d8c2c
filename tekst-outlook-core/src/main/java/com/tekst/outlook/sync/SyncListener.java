package com.tekst.outlook.sync;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionStatus;
import com.tekst.outlook.ErrorDetails;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.ThrottledException;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.store.BackfillCursor;
import com.tekst.outlook.store.FolderKey;
import java.time.Duration;
import java.time.Instant;

/**
 * Status transitions and progress of a {@link SyncEngine}, as events. Every method has an empty default: override
 * what you need. Modelled on OkHttp's {@code EventListener}.
 *
 * <p><b>Contract.</b> Methods are called on the engine's worker and timer threads, concurrently. They must be fast
 * (they run inside the unit of work that caused them; slow listeners slow sync) and must not throw: an exception from
 * a listener is caught, logged (its class name only) and ignored, never propagated into the engine. Transitions are
 * also persisted (connection status in the store's {@code Connection}, mailbox status in its {@code MailboxRecord})
 * before the event is sent. No event carries message content or a link.
 *
 * <p><b>Status events.</b> Every status transition persisted while the engine runs reaches the listener exactly once,
 * whoever made it: the engine's own (sync, throttling, failures, {@code pause}, {@code resume}, backfill, and so
 * {@code OutlookClient.finishSetup}), even for a mailbox the engine has not read yet; and, at the engine's next read of
 * the store (or its next write for that mailbox, whichever comes first), a change made outside it: a verified
 * re-consent or a disconnect (connection), a mailbox added to or removed from the connection (its scope), a mailbox
 * status written by someone else such as the scope guard's {@code MAILBOX_IDENTITY_CHANGED}. A mailbox added while
 * the engine runs is reported with {@code from} {@code null} (its first status, usually {@code PENDING}); a removed one
 * with {@code to} {@code null}. What the store holds when the engine starts is its starting point, not an event.
 *
 * <p><b>Order.</b> For one folder: {@code pageAcknowledged} for each page of a round, then {@code roundCompleted};
 * {@code deltaExpired} before the restarted round's pages; {@code backfillProgress} after each acknowledged backfill
 * page and {@code backfillStateChanged} when a backfill completes, pauses, resumes or is cancelled.
 */
public interface SyncListener {
    /** A listener that ignores every event. */
    SyncListener NONE = new SyncListener() {
    };

    /**
     * A connection changed status (persisted before this call). {@code reason} is for operators. Also sent, at the
     * engine's next read of the store, for a change made outside the engine (a verified re-consent that made the
     * connection {@code CONNECTED} again, a disconnect), once.
     *
     * @param details when a failed request caused the change (a revoked consent, an expired secret): its tenant,
     *                Graph or identity-platform {@code request-id}, {@code client-request-id}, error code and HTTP
     *                status; {@link ErrorDetails#NONE} otherwise
     */
    default void connectionStatusChanged(ConnectionId connection, ConnectionStatus from, ConnectionStatus to,
                                         String reason, ErrorDetails details) {
    }

    /**
     * A mailbox changed status (persisted before this call).
     *
     * @param until   for {@link MailboxStatus#THROTTLED}, when calls resume; otherwise {@code null}
     * @param details when a failed request caused the change (a denial, a throttling answer): its {@code request-id},
     *                {@code client-request-id}, error code and HTTP status; {@link ErrorDetails#NONE} otherwise
     */
    default void mailboxStatusChanged(ConnectionId connection, MailboxId mailboxId, MailboxStatus from,
                                      MailboxStatus to, Instant until, String reason, ErrorDetails details) {
    }

    /**
     * A connection became stale (no successful sync, an acknowledged page or a completed round of any of its folders,
     * for longer than the engine's {@code staleAfter} while it has a mailbox that may sync) or synced again. Sent once
     * per change, never per failed request, so that Tekst can alert an administrator.
     *
     * @param stale              {@code true}: it became stale; {@code false}: it synced again
     * @param lastSuccessfulSync when it became stale: its last successful sync (or when the engine started watching it,
     *                           if the store has none); when it synced again: that moment
     */
    default void connectionStaleChanged(ConnectionId connection, boolean stale, Instant lastSuccessfulSync) {
    }

    /** The sink acknowledged a page and its checkpoint (or cursor) was written. */
    default void pageAcknowledged(FolderKey folder, MessagePage.Kind kind, int messages, int removals) {
    }

    /** A folder's live round ended: its delta link is stored. */
    default void roundCompleted(FolderKey folder, int pages, int messages, int removals) {
    }

    /**
     * A folder's delta state expired; the folder restarts with {@code receivedDateTime ge restartFrom}, and a
     * reconciliation follows the restarted round (removals during the gap arrive on its pages).
     */
    default void deltaExpired(FolderKey folder, Instant restartFrom) {
    }

    /**
     * A reconciliation of a folder's synced messages against Graph completed: {@code listed} messages of the synced
     * window were compared, {@code added} delivered that the sink had not received, {@code removed} reported gone.
     */
    default void reconciled(FolderKey folder, long listed, int added, int removed) {
    }

    /**
     * A folder's backfill advanced. {@code delivered} only grows; {@code estimatedTotal} is -1 while unknown and
     * otherwise never below {@code delivered}.
     */
    default void backfillProgress(FolderKey folder, long delivered, long estimatedTotal) {
    }

    /** A folder's backfill changed state (started, paused, resumed, cancelled, complete). */
    default void backfillStateChanged(FolderKey folder, BackfillCursor.State from, BackfillCursor.State to) {
    }

    /**
     * Microsoft throttled a call; no call in the scope is made before {@code until}.
     *
     * @param mailboxId the throttled mailbox, or {@code null} when the whole application ({@code APPLICATION}) or
     *                  connection ({@code TOKEN_ENDPOINT}) is fenced
     * @param details   the throttled request: tenant, {@code request-id}, {@code client-request-id}, error code and
     *                  HTTP status (429 or 503)
     */
    default void throttled(ConnectionId connection, MailboxId mailboxId, ThrottledException.Scope scope,
                           Duration retryAfter, Instant until, ErrorDetails details) {
    }

    /**
     * A unit of work failed transiently (a retryable service error, a malformed page, or the sink threw) and is
     * retried at {@code retryAt}.
     */
    default void retryScheduled(FolderKey folder, MessagePage.Kind kind, Throwable cause, Instant retryAt) {
    }
}
