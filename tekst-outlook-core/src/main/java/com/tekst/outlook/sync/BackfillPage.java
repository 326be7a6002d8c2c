package com.tekst.outlook.sync;

import java.util.List;

/**
 * One page of a listing: messages newest first, and whether Graph said more follow ({@code @odata.nextLink}). The
 * engine never follows the link: it asks again with a new bound.
 *
 * @param messages the messages, newest first
 * @param more     whether the response carried {@code @odata.nextLink}
 */
public record BackfillPage(List<MailMessage> messages, boolean more) {
    public BackfillPage {
        messages = List.copyOf(messages);
    }

    @Override
    public String toString() {
        return "BackfillPage[" + messages.size() + " messages" + (more ? ", more" : "") + "]";
    }
}
