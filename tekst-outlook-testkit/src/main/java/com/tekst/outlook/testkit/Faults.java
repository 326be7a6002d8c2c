package com.tekst.outlook.testkit;

import com.tekst.outlook.MailboxId;
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
    public static final class Request {
        private final JournalEntry.Kind kind;
        private final String method;
        private final String path;
        private final String query;
        private final TenantId tenant;
        private final MailboxId mailbox;

        public Request(JournalEntry.Kind kind, String method, String path, String query, TenantId tenant, MailboxId mailbox) {
            this.kind = kind;
            this.method = method;
            this.path = path;
            this.query = query;
            this.tenant = tenant;
            this.mailbox = mailbox;
        }

        public JournalEntry.Kind kind() {
            return kind;
        }

        public String method() {
            return method;
        }

        public String path() {
            return path;
        }

        public String query() {
            return query;
        }

        public Optional<TenantId> tenant() {
            return Optional.ofNullable(tenant);
        }

        public Optional<MailboxId> mailbox() {
            return Optional.ofNullable(mailbox);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Request o && Objects.equals(kind, o.kind) && Objects.equals(method, o.method) && Objects.equals(path, o.path) && Objects.equals(query, o.query) && Objects.equals(tenant, o.tenant) && Objects.equals(mailbox, o.mailbox);
        }

        @Override
        public int hashCode() {
            return Objects.hash(kind, method, path, query, tenant, mailbox);
        }

        @Override
        public String toString() {
            return "Request[" + "kind=" + kind + ", " + "method=" + method + ", " + "path=" + path + ", " + "query=" + query + ", " + "tenant=" + tenant + ", " + "mailbox=" + mailbox + "]";
        }
    }

    /** A fault rule: which requests, how many to let through first, how many to fail. */
    public static final class Rule {
        private final Predicate<Request> matcher;
        private final int skip;
        private final int times;
        private final Fault fault;
        private final double probability;
        private final java.util.Random random;
        private int seen;
        private int applied;

        private Rule(Predicate<Request> matcher, int skip, int times, Fault fault, double probability, Long seed) {
            this.matcher = matcher;
            this.skip = skip;
            this.times = times;
            this.fault = fault;
            this.probability = probability;
            this.random = seed == null ? null : new java.util.Random(seed);
        }

        /** How many matching requests this rule has seen (let through or failed). */
        public synchronized int seen() {
            return seen;
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
            if (random != null && random.nextDouble() >= probability) {
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
        private double probability = 1.0;
        private Long seed;

        private RuleBuilder(Predicate<Request> matcher) {
            this.matcher = matcher;
        }

        /** Fails only the {@code n}-th matching request (from 1): {@code skip(n - 1).times(1)}. */
        public RuleBuilder nth(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("n counts from 1");
            }
            return skip(n - 1).times(1);
        }

        /**
         * Fails each matching request (after {@link #skip}) with probability {@code p}, drawn from a PRNG seeded with
         * {@code seed}: the same requests in the same order fail on every run. Combine with {@link #always()} or
         * {@link #times(int)} to cap how many fail.
         */
        public RuleBuilder withProbability(double p, long seed) {
            if (!(p > 0.0 && p <= 1.0)) {
                throw new IllegalArgumentException("a probability is in (0, 1]: " + p);
            }
            this.probability = p;
            this.seed = seed;
            return this;
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

        /** The rule, answering with {@code fault}; add it with {@link Faults#add(Rule)}. */
        public Rule respond(Fault fault) {
            return new Rule(matcher, skip, times, Objects.requireNonNull(fault, "fault"), probability, seed);
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
    public static Predicate<Request> mailbox(MailboxId objectId) {
        return r -> r.kind() == JournalEntry.Kind.GRAPH && r.mailbox().filter(objectId::equals).isPresent();
    }

    /** Requests addressing this tenant. */
    public static Predicate<Request> tenant(TenantId tenant) {
        return r -> r.tenant().filter(tenant::equals).isPresent();
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

    /** Requests with this HTTP method. */
    public static Predicate<Request> method(String method) {
        return r -> r.method().equalsIgnoreCase(method);
    }

    /** Graph delta requests (message or folder delta, first request or a next/delta link). */
    public static Predicate<Request> deltaRequests() {
        return r -> r.kind() == JournalEntry.Kind.GRAPH && (r.path().endsWith("/delta") || r.path().endsWith("/delta()"));
    }

    /** Graph requests following a next or delta link ({@code $skiptoken} or {@code $deltatoken} in the query). */
    public static Predicate<Request> deltaLinkRequests() {
        return r -> r.kind() == JournalEntry.Kind.GRAPH && r.query() != null
                && (r.query().contains("skiptoken=") || r.query().contains("deltatoken="));
    }

    /**
     * A rule answering the next {@code requests} Graph requests to a mailbox with {@code 429} and this
     * {@code Retry-After}; add it with {@link #add(Rule)}.
     */
    public static Rule throttleMailbox(MailboxId objectId, int requests, java.time.Duration retryAfter) {
        return on(mailbox(objectId)).times(requests).respond(Fault.throttle(retryAfter));
    }
}
