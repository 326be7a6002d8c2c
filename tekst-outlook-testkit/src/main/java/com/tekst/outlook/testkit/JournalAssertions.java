package com.tekst.outlook.testkit;

import com.tekst.outlook.MailboxId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Assertions over a {@link RequestJournal}: the rules a well-behaved client of Microsoft 365 keeps. Each method throws
 * an {@link AssertionError} naming every offending request (up to 20) and returns {@code this} for chaining:
 *
 * <pre>{@code
 * JournalAssertions.assertThat(cloud.journal())
 *         .noRequestBeforeRetryAfter()
 *         .onlyMailboxes(alice.objectId(), shared.objectId())
 *         .everyGraphRequestHasClientRequestId()
 *         .everyTokenTenantMatchesAddressedTenant();
 * }</pre>
 *
 * The assertions read a snapshot of the journal taken when {@link #assertThat} was called; call it again after more
 * requests. Inner requests of a {@code $batch} are journaled (with their batch id) and checked like any other.
 */
public final class JournalAssertions {
    private static final int SHOWN = 20;
    private final List<JournalEntry> entries;

    private JournalAssertions(List<JournalEntry> entries) {
        this.entries = entries;
    }

    /** Assertions over what the journal holds now. */
    public static JournalAssertions assertThat(RequestJournal journal) {
        return new JournalAssertions(Objects.requireNonNull(journal, "journal").entries());
    }

    /** Assertions over these entries (a filtered part of a journal, say). */
    public static JournalAssertions assertThat(List<JournalEntry> entries) {
        return new JournalAssertions(List.copyOf(entries));
    }

    /**
     * No request reached a mailbox before a {@code Retry-After} the fake had given for that mailbox had elapsed on the
     * {@link FakeClock}. A {@code Retry-After} on a request without a mailbox (a token request, {@code /users}) fences
     * the same kind of request to the same tenant. Requests that were already on their way when the throttling answer
     * was produced (real time), and other requests of the same {@code $batch}, are not counted against it.
     */
    public JournalAssertions noRequestBeforeRetryAfter() {
        Map<String, List<JournalEntry>> fences = new HashMap<>();
        List<String> violations = new ArrayList<>();
        for (JournalEntry e : entries) {
            String key = fenceKey(e);
            for (JournalEntry fence : fences.getOrDefault(key, List.of())) {
                Instant until = fence.receivedAt().plus(fence.retryAfter().orElseThrow());
                boolean sentAfterAnswer = e.startNanos() > fence.endNanos();
                boolean sameBatch = fence.batchId().isPresent() && fence.batchId().equals(e.batchId());
                if (sentAfterAnswer && !sameBatch && e.receivedAt().isBefore(until)) {
                    violations.add(describe(e) + " arrived at " + e.receivedAt() + ", before " + until
                            + " (Retry-After " + fence.retryAfter().orElseThrow().toSeconds() + "s given to " + describe(fence) + ")");
                    break;
                }
            }
            if (e.retryAfter().isPresent()) {
                fences.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
            }
        }
        return fail("a request was sent before the Retry-After it was given had elapsed", violations);
    }

    /** No Graph request addressed a mailbox other than these (object ids). */
    public JournalAssertions onlyMailboxes(MailboxId... objectIds) {
        return onlyMailboxes(Arrays.asList(objectIds));
    }

    /** No Graph request addressed a mailbox outside {@code scope} (object ids). */
    public JournalAssertions onlyMailboxes(Collection<MailboxId> scope) {
        Set<MailboxId> allowed = new LinkedHashSet<>(scope);
        List<String> violations = new ArrayList<>();
        for (JournalEntry e : entries) {
            if (e.mailbox().isPresent() && !allowed.contains(e.mailbox().get())) {
                violations.add(describe(e) + " addressed mailbox " + e.mailbox().get());
            }
        }
        return fail("a request addressed a mailbox outside the scope " + allowed, violations);
    }

    /** Every Graph request carried a {@code client-request-id} header. */
    public JournalAssertions everyGraphRequestHasClientRequestId() {
        List<String> violations = new ArrayList<>();
        for (JournalEntry e : entries) {
            if (e.kind() == JournalEntry.Kind.GRAPH && e.clientRequestId().filter(id -> !id.isBlank()).isEmpty()) {
                violations.add(describe(e) + " had no client-request-id");
            }
        }
        return fail("a Graph request carried no client-request-id", violations);
    }

    /**
     * Every Graph request with a bearer token addressed the tenant the token was issued for (its {@code tid}): no
     * request used one customer's token on another customer's mailbox.
     */
    public JournalAssertions everyTokenTenantMatchesAddressedTenant() {
        List<String> violations = new ArrayList<>();
        for (JournalEntry e : entries) {
            if (e.kind() == JournalEntry.Kind.GRAPH && e.tokenTenant().isPresent() && e.tenant().isPresent()
                    && !e.tokenTenant().equals(e.tenant())) {
                violations.add(describe(e) + " carried a token of tenant " + e.tokenTenant().get() + " but addressed tenant "
                        + e.tenant().get());
            }
        }
        return fail("a token was used on another tenant", violations);
    }

    /** No request matching {@code filter} was journaled; {@code what} describes the filter in the message. */
    public JournalAssertions noRequest(String what, Predicate<JournalEntry> filter) {
        List<String> violations = new ArrayList<>();
        for (JournalEntry e : entries) {
            if (filter.test(e)) {
                violations.add(describe(e));
            }
        }
        return fail("expected no request " + what, violations);
    }

    private static String fenceKey(JournalEntry e) {
        if (e.mailbox().isPresent()) {
            return "mailbox:" + e.mailbox().get();
        }
        return e.kind() + ":" + e.tenant().orElse(null);
    }

    private static String describe(JournalEntry e) {
        return "#" + e.sequence() + " " + e.method() + " " + e.path() + (e.query().isEmpty() ? "" : "?" + e.query())
                + " -> " + e.status() + (e.batchId().isPresent() ? " (in $batch " + e.batchId().get() + ")" : "");
    }

    private JournalAssertions fail(String rule, List<String> violations) {
        if (violations.isEmpty()) {
            return this;
        }
        StringBuilder sb = new StringBuilder(rule).append(": ").append(violations.size())
                .append(violations.size() == 1 ? " request" : " requests");
        for (int i = 0; i < Math.min(SHOWN, violations.size()); i++) {
            sb.append("\n  ").append(violations.get(i));
        }
        if (violations.size() > SHOWN) {
            sb.append("\n  ... and ").append(violations.size() - SHOWN).append(" more");
        }
        throw new AssertionError(sb.toString());
    }
}
