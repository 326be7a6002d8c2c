package com.tekst.outlook.internal.sync;

import com.tekst.outlook.Connection;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionStatus;
import com.tekst.outlook.ErrorDetails;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.OutlookClientException;
import com.tekst.outlook.StoreException;
import com.tekst.outlook.mailbox.FolderRef;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.store.BackfillCursor;
import com.tekst.outlook.store.FolderCheckpoint;
import com.tekst.outlook.store.FolderKey;
import com.tekst.outlook.store.MailboxRecord;
import com.tekst.outlook.store.OutlookStore;
import com.tekst.outlook.sync.BackfillProgress;
import com.tekst.outlook.sync.BackfillWindow;
import com.tekst.outlook.sync.ConnectionProgress;
import com.tekst.outlook.sync.FolderProgress;
import com.tekst.outlook.sync.MailboxProgress;
import com.tekst.outlook.sync.SyncEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link SyncEngine}. Made by {@link SyncEngine#builder()}; see there for the contract. */
public final class DefaultSyncEngine implements SyncEngine {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultSyncEngine.class);
    /** How often a control call's status write for a mailbox another engine owns is tried against a moving status. */
    private static final int CONTROL_WRITE_ATTEMPTS = 20;

    final EngineConfig config;
    final SafeListener listener;
    final Scheduler scheduler;
    final CommitGate gate = new CommitGate();
    final Statuses statuses;
    private final OutlookStore store;
    final Backoff backoff;
    // the stages of a step, in order (the Scheduler picks the task): docs/design/013
    final Fetch fetch = new Fetch(this);
    final Deliver deliver = new Deliver(this);
    final Checkpoint checkpoint = new Checkpoint(this);
    final Report report = new Report(this);
    private final LiveStep liveStep;
    private final BackfillStep backfillStep;
    final ReconcileStep reconcileStep;
    final Staleness staleness;
    final Leasing leasing;
    private final AtomicBoolean started = new AtomicBoolean();
    /** Guarded by the scheduler's lock: mailboxes first seen after the first store read were added meanwhile. */
    private boolean firstScanDone;
    private final List<Thread> threads = new ArrayList<>();
    /** Runs the requests of pages fetched {@linkplain Ahead ahead}: no thread before the first, none kept idle long. */
    final ThreadPoolExecutor aheadThreads;

    /** Use {@link SyncEngine#builder()}. */
    public DefaultSyncEngine(EngineConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.store = config.store();
        this.listener = new SafeListener(config.listener());
        this.scheduler = new Scheduler(config);
        this.leasing = new Leasing(store, config.leaseDuration(), config.leaseRenewal());
        this.statuses = new Statuses(scheduler, store, listener, config.clock(), this);
        this.backoff = new Backoff(config.backoffInitial(), config.backoffMax(), config.random());
        this.liveStep = new LiveStep(this);
        this.backfillStep = new BackfillStep(this);
        this.reconcileStep = new ReconcileStep(this);
        this.staleness = new Staleness(this, config.staleAfter());
        AtomicInteger aheadThreadCount = new AtomicInteger();
        this.aheadThreads = new ThreadPoolExecutor(0, config.threads(), 10, TimeUnit.SECONDS, new SynchronousQueue<>(),
                body -> {
                    Thread thread = new Thread(body, "tekst-sync-ahead-" + aheadThreadCount.getAndIncrement());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    Instant now() {
        return config.clock().instant();
    }

    // ---- lifecycle -------------------------------------------------------------------------------------------------

    @Override
    public void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("a SyncEngine is started once; build a new one to start again");
        }
        leasing.start(); // may refuse: another engine on a single-engine store
        try {
            config.source().engineStarted(this); // may refuse (e.g. the client owning the source is closed)
        } catch (RuntimeException e) {
            leasing.stop();
            throw e;
        }
        rescan();
        scheduler.scheduleRescan(now().plus(config.pollInterval()));
        synchronized (threads) {
            for (int i = 0; i < config.threads(); i++) {
                threads.add(startThread("tekst-sync-worker-" + i, this::workerLoop));
            }
            threads.add(startThread("tekst-sync-timer", this::timerLoop));
        }
        LOG.info("sync engine started: {} workers, at most {} calls per mailbox, budget {} per {}{}",
                config.threads(), config.maxConcurrentPerMailbox(), config.budgetRequests(), config.budgetWindow(),
                leasing.workerId().map(id -> "; worker " + id + " on leased mailboxes").orElse(""));
    }

    private static Thread startThread(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public Optional<String> workerId() {
        return leasing.workerId();
    }

    @Override
    public boolean stop(Duration grace) throws InterruptedException {
        Objects.requireNonNull(grace, "grace");
        scheduler.stop();
        boolean clean;
        try {
            clean = scheduler.awaitNoneRunning(grace.toNanos(), TimeUnit.NANOSECONDS);
            if (!clean) {
                gate.kill();
                interruptThreads();
            }
            joinThreads(THREAD_EXIT_WAIT.toNanos());
        } finally {
            stopped();
        }
        LOG.info("sync engine stopped{}", clean ? "" : "; pages in progress were abandoned unacknowledged");
        return clean;
    }

    @Override
    public void stopNow() {
        gate.kill();
        scheduler.stop();
        interruptThreads();
        stopped();
        LOG.info("sync engine stopped at once; pages in progress were abandoned unacknowledged");
    }

    /** How long {@link #stop} waits, after the grace, for the threads to end. */
    private static final Duration THREAD_EXIT_WAIT = Duration.ofSeconds(10);

    private void stopped() {
        aheadThreads.shutdownNow(); // after a clean stop none is in flight; otherwise their pages are abandoned
        if (started.get()) {
            try {
                config.source().engineStopped(this);
            } catch (RuntimeException e) {
                LOG.warn("the mail source failed on the engine's stop ({})", e.getClass().getName(), e);
            }
            leasing.stop();
        }
    }

    /** Waits (at most {@code nanos} in all) until every engine thread but the caller has ended. */
    private void joinThreads(long nanos) throws InterruptedException {
        List<Thread> all;
        synchronized (threads) {
            all = List.copyOf(threads);
        }
        long deadline = System.nanoTime() + nanos;
        for (Thread thread : all) {
            long left = deadline - System.nanoTime();
            if (thread != Thread.currentThread() && left > 0) {
                TimeUnit.NANOSECONDS.timedJoin(thread, left);
            }
        }
    }

    private void interruptThreads() {
        synchronized (threads) {
            for (Thread thread : threads) {
                if (thread != Thread.currentThread()) {
                    thread.interrupt();
                }
            }
        }
    }

    @Override
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        return scheduler.awaitIdle(timeout);
    }

    private void workerLoop() {
        try {
            FolderTask task;
            while ((task = scheduler.take()) != null) {
                runStep(task);
            }
        } catch (InterruptedException e) {
            // stopping
        }
    }

    private void timerLoop() {
        try {
            while (!scheduler.isStopping()) {
                if (leasing.due()) {
                    try {
                        applyLeases(leasing.heartbeat());
                    } catch (RuntimeException e) {
                        LOG.error("applying the lease heartbeat failed ({})", e.getClass().getName(), e);
                    }
                }
                if (scheduler.tick()) {
                    try {
                        rescan();
                    } catch (RuntimeException e) {
                        LOG.error("reading the store failed ({}); trying again at the next poll",
                                e.getClass().getName(), e);
                    } finally {
                        scheduler.rescanDone();
                    }
                }
                scheduler.timerPause(config.timerResolution());
            }
        } catch (InterruptedException e) {
            // stopping
        }
    }

    private void runStep(FolderTask task) {
        Outcome outcome = Outcome.READY;
        try (Mdc mdc = Mdc.of(task.mailbox)) {
            outcome = task instanceof LiveTask live ? liveStep.run(live) : backfillStep.run((BackfillTask) task);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            // the store or the engine itself failed; source and sink failures are handled inside the step
            task.failures++;
            Instant at = now().plus(backoff.delay(task.failures));
            LOG.error("{} work on folder {} failed unexpectedly; retrying at {}", task.kind(), task.folder.id(), at, e);
            outcome = Outcome.waitUntil(at);
        } finally {
            scheduler.finish(task, outcome);
        }
    }

    // ---- shared by the steps ---------------------------------------------------------------------------------------

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    boolean halted(BackfillTask t) {
        scheduler.lock.lock();
        try {
            return t.retired || t.halted;
        } finally {
            scheduler.lock.unlock();
        }
    }

    void backfillEnded(BackfillTask t) {
        scheduler.lock.lock();
        try {
            scheduler.retire(t);
            t.mailbox.backfill.remove(t.folder.id(), t);
        } finally {
            scheduler.lock.unlock();
        }
    }

    // ---- reading the store -----------------------------------------------------------------------------------------

    /** Reads connections and mailboxes from the store and brings the engine's picture in line. */
    void rescan() {
        long scanSeq;
        scheduler.lock.lock();
        try {
            scanSeq = scheduler.currentSeq();
        } finally {
            scheduler.lock.unlock();
        }
        List<Connection> connections = store.listConnections();
        Map<ConnectionId, List<MailboxRecord>> mailboxes = new HashMap<>();
        for (Connection c : connections) {
            if (c.tenant().isPresent() && !c.status().stopsSync() && c.status() != ConnectionStatus.PENDING_CONSENT) {
                mailboxes.put(c.id(), store.listMailboxes(c.id()));
            }
        }
        List<MailboxState> needCursors = new ArrayList<>();
        List<StatusChange> changedElsewhere = new ArrayList<>();
        List<MailboxChange> mailboxesChanged = new ArrayList<>();
        List<ConnectionState> watched = new ArrayList<>();
        scheduler.lock.lock();
        try {
            Set<ConnectionId> seen = new HashSet<>();
            for (Connection c : connections) {
                seen.add(c.id());
                ConnectionState cs = scheduler.connections.computeIfAbsent(c.id(), ConnectionState::new);
                cs.removed = false;
                cs.tenant = c.tenant().orElse(null);
                cs.connectedAt = c.connectedAt().orElse(null);
                cs.permissions = c.permissions();
                if (cs.status == null || cs.changedSeq <= scanSeq) {
                    if (cs.status != null && cs.status != c.status()) {
                        // changed in the store by someone else (a verified re-consent, a disconnect): the listener
                        // hears of it once, as of every transition the engine makes itself
                        changedElsewhere.add(new StatusChange(c.id(), cs.status, c.status()));
                    }
                    cs.status = c.status();
                }
                List<MailboxRecord> records = mailboxes.get(c.id());
                if (records != null) {
                    applyMailboxes(cs, records, scanSeq, needCursors, mailboxesChanged);
                }
                if (cs.active()) {
                    for (MailboxState m : cs.mailboxes.values()) {
                        scheduler.requeue(m);
                    }
                }
            }
            firstScanDone = true;
            for (ConnectionState cs : scheduler.connections.values()) {
                if (seen.contains(cs.id) && cs.active()
                        && cs.mailboxes.values().stream().anyMatch(MailboxState::runnable)) {
                    watched.add(cs);
                }
                if (!seen.contains(cs.id)) {
                    cs.removed = true;
                    for (MailboxState m : cs.mailboxes.values()) {
                        removeMailbox(m);
                    }
                }
            }
        } finally {
            scheduler.lock.unlock();
        }
        for (StatusChange change : changedElsewhere) {
            LOG.info("connection {} is {} in the store (was {}): changed outside the engine", change.connection(),
                    change.to(), change.from());
            listener.connectionStatusChanged(change.connection(), change.from(), change.to(),
                    "changed outside the engine (e.g. consent verified again, or disconnected)", ErrorDetails.NONE);
        }
        report(mailboxesChanged);
        for (MailboxState m : needCursors) {
            loadCursors(m);
        }
        staleness.check(watched);
    }

    private record StatusChange(ConnectionId connection, ConnectionStatus from, ConnectionStatus to) {
    }

    /** A mailbox status changed outside the engine; {@code from} null: added; {@code to} null: removed. */
    record MailboxChange(ConnectionId connection, MailboxId mailboxId, MailboxStatus from, MailboxStatus to,
                         Instant until, String reason, MailboxState state) {
    }

    private void applyMailboxes(ConnectionState cs, List<MailboxRecord> records, long scanSeq,
                                List<MailboxState> needCursors, List<MailboxChange> changes) {
        Set<MailboxId> seen = new HashSet<>();
        for (MailboxRecord r : records) {
            seen.add(r.mailboxId());
            if (!leasing.mayWork(cs.id, r.mailboxId())) {
                // another engine's (or nobody's yet): not worked on here, and not reported as added or removed
                MailboxState m = cs.mailboxes.get(r.mailboxId());
                if (m != null && !m.removed) {
                    removeMailbox(m);
                }
                if (cs.elsewhere.add(r.mailboxId()) && firstScanDone && m == null) {
                    leasing.soon(); // new in the store: maybe nobody has claimed it yet
                }
                continue;
            }
            applyMailbox(cs, r, scanSeq, needCursors, changes);
        }
        cs.elsewhere.retainAll(seen);
        for (MailboxState m : cs.mailboxes.values()) {
            if (!seen.contains(m.mailboxId) && !m.removed && m.changedSeq <= scanSeq) {
                removeMailbox(m);
                changes.add(new MailboxChange(cs.id, m.mailboxId, m.persisted, null, null,
                        "removed from the connection", m));
            }
        }
    }

    /** Lock held. Brings the engine's picture of one mailbox in line with its record. */
    private MailboxState applyMailbox(ConnectionState cs, MailboxRecord r, long scanSeq,
                                      List<MailboxState> needCursors, List<MailboxChange> changes) {
        MailboxState m = cs.mailboxes.get(r.mailboxId());
        boolean added = m == null || m.removed;
        // a mailbox this engine took over from another is not new to the connection
        boolean takenOver = cs.elsewhere.remove(r.mailboxId());
        if (m == null) {
            m = new MailboxState(cs, r.mailboxId(), r.address(),
                    new RequestBudget(config.budgetRequests(), config.budgetWindow()));
            cs.mailboxes.put(r.mailboxId(), m);
        }
        m.address = r.address();
        m.removed = false;
        if (added) {
            // back after a removal or a lease handed away: its old tasks were retired, new ones start from the store
            m.live.values().removeIf(t -> t.retired);
            m.backfill.values().removeIf(t -> t.retired);
            m.cursorsLoaded = false;
        }
        if (added && firstScanDone && !takenOver) {
            // added to the connection while the engine runs (the mailbox scope), or again after a removal: reported
            // by Statuses.announce before any transition of the mailbox
            m.changedSeq = scheduler.nextSeq();
            m.unannounced = "added to the connection";
            changes.add(new MailboxChange(cs.id, r.mailboxId(), null, r.status(), r.throttledUntil().orElse(null), m.unannounced, m));
        } else if (!added && m.changedSeq <= scanSeq && m.persisted != r.status()) {
            // written by someone else (the scope guard's MAILBOX_IDENTITY_CHANGED, another process)
            changes.add(new MailboxChange(cs.id, r.mailboxId(), m.persisted, r.status(), r.throttledUntil().orElse(null),
                    changedElsewhere(r), m));
        }
        if (added || m.changedSeq <= scanSeq) {
            m.persisted = r.status();
            m.persistedUntil = r.throttledUntil().orElse(null);
            m.stoppedBy = r.status().stopsSync() ? r.status() : null;
            m.paused = r.status() == MailboxStatus.PAUSED;
            if (r.status() == MailboxStatus.THROTTLED && r.throttledUntil().isPresent()) {
                m.fenceUntil = later(m.fenceUntil, r.throttledUntil().orElse(null)); // a Retry-After survives a restart
            }
        }
        Instant granted = leasing.grantedFence(cs.id, r.mailboxId());
        if (granted != null) {
            m.fenceUntil = later(m.fenceUntil, granted); // a Retry-After met by the mailbox's previous owner
        }
        Set<String> folderIds = new HashSet<>();
        for (FolderRef f : r.folders()) {
            folderIds.add(f.id());
            if (!m.live.containsKey(f.id())) {
                LiveTask t = new LiveTask(m, f);
                m.live.put(f.id(), t);
                scheduler.makeReady(t);
            }
        }
        m.live.entrySet().removeIf(e -> {
            boolean gone = !folderIds.contains(e.getKey());
            if (gone) {
                scheduler.retire(e.getValue());
            }
            return gone;
        });
        m.backfill.entrySet().removeIf(e -> {
            boolean gone = !folderIds.contains(e.getKey());
            if (gone) {
                scheduler.retire(e.getValue());
            }
            return gone;
        });
        if (!m.cursorsLoaded) {
            needCursors.add(m);
        }
        return m;
    }

    /**
     * A control call for a mailbox the engine has not read yet (added to the connection since its last store read):
     * reads it now, as the next store read would (the listener hears of the addition first), so the call then goes
     * the engine's way. {@code null} while the engine has not read the store, or if the connection is not syncing.
     */
    private MailboxState learn(MailboxRecord r) {
        List<MailboxState> needCursors = new ArrayList<>();
        List<MailboxChange> changes = new ArrayList<>();
        MailboxState m;
        scheduler.lock.lock();
        try {
            ConnectionState cs = scheduler.connections.get(r.connection());
            if (!firstScanDone || cs == null || cs.removed || !cs.active()
                    || !leasing.mayWork(r.connection(), r.mailboxId())) {
                return null;
            }
            m = cs.mailboxes.get(r.mailboxId());
            if (m == null || m.removed) {
                m = applyMailbox(cs, r, scheduler.currentSeq(), needCursors, changes);
                scheduler.requeue(m);
            }
        } finally {
            scheduler.lock.unlock();
        }
        report(changes);
        for (MailboxState n : needCursors) {
            loadCursors(n);
        }
        return m;
    }

    private void report(List<MailboxChange> changes) {
        for (MailboxChange change : changes) {
            if (change.from() == null) {
                statuses.announce(change.state());
                continue;
            }
            LOG.info("mailbox {} of connection {} is {} in the store (was {}): {}", change.mailboxId(),
                    change.connection(), change.to(), change.from(), change.reason());
            listener.mailboxStatusChanged(change.connection(), change.mailboxId(), change.from(), change.to(),
                    change.until(), change.reason(), ErrorDetails.NONE);
        }
    }

    static String changedElsewhere(MailboxRecord r) {
        return r.statusDetail() == null || r.statusDetail().isEmpty() ? "changed outside the engine"
                : "changed outside the engine: " + r.statusDetail();
    }

    private void removeMailbox(MailboxState m) {
        m.removed = true;
        m.live.values().forEach(scheduler::retire);
        m.backfill.values().forEach(scheduler::retire);
    }

    // ---- leases ----------------------------------------------------------------------------------------------------

    /** Acts on a heartbeat: drops lost mailboxes, reads granted ones, passes signals on, sheds above the share. */
    private void applyLeases(Leasing.Change change) {
        if (!change.any()) {
            return;
        }
        scheduler.lock.lock();
        try {
            for (Leasing.Key key : change.lost()) {
                dropLeased(key.connection(), key.mailboxId());
            }
            for (Leasing.Key key : change.signalled()) {
                // a control call made on another engine (pause, resume, backfill, sync now): read it again
                MailboxState m = knownLocked(key.connection(), key.mailboxId());
                if (m != null) {
                    m.cursorsLoaded = false;
                    scheduler.syncNow(m);
                }
            }
        } finally {
            scheduler.lock.unlock();
        }
        if (!change.lost().isEmpty()) {
            LOG.warn("the leases of {} mailbox(es) expired before this engine renewed them; their work here stopped",
                    change.lost().size());
        }
        if (change.excess() > 0) {
            shed(change.excess());
        }
        if (!change.granted().isEmpty() || !change.signalled().isEmpty()) {
            scheduler.scheduleRescan(now());
        }
    }

    /**
     * Gives up to {@code count} mailboxes away: only mailboxes with no step running and no call in flight (a shed
     * mailbox finishes its page first: the rest wait for the next heartbeat).
     */
    private void shed(int count) {
        List<Leasing.Key> give = new ArrayList<>();
        Set<Leasing.Key> held = leasing.heldKeys();
        scheduler.lock.lock();
        try {
            for (ConnectionState cs : scheduler.connections.values()) {
                for (MailboxState m : cs.mailboxes.values()) {
                    if (give.size() >= count) {
                        break;
                    }
                    // a page fetched ahead whose request returned is dropped with the mailbox (not delivered)
                    if (!m.removed && held.contains(new Leasing.Key(cs.id, m.mailboxId))
                            && m.inFlight == scheduler.returnedAheads(m) && !scheduler.anyRunning(m)) {
                        give.add(new Leasing.Key(cs.id, m.mailboxId));
                        dropLeased(cs.id, m.mailboxId);
                    }
                }
            }
        } finally {
            scheduler.lock.unlock();
        }
        leasing.release(give);
    }

    /**
     * A fenced write was refused: another engine holds the mailbox now. The work on it stops here; the page in
     * progress stays unacknowledged, and the new owner continues from the stored checkpoints.
     */
    void leaseLost(ConnectionId connection, MailboxId mailboxId) {
        leasing.forget(connection, mailboxId);
        boolean dropped;
        scheduler.lock.lock();
        try {
            dropped = dropLeased(connection, mailboxId);
        } finally {
            scheduler.lock.unlock();
        }
        if (dropped) {
            LOG.warn("mailbox {} of connection {}: this engine's lease is gone (another engine holds it now); its"
                    + " work here stopped, the page in progress stays unacknowledged", mailboxId, connection);
        }
        leasing.soon();
    }

    /** Lock held. Stops the work on a mailbox another engine owns now; true if there was any. */
    private boolean dropLeased(ConnectionId connection, MailboxId mailboxId) {
        ConnectionState cs = scheduler.connections.get(connection);
        if (cs == null) {
            return false;
        }
        cs.elsewhere.add(mailboxId);
        MailboxState m = cs.mailboxes.get(mailboxId);
        if (m == null || m.removed) {
            return false;
        }
        removeMailbox(m);
        return true;
    }

    /**
     * A control call for a mailbox this engine does not work on: with leases, tells its owner (whichever engine it
     * is) to read it again at its next heartbeat; else the next store read picks it up.
     */
    private void tellOwner(ConnectionId connection, MailboxId mailboxId) {
        if (leasing.enabled()) {
            store.workerLeases().ifPresent(l -> l.signal(connection, mailboxId));
        }
        scheduler.scheduleRescan(now());
    }

    /** Creates backfill tasks for the mailbox's running cursors (once per mailbox; control calls add the rest). */
    private void loadCursors(MailboxState m) {
        List<BackfillCursor> cursors = store.listBackfillCursors(m.connection.id, m.mailboxId);
        scheduler.lock.lock();
        try {
            if (m.cursorsLoaded) {
                return;
            }
            m.cursorsLoaded = true;
            for (BackfillCursor cursor : cursors) {
                if (cursor.state() == BackfillCursor.State.RUNNING) {
                    ensureBackfillTask(m, cursor.key().folderId());
                }
            }
        } finally {
            scheduler.lock.unlock();
        }
    }

    /** Lock held. A runnable backfill task for the folder, if the folder is synced. */
    private void ensureBackfillTask(MailboxState m, String folderId) {
        LiveTask live = m.live.get(folderId);
        if (live == null) {
            return;
        }
        BackfillTask t = m.backfill.get(folderId);
        if (t == null || t.retired) {
            t = new BackfillTask(m, live.folder);
            m.backfill.put(folderId, t);
        }
        t.halted = false;
        if (t.state != FolderTask.State.RUNNING) {
            t.cursor = null; // read the cursor afresh
            scheduler.makeReady(t);
        }
    }

    // ---- control ---------------------------------------------------------------------------------------------------

    private MailboxState known(ConnectionId connection, MailboxId mailboxId) {
        scheduler.lock.lock();
        try {
            return knownLocked(connection, mailboxId);
        } finally {
            scheduler.lock.unlock();
        }
    }

    /** Lock held. The mailbox's state, if the engine works on it. */
    private MailboxState knownLocked(ConnectionId connection, MailboxId mailboxId) {
        ConnectionState c = scheduler.connections.get(connection);
        MailboxState m = c == null ? null : c.mailboxes.get(mailboxId);
        return m == null || m.removed ? null : m;
    }

    private MailboxRecord requireMailbox(ConnectionId connection, MailboxId mailboxId) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(mailboxId, "mailboxId");
        return store.findMailbox(connection, mailboxId).orElseThrow(() -> new OutlookClientException(
                "connection " + connection + " has no mailbox " + mailboxId + " in the store"));
    }

    /**
     * Writes a control call's status for a mailbox this engine does not work on, while its owner (another engine, or
     * none) may be writing the mailbox's status too: compare-and-set against the stored status, read again after each
     * refusal, until the write lands or the stored status no longer calls for it. The owner's own writes are
     * compare-and-set as well, so it adopts this status instead of overwriting it.
     */
    private void writeForOwner(MailboxRecord record, java.util.function.Predicate<MailboxStatus> calledFor,
                               MailboxStatus to, String reason) {
        ConnectionId connection = record.connection();
        MailboxId mailboxId = record.mailboxId();
        MailboxRecord current = record;
        for (int attempt = 0; attempt < CONTROL_WRITE_ATTEMPTS; attempt++) {
            MailboxStatus from = current.status();
            if (!calledFor.test(from)) {
                return;
            }
            if (store.updateMailboxStatus(connection, mailboxId, from, to, null, reason)) {
                listener.mailboxStatusChanged(connection, mailboxId, from, to, null, reason, ErrorDetails.NONE);
                return;
            }
            current = requireMailbox(connection, mailboxId);
        }
        throw new StoreException("The status of mailbox " + mailboxId + " changed " + CONTROL_WRITE_ATTEMPTS
                + " times while it was being set to " + to + "; try again", null, true);
    }

    @Override
    public void syncNow(ConnectionId connection, MailboxId mailboxId) {
        MailboxState m = known(connection, mailboxId);
        if (m == null) {
            tellOwner(connection, mailboxId);
            return;
        }
        scheduler.lock.lock();
        try {
            scheduler.syncNow(m);
        } finally {
            scheduler.lock.unlock();
        }
    }

    @Override
    public void pause(ConnectionId connection, MailboxId mailboxId) {
        MailboxRecord record = requireMailbox(connection, mailboxId);
        MailboxState m = known(connection, mailboxId);
        if (m == null) {
            m = learn(record);
        }
        if (m == null) {
            writeForOwner(record, status -> status != MailboxStatus.PAUSED, MailboxStatus.PAUSED,
                    "paused by the application");
            tellOwner(connection, mailboxId);
            return;
        }
        scheduler.lock.lock();
        try {
            m.paused = true;
            m.changedSeq = scheduler.nextSeq();
        } finally {
            scheduler.lock.unlock();
        }
        statuses.mailboxChanged(m, "paused by the application");
    }

    @Override
    public void resume(ConnectionId connection, MailboxId mailboxId) {
        MailboxRecord record = requireMailbox(connection, mailboxId);
        MailboxState m = known(connection, mailboxId);
        if (m == null) {
            m = learn(record);
        }
        if (m == null) {
            writeForOwner(record, status -> status == MailboxStatus.PAUSED || status.stopsSync(), MailboxStatus.IDLE,
                    "resumed by the application");
            tellOwner(connection, mailboxId);
            return;
        }
        scheduler.lock.lock();
        try {
            m.paused = false;
            m.stoppedBy = null;
            m.stopDetail = "";
            m.changedSeq = scheduler.nextSeq();
            scheduler.requeue(m);
        } finally {
            scheduler.lock.unlock();
        }
        statuses.mailboxChanged(m, "resumed by the application");
    }

    @Override
    public void resume(ConnectionId connection) {
        Objects.requireNonNull(connection, "connection");
        Connection stored = store.findConnection(connection).orElseThrow(() -> new OutlookClientException(
                "no connection " + connection + " in the store"));
        if (stored.tenant().isEmpty() || stored.status() == ConnectionStatus.DISCONNECTED
                || stored.status() == ConnectionStatus.PENDING_CONSENT) {
            throw new OutlookClientException("connection " + connection + " is " + stored.status()
                    + " and cannot be resumed; connect it again");
        }
        if (stored.status().stopsSync()) {
            ConnectionState cs;
            scheduler.lock.lock();
            try {
                cs = scheduler.connections.get(connection);
            } finally {
                scheduler.lock.unlock();
            }
            if (cs != null) {
                statuses.connectionTo(cs, ConnectionStatus.CONNECTED, "resumed by the application");
            } else if (store.updateConnectionStatus(connection, stored.status(), ConnectionStatus.CONNECTED)) {
                listener.connectionStatusChanged(connection, stored.status(), ConnectionStatus.CONNECTED,
                        "resumed by the application", ErrorDetails.NONE);
            }
        }
        scheduler.scheduleRescan(now());
    }

    @Override
    public void startBackfill(ConnectionId connection, MailboxId mailboxId, BackfillWindow window) {
        Objects.requireNonNull(window, "window");
        MailboxRecord record = requireMailbox(connection, mailboxId);
        Connection stored = store.findConnection(connection).orElseThrow(() -> new OutlookClientException(
                "no connection " + connection + " in the store"));
        if (stored.connectedAt().isEmpty()) {
            throw new OutlookClientException("connection " + connection + " was never connected; backfill starts"
                    + " after consent");
        }
        Instant until = stored.connectedAt().orElse(null);
        Instant from = window.resolveFrom(until, config.clock());
        scheduler.busy(true);
        try {
            List<String> running = new ArrayList<>();
            for (FolderRef folder : record.folders()) {
                FolderKey key = new FolderKey(connection, mailboxId, folder.id());
                BackfillCursor.State state = updateCursor(key, current -> {
                    if (current == null) {
                        return BackfillCursor.start(key, from, until,
                                from.equals(until) ? BackfillCursor.State.COMPLETE : BackfillCursor.State.RUNNING,
                                1, now());
                    }
                    return switch (current.state()) {
                        case COMPLETE, RUNNING -> null;
                        case PAUSED -> withState(current, BackfillCursor.State.RUNNING);
                        case CANCELLED -> BackfillCursor.start(key, from, until,
                                from.equals(until) ? BackfillCursor.State.COMPLETE : BackfillCursor.State.RUNNING,
                                current.version() + 1, now());
                    };
                });
                if (state == BackfillCursor.State.RUNNING) {
                    running.add(folder.id());
                }
            }
            LOG.info("backfill {} from {} to {} for {} folder(s)", window, from, until, running.size());
            activateBackfill(connection, mailboxId, running);
        } finally {
            scheduler.busy(false);
        }
    }

    @Override
    public void pauseBackfill(ConnectionId connection, MailboxId mailboxId) {
        changeBackfills(connection, mailboxId, BackfillCursor.State.RUNNING, BackfillCursor.State.PAUSED);
    }

    @Override
    public void resumeBackfill(ConnectionId connection, MailboxId mailboxId) {
        List<String> resumed = changeBackfills(connection, mailboxId, BackfillCursor.State.PAUSED,
                BackfillCursor.State.RUNNING);
        activateBackfill(connection, mailboxId, resumed);
    }

    @Override
    public void cancelBackfill(ConnectionId connection, MailboxId mailboxId) {
        changeBackfills(connection, mailboxId, BackfillCursor.State.RUNNING, BackfillCursor.State.CANCELLED);
        changeBackfills(connection, mailboxId, BackfillCursor.State.PAUSED, BackfillCursor.State.CANCELLED);
    }

    /** Moves the mailbox's cursors in state {@code from} to {@code to}; returns the folders changed. */
    private List<String> changeBackfills(ConnectionId connection, MailboxId mailboxId, BackfillCursor.State from,
                                         BackfillCursor.State to) {
        requireMailbox(connection, mailboxId);
        scheduler.busy(true);
        try {
            List<String> changed = new ArrayList<>();
            if (to != BackfillCursor.State.RUNNING) {
                haltBackfills(connection, mailboxId, to == BackfillCursor.State.CANCELLED);
            }
            for (BackfillCursor cursor : store.listBackfillCursors(connection, mailboxId)) {
                BackfillCursor.State result = updateCursor(cursor.key(),
                        current -> current != null && current.state() == from ? withState(current, to) : null);
                if (result == to) {
                    changed.add(cursor.key().folderId());
                }
            }
            MailboxState m = known(connection, mailboxId);
            if (m != null) {
                statuses.mailboxChanged(m, "backfill " + to.name().toLowerCase(java.util.Locale.ROOT));
            } else if (!changed.isEmpty()) {
                tellOwner(connection, mailboxId);
            }
            return changed;
        } finally {
            scheduler.busy(false);
        }
    }

    private void haltBackfills(ConnectionId connection, MailboxId mailboxId, boolean retire) {
        MailboxState m = known(connection, mailboxId);
        if (m == null) {
            return;
        }
        scheduler.lock.lock();
        try {
            for (BackfillTask t : m.backfill.values()) {
                t.halted = true;
                if (retire) {
                    scheduler.retire(t);
                } else {
                    scheduler.makeDormant(t);
                }
            }
            if (retire) {
                m.backfill.clear();
            }
        } finally {
            scheduler.lock.unlock();
        }
    }

    private void activateBackfill(ConnectionId connection, MailboxId mailboxId, List<String> folderIds) {
        MailboxState m = known(connection, mailboxId);
        if (m == null) {
            if (!folderIds.isEmpty()) {
                tellOwner(connection, mailboxId);
            }
            return;
        }
        scheduler.lock.lock();
        try {
            if (m.cursorsLoaded) {
                for (String folderId : folderIds) {
                    ensureBackfillTask(m, folderId);
                }
            }
            scheduler.requeue(m);
        } finally {
            scheduler.lock.unlock();
        }
        statuses.mailboxChanged(m, "backfill running");
    }

    private BackfillCursor withState(BackfillCursor c, BackfillCursor.State state) {
        return c.withState(state, now());
    }

    /**
     * Compare-and-set loop on one cursor: {@code change} maps the stored cursor (or {@code null}) to the one to
     * write, or {@code null} to leave it. Returns the cursor's resulting state, {@code null} if there is none.
     */
    private BackfillCursor.State updateCursor(FolderKey key,
                                              java.util.function.UnaryOperator<BackfillCursor> change) {
        for (int attempt = 0; attempt < 20; attempt++) {
            BackfillCursor current = store.findBackfillCursor(key).orElse(null);
            BackfillCursor next = change.apply(current);
            if (next == null) {
                return current == null ? null : current.state();
            }
            long expected = current == null ? 0 : current.version();
            CommitGate.Result result = gate.write(() -> store.commitBackfillCursor(next, expected));
            if (result == CommitGate.Result.KILLED) {
                throw new IllegalStateException("the sync engine was stopped");
            }
            if (result == CommitGate.Result.WRITTEN) {
                listener.backfillStateChanged(key, current == null ? null : current.state(), next.state());
                return next.state();
            }
        }
        throw new IllegalStateException("the backfill cursor of folder " + key.folderId()
                + " keeps changing; try again");
    }

    // ---- progress --------------------------------------------------------------------------------------------------

    @Override
    public Optional<ConnectionProgress> progress(ConnectionId connection) {
        Optional<Connection> stored = store.findConnection(connection);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        List<MailboxProgress> mailboxes = new ArrayList<>();
        for (MailboxRecord record : store.listMailboxes(connection)) {
            mailboxes.add(mailboxProgress(record));
        }
        return Optional.of(new ConnectionProgress(connection, stored.get().status(), mailboxes));
    }

    @Override
    public Optional<MailboxProgress> progress(ConnectionId connection, MailboxId mailboxId) {
        return store.findMailbox(connection, mailboxId).map(this::mailboxProgress);
    }

    private MailboxProgress mailboxProgress(MailboxRecord record) {
        Map<String, FolderCheckpoint> checkpoints = new HashMap<>();
        for (FolderCheckpoint cp : store.listCheckpoints(record.connection(), record.mailboxId())) {
            checkpoints.put(cp.key().folderId(), cp);
        }
        Map<String, BackfillCursor> cursors = new HashMap<>();
        for (BackfillCursor cursor : store.listBackfillCursors(record.connection(), record.mailboxId())) {
            cursors.put(cursor.key().folderId(), cursor);
        }
        Instant now = now();
        Instant fence = null;
        Set<String> inRound = new HashSet<>();
        MailboxState m = known(record.connection(), record.mailboxId());
        if (m != null) {
            scheduler.lock.lock();
            try {
                Instant gate = scheduler.gateUntil(m);
                fence = gate.isAfter(now) ? gate : null;
                for (LiveTask t : m.live.values()) {
                    if (t.inRound) {
                        inRound.add(t.folder.id());
                    }
                }
            } finally {
                scheduler.lock.unlock();
            }
        } else if (record.status() == MailboxStatus.THROTTLED && record.throttledUntil().isPresent()
                && record.throttledUntil().get().isAfter(now)) {
            fence = record.throttledUntil().get();
        }
        List<FolderProgress> folders = new ArrayList<>();
        for (FolderRef folder : record.folders()) {
            FolderCheckpoint cp = checkpoints.get(folder.id());
            BackfillCursor cursor = cursors.get(folder.id());
            folders.add(new FolderProgress(folder,
                    inRound.contains(folder.id()) || (cp != null && cp.nextLink().isPresent()),
                    cp != null && cp.deltaLink().isPresent(),
                    cp == null ? null : cp.lastReceivedAt().orElse(null),
                    cursor == null ? null : new BackfillProgress(cursor.state(), cursor.from(), cursor.until(),
                            cursor.delivered(), cursor.estimatedTotal() < 0 ? java.util.OptionalLong.empty()
                                    : java.util.OptionalLong.of(cursor.estimatedTotal()))));
        }
        return new MailboxProgress(record.connection(), record.mailboxId(), record.address(), record.status(), fence,
                record.statusDetail(), folders);
    }
}
