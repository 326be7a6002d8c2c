package com.tekst.outlook.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Something going wrong on purpose, injected through {@link Faults}. Each fault is answered in the shape of the side
 * that was called: Graph's error JSON for Graph, the identity platform's error JSON for token requests.
 */
public sealed interface Fault {

    /** HTTP 429 with {@code Retry-After} (whole seconds, rounded up). */
    record Throttle(Duration retryAfter) implements Fault {
        public Throttle {
            Objects.requireNonNull(retryAfter, "retryAfter");
        }
    }

    /** An error status with an error code and message in the side's JSON shape (e.g. 503 serviceNotAvailable). */
    record Status(int status, String code, String message, Duration retryAfter) implements Fault {
        public Status {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("an error status is 4xx or 5xx");
            }
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * {@code 410 Gone} with {@code SyncStateNotFound} and a {@code Location} header: the request's path with
     * {@code ?$deltatoken=} and no other query option (Graph's "synchronization reset": start again with a full
     * synchronization).
     */
    record SyncReset() implements Fault {
    }

    /** A 502 with an HTML body, as a gateway in front of the service answers. */
    record HtmlBadGateway() implements Fault {
    }

    /** The normal answer, with its body cut off halfway (a truncated JSON document) and a matching length. */
    record TruncatedBody() implements Fault {
    }

    /** The normal answer's headers, then the connection is dropped in the middle of the body. */
    record DropConnectionMidBody() implements Fault {
    }

    /** The normal answer, after a real-time delay. */
    record Latency(Duration delay) implements Fault {
        public Latency {
            Objects.requireNonNull(delay, "delay");
        }
    }

    /**
     * The normal answer, once the test lets it go: each matching request waits where a {@link Latency} would sleep
     * (a Graph mail request holding its mailbox's concurrency slot; a token request with its token issued) until
     * {@link #release()}, so a test knows a request is in flight instead of guessing from real time.
     * {@link #awaitHeld} waits until that many requests are held. A request held for {@link #MAX_HOLD} without a
     * release is answered anyway, so a forgotten release cannot hang a test run. Make one with {@link #hold()}.
     */
    final class Hold implements Fault {
        /** The longest a request is held without {@link #release()}: 60 seconds. */
        public static final Duration MAX_HOLD = Duration.ofSeconds(60);

        private int held;
        private int total;
        private boolean released;

        private Hold() {
        }

        /** Lets every held request, and every later one, through. */
        public synchronized void release() {
            released = true;
            notifyAll();
        }

        /** How many requests are held right now. */
        public synchronized int held() {
            return held;
        }

        /**
         * Waits until at least {@code n} requests are held at once.
         *
         * @return whether they were within {@code timeout}
         */
        public synchronized boolean awaitHeld(int n, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (held < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }

        /** How many requests this fault has held so far (released ones included). */
        public synchronized int total() {
            return total;
        }

        /** Called by the fake's routes: holds the calling request until {@link #release()}. */
        public synchronized void hold() throws InterruptedException {
            total++;
            held++;
            notifyAll();
            try {
                long deadline = System.nanoTime() + MAX_HOLD.toNanos();
                while (!released) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return;
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
            } finally {
                held--;
                notifyAll();
            }
        }
    }

    static Fault throttle(Duration retryAfter) {
        return new Throttle(retryAfter);
    }

    static Fault status(int status, String code, String message) {
        return new Status(status, code, message, null);
    }

    static Fault serviceUnavailable() {
        return new Status(503, "serviceNotAvailable", "Service Unavailable", null);
    }

    static Fault gatewayTimeout() {
        return new Status(504, "UnknownError", "Gateway Timeout", null);
    }

    static Fault internalServerError() {
        return new Status(500, "generalException", "An unexpected error occurred.", null);
    }

    /**
     * {@code 410 Gone} with {@code SyncStateNotFound}, in the shape Graph answers an evicted delta token (use with
     * {@link Faults#deltaLinkRequests()} to expire a token at step N).
     */
    static Fault deltaTokenExpired() {
        return new Status(410, "SyncStateNotFound",
                "The sync state generation is not found; generation=1;[highest=2][2][1][1].", null);
    }

    /**
     * {@code 410 Gone} with {@code SyncStateNotFound} and {@code Location:} the request's path with
     * {@code ?$deltatoken=} (use with {@link Faults#deltaLinkRequests()} to reset a synchronization at step N).
     */
    static Fault syncReset() {
        return new SyncReset();
    }

    static Fault htmlBadGateway() {
        return new HtmlBadGateway();
    }

    static Fault truncatedBody() {
        return new TruncatedBody();
    }

    static Fault dropConnectionMidBody() {
        return new DropConnectionMidBody();
    }

    static Fault latency(Duration delay) {
        return new Latency(delay);
    }

    /** A new {@link Hold}: matching requests wait until its {@link Hold#release() release}. */
    static Hold hold() {
        return new Hold();
    }
}
