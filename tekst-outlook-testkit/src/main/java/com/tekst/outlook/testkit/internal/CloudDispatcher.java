package com.tekst.outlook.testkit.internal;

import com.tekst.outlook.MailboxId;
import com.tekst.outlook.testkit.Fault;
import com.tekst.outlook.testkit.Faults;
import com.tekst.outlook.testkit.JournalEntry;
import com.tekst.outlook.testkit.internal.graph.GraphApi;
import com.tekst.outlook.testkit.internal.identity.IdentityEndpoints;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;

/**
 * Routes every request of the fake cloud to the identity platform or Graph, applies the fault script, and journals
 * the exchange. Runs on MockWebServer's connection threads. Internal.
 */
public final class CloudDispatcher extends Dispatcher {
    private final CloudContext ctx;
    private final IdentityEndpoints identity;
    private final GraphApi graph;
    private final AtomicLong sequence = new AtomicLong();
    private final Runnable afterDispatch;

    /**
     * @param afterDispatch called after every request (the cloud drains MockWebServer's own request queue there, so a
     *                      long-running fake does not keep every request in memory)
     */
    public CloudDispatcher(CloudContext ctx, Runnable afterDispatch) {
        this.ctx = ctx;
        this.identity = new IdentityEndpoints(ctx);
        this.graph = new GraphApi(ctx, this::answerInner, sequence::incrementAndGet);
        this.afterDispatch = afterDispatch;
    }

    @Override
    public MockResponse dispatch(RecordedRequest recorded) throws InterruptedException {
        FakeRequest request = new FakeRequest(recorded, ctx.clock().instant(), sequence.incrementAndGet());
        try {
            return answer(request);
        } finally {
            afterDispatch.run();
        }
    }

    /** The fault script, consulted once per request (Graph routes consult it after resolving the mailbox). */
    private final class Point implements FaultPoint {
        private final JournalEntry.Kind kind;
        private Optional<Fault> fault;

        Point(JournalEntry.Kind kind) {
            this.kind = kind;
        }

        @Override
        public Optional<Fault> match(FakeRequest r) {
            if (fault == null) {
                fault = ctx.faults().match(new Faults.Request(kind, r.method(), r.path(), r.url().encodedQuery(),
                        r.tenant, mailboxId(r.mailbox)));
            }
            return fault;
        }

        @Override
        public Reply replacement(Fault f, FakeRequest r) {
            return applyFault(f, kind, null, r);
        }
    }

    private MockResponse answer(FakeRequest r) throws InterruptedException {
        JournalEntry.Kind kind = graph.handles(r) ? JournalEntry.Kind.GRAPH : JournalEntry.Kind.IDENTITY;
        Point point = new Point(kind);
        Reply reply;
        if (kind == JournalEntry.Kind.GRAPH) {
            reply = graph.handle(r, point);
        } else {
            if (identity.handles(r)) {
                reply = identity.handle(r);
            } else {
                reply = Reply.text(404, "text/html; charset=utf-8", "<html><body><h2>404 - Not found</h2></body></html>");
            }
            Optional<Fault> f = point.match(r);
            if (f.isPresent() && f.get() instanceof Fault.Latency latency) {
                Thread.sleep(latency.delay().toMillis());
            } else if (f.isPresent() && f.get() instanceof Fault.Hold hold) {
                hold.hold();
            } else if (f.isPresent() && FaultPoint.replacesAnswer(f.get())) {
                reply = point.replacement(f.get(), r);
            }
        }
        SocketEffect effect = null;
        Optional<Fault> fault = point.match(r);
        if (fault.isPresent()) {
            if (fault.get() instanceof Fault.DropConnectionMidBody) {
                // ShutdownConnection is a graceful GOAWAY over HTTP/2: in-flight streams finish, the body arrives
                // whole. Closing the socket halfway through the body is what a dropped connection looks like.
                effect = new SocketEffect.CloseSocket(true, false, false);
            } else if (fault.get() instanceof Fault.TruncatedBody) {
                reply = applyFault(fault.get(), kind, reply, r);
            }
        }
        journal(kind, r, reply);
        MockResponse response = reply.toMockResponse();
        if (effect != null) {
            response = response.newBuilder().onResponseBody(effect).build();
        }
        return response;
    }

