package com.tekst.outlook.graph.internal.scope;

import java.util.List;

/**
 * What the {@link ScopeGuard} let through, attached to the request it passes on (tag {@code ScopeDecision.class}):
 * the mailboxes the request addresses, by canonical object id (lower case) where the guard resolved one, else by the
 * name as addressed (lower case; only in {@code ALL_MAILBOXES} mode). Every request of a {@code $batch} counts.
 * Per-mailbox throttling reads it. Internal.
 *
 * @param mailboxes the mailboxes addressed, one entry per request (repeats for a batch addressing one mailbox twice)
 */
public record ScopeDecision(List<String> mailboxes) {
    public ScopeDecision {
        mailboxes = List.copyOf(mailboxes);
    }

    /** A request that addresses no mailbox. */
    public static final ScopeDecision NO_MAILBOX = new ScopeDecision(List.of());
}
