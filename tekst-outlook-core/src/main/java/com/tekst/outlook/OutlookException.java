package com.tekst.outlook;

import java.util.Objects;

/**
 * The root of every exception the SDK throws. Unchecked.
 *
 * <p>Subtypes say what went wrong by cause: {@link ConsentException}, {@link CredentialException},
 * {@link TenantException}, {@link MailboxAccessException}, {@link ThrottledException}, {@link ServiceException} and
 * {@link OutlookClientException}. Each carries {@link ErrorDetails} (tenant, mailbox, Graph {@code request-id},
 * {@code client-request-id}, error code); {@link #getMessage()} appends them. Messages never contain tokens, secrets,
 * client assertions, consent {@code state} values or message content.
 */
public class OutlookException extends RuntimeException {
    private final String summary;
    private final ErrorDetails details;

    public OutlookException(String summary, ErrorDetails details, Throwable cause) {
        super(Objects.requireNonNull(summary, "summary") + Objects.requireNonNull(details, "details").describe(),
                cause);
        this.summary = summary;
        this.details = details;
    }

    public OutlookException(String summary, ErrorDetails details) {
        this(summary, details, null);
    }

    /** The message without the appended details. */
    public String summary() {
        return summary;
    }

    /** Tenant, mailbox, request ids and error code, as far as known. */
    public ErrorDetails details() {
        return details;
    }

    /** Whether repeating the same call later may succeed without anyone changing anything. */
    public boolean isRetryable() {
        return false;
    }
}
