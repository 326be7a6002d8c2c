package com.tekst.outlook.testkit.internal.mail;

import com.tekst.outlook.testkit.FakeMessage;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The content of a message before a mailbox gives it ids: what a sender wrote plus the flags the recipient's copy
 * starts with. Internal.
 *
 * @param internetMessageId the RFC 5322 id, or {@code null} to derive one
 * @param conversationKey   what makes messages one thread (the normalized subject unless set), never {@code null}
 * @param createdAt         when the item appeared in the mailbox ({@code null}: now)
 */
public record MessageDraft(String internetMessageId, String conversationKey, String subject, FakeMessage.Recipient from,
                           List<FakeMessage.Recipient> to, List<FakeMessage.Recipient> cc, Instant received,
                           Instant sent, String bodyHtml, boolean hasAttachments, String importance, boolean isRead,
                           List<String> categories, Instant createdAt) {
    public MessageDraft {
        Objects.requireNonNull(conversationKey, "conversationKey");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(from, "from");
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        Objects.requireNonNull(received, "received");
        Objects.requireNonNull(sent, "sent");
        Objects.requireNonNull(bodyHtml, "bodyHtml");
        Objects.requireNonNull(importance, "importance");
        categories = List.copyOf(categories);
    }

    /** The conversation key Exchange would use: the subject without reply/forward prefixes, lower-cased. */
    public static String conversationKeyOf(String subject) {
        String s = subject.trim();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (String prefix : new String[] {"re:", "fw:", "fwd:", "aw:", "wg:", "sv:", "vs:"}) {
                if (s.regionMatches(true, 0, prefix, 0, prefix.length())) {
                    s = s.substring(prefix.length()).trim();
                    changed = true;
                }
            }
        }
        return s.toLowerCase(java.util.Locale.ROOT);
    }
}
