package com.tekst.outlook.graph.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.TenantId;
import com.tekst.outlook.ThrottledException;
import com.tekst.outlook.graph.internal.scope.ScopeDecision;
import com.tekst.outlook.testkit.FakeClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The per-mailbox limiter and the retry interceptor that replaces the Graph SDK's: at most 4 in flight per mailbox
 * (a batch counting per inner request), the Retry-After fence per mailbox measured on the SDK's clock, waits through
 * the Sleeper only, retries bounded. A terminal interceptor plays Graph (no network).
 */
class MailboxLimiterTest {
    static final TenantId TENANT = TenantId.of("72f988bf-86f1-41af-91ab-2d7cd011db47");
    static final GraphCall CALL = GraphCall.forTenant(TENANT, ConnectionId.of("c1"));
    static final MediaType JSON = MediaType.get("application/json");

    final FakeClock clock = new FakeClock();
    final MailboxLimiter limiter = new MailboxLimiter(4, clock, clock);
    final ExecutorService pool = Executors.newCachedThreadPool();
    /** When each request reached "Graph", on the fake clock. */
    final List<Instant> arrivals = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    OkHttpClient client(MailboxLimiter.FenceMode mode, boolean retry, Function<Request, Response> graph) {
        OkHttpClient.Builder b = new OkHttpClient.Builder();
        if (retry) {
            b.addInterceptor(new RetryInterceptor(clock, clock));
        }
        return b.addInterceptor(limiter.interceptor(mode))
                .addInterceptor(chain -> {
                    arrivals.add(clock.instant());
                    return graph.apply(chain.request());
                })
                .build();
    }

    static Request request(String... mailboxes) {
        return new Request.Builder().url("https://graph.example/v1.0/users/x/messages")
                .tag(GraphCall.class, CALL).tag(ScopeDecision.class, new ScopeDecision(List.of(mailboxes))).build();
    }

    static Response answer(Request r, int code, String... headers) {
        Response.Builder b = new Response.Builder().request(r).protocol(Protocol.HTTP_1_1).code(code).message("x")
                .body(ResponseBody.create("{}", JSON));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b.build();
    }

    static int status(OkHttpClient client, Request request) throws IOException {
        try (Response r = client.newCall(request).execute()) {
            return r.code();
        }
    }

