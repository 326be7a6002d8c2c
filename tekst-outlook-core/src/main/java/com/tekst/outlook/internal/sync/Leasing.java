package com.tekst.outlook.internal.sync;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.LeaseLostException;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.store.EngineLock;
import com.tekst.outlook.store.LeaseState;
import com.tekst.outlook.store.MailboxLease;
import com.tekst.outlook.store.OutlookStore;
import com.tekst.outlook.store.WorkerLeases;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's side of a store's single-engine lock or mailbox leases (docs/design/015). On a store that grants
 * leases, the engine works only on the mailboxes it holds: a heartbeat every renewal interval (real time) renews them
 * and claims or sheds mailboxes towards the fair share; every checkpoint, cursor and status write of a mailbox carries
 * its lease. On a store that does not, the engine takes the store's single-engine lock for as long as it runs.
 *
 * <p>The held map is read by any thread; heartbeats run on the timer thread only.
 */
final class Leasing {
    private static final Logger LOG = LoggerFactory.getLogger(Leasing.class);
    /** After a failed heartbeat, the next try comes this soon (or at the renewal, if sooner). */
    private static final Duration RETRY = Duration.ofSeconds(1);

    /** A mailbox of a connection. */
    record Key(ConnectionId connection, MailboxId mailboxId) {
    }

    /** What one heartbeat changed. */
    record Change(List<Key> granted, List<Key> lost, List<Key> signalled, int excess, int fairShare) {
        boolean any() {
            return !granted.isEmpty() || !lost.isEmpty() || !signalled.isEmpty() || excess > 0;
        }
    }

    private final OutlookStore store;
    private final WorkerLeases leases;
    private final Duration duration;
    private final Duration renewal;
    private final Map<Key, MailboxLease> held = new ConcurrentHashMap<>();
    private final Map<Key, Long> signalsSeen = new HashMap<>();
    private volatile String workerId;
    private EngineLock engineLock = EngineLock.NONE;
    private long lastSuccess;
    private volatile long nextDue;
    private volatile int fairShare = Integer.MAX_VALUE;
    private volatile int storeMailboxes;

    Leasing(OutlookStore store, Duration duration, Duration renewal) {
        this.store = store;
        this.leases = store.workerLeases().orElse(null);
        this.duration = duration;
        this.renewal = renewal;
    }

    /** Whether the engine works on leased mailboxes only. */
    boolean enabled() {
        return leases != null;
    }

    /** The worker id, once registered; for logs and operators. */
    Optional<String> workerId() {
        return Optional.ofNullable(workerId);
    }

    /**
     * Takes the single-engine lock or registers the worker and runs the first heartbeat.
     *
     * @throws com.tekst.outlook.StoreInUseException if another engine holds a single-engine store
     */
    Change start() {
        String description = describe();
        if (leases == null) {
            engineLock = store.lockSingleEngine(description);
            return new Change(List.of(), List.of(), List.of(), 0, Integer.MAX_VALUE);
        }
        workerId = leases.register(description, duration);
        LOG.info("sync worker {} registered ({}); lease {}, renewal every {}", workerId, description, duration,
                renewal);
        return heartbeat();
    }

    /** Whether a heartbeat is due (real time). */
    boolean due() {
        return leases != null && workerId != null && System.nanoTime() - nextDue >= 0;
    }

    /** Asks for a heartbeat at the timer's next turn (a lease was lost, or work may be unclaimed). */
    void soon() {
        nextDue = System.nanoTime();
    }

