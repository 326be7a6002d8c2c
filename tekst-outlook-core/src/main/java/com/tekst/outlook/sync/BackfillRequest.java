package com.tekst.outlook.sync;

import com.tekst.outlook.mailbox.FolderRef;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One listing of a folder's messages in a {@link ReceivedRange}, newest first: a page of a backfill, or of a
 * reconciliation. See {@link MailSource#fetchBackfill(BackfillRequest)}. Every page is a fresh query with its own
 * bounds (the engine pages by key), so there is no link to follow.
 *
 * @param mailbox the mailbox
 * @param folder  the folder
 * @param range   the {@code receivedDateTime} range to list
 * @param top     the page size ({@code $top}), 1 to 1000
 * @param select  the message fields to select (sorted)
 */
public record BackfillRequest(MailboxTarget mailbox, FolderRef folder, ReceivedRange range, int top,
                              Set<String> select) {
    /**
     * @throws IllegalArgumentException if {@code top} is outside 1..1000 or the selection empty
     */
    public BackfillRequest {
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(range, "range");
        if (top < 1 || top > 1000) {
            throw new IllegalArgumentException("top must be 1-1000; got " + top);
        }
        select = Collections.unmodifiableSet(new TreeSet<>(select));
        if (select.isEmpty()) {
            throw new IllegalArgumentException("select must name at least one field");
        }
    }

    @Override
    public String toString() {
        return "BackfillRequest[" + mailbox.address() + ", folder=" + folder.id() + ", " + range + ", top=" + top
                + "]";
    }
}
