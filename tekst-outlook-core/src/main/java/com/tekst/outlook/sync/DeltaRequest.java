package com.tekst.outlook.sync;

import java.util.Optional;
import com.tekst.outlook.mailbox.FolderRef;
import java.time.Instant;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One message-delta request of one folder: either the initial request of a round or a continuation from a link.
 * See {@link MailSource#fetchDelta(DeltaRequest)} for what an implementation sends.
 *
 * <p>{@link #toString()} never shows the link: links carry tokens.
 *
 * <br>{@code mailbox}: the mailbox
 * <br>{@code folder}: the folder
 * <br>{@code receivedSince}: for an initial request, the {@code receivedDateTime ge} filter; {@code null} for a continuation
 * <br>{@code link}: for a continuation, the opaque next or delta link; {@code null} for an initial request
 * <br>{@code pageSize}: the page size to ask for ({@code Prefer: odata.maxpagesize}), 1 to 1000, on every request
 * <br>{@code select}: the message fields to select on an initial request (sorted; a continuation carries them in
 *                      its link)
 */
public final class DeltaRequest {
    private final MailboxTarget mailbox;
    private final FolderRef folder;
    private final Instant receivedSince;
    private final String link;
    private final int pageSize;
    private final Set<String> select;

    /**
     * @throws IllegalArgumentException unless exactly one of {@code receivedSince} and {@code link} is given, or for a
     *                                  page size outside 1..1000 or an empty selection
     */
    public DeltaRequest(MailboxTarget mailbox, FolderRef folder, Instant receivedSince, String link, int pageSize, Set<String> select) {
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(folder, "folder");
        if ((receivedSince == null) == (link == null)) {
            throw new IllegalArgumentException("a delta request is either initial (receivedSince) or continues a link");
        }
        if (link != null && link.isBlank()) {
            throw new IllegalArgumentException("a link must not be blank");
        }
        if (pageSize < 1 || pageSize > 1000) {
            throw new IllegalArgumentException("pageSize must be 1-1000; got " + pageSize);
        }
        select = Collections.unmodifiableSet(new TreeSet<>(select));
        if (select.isEmpty()) {
            throw new IllegalArgumentException("select must name at least one field");
        }
        this.mailbox = mailbox;
        this.folder = folder;
        this.receivedSince = receivedSince;
        this.link = link;
        this.pageSize = pageSize;
        this.select = select;
    }

    public MailboxTarget mailbox() {
        return mailbox;
    }

    public FolderRef folder() {
        return folder;
    }

    public Optional<Instant> receivedSince() {
        return Optional.ofNullable(receivedSince);
    }

    public Optional<String> link() {
        return Optional.ofNullable(link);
    }

    public int pageSize() {
        return pageSize;
    }

    public Set<String> select() {
        return select;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DeltaRequest o && Objects.equals(mailbox, o.mailbox) && Objects.equals(folder, o.folder) && Objects.equals(receivedSince, o.receivedSince) && Objects.equals(link, o.link) && Objects.equals(pageSize, o.pageSize) && Objects.equals(select, o.select);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mailbox, folder, receivedSince, link, pageSize, select);
    }

    /** The first request of a round: {@code $filter=receivedDateTime ge {receivedSince}}. */
    public static DeltaRequest initial(MailboxTarget mailbox, FolderRef folder, Instant receivedSince, int pageSize,
                                       Set<String> select) {
        return new DeltaRequest(mailbox, folder, Objects.requireNonNull(receivedSince, "receivedSince"), null,
                pageSize, select);
    }

    /** A request that follows a next link, or starts a round from a delta link. */
    public static DeltaRequest continueFrom(MailboxTarget mailbox, FolderRef folder, String link, int pageSize,
                                            Set<String> select) {
        return new DeltaRequest(mailbox, folder, null, Objects.requireNonNull(link, "link"), pageSize, select);
    }

    /** Whether this is an initial (filtered) request rather than a continuation. */
    public boolean isInitial() {
        return link == null;
    }

    @Override
    public String toString() {
        return "DeltaRequest[" + mailbox.address() + ", folder=" + folder.id() + ", "
                + (isInitial() ? "initial, receivedSince=" + receivedSince : "continuing (link redacted)")
                + ", pageSize=" + pageSize + "]";
    }
}
