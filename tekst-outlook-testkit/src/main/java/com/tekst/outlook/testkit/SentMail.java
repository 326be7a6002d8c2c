package com.tekst.outlook.testkit;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A message a client sent through Graph from a fake mailbox ({@code POST /users/{id}/sendMail} or
 * {@code POST /users/{id}/messages/{id}/forward}), as {@link FakeMailbox#sentMail()} records it.
 *
 * @param kind            how it was sent
 * @param from            the sending mailbox
 * @param toRecipients    the {@code To} recipients
 * @param ccRecipients    the {@code Cc} recipients
 * @param subject         the subject as sent (a forward's is {@code "FW: "} + the original's)
 * @param bodyHtml        the body as sent (a forward's is the comment followed by the original body)
 * @param comment         the forward's {@code comment}, empty for {@code sendMail}
 * @param forwardedId     the immutable id of the forwarded message, or {@code null}
 * @param sentAt          fake-clock time of sending
 */
public record SentMail(Kind kind, FakeMessage.Recipient from, List<FakeMessage.Recipient> toRecipients,
                       List<FakeMessage.Recipient> ccRecipients, String subject, String bodyHtml, String comment,
                       String forwardedId, Instant sentAt) {

    /** How a message was sent. */
    public enum Kind {
        /** {@code POST /users/{id}/sendMail}. */
        SEND_MAIL,
        /** {@code POST /users/{id}/messages/{id}/forward}. */
        FORWARD
    }

    public SentMail {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(from, "from");
        toRecipients = List.copyOf(toRecipients);
        ccRecipients = List.copyOf(ccRecipients);
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(bodyHtml, "bodyHtml");
        comment = comment == null ? "" : comment;
        Objects.requireNonNull(sentAt, "sentAt");
    }

    /** The immutable id of the forwarded message; empty for {@code sendMail}. */
    public Optional<String> forwardedMessageId() {
        return Optional.ofNullable(forwardedId);
    }
}
