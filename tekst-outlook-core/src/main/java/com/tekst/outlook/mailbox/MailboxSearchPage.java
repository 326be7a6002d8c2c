package com.tekst.outlook.mailbox;

import java.util.List;
import java.util.Optional;

/**
 * One page of a {@link MailboxSearch}.
 *
 * <br>{@code mailboxes}: the accounts of this page, in directory order
 * <br>{@code nextCursor}: the cursor of the next page, or {@code null} on the last page; see {@link #next()}
 */
public final class MailboxSearchPage {
    private final List<MailboxCandidate> mailboxes;
    private final String nextCursor;

    public MailboxSearchPage(List<MailboxCandidate> mailboxes, String nextCursor) {
        mailboxes = List.copyOf(mailboxes);
        this.mailboxes = mailboxes;
        this.nextCursor = nextCursor;
    }

    public List<MailboxCandidate> mailboxes() {
        return mailboxes;
    }

    /** The cursor for {@link MailboxSearch#after(String)}; empty on the last page. An opaque string. */
    public Optional<String> next() {
        return Optional.ofNullable(nextCursor);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MailboxSearchPage o && java.util.Objects.equals(mailboxes, o.mailboxes) && java.util.Objects.equals(nextCursor, o.nextCursor);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(mailboxes, nextCursor);
    }

    @Override
    public String toString() {
        return "MailboxSearchPage[" + "mailboxes=" + mailboxes + ", " + "nextCursor=" + nextCursor + "]";
    }
}
