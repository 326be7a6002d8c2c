package com.tekst.outlook.testkit;

import com.tekst.outlook.testkit.internal.mail.MessageDraft;
import com.tekst.outlook.testkit.internal.mail.MessageRecord;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A message in a fake mailbox, as it is at one moment: an immutable snapshot. Mailbox operations
 * ({@link FakeMailbox#move}, {@link FakeMailbox#markRead}...) return the new snapshot; an old snapshot keeps the id
 * and change key it had.
 *
 * <p>Ids are opaque, case-sensitive strings shaped like Exchange's: {@link #id()} is the REST id Graph returns by
 * default (it changes when the message moves), {@link #immutableId()} the one returned with
 * {@code Prefer: IdType="ImmutableId"} (it survives moves within the mailbox). Both are accepted wherever Graph takes
 * a message id.
 *
 * <p>New messages are described with {@link #builder()} and delivered with {@link FakeMailbox#deliver}.
 */
public final class FakeMessage {

    /** A sender or recipient: Graph's {@code recipient.emailAddress}. */
    public record Recipient(String name, String address) {
        public Recipient {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(address, "address");
            if (!address.contains("@")) {
                throw new IllegalArgumentException("an email address looks like name@domain: " + address);
            }
        }

        /** A recipient whose display name is derived from the address ({@code jane.doe@x} → {@code Jane Doe}). */
        public static Recipient of(String address) {
            return new Recipient(nameOf(address), address);
        }

        static String nameOf(String address) {
            String local = address.contains("@") ? address.substring(0, address.indexOf('@')) : address;
            StringBuilder sb = new StringBuilder();
            for (String part : local.split("[._-]")) {
                if (!part.isEmpty()) {
                    if (sb.length() > 0) {
                        sb.append(' ');
                    }
                    sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
                }
            }
            return sb.toString();
        }
    }

    private final MessageRecord record;

    FakeMessage(MessageRecord record) {
        this.record = record;
    }

    MessageRecord record() {
        return record;
    }

    /** The REST id: what Graph returns without {@code Prefer: IdType="ImmutableId"}; it changes on every move. */
    public String id() {
        return record.restId;
    }

    /** The immutable id: what Graph returns with {@code Prefer: IdType="ImmutableId"}. */
    public String immutableId() {
        return record.immutableId;
    }

    public String internetMessageId() {
        return record.internetMessageId;
    }

    /** The conversation (thread) id: the same for every message of the thread in this mailbox. */
    public String conversationId() {
        return record.conversationId;
    }

    public String subject() {
        return record.subject;
    }

    public Recipient from() {
        return record.from;
    }

    public List<Recipient> toRecipients() {
        return record.toRecipients;
    }

    public List<Recipient> ccRecipients() {
        return record.ccRecipients;
    }

    public Instant receivedDateTime() {
        return record.receivedDateTime;
    }

    public Instant sentDateTime() {
        return record.sentDateTime;
    }

    public Instant createdDateTime() {
        return record.createdDateTime;
    }

    public Instant lastModifiedDateTime() {
        return record.lastModifiedDateTime;
    }

    /** The HTML body. */
    public String body() {
        return record.bodyHtml;
    }

    /** The first 255 characters of the body's text, as Graph's {@code bodyPreview}. */
    public String bodyPreview() {
        return record.bodyPreview;
    }

    public boolean isRead() {
        return record.isRead;
    }

    public List<String> categories() {
        return record.categories;
    }

    public boolean hasAttachments() {
        return record.hasAttachments;
    }

    /** {@code low}, {@code normal} or {@code high}. */
    public String importance() {
        return record.importance;
    }

    /** The id of the folder the message is in. */
    public String parentFolderId() {
        return record.folderId;
    }

    /** Changes with every version of the message (Graph's {@code changeKey}; the etag is {@code W/"changeKey"}). */
    public String changeKey() {
        return record.changeKey;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FakeMessage other && other.record == record;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(record);
    }

    @Override
    public String toString() {
        return "FakeMessage[" + record.subject + ", received " + record.receivedDateTime + ", read=" + record.isRead
                + "]";
    }

    /** Describes a new message for {@link FakeMailbox#deliver}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Describes a message to deliver. Only the sender is required; the subject defaults to {@code "(no subject)"},
     * the received time to the fake clock's now, the sent time to the received time, the body to a short paragraph.
     * The conversation is derived from the subject (without {@code RE:}/{@code FW:}), as in Exchange, unless set.
     */
    public static final class Builder {
        private String subject = "(no subject)";
        private Recipient from;
        private final List<Recipient> to = new ArrayList<>();
        private final List<Recipient> cc = new ArrayList<>();
        private Instant received;
        private Instant sent;
        private String bodyHtml;
        private boolean hasAttachments;
        private String importance = "normal";
        private boolean isRead;
        private final List<String> categories = new ArrayList<>();
        private String internetMessageId;
        private String conversationKey;

        private Builder() {
        }

        public Builder subject(String value) {
            this.subject = Objects.requireNonNull(value, "subject");
            return this;
        }

        public Builder from(String address) {
            return from(Recipient.of(address));
        }

        public Builder from(String name, String address) {
            return from(new Recipient(name, address));
        }

        public Builder from(Recipient value) {
            this.from = Objects.requireNonNull(value, "from");
            return this;
        }

        /** Adds {@code To} recipients. */
        public Builder to(String... addresses) {
            for (String a : addresses) {
                to.add(Recipient.of(a));
            }
            return this;
        }

        public Builder to(Recipient recipient) {
            to.add(Objects.requireNonNull(recipient));
            return this;
        }

        /** Adds {@code Cc} recipients. */
        public Builder cc(String... addresses) {
            for (String a : addresses) {
                cc.add(Recipient.of(a));
            }
            return this;
        }

        /** When the message arrived (truncated to seconds, as Graph reports it). */
        public Builder receivedAt(Instant value) {
            this.received = value.truncatedTo(ChronoUnit.SECONDS);
            return this;
        }

        public Builder sentAt(Instant value) {
            this.sent = value.truncatedTo(ChronoUnit.SECONDS);
            return this;
        }

        /** The HTML body. */
        public Builder body(String html) {
            this.bodyHtml = Objects.requireNonNull(html, "html");
            return this;
        }

        public Builder hasAttachments(boolean value) {
            this.hasAttachments = value;
            return this;
        }

        /** {@code low}, {@code normal} (default) or {@code high}. */
        public Builder importance(String value) {
            String v = value.toLowerCase(Locale.ROOT);
            if (!v.equals("low") && !v.equals("normal") && !v.equals("high")) {
                throw new IllegalArgumentException("importance is low, normal or high: " + value);
            }
            this.importance = v;
            return this;
        }

        public Builder read(boolean value) {
            this.isRead = value;
            return this;
        }

        public Builder categories(String... values) {
            categories.clear();
            categories.addAll(List.of(values));
            return this;
        }

        /** The RFC 5322 message id; derived when not set. Give several deliveries the same to model one message. */
        public Builder internetMessageId(String value) {
            this.internetMessageId = Objects.requireNonNull(value);
            return this;
        }

        /** Puts the message into a thread: messages with the same key share a {@code conversationId}. */
        public Builder conversation(String key) {
            this.conversationKey = Objects.requireNonNull(key);
            return this;
        }

        /** Makes this a reply in the thread of {@code original}, with {@code RE: } + its subject unless set. */
        public Builder inReplyTo(FakeMessage original) {
            this.conversationKey = original.record().conversationKey;
            if (subject.equals("(no subject)")) {
                subject = "RE: " + original.subject();
            }
            return this;
        }

        MessageDraft toDraft(Instant now) {
            if (from == null) {
                throw new IllegalStateException("a message needs a sender: call from(...)");
            }
            Instant r = received != null ? received : now.truncatedTo(ChronoUnit.SECONDS);
            Instant s = sent != null ? sent : r;
            String body = bodyHtml != null ? bodyHtml
                    : "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head>"
                    + "<body><p>" + com.tekst.outlook.testkit.internal.Html.escape(subject) + "</p></body></html>";
            String key = conversationKey != null ? conversationKey : MessageDraft.conversationKeyOf(subject);
            return new MessageDraft(internetMessageId, key, subject, from, to, cc, r, s, body, hasAttachments,
                    importance, isRead, categories, null);
        }
    }
}
