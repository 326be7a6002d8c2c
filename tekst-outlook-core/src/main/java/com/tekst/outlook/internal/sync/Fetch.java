package com.tekst.outlook.internal.sync;

import com.tekst.outlook.ConnectionStatus;
import com.tekst.outlook.ConsentException;
import com.tekst.outlook.CredentialException;
import com.tekst.outlook.DeltaExpiredException;
import com.tekst.outlook.LeaseLostException;
import com.tekst.outlook.MailboxAccessException;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.OutlookException;
import com.tekst.outlook.TenantException;
import com.tekst.outlook.ThrottledException;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.sync.DeltaPage;
import com.tekst.outlook.sync.DeltaRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 2 of a step (after the {@link Scheduler} picked the task): exactly one {@code MailSource} call, or taking the
 * page a previous step requested {@linkplain #ahead ahead}. It takes the
 * call's slot (re-checking every gate), makes the call, and on failure decides what follows (a {@code Retry-After}
 * fence, a stopped mailbox or connection, a backoff) before the slot is released, so no other call of the mailbox can
 * start in between. A fetched page goes on to {@link Deliver}; nothing here touches the sink or the store.
 */
final class Fetch {
    private static final Logger LOG = LoggerFactory.getLogger(Fetch.class);

    /**
     * What a call gave: a value, or the outcome the step returns now (no slot, a failure), or {@code expired} (the
     * folder's delta state is gone; the slot is released and the step restarts the folder).
     */
    record Result<T>(T value, Outcome outcome, boolean expired) {
        static <T> Result<T> of(T value) {
            return new Result<>(value, null, false);
        }

        static <T> Result<T> stop(Outcome outcome) {
            return new Result<>(null, outcome, false);
        }

        boolean ok() {
            return outcome == null && !expired;
        }
    }

    private final DefaultSyncEngine engine;

    Fetch(DefaultSyncEngine engine) {
        this.engine = engine;
    }

    <T> Result<T> call(FolderTask t, Supplier<T> call) {
        if (!engine.scheduler.beginCall(t)) {
            return Result.stop(Outcome.READY);
        }
        T value;
        try {
            value = call.get();
        } catch (DeltaExpiredException e) {
            engine.scheduler.endCall(t);
            return new Result<>(null, null, true);
        } catch (RuntimeException e) {
            try {
                return Result.stop(failed(t, e));
            } finally {
                engine.scheduler.endCall(t);
            }
        }
        engine.scheduler.endCall(t);
        succeeded(t);
        return Result.of(value);
    }

    /**
     * Requests the page after {@code page} ahead, on the fetch-ahead threads, if a call slot and the budget allow it
     * now (see {@link Scheduler#reserveAhead}); the next step takes it with {@link #take}.
     */
    void ahead(LiveTask t, DeltaPage page) {
        if (page.isLast() || page.nextLink().isEmpty()) {
            return;
        }
        String link = page.nextLink().get();
        EngineConfig config = engine.config;
        DeltaRequest request = LiveStep.continueFrom(t, config, link);
        Ahead ahead = new Ahead(link);
        if (!engine.scheduler.reserveAhead(t, ahead)) {
            return;
        }
        MailboxState m = t.mailbox;
        Runnable call = () -> {
            DeltaPage value = null;
            RuntimeException failure = null;
            try (Mdc mdc = Mdc.of(m)) {
                value = config.source().fetchDelta(request);
            } catch (RuntimeException e) {
                failure = e;
            } finally {
                ahead.complete(value, failure); // an Error leaves neither: the step requests the page itself
                engine.scheduler.aheadReturned(t, ahead);
            }
        };
        try {
            engine.aheadThreads.execute(call);
        } catch (RejectedExecutionException e) {
            // every fetch-ahead thread is busy, or the engine is stopping: the next step requests the page itself
            ahead.complete(null, null);
            engine.scheduler.aheadReturned(t, ahead);
            engine.scheduler.releaseAhead(t, ahead);
        }
    }

    /**
     * Takes the page {@link #ahead} requested, waiting for its request to return, and handles a failure as
     * {@link #call} does, before the slot is released. Returns {@code null} when the step should request the page
     * itself: the request ended in an {@link Error}, or failed with an error that stops the mailbox or the connection.
     * Such an error may be older than the mailbox's or connection's current state (the same cause stopped it through
     * another call, and it was resumed while this page waited to be taken); acting on it would stop sync again for a
     * cause already fixed, so the step's own request meets the current state instead.
     */
    Result<DeltaPage> take(LiveTask t, Ahead ahead) {
        try {
            ahead.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopping at once
            engine.scheduler.dropAhead(t, ahead);
            return Result.stop(Outcome.DORMANT);
        }
        if (!engine.scheduler.mayTake(t)) {
            engine.scheduler.releaseAhead(t, ahead);
            return Result.stop(Outcome.READY);
        }
        DeltaPage page = ahead.page();
        if (page == null) {
            RuntimeException failure = ahead.failure();
            try {
                if (failure == null || failure instanceof MailboxAccessException || connectionStop(failure) != null) {
                    return null;
                }
                if (failure instanceof DeltaExpiredException) {
                    return new Result<>(null, null, true);
                }
                return Result.stop(failed(t, failure));
            } finally {
                engine.scheduler.releaseAhead(t, ahead);
            }
        }
        engine.scheduler.releaseAhead(t, ahead);
        succeeded(t);
        return Result.of(page);
    }

