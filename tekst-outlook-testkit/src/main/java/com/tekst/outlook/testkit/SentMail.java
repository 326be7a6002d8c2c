package com.tekst.outlook.testkit;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A message a client sent through Graph from a fake mailbox ({@code POST /users/{id}/sendMail} or
 * {@code POST /users/{id}/messages/{id}/forward}), as {@link FakeMailbox#sentMail()} records it.
 *
 * <br>{@code kind}: how it was sent
 * <br>{@code from}: the sending mailbox
 * <br>{@code toRecipients}: the {@code To} recipients
 * <br>{@code ccRecipients}: the {@code Cc} recipients
 * <br>{@code subject}: the subject as sent (a forward's is {@code "FW: "} + the original's)
 * <br>{@code bodyHtml}: the body as sent (a forward's is the comment followed by the original body)
 * <br>{@code comment}: the forward's {@code comment}, empty for {@code sendMail}
 * <br>{@code forwardedId}: the immutable id of the forwarded message, or {@code null}
 * <br>{@code sentAt}: fake-clock time of sending
 */
public final class SentMail {
    private final Kind kind;
    private final FakeMessage.Recipient from;
    private final List<FakeMessage.Recipient> toRecipients;
    private final List<FakeMessage.Recipient> ccRecipients;
    private final String subject;
    private final String bodyHtml;
    private final String comment;
    private final String forwardedId;
    private final Instant sentAt;

    /** How a message was sent. */
    public enum Kind {
        /** {@code POST /users/{id}/sendMail}. */
        SEND_MAIL,
        /** {@code POST /users/{id}/messages/{id}/forward}. */
        FORWARD
    }

    /** Validates and copies the fields. */
    public SentMail(Kind kind, FakeMessage.Recipient from, List<FakeMessage.Recipient> toRecipients, List<FakeMessage.Recipient> ccRecipients, String subject, String bodyHtml, String comment, String forwardedId, Instant sentAt) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(from, "from");
        toRecipients = List.copyOf(toRecipients);
        ccRecipients = List.copyOf(ccRecipients);
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(bodyHtml, "bodyHtml");
        comment = comment == null ? "" : comment;
        Objects.requireNonNull(sentAt, "sentAt");
        this.kind = kind;
        this.from = from;
        this.toRecipients = toRecipients;
        this.ccRecipients = ccRecipients;
        this.subject = subject;
        this.bodyHtml = bodyHtml;
        this.comment = comment;
        this.forwardedId = forwardedId;
        this.sentAt = sentAt;
    }

    public Kind kind() {
        return kind;
    }

    public FakeMessage.Recipient from() {
        return from;
    }

    public List<FakeMessage.Recipient> toRecipients() {
        return toRecipients;
    }

    public List<FakeMessage.Recipient> ccRecipients() {
        return ccRecipients;
    }

    public String subject() {
        return subject;
    }

    public String bodyHtml() {
        return bodyHtml;
    }

    public String comment() {
        return comment;
    }

    /** The immutable id of the forwarded message; empty for {@code sendMail}. */
    public Optional<String> forwardedId() {
        return Optional.ofNullable(forwardedId);
    }

    public Instant sentAt() {
        return sentAt;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SentMail o && Objects.equals(kind, o.kind) && Objects.equals(from, o.from) && Objects.equals(toRecipients, o.toRecipients) && Objects.equals(ccRecipients, o.ccRecipients) && Objects.equals(subject, o.subject) && Objects.equals(bodyHtml, o.bodyHtml) && Objects.equals(comment, o.comment) && Objects.equals(forwardedId, o.forwardedId) && Objects.equals(sentAt, o.sentAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, from, toRecipients, ccRecipients, subject, bodyHtml, comment, forwardedId, sentAt);
    }

    @Override
    public String toString() {
        return "SentMail[" + "kind=" + kind + ", " + "from=" + from + ", " + "toRecipients=" + toRecipients + ", " + "ccRecipients=" + ccRecipients + ", " + "subject=" + subject + ", " + "bodyHtml=" + bodyHtml + ", " + "comment=" + comment + ", " + "forwardedId=" + forwardedId + ", " + "sentAt=" + sentAt + "]";
    }

}
