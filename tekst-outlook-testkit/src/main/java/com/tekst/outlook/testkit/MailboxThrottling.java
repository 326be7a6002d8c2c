package com.tekst.outlook.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * The throttling the fake Graph enforces by itself for Outlook resources, per application per mailbox, as Exchange
 * Online does: at most {@link #maxConcurrentRequests()} requests in flight to one mailbox, and at most
 * {@link #requestBudget()} requests per {@link #budgetWindow()} (a sliding window on the {@link FakeClock}). One
 * mailbox's throttling never affects another's.
 *
 * <p>What a client over a limit gets, {@code 429 Too Many Requests} with {@code Retry-After} in both cases:
 * <ul>
 *   <li>over the concurrency limit: {@code {"error":{"code":"ApplicationThrottled","message":"Application is over its
 *       MailboxConcurrency limit."}}} (the shape reported from the field) with
 *       {@code Retry-After: }{@link #concurrencyRetryAfter()};</li>
 *   <li>over the request budget: {@code {"error":{"code":"TooManyRequests","message":"Please retry again later."}}}
 *       (the shape of Microsoft's throttling documentation) with {@code Retry-After} the whole seconds until enough
 *       requests left the window for one more to fit.</li>
 * </ul>
 * Every request to a mailbox counts towards its budget, a throttled one too (Microsoft: "all requests accrue against
 * your usage limits"): a client that waits the {@code Retry-After} it was given gets through (unless other requests
 * took the room meanwhile), and one that retries earlier pushes its {@code Retry-After} out. Directory
 * ({@code /users}) requests are not Outlook resources and are not counted; scripted faults answer before the limits and
 * are not counted either.
 *
 * @param maxConcurrentRequests requests in flight per application per mailbox (Exchange: 4)
 * @param requestBudget         requests per window per application per mailbox (Exchange: 10,000)
 * @param budgetWindow          the window (Exchange: 10 minutes)
 * @param concurrencyRetryAfter the {@code Retry-After} of a concurrency 429 (rounded up to whole seconds)
 */
public record MailboxThrottling(int maxConcurrentRequests, int requestBudget, Duration budgetWindow,
                                Duration concurrencyRetryAfter) {

    /** Validates the limits. */
    public MailboxThrottling {
        if (maxConcurrentRequests < 1) {
            throw new IllegalArgumentException("maxConcurrentRequests must be at least 1: " + maxConcurrentRequests);
        }
        if (requestBudget < 1) {
            throw new IllegalArgumentException("requestBudget must be at least 1: " + requestBudget);
        }
        Objects.requireNonNull(budgetWindow, "budgetWindow");
        if (budgetWindow.isNegative() || budgetWindow.isZero()) {
            throw new IllegalArgumentException("budgetWindow must be positive: " + budgetWindow);
        }
        Objects.requireNonNull(concurrencyRetryAfter, "concurrencyRetryAfter");
        if (concurrencyRetryAfter.isNegative()) {
            throw new IllegalArgumentException("concurrencyRetryAfter must not be negative");
        }
    }

    /** Exchange Online's limits: 4 concurrent requests, 10,000 requests per 10 minutes; 1 s after a concurrency 429. */
    public static MailboxThrottling exchangeOnline() {
        return new MailboxThrottling(4, 10_000, Duration.ofMinutes(10), Duration.ofSeconds(1));
    }

    /** Practically no limits (for benchmarks): {@link Integer#MAX_VALUE} concurrent, a budget of 1 per nanosecond. */
    public static MailboxThrottling unlimited() {
        return new MailboxThrottling(Integer.MAX_VALUE, Integer.MAX_VALUE, Duration.ofNanos(1), Duration.ZERO);
    }

    /** These limits with another request budget, e.g. {@code withRequestBudget(20, Duration.ofMinutes(1))} for tests. */
    public MailboxThrottling withRequestBudget(int requests, Duration window) {
        return new MailboxThrottling(maxConcurrentRequests, requests, window, concurrencyRetryAfter);
    }

    /** These limits with another concurrency limit. */
    public MailboxThrottling withMaxConcurrentRequests(int value) {
        return new MailboxThrottling(value, requestBudget, budgetWindow, concurrencyRetryAfter);
    }

    /** These limits with another {@code Retry-After} for concurrency 429s. */
    public MailboxThrottling withConcurrencyRetryAfter(Duration value) {
        return new MailboxThrottling(maxConcurrentRequests, requestBudget, budgetWindow, value);
    }
}
