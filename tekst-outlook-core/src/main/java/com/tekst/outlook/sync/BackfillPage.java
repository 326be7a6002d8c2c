package com.tekst.outlook.sync;

import java.util.List;

/**
 * One page of a backfill listing: messages newest first, and the next link, or {@code null} on the last page.
 * {@link #toString()} never shows the link.
 *
 * @param messages the messages, newest first
 * @param nextLink {@code @odata.nextLink}, or {@code null} when this is the last page
 */
public record BackfillPage(List<MailMessage> messages, String nextLink) {
    /** @throws IllegalArgumentException for a blank link */
    public BackfillPage {
        messages = List.copyOf(messages);
        if (nextLink != null && nextLink.isBlank()) {
            throw new IllegalArgumentException("a link must not be blank");
        }
    }

    /** Whether no page follows. */
    public boolean isLast() {
        return nextLink == null;
    }

    @Override
    public String toString() {
        return "BackfillPage[" + messages.size() + " messages, " + (isLast() ? "last" : "more (next link)") + "]";
    }
}