    private void succeeded(FolderTask t) {
        t.failures = 0;
        engine.statuses.callSucceeded(t);
        MailboxStatus persisted;
        engine.scheduler.lock.lock();
        try {
            persisted = t.mailbox.persisted;
        } finally {
            engine.scheduler.lock.unlock();
        }
        if (persisted == MailboxStatus.THROTTLED) {
            engine.statuses.mailboxChanged(t.mailbox, "throttling ended");
        }
    }

    /** Classifies a failed call and decides what happens next (the slot is still held). */
    private Outcome failed(FolderTask t, RuntimeException e) {
        if (engine.gate.killed()) {
            return Outcome.DORMANT;
        }
        MailboxState m = t.mailbox;
        ConnectionState c = m.connection;
        Scheduler scheduler = engine.scheduler;
        Instant now = engine.now();
        if (e instanceof ThrottledException throttled) {
            Duration wait = throttled.retryAfter().isNegative() ? Duration.ZERO : throttled.retryAfter();
            Instant until = now.plus(wait);
            MailboxId mailboxId = null;
            Instant before;
            scheduler.lock.lock();
            try {
                switch (throttled.scope()) {
                    case APPLICATION -> {
                        before = scheduler.appFenceUntil;
                        scheduler.appFenceUntil = later(scheduler.appFenceUntil, until);
                    }
                    case TOKEN_ENDPOINT -> {
                        before = c.fenceUntil;
                        c.fenceUntil = later(c.fenceUntil, until);
                    }
                    default -> {
                        before = m.fenceUntil;
                        m.fenceUntil = later(m.fenceUntil, until);
                        mailboxId = m.mailboxId;
                    }
                }
            } finally {
                scheduler.lock.unlock();
            }
            if (mailboxId != null && engine.leasing.enabled()) {
                try {
                    engine.leasing.recordFence(c.id, mailboxId, until); // for whichever engine owns it next
                } catch (LeaseLostException lost) {
                    engine.leaseLost(c.id, mailboxId);
                    return Outcome.DORMANT;
                } catch (RuntimeException storeFailed) {
                    LOG.warn("recording the Retry-After with the mailbox's lease failed ({}); this engine still"
                            + " waits for it", storeFailed.getClass().getName(), storeFailed);
                }
            }
            boolean noAnswer = throttled.details().httpStatus().isEmpty();
            if (noAnswer && (throttled.scope() == ThrottledException.Scope.UNSPECIFIED || !until.isAfter(before))) {
                // refused by the client's own fence (its per-mailbox limiter says UNSPECIFIED and carries no HTTP
                // status), not a new answer from Microsoft: the answer that raised that fence has its own event,
                // and this refusal may reach the engine before or after it
                LOG.debug("call met the client's Retry-After fence until {}", until);
            } else {
                LOG.warn("throttled ({}): no call {} before {} (Retry-After {} s)", throttled.scope(),
                        mailboxId != null ? "to this mailbox"
                                : throttled.scope() == ThrottledException.Scope.APPLICATION ? "to any mailbox"
                                : "for this connection", until, wait.toSeconds());
                engine.listener.throttled(c.id, mailboxId, throttled.scope(), wait, until, throttled.details());
            }
            if (mailboxId != null) {
                engine.statuses.mailboxChanged(m, "throttled by Microsoft (" + throttled.scope() + ")",
                        throttled.details());
            }
            engine.statuses.transientFailure(t, "throttled by Microsoft");
            return Outcome.READY;
        }
        if (e instanceof MailboxAccessException denied) {
            MailboxStatus status = switch (denied.reason()) {
                case ACCESS_DENIED -> MailboxStatus.ACCESS_DENIED;
                case NOT_FOUND -> MailboxStatus.NOT_FOUND;
                case NOT_ENABLED -> MailboxStatus.NOT_ENABLED;
                case OUT_OF_SCOPE -> MailboxStatus.OUT_OF_SCOPE;
            };
            scheduler.lock.lock();
            try {
                m.stoppedBy = status;
                m.stopDetail = denied.summary();
                m.changedSeq = scheduler.nextSeq();
            } finally {
                scheduler.lock.unlock();
            }
            engine.statuses.mailboxChanged(m, denied.summary(), denied.details());
            return Outcome.READY;
        }
        ConnectionStatus stop = connectionStop(e);
        if (stop != null) {
            engine.statuses.connectionTo(c, stop, ((OutlookException) e).summary(), ((OutlookException) e).details());
            return Outcome.READY;
        }
        t.failures++;
        Instant at = now.plus(engine.backoff.delay(t.failures));
        if (e instanceof OutlookException known) {
            if (known.isRetryable()) {
                LOG.warn("{} call on folder {} failed: {}; retrying at {}", t.kind(), t.folder.id(), known.getMessage(),
                        at);
            } else {
                LOG.error("{} call on folder {} failed and is not retryable as such: {}; retrying at {}", t.kind(),
                        t.folder.id(), known.getMessage(), at);
            }
        } else {
            // not an SDK exception: its message may hold anything (a URL with a token), so only its class is logged
            LOG.warn("{} call on folder {} failed with {}; retrying at {}", t.kind(), t.folder.id(),
                    e.getClass().getName(), at);
        }
        engine.listener.retryScheduled(t.key, t.kind(), e, at);
        engine.statuses.transientFailure(t, "calls fail transiently");
        return Outcome.waitUntil(at);
    }

    private static ConnectionStatus connectionStop(RuntimeException e) {
        if (e instanceof ConsentException) {
            // every connection the engine syncs had been connected: losing consent now means it was revoked
            return ConnectionStatus.CONSENT_REVOKED;
        }
        if (e instanceof CredentialException credential) {
            return credential.connectionStatus();
        }
        if (e instanceof TenantException tenant) {
            return tenant.connectionStatus();
        }
        return null;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
