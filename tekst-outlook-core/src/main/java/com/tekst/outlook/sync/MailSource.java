package com.tekst.outlook.sync;

import com.tekst.outlook.ConsentException;
import com.tekst.outlook.CredentialException;
import com.tekst.outlook.MailboxAccessException;
import com.tekst.outlook.MalformedResponseException;
import com.tekst.outlook.ServiceException;
import com.tekst.outlook.TenantException;
import com.tekst.outlook.ThrottledException;
import com.tekst.outlook.mailbox.FolderRef;

/**
 * <b>SPI.</b> The port through which the {@link SyncEngine} reads mail; {@code tekst-outlook-graph} implements it over
 * Microsoft Graph. The engine owns scheduling, checkpoints, concurrency, the request budget, {@code Retry-After} and
 * retries; an implementation performs exactly one HTTP request per call (no retries of its own, no paging of its own)
 * and maps the answer.
 *
 * <h2>Every call</h2>
 * <ul>
 *   <li>Targets {@code /users/{mailboxId}/...} of {@link MailboxTarget#mailboxId()} with an app-only token for
 *       {@link MailboxTarget#tenant()}, and refuses (before any I/O) a mailbox outside the connection's scope with a
 *       {@link com.tekst.outlook.MailboxOutOfScopeException}.</li>
 *   <li>Sends {@code Prefer: IdType="ImmutableId"}, also on next and delta links, so {@link MailMessage#id()} is the
 *       immutable id.</li>
 *   <li>Returns messages with every field of {@link MailMessage#REQUIRED_FIELDS}; a message without an id, a
 *       {@code receivedDateTime} or a folder id, truncated JSON or a wrong type is a
 *       {@link MalformedResponseException} for the whole page (nothing of it is used).</li>
 *   <li>Is thread-safe: the engine calls it from several threads, up to its per-mailbox limit (4 by default) for one
 *       mailbox. It should honour thread interruption (the engine interrupts its workers when stopped without grace)
 *       and bound every request with timeouts.</li>
 *   <li>Puts no token, link, secret or message content into an exception message.</li>
 * </ul>
 *
 * <h2>Errors: what to throw</h2>
 * <ul>
 *   <li>HTTP 429, or 503 with {@code Retry-After}: {@link ThrottledException} with the {@code Retry-After} and the
 *       scope ({@code MailboxConcurrency} → {@code MAILBOX_CONCURRENCY}, the per-mailbox budget →
 *       {@code MAILBOX_BUDGET}, the application as a whole → {@code APPLICATION}, the token endpoint →
 *       {@code TOKEN_ENDPOINT}, else {@code UNSPECIFIED}). The engine makes no call to that mailbox (or, for
 *       {@code APPLICATION}, to any mailbox; for {@code TOKEN_ENDPOINT}, to any mailbox of the connection) before
 *       the wait has elapsed.</li>
 *   <li>Delta state gone (410 Gone, {@code SyncStateNotFound}, {@code ResyncRequired}, {@code SyncStateInvalid}, in
 *       any case; see {@link com.tekst.outlook.DeltaExpiredException#isDeltaExpiryCode(String)}): {@link com.tekst.outlook.DeltaExpiredException}.</li>
 *   <li>The mailbox cannot be read: {@link MailboxAccessException} with {@code ACCESS_DENIED}
 *       ({@code ErrorAccessDenied}, 403 from an application access policy or RBAC scope), {@code NOT_FOUND}
 *       ({@code ErrorInvalidUser}, {@code ResourceNotFound}, {@code ErrorFolderNotFound}), {@code NOT_ENABLED}
 *       ({@code MailboxNotEnabledForRESTAPI}) or {@code OUT_OF_SCOPE}. The engine stops that mailbox only.</li>
 *   <li>The token cannot be had: {@link ConsentException} (consent missing or revoked, AADSTS700016/65001),
 *       {@link CredentialException} (secret or certificate wrong or expired), {@link TenantException}. The engine
 *       stops every mailbox of the connection and keeps all checkpoints.</li>
 *   <li>5xx without {@code Retry-After}, 504, a dropped connection, an HTML error page: a retryable
 *       {@link ServiceException} (or {@link MalformedResponseException}); the engine backs off with jitter.</li>
 * </ul>
 */
public interface MailSource {

    /**
     * Fetches one page of a folder's message delta:
     * {@code GET /users/{mailboxId}/mailFolders/{folderId}/messages/delta}.
     *
     * <p>For an {@linkplain DeltaRequest#isInitial() initial} request: {@code $select} of {@link DeltaRequest#select()}
     * and {@code $filter=receivedDateTime ge {receivedSince}} (ISO-8601 UTC). For a continuation: the link exactly as
     * given, with nothing appended. On both: {@code Prefer: odata.maxpagesize={pageSize}} (it is not encoded in the
     * links) and {@code Prefer: IdType="ImmutableId"}. Returns the items as messages, {@code @removed} items as
     * removed ids, and exactly one of {@code @odata.nextLink} / {@code @odata.deltaLink}; a response with neither is
     * malformed.
     *
     * @throws com.tekst.outlook.DeltaExpiredException when the folder's delta state is gone
     */
    DeltaPage fetchDelta(DeltaRequest request);

    /**
     * Lists one page of a folder's messages in a {@code receivedDateTime} range, newest first (backfill, and the
     * reconciliation of a folder's synced messages):
     * {@code GET /users/{mailboxId}/mailFolders/{folderId}/messages?$filter=receivedDateTime ge|gt {from}[ and
     * receivedDateTime le|lt {upTo}]&$orderby=receivedDateTime desc&$top={top}&$select=...} (the ordered property
     * first in the filter, or Graph answers {@code InefficientFilter}), instants in ISO-8601 UTC with their fraction
     * of a second when they have one, and {@code Prefer: IdType="ImmutableId"}. Every call is such a first page: the
     * engine pages by key (each page asks again below the oldest message it has), so a response's
     * {@code @odata.nextLink} is reported as {@link BackfillPage#more()} and never followed.
     */
    BackfillPage fetchBackfill(BackfillRequest request);

    /**
     * The folder's {@code totalItemCount} ({@code GET /users/{mailboxId}/mailFolders/{folderId}?$select=totalItemCount}),
     * used as the estimate of a backfill's size.
     *
     * @return the count, zero or more
     */
    long folderItemCount(MailboxTarget mailbox, FolderRef folder);

    /**
     * Called by an engine built with this source when it {@linkplain SyncEngine#start() starts}, before its threads
     * start; an implementation that owns resources the engine uses (the Graph implementation: its client's
     * connections and tokens) may keep the engine to stop it when those resources close. Throwing refuses the start
     * (the engine then starts no thread). Does nothing by default.
     */
    default void engineStarted(SyncEngine engine) {
    }

    /** Called by an engine built with this source once it has stopped. Does nothing by default. */
    default void engineStopped(SyncEngine engine) {
    }
}
