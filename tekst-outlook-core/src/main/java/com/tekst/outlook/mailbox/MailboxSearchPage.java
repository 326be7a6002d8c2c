package com.tekst.outlook.mailbox;

import java.util.List;
import java.util.Optional;

/**
 * One page of a {@link MailboxSearch}.
 *
 * @param mailboxes  the accounts of this page, in directory order
 * @param nextCursor the cursor of the next page, or {@code null} on the last page; see {@link #next()}
 */
public record MailboxSearchPage(List<MailboxCandidate> mailboxes, String nextCursor) {
    public MailboxSearchPage {
        mailboxes = List.copyOf(mailboxes);
    }

    /** The cursor for {@link MailboxSearch#after(String)}; empty on the last page. An opaque string. */
    public Optional<String> next() {
        return Optional.ofNullable(nextCursor);
    }
}
