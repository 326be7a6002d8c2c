package com.tekst.outlook.graph.internal.http;

import com.tekst.outlook.Sleeper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Retries throttled and unavailable answers (429, 503, 504) for the bound {@code GraphServiceClient} and the SDK's
 * own discovery requests, in place of the Graph SDK's {@code RetryHandler} (which waits with {@code Thread.sleep} and
 * knows nothing of the SDK's per-mailbox fence):
 * <ul>
 *   <li>with {@code Retry-After} (seconds or HTTP-date): waits exactly that long, through the {@link Sleeper},
 *       measured from the SDK's {@link Clock}, never less;</li>
 *   <li>without: exponential backoff 1, 2, 4 s with ±20 % jitter;</li>
 *   <li>at most {@link #MAX_RETRIES} retries, and none when Microsoft asks for more than {@link #MAX_WAIT} (the answer
 *       goes back to the caller: a Graph SDK caller gets its {@code ODataError} with status 429), nor for a one-shot
 *       body.</li>
 * </ul>
 * Place it before the {@link MailboxLimiter} interceptor, so a waiting request holds no mailbox slot and the limiter's
 * fence stops every other request for that mailbox meanwhile. Internal.
 */
public final class RetryInterceptor implements Interceptor {
    public static final int MAX_RETRIES = 3;
    public static final Duration MAX_WAIT = Duration.ofMinutes(2);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

    private final Clock clock;
    private final Sleeper sleeper;

    public RetryInterceptor(Clock clock, Sleeper sleeper) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        boolean replayable = request.body() == null || !request.body().isOneShot();
        for (int attempt = 0; ; attempt++) {
            Response response = chain.proceed(request);
            int code = response.code();
            if ((code != 429 && code != 503 && code != 504) || attempt >= MAX_RETRIES || !replayable) {
                return response;
            }
            Optional<Duration> retryAfter = GraphErrors.retryAfter(response.header("Retry-After"), clock.instant());
            int retry = attempt;
            Duration wait = retryAfter.orElseGet(() -> backoff(retry));
            if (wait.compareTo(MAX_WAIT) > 0) {
                return response;
            }
            response.close();
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting to retry a throttled request");
            }
        }
    }

    /** 1 s, 2 s, 4 s … with ±20 % jitter. */
    static Duration backoff(int attempt) {
        long base = FIRST_BACKOFF.toMillis() << Math.min(attempt, 10);
        double jitter = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
        return Duration.ofMillis(Math.round(base * jitter));
    }
}