    /**
     * One heartbeat: renews, claims up to the fair share, and says what changed. A failed heartbeat is retried soon;
     * once no heartbeat succeeded for the lease duration, every lease counts as lost (the database may have given
     * them to others meanwhile).
     */
    Change heartbeat() {
        long started = System.nanoTime();
        LeaseState state;
        try {
            state = leases.heartbeat(workerId, duration);
        } catch (RuntimeException e) {
            nextDue = started + Math.min(renewal.toNanos(), RETRY.toNanos());
            if (lastSuccess != 0 && started - lastSuccess < duration.toNanos()) {
                LOG.warn("lease heartbeat of worker {} failed ({}); trying again", workerId, e.getClass().getName(),
                        e);
                return new Change(List.of(), List.of(), List.of(), 0, fairShare);
            }
            List<Key> lost = new ArrayList<>(held.keySet());
            held.clear();
            if (!lost.isEmpty()) {
                LOG.warn("no lease heartbeat of worker {} succeeded for {}: giving up its {} mailbox(es) ({})",
                        workerId, duration, lost.size(), e.getClass().getName(), e);
            }
            return new Change(List.of(), lost, List.of(), 0, fairShare);
        }
        lastSuccess = started;
        nextDue = started + renewal.toNanos();
        fairShare = state.fairShare();
        storeMailboxes = state.mailboxes();
        Map<Key, MailboxLease> now = new HashMap<>();
        for (MailboxLease lease : state.held()) {
            now.put(new Key(lease.connection(), lease.mailboxId()), lease);
        }
        List<Key> granted = new ArrayList<>();
        List<Key> signalled = new ArrayList<>();
        for (Map.Entry<Key, MailboxLease> e : now.entrySet()) {
            MailboxLease before = held.get(e.getKey());
            long signals = e.getValue().signals();
            if (before == null || before.epoch() != e.getValue().epoch()) {
                granted.add(e.getKey());
            } else if (signals != signalsSeen.getOrDefault(e.getKey(), signals)) {
                signalled.add(e.getKey());
            }
            signalsSeen.put(e.getKey(), signals);
        }
        List<Key> lost = new ArrayList<>();
        for (Key key : held.keySet()) {
            if (!now.containsKey(key)) {
                lost.add(key);
            }
        }
        signalsSeen.keySet().retainAll(now.keySet());
        held.keySet().retainAll(now.keySet());
        held.putAll(now);
        if (!granted.isEmpty() || !lost.isEmpty()) {
            LOG.info("worker {} holds {} mailbox(es) (fair share {} of {} on {} worker(s)): {} granted, {} lost",
                    workerId, now.size(), state.fairShare(), state.mailboxes(), state.liveWorkers(), granted.size(),
                    lost.size());
        }
        return new Change(granted, lost, signalled, state.excess(), state.fairShare());
    }

    /** Whether the engine may work on the mailbox: always without leases, else while it holds the lease. */
    boolean mayWork(ConnectionId connection, MailboxId mailboxId) {
        return leases == null || held.containsKey(new Key(connection, mailboxId));
    }

    /**
     * The lease to fence a write of the mailbox with: {@code null} without leases.
     *
     * @throws LeaseLostException if leases are on and the engine does not hold this mailbox's
     */
    MailboxLease fenceFor(ConnectionId connection, MailboxId mailboxId) {
        if (leases == null) {
            return null;
        }
        MailboxLease lease = held.get(new Key(connection, mailboxId));
        if (lease == null) {
            throw new LeaseLostException(connection, mailboxId, 0);
        }
        return lease;
    }

    /** The {@code Retry-After} fence granted with the mailbox's lease, if any. */
    Instant grantedFence(ConnectionId connection, MailboxId mailboxId) {
        MailboxLease lease = held.get(new Key(connection, mailboxId));
        return lease == null ? null : lease.fenceUntil();
    }

    /** Whether the store may hold mailboxes nobody has claimed that this worker has room for. */
    boolean roomForMore() {
        return leases != null && held.size() < Math.min(fairShare, storeMailboxes);
    }

    /**
     * Records a {@code Retry-After} with the lease, for the mailbox's next owner.
     *
     * @throws LeaseLostException if the lease is no longer held
     */
    void recordFence(ConnectionId connection, MailboxId mailboxId, Instant until) {
        if (leases != null) {
            leases.recordFence(fenceFor(connection, mailboxId), until);
        }
    }

    /** Forgets a lease the store refused (a fenced write failed). */
    void forget(ConnectionId connection, MailboxId mailboxId) {
        held.remove(new Key(connection, mailboxId));
    }

    /** Gives the mailboxes up (shedding above the fair share); their work was already dropped. */
    void release(Collection<Key> keys) {
        List<MailboxLease> give = new ArrayList<>();
        for (Key key : keys) {
            MailboxLease lease = held.remove(key);
            if (lease != null) {
                give.add(lease);
            }
        }
        if (!give.isEmpty()) {
            leases.release(workerId, give);
            LOG.info("worker {} gave up {} mailbox(es) above its fair share of {}", workerId, give.size(), fairShare);
        }
    }

    /** Ends the registration (releasing every lease) or the single-engine lock. Never throws. */
    void stop() {
        try {
            if (leases != null && workerId != null) {
                held.clear();
                leases.deregister(workerId);
                LOG.info("sync worker {} deregistered; its mailboxes are free for the others", workerId);
            }
        } catch (RuntimeException e) {
            LOG.warn("deregistering sync worker {} failed ({}); its leases expire after {}", workerId,
                    e.getClass().getName(), duration, e);
        } finally {
            engineLock.close();
        }
    }

    /** The keys held now, for shedding. */
    Set<Key> heldKeys() {
        return new HashSet<>(held.keySet());
    }

    private static String describe() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException | RuntimeException e) {
            host = "unknown host";
        }
        return "sync engine, pid " + ProcessHandle.current().pid() + " on " + host;
    }
}
