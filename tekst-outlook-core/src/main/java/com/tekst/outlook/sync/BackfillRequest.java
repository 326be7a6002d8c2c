package com.tekst.outlook.sync;

import com.tekst.outlook.mailbox.FolderRef;
import java.time.Instant;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One page of a folder's historical listing, newest first. See {@link MailSource#fetchBackfill(BackfillRequest)}.
 *
 * <p>{@link #toString()} never shows the link.
 *
 * @param mailbox the mailbox
 * @param folder  the folder
 * @param from    the oldest {@code receivedDateTime} included ({@code ge})
 * @param until   the newest bound, excluded ({@code lt}): the connection time
 * @param link    the opaque next link to continue from, or {@code null} for the first page
 * @param top     the page size ({@code $top}), 1 to 1000
 * @param select  the message fields to select (sorted)
 */
public record BackfillRequest(MailboxTarget mailbox, FolderRef folder, Instant from, Instant until, String link,
                              int top, Set<String> select) {
    /**
     * @throws IllegalArgumentException if {@code from} is after {@code until}, {@code top} is outside 1..1000, the
     *                                  link is blank or the selection empty
     */
    public BackfillRequest {
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(until, "until");
        if (from.isAfter(until)) {
            throw new IllegalArgumentException("from must not be after until");
        }
        if (link != null && link.isBlank()) {
            throw new IllegalArgumentException("a link must not be blank");
        }
        if (top < 1 || top > 1000) {
            throw new IllegalArgumentException("top must be 1-1000; got " + top);
        }
        select = Collections.unmodifiableSet(new TreeSet<>(select));
        if (select.isEmpty()) {
            throw new IllegalArgumentException("select must name at least one field");
        }
    }

    /** Whether this asks for the first page (no link yet). */
    public boolean isFirst() {
        return link == null;
    }

    @Override
    public String toString() {
        return "BackfillRequest[" + mailbox.address() + ", folder=" + folder.id() + ", from=" + from + ", until="
                + until + ", " + (isFirst() ? "first page" : "continuing (link redacted)") + ", top=" + top + "]";
    }
}
