package com.tekst.outlook.sync;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.InvalidValueException;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.OutlookClientException;
import com.tekst.outlook.internal.sync.DefaultSyncEngine;
import com.tekst.outlook.internal.sync.EngineConfig;
import com.tekst.outlook.store.OutlookStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Keeps the mailboxes of every connected connection in sync: per-folder live delta sync, optional historical backfill,
 * durable checkpoints, at-least-once delivery to a {@link MessageSink}, and throttling per mailbox.
 *
 * <h2>Work</h2>
 * Work comes from the {@link OutlookStore}: connections in {@code CONNECTED} or {@code DEGRADED} and their mailboxes
 * whose status does not stop sync, each with the folders of its {@code MailboxRecord}. The store is read again every
 * {@linkplain Builder#pollInterval(Duration) poll interval}, so mailboxes added, connections re-consented and statuses
 * fixed elsewhere are picked up without a restart. Per folder a live round runs every poll interval (and on
 * {@link #syncNow}); a backfill, once {@linkplain #startBackfill started}, runs alongside and yields to live sync.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>A page's checkpoint is written only after the sink returned; the delta link only after the last page of the
 *       round. A page is never acknowledged twice in the store (writes are compare-and-set).</li>
 *   <li>At most {@link Builder#maxConcurrentPerMailbox(int)} {@link MailSource} calls are in flight per mailbox, at
 *       most the {@linkplain Builder#requestBudget(int, Duration) request budget} per window, and none before a
 *       {@code Retry-After} has elapsed. A slow, throttled or failing mailbox never stalls the others.</li>
 *   <li>Every status transition is persisted and sent to the {@link SyncListener}.</li>
 *   <li>Time comes only from the {@linkplain Builder#clock(Clock) clock}: with a fake clock, poll intervals, backoffs
 *       and {@code Retry-After} waits elapse when the test advances it.</li>
 * </ul>
 *
 * <h2>Several engines on one store</h2>
 * On a PostgreSQL store ({@link OutlookStore#workerLeases()}) any number of engines, in any processes, share the
 * mailboxes: each registers as a worker and works only on the mailboxes it holds a lease for, claimed up to its fair
 * share (mailboxes divided by live engines, rounded up) and renewed every {@linkplain Builder#leases lease renewal};
 * the shares even out when an engine joins or stops, and a mailbox in the middle of a step moves after that step.
 * Every checkpoint, cursor and status write of a mailbox carries the lease's fencing epoch, so an engine that lost a
 * lease (frozen, cut off, too slow) writes nothing more for that mailbox and stops its work on it. A {@code Retry-After}
 * met by one engine holds for the next owner. The control calls ({@link #syncNow}, {@link #pause}, {@link #resume},
 * the backfill calls) may be made on any engine: a call for a mailbox another engine owns is written to the store
 * and that owner acts on it at its next heartbeat. A graceful {@link #stop} gives the engine's mailboxes to the others
 * at once; a killed engine's move after the lease duration plus one renewal.
 * An SQLite store serves one engine at a time: {@link #start} of a second fails with
 * {@link com.tekst.outlook.StoreInUseException}. An {@code InMemoryOutlookStore} serves one engine in one process.
 *
 * <h2>Threads</h2>
 * Thread-safe: every method may be called from any thread. The engine runs on its own bounded pool of worker threads
 * and one timer thread. An engine is started once; after {@link #stop} or {@link #stopNow} build a new one (on the
 * same store, it resumes where the stored checkpoints and cursors stand).
 *
 * <pre>{@code
 * SyncEngine engine = SyncEngine.builder()
 *         .store(store)
 *         .source(mailSource)                 // from tekst-outlook-graph
 *         .sink(page -> tekst.ingest(page))   // returning normally acknowledges the page
 *         .listener(statusPage)
 *         .build();
 * engine.start();
 * engine.startBackfill(connection, mailboxId, BackfillWindow.last90Days());
 * ...
 * engine.stop(Duration.ofSeconds(30));
 * }</pre>
 */
public interface SyncEngine {

    /** A builder with the defaults documented on each method. */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the store and starts the worker and timer threads. On a store several engines share, registers the
     * engine as a worker and claims its first mailboxes first.
     *
     * @throws IllegalStateException                if the engine was started before
     * @throws com.tekst.outlook.StoreInUseException if another engine runs on the same single-engine store (an
     *                                               SQLite file); the message names the file and that engine
     */
    void start();

    /**
     * Stops gracefully: no new unit of work starts, and units in progress may finish their page (deliver it and write
     * its checkpoint) within {@code grace}. After the grace, a page still in progress is abandoned without being
     * acknowledged, and the threads are interrupted. Returns once the engine's threads have ended (waiting at most
     * 10 seconds more for a thread that ignores interruption), except for the calling thread when it is one of them.
     *
     * @return whether every unit of work finished within the grace
     */
    boolean stop(Duration grace) throws InterruptedException;

    /**
     * Stops at once: after this returns no page is acknowledged, no checkpoint or cursor is written and no new call
     * starts; threads in a call or in the sink are interrupted. Pages delivered but not acknowledged are delivered
     * again by the next engine on the same store. Callable from inside a sink.
     */
    void stopNow();

    /**
     * Starts a live round of every folder of the mailbox now instead of at the next poll (within throttling limits).
     * A round in progress is followed by another one at once. A mailbox the engine has not seen yet is looked up in
     * the store.
     */
    void syncNow(ConnectionId connection, MailboxId mailboxId);

    /**
     * Pauses a mailbox (live sync and backfill): its status becomes {@code PAUSED} (persisted) and no new call is made
     * for it until {@link #resume(ConnectionId, MailboxId)}.
     *
     * @throws OutlookClientException if the store has no such mailbox
     */
    void pause(ConnectionId connection, MailboxId mailboxId);

    /**
     * Resumes a paused mailbox, or retries one stopped by an access error ({@code ACCESS_DENIED}, {@code NOT_FOUND},
     * {@code NOT_ENABLED}, {@code OUT_OF_SCOPE}, {@code MAILBOX_IDENTITY_CHANGED}) after its cause was fixed; sync
     * continues from its checkpoints.
     *
     * @throws OutlookClientException if the store has no such mailbox
     */
    void resume(ConnectionId connection, MailboxId mailboxId);

    /**
     * Resumes a connection stopped by a connection-level failure ({@code CONSENT_REVOKED}, {@code CONSENT_MISSING},
     * {@code CREDENTIAL_INVALID}, {@code TENANT_NOT_FOUND}, {@code APP_DISABLED}) once its cause is fixed: marks it
     * {@code CONNECTED} and continues every mailbox from its stored checkpoints and cursors, without repeating a
     * backfill. If the cause persists, the next call stops it again. (The engine also resumes a connection by itself
     * when the store shows it {@code CONNECTED} again, e.g. after a verified re-consent.)
     *
     * @throws OutlookClientException if the connection is unknown, was never connected, or was disconnected by the
     *                                user (connect again instead)
     */
    void resume(ConnectionId connection);

    /**
     * Starts a backfill of every folder of the mailbox: historical mail from the window's start up to the connection
     * time, newest first, with a cursor per folder in the store. A folder whose backfill is complete is skipped (a
     * complete backfill is never repeated); one running or paused keeps its window and runs on; a cancelled one starts
     * over with the new window. May be called before {@link #start()}.
     *
     * @throws OutlookClientException if the store has no such mailbox or the connection was never connected
     */
    void startBackfill(ConnectionId connection, MailboxId mailboxId, BackfillWindow window);

    /** Pauses the mailbox's running backfills (persisted); live sync continues. */
    void pauseBackfill(ConnectionId connection, MailboxId mailboxId);

    /** Resumes the mailbox's paused backfills where their cursors stand. */
    void resumeBackfill(ConnectionId connection, MailboxId mailboxId);

    /** Cancels the mailbox's unfinished backfills (persisted); a later {@link #startBackfill} starts over. */
    void cancelBackfill(ConnectionId connection, MailboxId mailboxId);

    /** Status and progress of a connection and its mailboxes and folders, from the store and the engine. */
    Optional<ConnectionProgress> progress(ConnectionId connection);

    /** Status and progress of one mailbox and its folders. */
    Optional<MailboxProgress> progress(ConnectionId connection, MailboxId mailboxId);

    /**
     * The id this engine registered under in the store's worker registry, the {@link
     * com.tekst.outlook.store.MailboxLease#workerId() workerId} of the leases it holds; empty before {@link #start} and
     * on a store without leases. The Graph requests of an engine built by {@code OutlookClient.syncEngine()} name it in
     * their {@code User-Agent}.
     */
    Optional<String> workerId();

    /**
     * Waits (in real time) until the engine is idle: no unit of work running, none runnable at the clock's current
     * instant, and the store read that is due done. What remains are timed waits only: the next poll, a backoff, a
     * {@code Retry-After} fence or a request-budget window. With a fake clock this is how a test waits for the engine
     * to settle after advancing time. A stopped engine is idle once its threads have left their units of work.
     *
     * @return {@code true} when idle, {@code false} if the timeout elapsed first
     */
    boolean awaitIdle(Duration timeout) throws InterruptedException;

    /**
     * Configures a {@link SyncEngine}. Not thread-safe; {@link #build()} may be called more than once (each engine is
     * independent; several share a PostgreSQL store, one runs on an SQLite store).
     */
    final class Builder {
        private static final Pattern FIELD = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,63}");

        private OutlookStore store;
        private MailSource source;
        private MessageSink sink;
        private SyncListener listener = SyncListener.NONE;
        private Clock clock = Clock.systemUTC();
        private int threads = 8;
        private int maxConcurrentPerMailbox = 4;
        private int budgetRequests = 9_000;
        private Duration budgetWindow = Duration.ofMinutes(10);
        private int pageSize = 100;
        private int backfillPageSize = 100;
        private Duration pollInterval = Duration.ofMinutes(1);
        private Duration overlap = Duration.ofMinutes(10);
        private Duration reconcileInterval = Duration.ofHours(1);
        private Set<String> select = MailMessage.DEFAULT_FIELDS;
        private Duration backoffInitial = Duration.ofSeconds(1);
        private Duration backoffMax = Duration.ofMinutes(5);
        private Random random;
        private Duration timerResolution = Duration.ofMillis(25);
        private Duration staleAfter = Duration.ofHours(1);
        private Duration leaseDuration = Duration.ofSeconds(30);
        private Duration leaseRenewal = Duration.ofSeconds(10);

        Builder() {
        }

        /** Where connections, mailboxes, checkpoints and cursors are kept. Required. */
        public Builder store(OutlookStore value) {
            this.store = Objects.requireNonNull(value, "store");
            return this;
        }

        /** Where mail is read from (the Graph implementation in {@code tekst-outlook-graph}). Required. */
        public Builder source(MailSource value) {
            this.source = Objects.requireNonNull(value, "source");
            return this;
        }

        /** Where pages of mail go. Required. */
        public Builder sink(MessageSink value) {
            this.sink = Objects.requireNonNull(value, "sink");
            return this;
        }

        /** Receives status and progress events. Default: none. */
        public Builder listener(SyncListener value) {
            this.listener = Objects.requireNonNull(value, "listener");
            return this;
        }

        /** The only source of time. Default: {@link Clock#systemUTC()}. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * Worker threads shared by all connections and mailboxes, 1 to 256. Default 8. As many more threads at most
         * request live delta pages ahead (the next page of a folder while its current one is delivered); they are
         * started when needed and end after 10 seconds without work.
         */
        public Builder threads(int value) {
            this.threads = range("threads", value, 1, 256);
            return this;
        }

        /** {@link MailSource} calls in flight per mailbox, 1 to 4 (Graph's limit). Default 4. */
        public Builder maxConcurrentPerMailbox(int value) {
            this.maxConcurrentPerMailbox = range("maxConcurrentPerMailbox", value, 1, 4);
            return this;
        }

        /**
         * At most {@code requests} calls per mailbox in any {@code window} (a sliding window on the clock), at most
         * Graph's rate of 10,000 per 10 minutes. Default 9,000 per 10 minutes. A tenth of the budget is kept for live
         * sync: backfill stops short of it.
         */
        public Builder requestBudget(int requests, Duration window) {
            Objects.requireNonNull(window, "window");
            if (requests < 1 || window.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new InvalidValueException("requestBudget", "needs at least 1 request per window of 1 s or more");
            }
            if ((double) requests / window.toMillis() > 10_000.0 / Duration.ofMinutes(10).toMillis()) {
                throw new InvalidValueException("requestBudget", "must stay within Graph's 10,000 requests per 10"
                        + " minutes per mailbox; got " + requests + " per " + window);
            }
            this.budgetRequests = requests;
            this.budgetWindow = window;
            return this;
        }

        /** Live delta page size ({@code Prefer: odata.maxpagesize}), 1 to 1000. Default 100. */
        public Builder pageSize(int value) {
            this.pageSize = range("pageSize", value, 1, 1000);
            return this;
        }

        /** Backfill page size ({@code $top}), 1 to 1000. Default 100. */
        public Builder backfillPageSize(int value) {
            this.backfillPageSize = range("backfillPageSize", value, 1, 1000);
            return this;
        }

        /** Time between live rounds of a folder, and between reads of the store. Default 1 minute. */
        public Builder pollInterval(Duration value) {
            this.pollInterval = positive("pollInterval", value);
            return this;
        }

        /** How far before the last delivered message a folder restarts after a delta expiry. Default 10 minutes. */
        public Builder overlap(Duration value) {
            Objects.requireNonNull(value, "overlap");
            if (value.isNegative()) {
                throw new InvalidValueException("overlap", "must not be negative");
            }
            this.overlap = value;
            return this;
        }

        /**
         * How often each folder's synced messages are reconciled against Graph: the ids of the folder's messages in
         * the synced window are listed ({@code $select} of the required fields only, 1,000 per request) and compared
         * with what the sink received, so that a message deleted or moved out without a delta reporting it (mail
         * received before the connection, or during a delta reset) arrives as a removal, and a message the sink never
         * received (moved in from elsewhere, or beyond a delta's limits) arrives as a message. A delta reset and a
         * completed backfill make a reconciliation due at once. Default 1 hour, at least 1 second.
         */
        public Builder reconcileInterval(Duration value) {
            positive("reconcileInterval", value);
            if (value.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new InvalidValueException("reconcileInterval", "must be at least 1 second");
            }
            this.reconcileInterval = value;
            return this;
        }

        /**
         * The Graph message fields to fetch; {@link MailMessage#REQUIRED_FIELDS} are always added. Default
         * {@link MailMessage#DEFAULT_FIELDS}.
         */
        public Builder select(Set<String> fields) {
            Objects.requireNonNull(fields, "fields");
            for (String f : fields) {
                if (f == null || !FIELD.matcher(f).matches()) {
                    throw new InvalidValueException("select", "fields are Graph property names (letters and digits)",
                            String.valueOf(f));
                }
            }
            this.select = Set.copyOf(fields);
            return this;
        }

        /**
         * Exponential backoff with jitter for retryable failures without {@code Retry-After} and for sink failures:
         * the n-th consecutive failure waits between half and all of {@code min(max, initial * 2^(n-1))}. Default
         * 1 s and 5 minutes.
         */
        public Builder backoff(Duration initial, Duration max) {
            positive("backoff initial", initial);
            positive("backoff max", max);
            if (max.compareTo(initial) < 0) {
                throw new InvalidValueException("backoff", "max must not be below initial");
            }
            this.backoffInitial = initial;
            this.backoffMax = max;
            return this;
        }

        /** The randomness for backoff jitter; pass a seeded one for reproducible tests. Default: a new Random. */
        public Builder random(Random value) {
            this.random = Objects.requireNonNull(value, "random");
            return this;
        }

        /**
         * A connection with a mailbox that may sync and no successful sync (an acknowledged page or a completed round
         * of any folder) for longer than this is stale: {@link SyncListener#connectionStaleChanged} tells the
         * listener once, and once more when it syncs again. Default 1 hour.
         */
        public Builder staleAfter(Duration value) {
            this.staleAfter = positive("staleAfter", value);
            return this;
        }

        /**
         * On a store several engines share ({@link OutlookStore#workerLeases()}, PostgreSQL): how long a mailbox lease
         * lasts without renewal, and how often the engine renews its leases (and claims or sheds mailboxes towards
         * its fair share). Both are real time, measured by the database. When an engine ends without stopping
         * (killed, frozen, cut off from the database), its mailboxes move to the others within {@code duration} plus
         * one {@code renewal}. Defaults 30 s and 10 s; {@code renewal} must be less than half of {@code duration}.
         */
        public Builder leases(Duration duration, Duration renewal) {
            positive("leaseDuration", duration);
            positive("leaseRenewal", renewal);
            if (renewal.multipliedBy(2).compareTo(duration) >= 0) {
                throw new InvalidValueException("leaseRenewal", "must be less than half of the lease duration ("
                        + duration + "); got " + renewal);
            }
            if (duration.compareTo(Duration.ofMillis(100)) < 0) {
                throw new InvalidValueException("leaseDuration", "must be at least 100 ms; got " + duration);
            }
            this.leaseDuration = duration;
            this.leaseRenewal = renewal;
            return this;
        }

        /**
         * How often (in real time) the timer re-reads the clock to find due work, 1 ms to 1 s. Default 25 ms. With a
         * fake clock, the engine reacts to an advance within this resolution.
         */
        public Builder timerResolution(Duration value) {
            positive("timerResolution", value);
            if (value.compareTo(Duration.ofMillis(1)) < 0 || value.compareTo(Duration.ofSeconds(1)) > 0) {
                throw new InvalidValueException("timerResolution", "must be 1 ms to 1 s");
            }
            this.timerResolution = value;
            return this;
        }

        /**
         * A new engine, not yet started.
         *
         * @throws OutlookClientException if the store, source or sink is missing (the message names which)
         */
        public SyncEngine build() {
            java.util.List<String> missing = new java.util.ArrayList<>();
            if (store == null) {
                missing.add("store(OutlookStore)");
            }
            if (source == null) {
                missing.add("source(MailSource)");
            }
            if (sink == null) {
                missing.add("sink(MessageSink)");
            }
            if (!missing.isEmpty()) {
                throw new OutlookClientException("a SyncEngine needs a store, a source and a sink; missing: "
                        + String.join(", ", missing));
            }
            Set<String> fields = new TreeSet<>(select);
            fields.addAll(MailMessage.REQUIRED_FIELDS);
            return new DefaultSyncEngine(new EngineConfig(store, source, sink, listener, clock, threads,
                    maxConcurrentPerMailbox, budgetRequests, budgetWindow, pageSize, backfillPageSize, pollInterval,
                    overlap, reconcileInterval, Collections.unmodifiableSet(fields), backoffInitial, backoffMax,
                    random != null ? random : new Random(), timerResolution, staleAfter, leaseDuration,
                    leaseRenewal));
        }

        private static int range(String field, int value, int min, int max) {
            if (value < min || value > max) {
                throw new InvalidValueException(field, "must be " + min + " to " + max + "; got " + value);
            }
            return value;
        }

        private static Duration positive(String field, Duration value) {
            Objects.requireNonNull(value, field);
            if (value.isNegative() || value.isZero()) {
                throw new InvalidValueException(field, "must be positive");
            }
            return value;
        }
    }
}
