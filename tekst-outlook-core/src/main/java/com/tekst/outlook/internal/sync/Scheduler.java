package com.tekst.outlook.internal.sync;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.sync.MessagePage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Decides which folder task runs next, under one lock.
 *
 * <ul>
 *   <li>Tasks wait for a due instant in a priority queue ({@link #processDue}); due tasks join their mailbox's ready
 *       queues, live and backfill apart.</li>
 *   <li>Mailboxes with ready work sit in an insertion-ordered set that {@link #pick} walks round-robin. A mailbox is
 *       skipped while fenced ({@code Retry-After} of the mailbox, its connection or the application), while its
 *       {@code maxConcurrentPerMailbox} calls are in flight, or while its request budget is spent.</li>
 *   <li>Live before backfill: a mailbox's ready live task is always chosen before its backfill; backfill never takes
 *       the last free call slot of a mailbox, the last tenth of its budget or the last free worker.</li>
 *   <li>Time is read from the clock only; a timer thread calls {@link #tick} at a small real-time resolution so
 *       that due times and fences are noticed however the clock moves (see docs/design/010-sync-engine-time.md).</li>
 * </ul>
 * Costs: a pick is O(mailboxes with ready work), a due task O(log tasks); nothing is per message.
 */
final class Scheduler {
    private record Wake(Instant at, long seq, FolderTask task) implements Comparable<Wake> {
        @Override
        public int compareTo(Wake o) {
            int c = at.compareTo(o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    final ReentrantLock lock = new ReentrantLock();
    /** Signalled whenever work may have become runnable or a unit of work ended. */
    private final Condition changed = lock.newCondition();
    private final Condition timerWake = lock.newCondition();

    private final EngineConfig config;
    private final Clock clock;
    final Map<ConnectionId, ConnectionState> connections = new LinkedHashMap<>();
    private final PriorityQueue<Wake> wakes = new PriorityQueue<>();
    private final LinkedHashSet<MailboxState> ready = new LinkedHashSet<>();

    Instant appFenceUntil = Instant.MIN;
    private int running;
    private int backfillRunning;
    private int busy;
    /** Requests for pages fetched ahead ({@link Ahead}) that have not returned yet. */
    private int aheadCalls;
    private boolean stopping;
    private boolean rescanRunning;
    private Instant rescanAt;
    private long seq;

    Scheduler(EngineConfig config) {
        this.config = config;
        this.clock = config.clock();
    }

    // ---- bookkeeping (lock held) -----------------------------------------------------------------------------------

    long nextSeq() {
        return ++seq;
    }

    long currentSeq() {
        return seq;
    }

    void makeReady(FolderTask t) {
        if (t.retired || t.state == FolderTask.State.READY || t.state == FolderTask.State.RUNNING) {
            return;
        }
        t.state = FolderTask.State.READY;
        queueOf(t).addLast(t);
        if (t.mailbox.runnable()) {
            ready.add(t.mailbox);
        }
        changed.signalAll();
    }

    void makeWaiting(FolderTask t, Instant at) {
        if (t.retired) {
            return;
        }
        if (t.state == FolderTask.State.READY) {
            queueOf(t).remove(t);
        }
        t.state = FolderTask.State.WAITING;
        t.dueAt = at;
        t.wakeSeq = nextSeq();
        wakes.add(new Wake(at, t.wakeSeq, t));
    }

    void makeDormant(FolderTask t) {
        if (t.state == FolderTask.State.READY) {
            queueOf(t).remove(t);
        }
        if (t.state != FolderTask.State.RUNNING) {
            t.state = FolderTask.State.DORMANT;
        }
    }

    /** Lock held. Whether a step of the mailbox is running now. */
    boolean anyRunning(MailboxState m) {
        for (FolderTask t : m.live.values()) {
            if (t.state == FolderTask.State.RUNNING) {
                return true;
            }
        }
        for (FolderTask t : m.backfill.values()) {
            if (t.state == FolderTask.State.RUNNING) {
                return true;
            }
        }
        return false;
    }

    /** Lock held. How many of the mailbox's call slots are held by pages fetched ahead whose request returned. */
    int returnedAheads(MailboxState m) {
        int n = 0;
        for (LiveTask t : m.live.values()) {
            Ahead ahead = t.ahead;
            if (ahead != null && ahead.slotHeld && ahead.returned()) {
                n++;
            }
        }
        return n;
    }

    void retire(FolderTask t) {
        makeDormant(t);
        t.retired = true;
        if (t instanceof LiveTask live && live.ahead != null && live.ahead.returned()) {
            releaseAhead(live, live.ahead);
        }
    }

    /** Puts a mailbox back in the walk after it became runnable again. */
    void requeue(MailboxState m) {
        if (m.runnable() && m.hasReady()) {
            ready.add(m);
            changed.signalAll();
        }
    }

    void requeueAll() {
        for (ConnectionState c : connections.values()) {
            for (MailboxState m : c.mailboxes.values()) {
                requeue(m);
            }
        }
    }

    private ArrayDeque<FolderTask> queueOf(FolderTask t) {
        return t.kind() == MessagePage.Kind.LIVE ? t.mailbox.liveReady : t.mailbox.backfillReady;
    }

    void processDue(Instant now) {
        Wake w;
        while ((w = wakes.peek()) != null && !w.at().isAfter(now)) {
            wakes.poll();
            FolderTask t = w.task();
            if (t.state == FolderTask.State.WAITING && t.wakeSeq == w.seq() && !t.retired) {
                t.state = FolderTask.State.DORMANT;
                makeReady(t);
            }
        }
    }

    Instant gateUntil(MailboxState m) {
        Instant g = m.fenceUntil;
        if (m.connection.fenceUntil.isAfter(g)) {
            g = m.connection.fenceUntil;
        }
        return appFenceUntil.isAfter(g) ? appFenceUntil : g;
    }

    /**
     * The next task to run at {@code now}, or {@code null}. With {@code dry} nothing is taken (but mailboxes that can
     * no longer run are dropped from the walk).
     */
    FolderTask pick(Instant now, boolean dry) {
        if (stopping) {
            return null;
        }
        Iterator<MailboxState> it = ready.iterator();
        while (it.hasNext()) {
            MailboxState m = it.next();
            if (!m.runnable() || !m.hasReady()) {
                it.remove();
                continue;
            }
            if (gateUntil(m).isAfter(now)) {
                continue;
            }
            FolderTask t = choose(m, now);
            if (t == null) {
                continue;
            }
            if (dry) {
                return t;
            }
            it.remove();
            queueOf(t).remove(t); // the first of its queue, or a live task whose next page was fetched ahead
            t.state = FolderTask.State.RUNNING;
            running++;
            if (t.kind() == MessagePage.Kind.BACKFILL) {
                backfillRunning++;
            }
            if (t.needsCall()) {
                t.slotHeld = true;
                occupySlot(m, t.kind() == MessagePage.Kind.LIVE, now);
            }
            if (m.hasReady()) {
                ready.add(m);
            }
            return t;
        }
        return null;
    }

    private FolderTask choose(MailboxState m, Instant now) {
        int limit = config.maxConcurrentPerMailbox();
        FolderTask live = m.liveReady.peekFirst();
        if (live != null && (!live.needsCall() || (m.inFlight < limit && m.budget.available(now, 0)))) {
            return live;
        }
        if (live != null) {
            // no slot for the first: a task whose next page was fetched ahead needs none and frees the one that page
            // holds (without this, pages fetched ahead holding every slot would wait behind a task needing one)
            for (FolderTask t : m.liveReady) {
                if (!t.needsCall()) {
                    return t;
                }
            }
        }
        FolderTask bf = m.backfillReady.peekFirst();
        if (bf == null || backfillRunning >= config.backfillWorkers()) {
            return null;
        }
        if (!bf.needsCall()) {
            return bf;
        }
        if (live != null) {
            return null; // live waits for a slot or the budget: backfill never overtakes it
        }
        int cap = limit > 1 ? limit - 1 : (m.liveInFlight > 0 ? 0 : 1);
        if (m.inFlight < cap && m.budget.available(now, config.liveReserve())) {
            return bf;
        }
        return null;
    }

    // ---- the worker protocol ---------------------------------------------------------------------------------------

    /** Blocks until a task is picked for the calling worker; {@code null} once the engine stops. */
    FolderTask take() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (!stopping) {
                Instant now = clock.instant();
                processDue(now);
                FolderTask t = pick(now, false);
                if (t != null) {
                    return t;
                }
                changed.await();
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Right before a call: re-checks that the task may still call now (the engine did not stop, the mailbox and its
     * connection still run, no fence went up since the pick). Releases the slot and returns {@code false} if not.
     */
    boolean beginCall(FolderTask t) {
        lock.lock();
        try {
            MailboxState m = t.mailbox;
            if (stopping || t.retired || !m.runnable() || gateUntil(m).isAfter(clock.instant())) {
                releaseSlot(t);
                return false;
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** After a call returned or failed: frees its slot. */
    void endCall(FolderTask t) {
        lock.lock();
        try {
            releaseSlot(t);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void releaseSlot(FolderTask t) {
        if (t.slotHeld) {
            t.slotHeld = false;
            vacateSlot(t.mailbox, t.kind() == MessagePage.Kind.LIVE);
        }
    }

    /** Lock held. One call of the mailbox goes in flight: a slot and one request of its budget. */
    private static void occupySlot(MailboxState m, boolean live, Instant now) {
        m.inFlight++;
        if (live) {
            m.liveInFlight++;
        }
        m.budget.consume(now);
    }

    /** Lock held. A call's slot is free again. */
    private static void vacateSlot(MailboxState m, boolean live) {
        m.inFlight--;
        if (live) {
            m.liveInFlight--;
        }
    }

    /**
     * Takes a call slot and one request of the budget for a live task's next page, fetched while its current page is
     * delivered and checkpointed. Only when the step could have made the call itself now and nothing else of the
     * mailbox waits for a slot: the engine is not stopping, the mailbox runs, no fence is up, no other live task of
     * the mailbox is ready, a slot is free and the budget has more than its live reserve left.
     */
    boolean reserveAhead(LiveTask t, Ahead ahead) {
        lock.lock();
        try {
            MailboxState m = t.mailbox;
            Instant now = clock.instant();
            if (stopping || t.retired || !m.runnable() || gateUntil(m).isAfter(now) || !m.liveReady.isEmpty()
                    || m.inFlight >= config.maxConcurrentPerMailbox()
                    || !m.budget.available(now, config.liveReserve())) {
                return false;
            }
            occupySlot(m, true, now);
            aheadCalls++;
            ahead.slotHeld = true;
            t.ahead = ahead;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The request of a page fetched ahead returned (its slot stays held until the page is taken or dropped). */
    void aheadReturned(LiveTask t, Ahead ahead) {
        lock.lock();
        try {
            aheadCalls--;
            if (t.retired || ahead.dropped) {
                releaseAhead(t, ahead); // nobody takes it any more
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The page fetched ahead was taken or dropped, or its task retired: frees its slot (once). */
    void releaseAhead(LiveTask t, Ahead ahead) {
        lock.lock();
        try {
            if (ahead.slotHeld) {
                ahead.slotHeld = false;
                vacateSlot(t.mailbox, true);
            }
            if (t.ahead == ahead) {
                t.ahead = null;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The step will not take the page fetched ahead (the folder's position moved elsewhere): its slot is freed now if
     * its request returned, else when it returns. Does not wait.
     */
    void dropAhead(LiveTask t, Ahead ahead) {
        lock.lock();
        try {
            ahead.dropped = true;
            if (t.ahead == ahead) {
                t.ahead = null;
            }
            if (ahead.returned()) {
                releaseAhead(t, ahead);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether a page fetched ahead may still be used: the engine runs, the task is not retired, the mailbox runs. */
    boolean mayTake(FolderTask t) {
        lock.lock();
        try {
            return !stopping && !t.retired && t.mailbox.runnable();
        } finally {
            lock.unlock();
        }
    }

    /** A step ended: applies its outcome. */
    void finish(FolderTask t, Outcome outcome) {
        lock.lock();
        try {
            releaseSlot(t);
            running--;
            if (t.kind() == MessagePage.Kind.BACKFILL) {
                backfillRunning--;
            }
            t.state = FolderTask.State.DORMANT;
            if (!t.retired) {
                switch (outcome.kind()) {
                    case READY -> makeReady(t);
                    case WAIT -> makeWaiting(t, outcome.at());
                    case POLL -> {
                        if (t.rerun) {
                            t.rerun = false;
                            makeReady(t);
                        } else {
                            makeWaiting(t, outcome.at());
                        }
                    }
                    case DORMANT -> {
                    }
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** {@code syncNow}: the mailbox's live tasks run at once, or once more right after the round in progress. */
    void syncNow(MailboxState m) {
        for (LiveTask t : m.live.values()) {
            switch (t.state) {
                case WAITING, DORMANT -> makeReady(t);
                case RUNNING -> t.rerun = true;
                case READY -> {
                }
            }
        }
    }

    // ---- timer, idle, stop -----------------------------------------------------------------------------------------

    /** One timer tick: moves due tasks, wakes workers if anything can run; returns whether a store read is due. */
    boolean tick() {
        lock.lock();
        try {
            if (stopping) {
                return false;
            }
            Instant now = clock.instant();
            processDue(now);
            if (pick(now, true) != null) {
                changed.signalAll();
            }
            if (rescanAt != null && !rescanRunning && !now.isBefore(rescanAt)) {
                rescanRunning = true;
                rescanAt = now.plus(config.pollInterval());
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    void rescanDone() {
        lock.lock();
        try {
            rescanRunning = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The next store read happens at {@code at} (now, to ask for one at the next tick). */
    void scheduleRescan(Instant at) {
        lock.lock();
        try {
            if (rescanAt == null || at.isBefore(rescanAt)) {
                rescanAt = at;
            }
            timerWake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits one timer period (real time) or until woken. */
    void timerPause(Duration resolution) throws InterruptedException {
        lock.lock();
        try {
            if (!stopping) {
                timerWake.awaitNanos(resolution.toNanos());
            }
        } finally {
            lock.unlock();
        }
    }

    /** A control operation or store read outside the timer is in progress; the engine is not idle meanwhile. */
    void busy(boolean enter) {
        lock.lock();
        try {
            busy += enter ? 1 : -1;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long step = config.timerResolution().toNanos();
        lock.lockInterruptibly();
        try {
            while (true) {
                if (isIdle(clock.instant())) {
                    return true;
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                changed.awaitNanos(Math.min(remaining, step));
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean isIdle(Instant now) {
        if (stopping) {
            return running == 0 && aheadCalls == 0;
        }
        processDue(now);
        if (pick(now, true) != null) {
            changed.signalAll();
            return false;
        }
        return running == 0 && aheadCalls == 0 && busy == 0 && !rescanRunning
                && (rescanAt == null || now.isBefore(rescanAt));
    }

    void stop() {
        lock.lock();
        try {
            stopping = true;
            changed.signalAll();
            timerWake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean isStopping() {
        lock.lock();
        try {
            return stopping;
        } finally {
            lock.unlock();
        }
    }

    /** Waits (real time) until no step runs. */
    boolean awaitNoneRunning(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (running > 0 || aheadCalls > 0) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                changed.awaitNanos(remaining);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
