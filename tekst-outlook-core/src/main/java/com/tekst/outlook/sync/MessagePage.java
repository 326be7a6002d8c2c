package com.tekst.outlook.sync;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.TenantId;
import com.tekst.outlook.mailbox.FolderRef;
import com.tekst.outlook.store.FolderKey;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link MessageSink} receives: one page of one folder of one mailbox, from live sync, backfill or the
 * reconciliation of the folder.
 *
 * <p>Delivery is at-least-once. A page the sink did not acknowledge (it threw, or the process stopped before the
 * checkpoint was written) is delivered again with the same messages and the same ids; after a delta-token expiry the
 * overlap window is delivered again. De-duplicate by {@link MailMessage#id()} (immutable within the mailbox) and
 * {@link MailMessage#internetMessageId()}.
 *
 * <p>A removal means the message is no longer in this folder: deleted, or moved out (a move shows up as a removal
 * here and as a message, with the same id, on a page of the target folder when that folder is synced). Removals are
 * keyed by folder and id. Backfill pages never carry removals. Every message delivered for a folder gets a removal
 * for that folder when it leaves it, whatever its age: live pages report what the folder's delta reports, and
 * reconciliation pages report what the delta cannot see (mail received before the connection, changes during a delta
 * reset).
 *
 * <p>{@link #toString()} shows identity and counts only.
 *
 * @param connection the connection
 * @param tenant     the connection's tenant
 * @param mailboxId  the mailbox owner's object id
 * @param mailbox    the mailbox's primary address
 * @param folder     the folder
 * @param kind       live sync, backfill or reconciliation
 * @param messages   new or changed messages
 * @param removedIds ids of messages no longer in the folder
 */
public record MessagePage(ConnectionId connection, TenantId tenant, MailboxId mailboxId, MailboxAddress mailbox,
                          FolderRef folder, Kind kind, List<MailMessage> messages, List<String> removedIds) {

    /** Where a page comes from. */
    public enum Kind {
        /** Live sync: a page of a folder's message delta. */
        LIVE,
        /** Backfill: a page of historical mail, newest first. */
        BACKFILL,
        /**
         * Reconciliation: messages of the folder the sink had not received (moved in from elsewhere, or beyond what
         * a delta reported) and ids of messages it had received that are no longer in the folder (deleted or moved
         * out while no delta reported it, e.g. mail older than the connection, or during a delta reset).
         */
        RECONCILE
    }

    /**
     * @throws NullPointerException     for a {@code null} component or list element
     * @throws IllegalArgumentException for a backfill page with removals
     */
    public MessagePage {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(mailboxId, "mailboxId");
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(kind, "kind");
        messages = List.copyOf(messages);
        removedIds = List.copyOf(removedIds);
        if (kind == Kind.BACKFILL && !removedIds.isEmpty()) {
            throw new IllegalArgumentException("a backfill page has no removals");
        }
    }

    /** The folder as the store keys it. */
    public FolderKey folderKey() {
        return new FolderKey(connection, mailboxId, folder.id());
    }

    @Override
    public String toString() {
        return "MessagePage[" + connection + ", " + mailbox + ", folder=" + folder.id() + ", " + kind + ", "
                + messages.size() + " messages, " + removedIds.size() + " removals]";
    }
}
