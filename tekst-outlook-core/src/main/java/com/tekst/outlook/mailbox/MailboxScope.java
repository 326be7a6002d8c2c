package com.tekst.outlook.mailbox;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.MailboxAccessException;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.OutlookClientException;
import java.util.List;
import java.util.Optional;

/**
 * Step 3 of the connection wizard: the mailboxes an organization-wide connection processes (its "child" mailboxes),
 * and whether it may reach any other.
 *
 * <p><b>Mode.</b> Every connection starts {@link ScopeMode#RESTRICTED}: the SDK sends requests only for the mailboxes
 * listed here and refuses every other mailbox before any network I/O with a
 * {@link com.tekst.outlook.MailboxOutOfScopeException}, whatever name a request uses for it (address, alias, user
 * principal name, object id, any case or encoding). {@link ScopeMode#ALL_MAILBOXES} is an explicit opt-in (show
 * {@link ScopeMode#ALL_MAILBOXES_WARNING} first).
 *
 * <p><b>Mailboxes.</b> {@link #add} resolves the mailbox through Microsoft Graph (its object id, primary address,
 * aliases and type) and stores it with the folders to sync; a mailbox that does not exist, has no Exchange Online
 * mailbox or is denied fails with the typed {@link MailboxAccessException} and nothing is stored. Every other method
 * works on the store only, without network calls. The scope is persisted in the {@code OutlookStore}; the sync engine
 * reads it from there.
 *
 * <p>Every method needs an organization-wide connection whose consent was verified (it has a tenant); otherwise it
 * fails with {@link OutlookClientException}. Thread-safe.
 */
public interface MailboxScope {

    /** The connection's mode; {@link ScopeMode#RESTRICTED} unless {@link ScopeMode#ALL_MAILBOXES} was chosen. */
    ScopeMode mode(ConnectionId connection);

    /**
     * Sets the connection's mode. {@link ScopeMode#ALL_MAILBOXES} lets the SDK reach every mailbox of the tenant:
     * offer it only behind {@link ScopeMode#ALL_MAILBOXES_WARNING}. The listed mailboxes are kept either way.
     */
    void setMode(ConnectionId connection, ScopeMode mode);

    /**
     * Adds a mailbox, syncing its Inbox; as {@link #add(ConnectionId, MailboxAddress, List)} with
     * {@link FolderSelection#inbox()}.
     */
    ScopedMailbox add(ConnectionId connection, MailboxAddress mailbox);

    /**
     * Adds a mailbox by primary address, alias, user principal name or object id, syncing {@code folders}.
     * Idempotent: adding a mailbox that is already in the scope (under any of its names) returns it unchanged (use
     * {@link #setFolders} to change its folders).
     *
     * @throws MailboxAccessException  {@code NOT_FOUND} (no such user), {@code NOT_ENABLED} (no Exchange Online
     *                                 mailbox), {@code ACCESS_DENIED} (tenant policy or missing permission); nothing
     *                                 is added
     * @throws com.tekst.outlook.FolderNotFoundException if a folder does not exist; nothing is added
     */
    ScopedMailbox add(ConnectionId connection, MailboxAddress mailbox, List<FolderSelection> folders);

    /**
     * Removes a mailbox (by any of its stored names) with its sync checkpoints and backfill cursors. From then on the
     * SDK refuses requests for it (in {@link ScopeMode#RESTRICTED} mode).
     *
     * @return whether it was in the scope
     */
    boolean remove(ConnectionId connection, MailboxAddress mailbox);

    /** The connection's mailboxes with their type, folders and status, ordered by address. */
    List<ScopedMailbox> list(ConnectionId connection);

    /** A mailbox of the scope by object id, primary address or alias. */
    Optional<ScopedMailbox> find(ConnectionId connection, MailboxAddress mailbox);

    /**
     * Replaces the folders a mailbox of the scope syncs (resolved through Graph; nested folders by path or id). The
     * mailbox's status and the checkpoints of folders it keeps are unchanged.
     *
     * @throws OutlookClientException  if the mailbox is not in the scope
     * @throws com.tekst.outlook.FolderNotFoundException if a folder does not exist; nothing is changed
     */
    ScopedMailbox setFolders(ConnectionId connection, MailboxAddress mailbox, List<FolderSelection> folders);
}
