package com.tekst.outlook;

import java.time.Duration;
import java.util.Objects;

/**
 * Microsoft throttled the request (HTTP 429, or a token-endpoint throttling answer). {@link #retryAfter()} is the
 * wait Microsoft asked for; the SDK never retries earlier.
 */
public class ThrottledException extends OutlookException {
    /** What was throttled. */
    public enum Scope {
        /** More than 4 concurrent requests to one mailbox ({@code MailboxConcurrency}). */
        MAILBOX_CONCURRENCY,
        /** The per-app, per-mailbox request budget (10,000 per 10 minutes). */
        MAILBOX_BUDGET,
        /** The application as a whole, across tenants. */
        APPLICATION,
        /** The identity platform's token endpoint. */
        TOKEN_ENDPOINT,
        /** Not said by the service. */
        UNSPECIFIED
    }

    private final Duration retryAfter;
    private final Scope scope;

    public ThrottledException(Scope scope, Duration retryAfter, String summary, ErrorDetails details, Throwable cause) {
        super(summary + " (retry after " + Objects.requireNonNull(retryAfter, "retryAfter").toSeconds() + " s)",
                details, cause);
        this.scope = Objects.requireNonNull(scope, "scope");
        this.retryAfter = retryAfter;
    }

    /** How long to wait before the next request, as Microsoft said (or the SDK's backoff when it said nothing). */
    public Duration retryAfter() {
        return retryAfter;
    }

    public Scope scope() {
        return scope;
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
