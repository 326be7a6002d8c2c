package com.tekst.outlook.sync;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One message as the sync engine delivers it. Immutable.
 *
 * <p>{@link #id()} is Graph's immutable id ({@code Prefer: IdType="ImmutableId"} is sent on every request): it
 * survives moves between folders of the mailbox, so it identifies the message across pages, folders and redeliveries.
 * {@link #internetMessageId()} (the RFC 5322 {@code Message-ID}) identifies it across mailboxes. Together they let a
 * consumer de-duplicate, which at-least-once delivery requires.
 *
 * <p>Which fields are filled depends on the engine's {@code $select} ({@link #DEFAULT_FIELDS}); fields that were not
 * selected are empty strings, empty lists, {@code false} or {@code null} ({@link #from()}, {@link #body()}).
 *
 * <p>{@link #toString()} shows ids and flags only, never subject, preview, body or addresses.
 *
 * <br>{@code id}: the immutable message id; never empty
 * <br>{@code internetMessageId}: the {@code Message-ID} header, empty when Graph has none (e.g. some drafts)
 * <br>{@code conversationId}: the conversation (thread) id, empty when absent
 * <br>{@code folderId}: the id of the folder the message is in (Graph's {@code parentFolderId}); never empty
 * <br>{@code subject}: the subject, empty when absent
 * <br>{@code from}: the sender, or {@code null} (a draft, or not selected)
 * <br>{@code to}: the To recipients
 * <br>{@code cc}: the Cc recipients
 * <br>{@code receivedDateTime}: when the message arrived; never {@code null}
 * <br>{@code bodyPreview}: the first characters of the body as text, empty when absent
 * <br>{@code body}: the body, or {@code null} when not selected
 * <br>{@code isRead}: whether the message is read
 * <br>{@code categories}: the Outlook categories
 * <br>{@code hasAttachments}: whether the message has (non-inline) attachments
 */
public final class MailMessage {
    private final String id;
    private final String internetMessageId;
    private final String conversationId;
    private final String folderId;
    private final String subject;
    private final EmailAddress from;
    private final List<EmailAddress> to;
    private final List<EmailAddress> cc;
    private final Instant receivedDateTime;
    private final String bodyPreview;
    private final MessageBody body;
    private final boolean isRead;
    private final List<String> categories;
    private final boolean hasAttachments;

    /** The Graph message fields the engine always selects, whatever the configuration says. */
    public static final Set<String> REQUIRED_FIELDS =
            sorted(List.of("id", "internetMessageId", "parentFolderId", "receivedDateTime"));

    /** The Graph message fields selected by default: every field this record maps. */
    public static final Set<String> DEFAULT_FIELDS = sorted(List.of("id", "internetMessageId", "conversationId",
            "parentFolderId", "subject", "from", "toRecipients", "ccRecipients", "receivedDateTime", "bodyPreview",
            "body", "isRead", "categories", "hasAttachments"));

    /**
     * @throws IllegalArgumentException if the id or folder id is empty
     * @throws NullPointerException     if the id, folder id or receivedDateTime is {@code null}
     */
    public MailMessage(String id, String internetMessageId, String conversationId, String folderId, String subject, EmailAddress from, List<EmailAddress> to, List<EmailAddress> cc, Instant receivedDateTime, String bodyPreview, MessageBody body, boolean isRead, List<String> categories, boolean hasAttachments) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(folderId, "folderId");
        Objects.requireNonNull(receivedDateTime, "receivedDateTime");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("a message id must not be empty");
        }
        if (folderId.isEmpty()) {
            throw new IllegalArgumentException("a folder id must not be empty");
        }
        internetMessageId = internetMessageId == null ? "" : internetMessageId;
        conversationId = conversationId == null ? "" : conversationId;
        subject = subject == null ? "" : subject;
        bodyPreview = bodyPreview == null ? "" : bodyPreview;
        to = to == null ? List.of() : List.copyOf(to);
        cc = cc == null ? List.of() : List.copyOf(cc);
        categories = categories == null ? List.of() : List.copyOf(categories);
        this.id = id;
        this.internetMessageId = internetMessageId;
        this.conversationId = conversationId;
        this.folderId = folderId;
        this.subject = subject;
        this.from = from;
        this.to = to;
        this.cc = cc;
        this.receivedDateTime = receivedDateTime;
        this.bodyPreview = bodyPreview;
        this.body = body;
        this.isRead = isRead;
        this.categories = categories;
        this.hasAttachments = hasAttachments;
    }

    public String id() {
        return id;
    }

    public String internetMessageId() {
        return internetMessageId;
    }

    public String conversationId() {
        return conversationId;
    }

    public String folderId() {
        return folderId;
    }

    public String subject() {
        return subject;
    }

    /** The sender, when known. */
    public Optional<EmailAddress> from() {
        return Optional.ofNullable(from);
    }

    public List<EmailAddress> to() {
        return to;
    }

    public List<EmailAddress> cc() {
        return cc;
    }

    public Instant receivedDateTime() {
        return receivedDateTime;
    }

    public String bodyPreview() {
        return bodyPreview;
    }

    /** The body, when selected. */
    public Optional<MessageBody> body() {
        return Optional.ofNullable(body);
    }

    public boolean isRead() {
        return isRead;
    }

    public List<String> categories() {
        return categories;
    }

    public boolean hasAttachments() {
        return hasAttachments;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MailMessage o && Objects.equals(id, o.id) && Objects.equals(internetMessageId, o.internetMessageId) && Objects.equals(conversationId, o.conversationId) && Objects.equals(folderId, o.folderId) && Objects.equals(subject, o.subject) && Objects.equals(from, o.from) && Objects.equals(to, o.to) && Objects.equals(cc, o.cc) && Objects.equals(receivedDateTime, o.receivedDateTime) && Objects.equals(bodyPreview, o.bodyPreview) && Objects.equals(body, o.body) && Objects.equals(isRead, o.isRead) && Objects.equals(categories, o.categories) && Objects.equals(hasAttachments, o.hasAttachments);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, internetMessageId, conversationId, folderId, subject, from, to, cc, receivedDateTime, bodyPreview, body, isRead, categories, hasAttachments);
    }

    /** A builder for a message with its three required values. */
    public static Builder builder(String id, String folderId, Instant receivedDateTime) {
        return new Builder(id, folderId, receivedDateTime);
    }

    /** Ids, time and flags; never subject, preview, body or addresses. */
    @Override
    public String toString() {
        return "MailMessage[id=" + id + ", folderId=" + folderId + ", receivedDateTime=" + receivedDateTime
                + ", isRead=" + isRead + ", hasAttachments=" + hasAttachments + "]";
    }

    private static Set<String> sorted(List<String> fields) {
        return Collections.unmodifiableSet(new TreeSet<>(fields));
    }

    /** Builds a {@link MailMessage}; not thread-safe. Unset optional fields are empty. */
    public static final class Builder {
        private final String id;
        private final String folderId;
        private final Instant receivedDateTime;
        private String internetMessageId = "";
        private String conversationId = "";
        private String subject = "";
        private EmailAddress from;
        private final List<EmailAddress> to = new ArrayList<>();
        private final List<EmailAddress> cc = new ArrayList<>();
        private String bodyPreview = "";
        private MessageBody body;
        private boolean isRead;
        private final List<String> categories = new ArrayList<>();
        private boolean hasAttachments;

        private Builder(String id, String folderId, Instant receivedDateTime) {
            this.id = id;
            this.folderId = folderId;
            this.receivedDateTime = receivedDateTime;
        }

        /** The {@code Message-ID} header. */
        public Builder internetMessageId(String value) {
            this.internetMessageId = value;
            return this;
        }

        /** The conversation id. */
        public Builder conversationId(String value) {
            this.conversationId = value;
            return this;
        }

        /** The subject. */
        public Builder subject(String value) {
            this.subject = value;
            return this;
        }

        /** The sender. */
        public Builder from(EmailAddress value) {
            this.from = value;
            return this;
        }

        /** Adds a To recipient. */
        public Builder addTo(EmailAddress value) {
            this.to.add(Objects.requireNonNull(value, "to"));
            return this;
        }

        /** Adds a Cc recipient. */
        public Builder addCc(EmailAddress value) {
            this.cc.add(Objects.requireNonNull(value, "cc"));
            return this;
        }

        /** The body preview. */
        public Builder bodyPreview(String value) {
            this.bodyPreview = value;
            return this;
        }

        /** The body. */
        public Builder body(MessageBody value) {
            this.body = value;
            return this;
        }

        /** Whether it is read. */
        public Builder isRead(boolean value) {
            this.isRead = value;
            return this;
        }

        /** Adds a category. */
        public Builder addCategory(String value) {
            this.categories.add(Objects.requireNonNull(value, "category"));
            return this;
        }

        /** Whether it has attachments. */
        public Builder hasAttachments(boolean value) {
            this.hasAttachments = value;
            return this;
        }

        /** The message; validated as by the record's constructor. */
        public MailMessage build() {
            return new MailMessage(id, internetMessageId, conversationId, folderId, subject, from, to, cc,
                    receivedDateTime, bodyPreview, body, isRead, categories, hasAttachments);
        }
    }
}
