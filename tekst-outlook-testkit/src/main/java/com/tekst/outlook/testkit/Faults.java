package com.tekst.outlook.testkit;

import com.tekst.outlook.TenantId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The fault script of a fake cloud: rules that make matching requests fail on purpose. Rules are checked in the order
 * added; the first rule that matches and still has uses left applies. Deterministic: a rule counts matching requests,
 * it does not draw random numbers. Thread-safe.
 *
 * <pre>{@code
 * cloud.faults().add(Faults.on(Faults.mailbox(alice.objectId())).skip(3).times(2).respond(Fault.throttle(Duration.ofSeconds(30))));
 * cloud.faults().add(Faults.on(Faults.tokenRequests()).respond(Fault.serviceUnavailable()));
 * }</pre>
 */
public final class Faults {

    /** What a rule sees of a request. */
    public record Request(JournalEntry.Kind kind, String method, String path, String query, TenantId tenant,
                          String mailbox) {
    }

    /** A fault rule: which requests, how many to let through first, how many to fail. */
    public static final class Rule {
        private final Predicate<Request> matcher;
        private final int skip;
        private final int times;
        private final Fault fault;
        private int seen;
        private int applied;

        private Rule(Predicate<Request> matcher, int skip, int times, Fault fault) {
            this.matcher = matcher;
            this.skip = skip;
            this.times = times;
            this.fault = fault;
        }

        /** How many requests this rule failed so far. */
        public synchronized int applied() {
            return applied;
        }

        /** Whether the rule has no uses left. */
        public synchronized boolean isExhausted() {
            return times != Integer.MAX_VALUE && applied >= times;
        }

        synchronized Optional<Fault> offer(Request r) {
            if (isExhausted() || !matcher.test(r)) {
                return Optional.empty();
            }
            seen++;
            if (seen <= skip) {
                return Optional.empty();
            }
            applied++;
            return Optional.of(fault);
        }
    }

    /** Builds a {@link Rule}. */
    public static final class RuleBuilder {
        private final Predicate<Request> matcher;
        private int skip;
        private int times = 1;

        private RuleBuilder(Predicate<Request> matcher) {
            this.matcher = matcher;
        }

        /** Lets the first {@code n} matching requests through (so {@code skip(4)} fails the 5th). */
        public RuleBuilder skip(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("skip must not be negative");
            }
            this.skip = n;
            return this;
        }

        /** Fails {@code n} matching requests (default 1). */
        public RuleBuilder times(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("times must be at least 1");
            }
            this.times = n;
            return this;
        }

        /** Fails every matching request from then on. */
        public RuleBuilder always() {
            this.times = Integer.MAX_VALUE;
            return this;
        }

        public Rule respond(Fault fault) {
            return new Rule(matcher, skip, times, Objects.requireNonNull(fault, "fault"));
        }
    }

    private final List<Rule> rules = new ArrayList<>();

    Faults() {
    }

    /** Starts a rule for requests matching {@code matcher}. */
    public static RuleBuilder on(Predicate<Request> matcher) {
        return new RuleBuilder(Objects.requireNonNull(matcher, "matcher"));
    }

    /** Adds a rule and returns it (to read {@link Rule#applied()} later). */
    public synchronized Rule add(Rule rule) {
        rules.add(Objects.requireNonNull(rule, "rule"));
        return rule;
    }

    /** Removes every rule. */
    public synchronized void clear() {
        rules.clear();
    }

    /** Applies the script to a request: the fault to answer with, if any. Used by the fake's routes. */
    public synchronized Optional<Fault> match(Request request) {
        for (Iterator<Rule> it = rules.iterator(); it.hasNext(); ) {
            Rule rule = it.next();
            Optional<Fault> f = rule.offer(request);
            if (f.isPresent()) {
                return f;
            }
        }
        return Optional.empty();
    }

    // ---- matchers --------------------------------------------------------------------------------------------------

    /** Every request. */
    public static Predicate<Request> any() {
        return r -> true;
    }

    /** Token requests to the identity platform. */
    public static Predicate<Request> tokenRequests() {
        return r -> r.kind() == JournalEntry.Kind.IDENTITY && r.path().endsWith("/oauth2/v2.0/token");
    }

    /** Graph requests addressing the mailbox with this object id. */
    public static Predicate<Request> mailbox(String objectId) {
        return r -> r.kind() == JournalEntry.Kind.GRAPH && objectId.equals(r.mailbox());
    }

    /** Requests addressing this tenant. */
    public static Predicate<Request> tenant(TenantId tenant) {
        return r -> tenant.equals(r.tenant());
    }

    /** Requests whose decoded path matches a regular expression (e.g. {@code "/v1.0/users/[^/]+/messages"}). */
    public static Predicate<Request> path(String regex) {
        Pattern p = Pattern.compile(regex);
        return r -> p.matcher(r.path()).matches();
    }

    /** Graph requests. */
    public static Predicate<Request> graph() {
        return r -> r.kind() == JournalEntry.Kind.GRAPH;
    }
}
