package com.tekst.outlook.sync;

import java.util.Objects;

/**
 * A message body with its content type. {@link #toString()} leaves the content out: message content never reaches a
 * log.
 *
 * @param contentType HTML or plain text
 * @param content     the body, empty when the message has none
 */
public record MessageBody(ContentType contentType, String content) {
    /** Graph's {@code body.contentType}. */
    public enum ContentType {
        /** {@code html} */
        HTML,
        /** {@code text} */
        TEXT
    }

    /** {@code content} may be {@code null} for an empty body. */
    public MessageBody {
        Objects.requireNonNull(contentType, "contentType");
        content = content == null ? "" : content;
    }

    /** A plain-text body. */
    public static MessageBody text(String content) {
        return new MessageBody(ContentType.TEXT, content);
    }

    /** An HTML body. */
    public static MessageBody html(String content) {
        return new MessageBody(ContentType.HTML, content);
    }

    /** The content type and the length, never the content. */
    @Override
    public String toString() {
        return "MessageBody[" + contentType + ", " + content.length() + " chars]";
    }
}
