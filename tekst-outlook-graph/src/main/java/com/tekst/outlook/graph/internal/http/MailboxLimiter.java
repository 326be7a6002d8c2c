package com.tekst.outlook.graph.internal.http;

import com.tekst.outlook.ErrorDetails;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.Sleeper;
import com.tekst.outlook.TenantId;
import com.tekst.outlook.ThrottledException;
import com.tekst.outlook.graph.internal.scope.ScopeDecision;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Per-mailbox limits shared by every Graph request of one {@code OutlookClient} — sync, discovery, probes and the
 * bound {@code GraphServiceClient} alike: at most {@code maxInFlight} (4, Exchange's limit per app and mailbox)
 * requests in flight per mailbox, and a {@code Retry-After} fence per mailbox: after a 429 (or a 503 with
 * {@code Retry-After}) for a mailbox, no request for it is sent before the time Microsoft named, measured on the SDK's
 * {@link Clock}.
 *
 * <p>The mailboxes of a request come from the {@link ScopeDecision} the scope guard attached (so the interceptor runs
 * after the guard); a {@code $batch} counts once per inner request for each mailbox (at most {@code maxInFlight}),
 * because Graph runs up to 4 requests of a batch at once. Permits are taken in a fixed order, so two batches never
 * deadlock. A request that addresses no mailbox is not limited. Thread-safe. Internal.
 */
public final class MailboxLimiter {
    /** What a request does when its mailbox is fenced. */
    public enum FenceMode {
        /** Wait through the {@link Sleeper} until the fence passes, then go (actions, discovery, probes). */
        WAIT,
        /**
         * Fail at once with {@link ThrottledException} for the remaining wait (sync: the engine schedules the mailbox
         * itself and must not block a worker).
         */
        FAIL_FAST
    }

    private record Key(TenantId tenant, String mailbox) {
    }

    private static final class Slot {
        final Semaphore permits;
        volatile Instant fence = Instant.MIN;

        Slot(int permits) {
            this.permits = new Semaphore(permits, true);
        }
    }

    private final int maxInFlight;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Map<Key, Slot> slots = new ConcurrentHashMap<>();

    public MailboxLimiter(int maxInFlight, Clock clock, Sleeper sleeper) {
        if (maxInFlight < 1 || maxInFlight > 4) {
            throw new IllegalArgumentException("1 to 4 requests in flight per mailbox");
        }
        this.maxInFlight = maxInFlight;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    public int maxInFlight() {
        return maxInFlight;
    }

    /** The interceptor; place it after the scope guard and before authentication. */
    public Interceptor interceptor(FenceMode mode) {
        Objects.requireNonNull(mode, "mode");
        return chain -> intercept(chain, mode);
    }

    /** Requests of this mailbox currently in flight (tests, diagnostics). */
    public int inFlight(TenantId tenant, String mailbox) {
        Slot slot = slots.get(new Key(tenant, mailbox));
        return slot == null ? 0 : maxInFlight - slot.permits.availablePermits();
    }

    /** Requests of this mailbox waiting for a free slot (an estimate, as {@link Semaphore#getQueueLength()}; tests). */
    public int waiting(TenantId tenant, String mailbox) {
        Slot slot = slots.get(new Key(tenant, mailbox));
        return slot == null ? 0 : slot.permits.getQueueLength();
    }

    /** Until when this mailbox is fenced; {@link Instant#MIN} when it is not. */
    public Instant fence(TenantId tenant, String mailbox) {
        Slot slot = slots.get(new Key(tenant, mailbox));
        return slot == null ? Instant.MIN : slot.fence;
    }

    private Response intercept(Interceptor.Chain chain, FenceMode mode) throws IOException {
        Request request = chain.request();
        ScopeDecision decision = request.tag(ScopeDecision.class);
        GraphCall call = request.tag(GraphCall.class);
        if (decision == null || decision.mailboxes().isEmpty() || call == null) {
            return chain.proceed(request);
        }
        TreeMap<String, Integer> counts = new TreeMap<>();
        for (String mailbox : decision.mailboxes()) {
            counts.merge(mailbox, 1, (a, b) -> Math.min(maxInFlight, a + b));
        }
        List<Map.Entry<Slot, Integer>> held = new ArrayList<>();
        try {
            for (Map.Entry<String, Integer> e : counts.entrySet()) {
                Slot slot = slots.computeIfAbsent(new Key(call.tenant(), e.getKey()), k -> new Slot(maxInFlight));
                awaitFence(slot, mode, call, e.getKey());
                slot.permits.acquire(e.getValue());
                held.add(Map.entry(slot, e.getValue()));
            }
            Response response = chain.proceed(request);
            String retryAfter = response.header("Retry-After");
            if (response.code() == 429 || (response.code() == 503 && retryAfter != null)) {
                Instant now = clock.instant();
                Duration wait = GraphErrors.retryAfter(retryAfter, now).orElse(GraphErrors.DEFAULT_RETRY_AFTER);
                Instant until = now.plus(wait);
                for (Map.Entry<Slot, Integer> h : held) {
                    synchronized (h.getKey()) {
                        if (until.isAfter(h.getKey().fence)) {
                            h.getKey().fence = until;
                        }
                    }
                }
            }
            return response;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a mailbox's request slot");
        } finally {
            for (Map.Entry<Slot, Integer> h : held) {
                h.getKey().permits.release(h.getValue());
            }
        }
    }

    private void awaitFence(Slot slot, FenceMode mode, GraphCall call, String mailbox)
            throws IOException, InterruptedException {
        while (true) {
            Instant now = clock.instant();
            Instant fence = slot.fence;
            if (!now.isBefore(fence)) {
                return;
            }
            Duration remaining = Duration.between(now, fence);
            if (mode == FenceMode.FAIL_FAST) {
                ErrorDetails details = ErrorDetails.forTenant(call.tenant()).withConnection(call.connection())
                        .withMailbox(MailboxAddress.isValid(mailbox) ? MailboxAddress.of(mailbox) : null);
                throw new IOException("mailbox fenced", new ThrottledException(ThrottledException.Scope.UNSPECIFIED,
                        remaining, "Microsoft Graph throttled this mailbox; no request before its Retry-After",
                        details, null));
            }
            sleeper.sleep(remaining);
        }
    }
}