    @Test
    void atMostFourRequestsPerMailboxAreInFlightAndOtherMailboxesDoNotWait() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger current = new AtomicInteger();
        AtomicInteger highest = new AtomicInteger();
        OkHttpClient client = client(MailboxLimiter.FenceMode.WAIT, false, r -> {
            if (r.tag(ScopeDecision.class).mailboxes().contains("a")) {
                highest.accumulateAndGet(current.incrementAndGet(), Math::max);
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                current.decrementAndGet();
            }
            return answer(r, 200);
        });
        List<Future<Integer>> a = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            a.add(pool.submit(() -> status(client, request("a"))));
        }
        awaitTrue(() -> limiter.inFlight(TENANT, "a") == 4 && current.get() == 4);

        assertThat(status(client, request("b"))).as("another mailbox goes at once").isEqualTo(200);
        assertThat(current.get()).isEqualTo(4);
        release.countDown();
        for (Future<Integer> f : a) {
            assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(200);
        }
        assertThat(highest.get()).isEqualTo(4);
        assertThat(limiter.inFlight(TENANT, "a")).isZero();
    }

    @Test
    void aBatchHoldsOneSlotPerInnerRequestOfAMailboxUpToFour() throws Exception {
        CountDownLatch batchInGraph = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        OkHttpClient client = client(MailboxLimiter.FenceMode.WAIT, false, r -> {
            if (r.tag(ScopeDecision.class).mailboxes().size() > 1) {
                batchInGraph.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return answer(r, 200);
        });
        Future<Integer> batch = pool.submit(() -> status(client, request("a", "a", "a", "a", "a", "a", "b")));
        assertThat(batchInGraph.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(limiter.inFlight(TENANT, "a")).isEqualTo(4);
        assertThat(limiter.inFlight(TENANT, "b")).isEqualTo(1);

        Future<Integer> single = pool.submit(() -> status(client, request("a")));
        awaitTrue(() -> limiter.waiting(TENANT, "a") == 1); // the single request queues for one of a's slots
        assertThat(single.isDone()).as("the batch holds all of mailbox a's slots").isFalse();
        assertThat(arrivals).as("only the batch reached Graph").hasSize(1);
        assertThat(status(client, request("b"))).isEqualTo(200);

        release.countDown();
        assertThat(batch.get(10, TimeUnit.SECONDS)).isEqualTo(200);
        assertThat(single.get(10, TimeUnit.SECONDS)).isEqualTo(200);
    }

    @Test
    void afterA429NoRequestForThatMailboxGoesBeforeItsRetryAfterOnTheClock() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        OkHttpClient client = client(MailboxLimiter.FenceMode.WAIT, false,
                r -> calls.getAndIncrement() == 0 ? answer(r, 429, "Retry-After", "17") : answer(r, 200));
        Instant start = clock.instant();

        assertThat(status(client, request("a"))).isEqualTo(429);
        assertThat(limiter.fence(TENANT, "a")).isEqualTo(start.plusSeconds(17));
        assertThat(status(client, request("b"))).as("other mailboxes are not fenced").isEqualTo(200);
        assertThat(clock.instant()).isEqualTo(start);
        assertThat(status(client, request("a"))).isEqualTo(200);

        assertThat(arrivals).containsExactly(start, start, start.plusSeconds(17));
    }

    @Test
    void syncFailsFastWithTheRemainingWaitInsteadOfBlocking() throws IOException {
        OkHttpClient actions = client(MailboxLimiter.FenceMode.WAIT, false, r -> answer(r, 429, "Retry-After", "30"));
        OkHttpClient sync = client(MailboxLimiter.FenceMode.FAIL_FAST, false, r -> answer(r, 200));
        status(actions, request("a"));
        clock.advance(Duration.ofSeconds(12));

        Throwable thrown = catchThrowable(() -> sync.newCall(request("a")).execute());

        assertThat(thrown).isInstanceOf(IOException.class);
        assertThat(thrown.getCause()).isInstanceOfSatisfying(ThrottledException.class,
                e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(18)));
        assertThat(arrivals).hasSize(1);
        clock.advance(Duration.ofSeconds(18));
        assertThat(status(sync, request("a"))).isEqualTo(200);
    }

    @Test
    void aRetryWaitsExactlyTheRetryAfterThroughTheSleeper() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        OkHttpClient client = client(MailboxLimiter.FenceMode.WAIT, true,
                r -> calls.getAndIncrement() == 0 ? answer(r, 429, "Retry-After", "7") : answer(r, 200));
        Instant start = clock.instant();

        assertThat(status(client, request("a"))).isEqualTo(200);

        assertThat(arrivals).containsExactly(start, start.plusSeconds(7));
    }

    @Test
    void anHttpDateRetryAfterIsMeasuredOnTheSdksClock() throws IOException {
        Instant at = clock.instant().plusSeconds(42);
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(at.atOffset(ZoneOffset.UTC));
        AtomicInteger calls = new AtomicInteger();
        OkHttpClient client = client(MailboxLimiter.FenceMode.WAIT, true,
                r -> calls.getAndIncrement() == 0 ? answer(r, 503, "Retry-After", date) : answer(r, 200));

        assertThat(status(client, request("a"))).isEqualTo(200);

        assertThat(arrivals).last().isEqualTo(at);
    }

    @Test
    void withoutRetryAfterItBacksOffExponentiallyAndGivesUpAfterThreeRetries() throws IOException {
        OkHttpClient client = client(MailboxLimiter.FenceMode.WAIT, true, r -> answer(r, 504));
        Instant start = clock.instant();

        assertThat(status(client, request("a"))).isEqualTo(504);

        assertThat(arrivals).hasSize(1 + RetryInterceptor.MAX_RETRIES);
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < arrivals.size(); i++) {
            gaps.add(Duration.between(arrivals.get(i - 1), arrivals.get(i)).toMillis());
        }
        assertThat(gaps.get(0)).isBetween(800L, 1200L);
        assertThat(gaps.get(1)).isBetween(1600L, 2400L);
        assertThat(gaps.get(2)).isBetween(3200L, 4800L);
        assertThat(arrivals.get(0)).isEqualTo(start);
    }

    @Test
    void aRetryAfterLongerThanTheMaximumWaitGoesBackToTheCaller() throws IOException {
        OkHttpClient client = client(MailboxLimiter.FenceMode.WAIT, true, r -> answer(r, 429, "Retry-After", "3600"));

        assertThat(status(client, request("a"))).isEqualTo(429);

        assertThat(arrivals).hasSize(1);
        assertThat(limiter.fence(TENANT, "a")).isEqualTo(clock.instant().plusSeconds(3600));
    }

    @Test
    void aOneShotBodyIsNotRetriedAndOtherErrorsAreNotRetried() throws IOException {
        OkHttpClient throttled = client(MailboxLimiter.FenceMode.WAIT, true, r -> answer(r, 429, "Retry-After", "1"));
        RequestBody oneShot = new RequestBody() {
            @Override
            public MediaType contentType() {
                return JSON;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                sink.writeUtf8("{}");
            }

            @Override
            public boolean isOneShot() {
                return true;
            }
        };
        assertThat(status(throttled, request("a").newBuilder().post(oneShot).build())).isEqualTo(429);
        assertThat(arrivals).hasSize(1);

        clock.advance(Duration.ofSeconds(1));
        OkHttpClient failing = client(MailboxLimiter.FenceMode.WAIT, true, r -> answer(r, 500));
        assertThat(status(failing, request("a"))).isEqualTo(500);
        assertThat(arrivals).hasSize(2);
    }

    @Test
    void aRequestForNoMailboxIsNotLimited() throws IOException {
        OkHttpClient client = client(MailboxLimiter.FenceMode.WAIT, false, r -> answer(r, 429, "Retry-After", "5"));
        Request directory = new Request.Builder().url("https://graph.example/v1.0/users").tag(GraphCall.class, CALL)
                .tag(ScopeDecision.class, ScopeDecision.NO_MAILBOX).build();

        assertThat(status(client, directory)).isEqualTo(429);
        assertThat(status(client, directory)).isEqualTo(429);
        assertThat(arrivals).hasSize(2);
        assertThat(Collections.frequency(arrivals, arrivals.get(0))).isEqualTo(2);
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached");
            }
            Thread.sleep(5);
        }
    }
}