    /**
     * Answers an inner request of a Graph {@code $batch} through the same pipeline (faults, Graph, journal). Faults
     * that act on the connection (dropped connection, truncated body) do not apply inside a batch.
     */
    private Reply answerInner(FakeRequest r) {
        Point point = new Point(JournalEntry.Kind.GRAPH);
        Reply reply;
        try {
            reply = graph.handle(r, point);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply = Errors.graph(503, "serviceNotAvailable", "The service is shutting down.", ctx, r);
        }
        journal(JournalEntry.Kind.GRAPH, r, reply);
        return reply;
    }

    private Reply applyFault(Fault f, JournalEntry.Kind kind, Reply normal, FakeRequest r) {
        if (f instanceof Fault.Throttle t) {
            long seconds = Math.max(1, (t.retryAfter().toMillis() + 999) / 1000);
            Reply throttled = kind == JournalEntry.Kind.GRAPH
                    ? Errors.graph(429, "TooManyRequests", "Too many requests.", ctx, r)
                    : Errors.identity(429, "temporarily_unavailable", 50196, "The server terminated an operation"
                            + " because it encountered a client request loop.", ctx, r);
            return throttled.withHeader("Retry-After", Errors.retryAfter(ctx, r, seconds));
        }
        if (f instanceof Fault.Status s) {
            Reply failed = kind == JournalEntry.Kind.GRAPH
                    ? Errors.graph(s.status(), s.code(), s.message(), ctx, r)
                    : Errors.identity(s.status(), s.status() >= 500 ? "temporarily_unavailable" : "invalid_request",
                            s.status() >= 500 ? 90006 : 90014, s.message(), ctx, r);
            if (s.retryAfter() != null) {
                failed = failed.withHeader("Retry-After", Errors.retryAfter(ctx, r,
                        Math.max(1, s.retryAfter().toSeconds())));
            }
            return failed;
        }
        if (f instanceof Fault.SyncReset) {
            Reply gone = kind == JournalEntry.Kind.GRAPH
                    ? Errors.graph(410, "SyncStateNotFound",
                            "The sync state generation is not found; generation=1;[highest=2][2][1][1].", ctx, r)
                    : Errors.identity(400, "invalid_request", 90014, "Synchronization reset.", ctx, r);
            return kind == JournalEntry.Kind.GRAPH
                    ? gone.withHeader("Location", ctx.baseUrl() + r.url().encodedPath() + "?$deltatoken=") : gone;
        }
        if (f instanceof Fault.HtmlBadGateway) {
            return Errors.htmlBadGateway();
        }
        if (f instanceof Fault.TruncatedBody) {
            byte[] body = normal.body();
            return normal.withBody(Arrays.copyOf(body, body.length / 2));
        }
        throw new IllegalStateException("unhandled fault " + f);
    }

    private void journal(JournalEntry.Kind kind, FakeRequest r, Reply reply) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : r.headers().names()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.equals("authorization")) {
                headers.put(lower, r.headers().values(name));
            }
        }
        Duration retryAfter = Errors.retryAfterOf(reply.header("Retry-After"), r);
        ctx.record(new JournalEntry(r.sequence(), kind, r.method(), r.path(), r.url().encodedQuery(), headers,
                r.tenant, r.tokenTenant, mailboxId(r.mailbox), r.header("client-request-id").orElse(null), reply.status(),
                retryAfter, r.receivedAt(), r.startNanos(), System.nanoTime(), r.parentBatch()));
    }

    private static MailboxId mailboxId(String objectId) {
        return objectId == null ? null : MailboxId.of(objectId);
    }
}
