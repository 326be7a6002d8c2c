package com.tekst.outlook.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tekst.outlook.Connection;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionType;
import com.tekst.outlook.ErrorDetails;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.StoreInUseException;
import com.tekst.outlook.TenantId;
import com.tekst.outlook.ThrottledException;
import com.tekst.outlook.mailbox.FolderRef;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.mailbox.MailboxType;
import com.tekst.outlook.store.FolderCheckpoint;
import com.tekst.outlook.store.FolderKey;
import com.tekst.outlook.store.JdbcOutlookStore;
import com.tekst.outlook.store.MailboxLease;
import com.tekst.outlook.store.MailboxRecord;
import com.tekst.outlook.store.PostgresTestDatabase;
import com.tekst.outlook.store.WorkerLeases;
import com.tekst.outlook.sync.support.FakeGraph;
import com.tekst.outlook.sync.support.RecordingSink;
import com.tekst.outlook.sync.support.SyncFixture;
import com.tekst.outlook.sync.support.TestClock;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Several {@link SyncEngine}s on one PostgreSQL store, each with a store object of its own as separate pods have (one
 * fake Graph, one fake clock for mail time; leases run on the database's real time): every mailbox is worked on by
 * one engine, the shares even out, a stopped or frozen engine's mailboxes move to the others, a frozen engine's late
 * writes are refused, control calls reach the owner from any engine, a {@code Retry-After} outlives a takeover. And
 * the single-engine SQLite store refuses a second engine.
 */
class SharedStoreEnginesTest {
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final Duration RENEWAL = Duration.ofMillis(500);
    private static final Duration POLL = Duration.ofMinutes(1);
    private static final Instant CONNECTED_AT = SyncFixture.CONNECTED_AT;
    private static final ConnectionId CONN = ConnectionId.of("shared-1");

    private final TestClock clock = new TestClock(CONNECTED_AT.plus(Duration.ofMinutes(5)));
    private final FakeGraph graph = new FakeGraph(clock);
    private final List<SyncEngine> engines = new ArrayList<>();
    private final List<JdbcOutlookStore> stores = new ArrayList<>();
    private String serverUrl;
    private String schema;
    private String url;

    @BeforeEach
    void database() throws SQLException {
        serverUrl = PostgresTestDatabase.serverUrl();
        schema = PostgresTestDatabase.createSchema(serverUrl);
        url = PostgresTestDatabase.urlFor(serverUrl, schema);
    }

    @AfterEach
    void cleanUp() throws Exception {
        graph.release();
        for (SyncEngine e : engines) {
            e.stopNow();
        }
        for (SyncEngine e : engines) {
            e.awaitIdle(Duration.ofSeconds(5));
        }
        for (JdbcOutlookStore s : stores) {
            s.close();
        }
        if (schema != null) {
            PostgresTestDatabase.dropSchema(serverUrl, schema);
        }
    }

    // ---- the world -------------------------------------------------------------------------------------------------

    private JdbcOutlookStore pod() {
        return register(JdbcOutlookStore.builder().jdbcUrl(url).build());
    }

    private JdbcOutlookStore register(JdbcOutlookStore store) {
        stores.add(store);
        return store;
    }

    private List<MailboxId> mailboxes(JdbcOutlookStore store, int count, int messagesEach) {
        Connection c = Connection.pending(CONN, ConnectionType.ORGANIZATION_WIDE, CONNECTED_AT.minus(Duration.ofHours(1)))
                .connectedTo(TenantId.of(SyncFixture.guid(1)), CONNECTED_AT);
        store.saveConnection(c);
        List<MailboxId> ids = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            MailboxId id = MailboxId.of(SyncFixture.guid(1000 + n));
            store.saveMailbox(new MailboxRecord(CONN, id, MailboxAddress.of("user" + n + "@contoso.example"),
                    "User " + n, MailboxType.USER, List.of(new FolderRef("inbox", "Inbox")), MailboxStatus.PENDING,
                    null, "", CONNECTED_AT));
            graph.addMailbox(id, "inbox");
            if (messagesEach > 0) {
                graph.deliver(id, "inbox", messagesEach, CONNECTED_AT.plus(Duration.ofMinutes(1)),
                        Duration.ofSeconds(1));
            }
            ids.add(id);
        }
        return ids;
    }

    private SyncEngine engine(JdbcOutlookStore store, RecordingSink sink) {
        SyncEngine e = SyncEngine.builder().store(store).source(graph).sink(sink).clock(clock).threads(4)
                .pollInterval(POLL).timerResolution(Duration.ofMillis(5)).random(new Random(7))
                .leases(LEASE, RENEWAL).build();
        engines.add(e);
        return e;
    }

    private static Map<String, Integer> holdings(WorkerLeases leases) {
        Map<String, Integer> byWorker = new HashMap<>();
        for (MailboxLease lease : leases.listLeases()) {
            byWorker.merge(lease.workerId(), 1, Integer::sum);
        }
        return byWorker;
    }

    private static Map<MailboxId, Set<String>> delivered(RecordingSink sink) {
        Map<MailboxId, Set<String>> out = new HashMap<>();
        for (RecordingSink.Received r : sink.received()) {
            if (r.acknowledged()) {
                r.page().messages().forEach(m -> out.computeIfAbsent(r.page().mailboxId(), k -> new HashSet<>())
                        .add(m.id()));
            }
        }
        return out;
    }

    private static int messagesDelivered(RecordingSink sink) {
        return sink.received().stream().filter(RecordingSink.Received::acknowledged)
                .mapToInt(r -> r.page().messages().size()).sum();
    }

    private static boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    // ---- tests -----------------------------------------------------------------------------------------------------

    @Test
    void threeEnginesShareTheMailboxesAndEachMailboxIsSyncedByItsOwnerOnly() throws Exception {
        JdbcOutlookStore admin = pod();
        List<MailboxId> ids = mailboxes(admin, 12, 25);
        WorkerLeases leases = admin.workerLeases().orElseThrow();
        List<RecordingSink> sinks = List.of(new RecordingSink(), new RecordingSink(), new RecordingSink());
        for (RecordingSink sink : sinks) {
            engine(pod(), sink).start();
        }
        long started = System.nanoTime();

        assertThat(await(() -> holdings(leases).size() == 3
                && holdings(leases).values().stream().allMatch(n -> n == 4), LEASE.multipliedBy(2)))
                .as("within two lease periods every engine holds its fair share (4 of 12): %s", holdings(leases))
                .isTrue();
        Duration rebalanced = Duration.ofNanos(System.nanoTime() - started);
        assertThat(await(() -> sinks.stream().mapToInt(SharedStoreEnginesTest::messagesDelivered).sum() >= 300,
                Duration.ofSeconds(20))).isTrue();
        Thread.sleep(RENEWAL.toMillis() * 2); // let any late duplicate show
        // every message exactly once: a mailbox moved while idle, after its page was acknowledged
        assertThat(sinks.stream().mapToInt(SharedStoreEnginesTest::messagesDelivered).sum())
                .as("messages delivered in all (rebalanced after %s)", rebalanced).isEqualTo(300);

        // new mail: each mailbox's owner, and only its owner, syncs it
        Map<MailboxId, String> fresh = new HashMap<>();
        for (MailboxId id : ids) {
            fresh.put(id, graph.deliver(id, "inbox", 1, clock.instant(), Duration.ofSeconds(1)).get(0));
        }
        List<Map<MailboxId, Set<String>>> before = sinks.stream().map(SharedStoreEnginesTest::delivered).toList();
        clock.advance(POLL);
        assertThat(await(() -> fresh.entrySet().stream().allMatch(e -> sinks.stream()
                .anyMatch(s -> delivered(s).getOrDefault(e.getKey(), Set.of()).contains(e.getValue()))),
                Duration.ofSeconds(20))).as("every new message reached a sink").isTrue();
        List<Integer> perEngine = new ArrayList<>();
        for (int k = 0; k < sinks.size(); k++) {
            Map<MailboxId, Set<String>> now = delivered(sinks.get(k));
            int mailboxesSynced = 0;
            for (MailboxId id : ids) {
                if (now.getOrDefault(id, Set.of()).size() > before.get(k).getOrDefault(id, Set.of()).size()) {
                    mailboxesSynced++;
                }
            }
            perEngine.add(mailboxesSynced);
        }
        assertThat(perEngine).as("mailboxes synced by each engine in the round").containsExactly(4, 4, 4);
        assertThat(sinks.stream().mapToInt(SharedStoreEnginesTest::messagesDelivered).sum())
                .as("each new message delivered once").isEqualTo(312);
    }

    @Test
    void aStoppedEnginesMailboxesMoveToTheOtherAtOnce() throws Exception {
        JdbcOutlookStore admin = pod();
        List<MailboxId> ids = mailboxes(admin, 8, 10);
        WorkerLeases leases = admin.workerLeases().orElseThrow();
        RecordingSink a = new RecordingSink();
        RecordingSink b = new RecordingSink();
        SyncEngine first = engine(pod(), a);
        first.start();
        SyncEngine second = engine(pod(), b);
        second.start();
        assertThat(await(() -> holdings(leases).values().stream().sorted().toList().equals(List.of(4, 4)),
                LEASE.multipliedBy(2))).as("4 and 4: %s", holdings(leases)).isTrue();
        assertThat(await(() -> messagesDelivered(a) + messagesDelivered(b) == 80, Duration.ofSeconds(20))).isTrue();

        assertThat(first.stop(Duration.ofSeconds(5))).isTrue();
        assertThat(await(() -> holdings(leases).values().stream().toList().equals(List.of(8)),
                RENEWAL.multipliedBy(4))).as("the other engine claims the released mailboxes at its next heartbeat: %s",
                holdings(leases)).isTrue();
        assertThat(second.awaitIdle(Duration.ofSeconds(10))).as("the taken-over mailboxes' first rounds ran").isTrue();
        int aBefore = messagesDelivered(a);
        for (MailboxId id : ids) {
            graph.deliver(id, "inbox", 1, clock.instant(), Duration.ofSeconds(1));
        }
        clock.advance(POLL);
        assertThat(await(() -> delivered(b).values().stream().mapToInt(Set::size).sum()
                + delivered(a).values().stream().mapToInt(Set::size).sum() == 88, Duration.ofSeconds(20))).isTrue();
        assertThat(messagesDelivered(a)).as("the stopped engine delivered nothing more").isEqualTo(aBefore);
        for (MailboxId id : ids) {
            assertThat(delivered(b).getOrDefault(id, Set.of())).as("new mail of %s synced by the remaining engine", id)
                    .isNotEmpty();
        }
    }

    @Test
    void aMailboxHandedBackToAnEngineThatHeldItBeforeSyncsThereAgain() throws Exception {
        JdbcOutlookStore admin = pod();
        List<MailboxId> ids = mailboxes(admin, 2, 5);
        WorkerLeases leases = admin.workerLeases().orElseThrow();
        RecordingSink a = new RecordingSink();
        SyncEngine first = engine(pod(), a);
        first.start();
        assertThat(await(() -> messagesDelivered(a) == 10, Duration.ofSeconds(10))).isTrue();
        SyncEngine second = engine(pod(), new RecordingSink());
        second.start();
        assertThat(await(() -> holdings(leases).values().stream().toList().equals(List.of(1, 1)),
                LEASE.multipliedBy(2))).as("the first engine handed one mailbox to the second").isTrue();
        assertThat(second.stop(Duration.ofSeconds(5))).isTrue();
        assertThat(await(() -> holdings(leases).values().stream().toList().equals(List.of(2)),
                RENEWAL.multipliedBy(4))).as("and got it back").isTrue();
        assertThat(first.awaitIdle(Duration.ofSeconds(10))).isTrue();

        List<String> fresh = new ArrayList<>();
        for (MailboxId id : ids) {
            fresh.add(graph.deliver(id, "inbox", 1, clock.instant(), Duration.ofSeconds(1)).get(0));
        }
        clock.advance(POLL);
        assertThat(await(() -> delivered(a).values().stream().anyMatch(s -> s.contains(fresh.get(0)))
                && delivered(a).values().stream().anyMatch(s -> s.contains(fresh.get(1))), Duration.ofSeconds(10)))
                .as("both mailboxes sync on the first engine again: %s", delivered(a)).isTrue();
    }

    /**
     * The fencing case: an engine whose heartbeat cannot reach the database while its worker is stuck in a slow sink
     * (a partition, a pause) loses the lease by database time; another engine takes the mailbox over and fetches the
     * same first page. The stuck worker comes back first, still believing it holds the lease, and acknowledges its
     * page over the same checkpoint version the new owner started from: only the epoch tells the two apart, and the
     * database refuses the write. The new owner then acknowledges its page; nothing is lost.
     */
    @Test
    void aFrozenEnginesLateWritesAreRefusedAndTheNewOwnerLosesNothing() throws Exception {
        JdbcOutlookStore admin = pod();
        MailboxId x = mailboxes(admin, 1, 30).get(0);
        WorkerLeases leases = admin.workerLeases().orElseThrow();
        FolderKey inbox = new FolderKey(CONN, x, "inbox");
        FreezableDataSource frozenDb = new FreezableDataSource(url);
        RecordingSink slow = new RecordingSink();
        CountDownLatch inSlow = new CountDownLatch(1);
        CountDownLatch letSlowGo = new CountDownLatch(1);
        slow.behave((page, n) -> {
            inSlow.countDown();
            letSlowGo.await();
        });
        SyncEngine frozen = engine(register(JdbcOutlookStore.builder().dataSource(frozenDb).build()), slow);
        frozen.start();
        assertThat(inSlow.await(20, TimeUnit.SECONDS)).as("the first page reached the slow sink").isTrue();
        long firstEpoch = leases.listLeases().get(0).epoch();
        MailboxRecord before = admin.findMailbox(CONN, x).orElseThrow();
        frozenDb.freeze(thread -> thread.getName().startsWith("tekst-sync-timer"));
        long frozenAt = System.nanoTime();

        RecordingSink healthy = new RecordingSink();
        CountDownLatch inHealthy = new CountDownLatch(1);
        CountDownLatch letHealthyGo = new CountDownLatch(1);
        healthy.behave((page, n) -> {
            inHealthy.countDown();
            letHealthyGo.await();
        });
        engine(pod(), healthy).start();
        assertThat(inHealthy.await(LEASE.multipliedBy(4).toSeconds(), TimeUnit.SECONDS))
                .as("the other engine took the mailbox over once the lease expired").isTrue();
        Duration takeover = Duration.ofNanos(System.nanoTime() - frozenAt);
        MailboxLease taken = leases.listLeases().get(0);
        assertThat(taken.epoch()).as("a new grant, a higher epoch").isGreaterThan(firstEpoch);
        assertThat(admin.findCheckpoint(inbox)).as("nothing acknowledged yet").isEmpty();

        letSlowGo.countDown(); // the stuck worker returns and acknowledges its page, still believing it holds X
        assertThat(frozen.awaitIdle(Duration.ofSeconds(10))).isTrue();
        Thread.sleep(200);
        assertThat(admin.findCheckpoint(inbox)).as("the old holder's checkpoint write was refused").isEmpty();
        assertThat(admin.findMailbox(CONN, x).orElseThrow().status()).as("and its status write")
                .isEqualTo(before.status());
        assertThat(slow.received()).as("the stuck page reached its sink, never acknowledged in the store").hasSize(1);

        letHealthyGo.countDown();
        assertThat(await(() -> admin.findCheckpoint(inbox).flatMap(FolderCheckpoint::deltaLink).isPresent(),
                Duration.ofSeconds(10))).as("the new owner acknowledged its page and ended the round").isTrue();
        assertThat(delivered(healthy).get(x)).as("nothing lost").hasSize(30);

        frozenDb.thaw();
        Thread.sleep(RENEWAL.toMillis() * 4);
        assertThat(leases.listLeases()).extracting(MailboxLease::workerId, MailboxLease::epoch)
                .as("the mailbox stays with its new owner (taken over %s after the freeze)", takeover)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(taken.workerId(), taken.epoch()));
        assertThat(slow.received()).as("the old engine does no more work on the mailbox").hasSize(1);
    }

    @Test
    void controlCallsMadeOnAnyEngineReachTheOwner() throws Exception {
        JdbcOutlookStore admin = pod();
        List<MailboxId> ids = mailboxes(admin, 2, 5);
        WorkerLeases leases = admin.workerLeases().orElseThrow();
        RecordingSink a = new RecordingSink();
        RecordingSink b = new RecordingSink();
        SyncEngine ea = engine(pod(), a);
        SyncEngine eb = engine(pod(), b);
        ea.start();
        assertThat(await(() -> messagesDelivered(a) == 10, Duration.ofSeconds(10))).isTrue();
        String workerA = leases.listLeases().get(0).workerId(); // the only worker yet holds both
        eb.start();
        assertThat(await(() -> holdings(leases).values().stream().toList().equals(List.of(1, 1)),
                LEASE.multipliedBy(2))).isTrue();
        assertThat(eb.awaitIdle(Duration.ofSeconds(10))).isTrue();
        MailboxId ofA = leases.listLeases().stream().filter(l -> l.workerId().equals(workerA)).findFirst()
                .orElseThrow().mailboxId();
        MailboxId ofB = ofA.equals(ids.get(0)) ? ids.get(1) : ids.get(0);

        // sync now, asked of the engine that does not own the mailbox: the owner runs a round without waiting
        String first = graph.deliver(ofA, "inbox", 1, clock.instant(), Duration.ofSeconds(1)).get(0);
        eb.syncNow(CONN, ofA);
        assertThat(await(() -> delivered(a).get(ofA).contains(first), RENEWAL.multipliedBy(6)))
                .as("the owner ran the round at its next heartbeat").isTrue();

        // pause on the other engine: the owner stops syncing the mailbox
        eb.pause(CONN, ofA);
        assertThat(admin.findMailbox(CONN, ofA).orElseThrow().status()).isEqualTo(MailboxStatus.PAUSED);
        Thread.sleep(RENEWAL.toMillis() * 3);
        String second = graph.deliver(ofA, "inbox", 1, clock.instant(), Duration.ofSeconds(1)).get(0);
        clock.advance(POLL);
        assertThat(ea.awaitIdle(Duration.ofSeconds(10))).isTrue();
        Thread.sleep(RENEWAL.toMillis() * 3);
        assertThat(delivered(a).get(ofA)).as("paused: not synced").doesNotContain(second);
        assertThat(admin.findMailbox(CONN, ofA).orElseThrow().status()).isEqualTo(MailboxStatus.PAUSED);

        // resume on the other engine: the owner syncs it again
        eb.resume(CONN, ofA);
        assertThat(await(() -> delivered(a).get(ofA).contains(second), RENEWAL.multipliedBy(8)))
                .as("resumed by the owner").isTrue();
        assertThat(delivered(b)).as("the engine the calls were made on never synced that mailbox")
                .doesNotContainKey(ofA);
        assertThat(ofB).isNotEqualTo(ofA);
    }

    @Test
    void aRetryAfterMetByTheOldOwnerHoldsForTheNewOne() throws Exception {
        JdbcOutlookStore admin = pod();
        MailboxId x = mailboxes(admin, 1, 3).get(0);
        WorkerLeases leases = admin.workerLeases().orElseThrow();
        RecordingSink a = new RecordingSink();
        graph.failNext(x, () -> new ThrottledException(ThrottledException.Scope.MAILBOX_BUDGET, Duration.ofSeconds(90),
                "Too many requests", ErrorDetails.NONE.withHttpStatus(429), null));
        SyncEngine first = engine(pod(), a);
        first.start();
        assertThat(await(() -> leases.listLeases().size() == 1 && leases.listLeases().get(0).fence().isPresent(),
                Duration.ofSeconds(10))).as("the Retry-After is recorded with the lease").isTrue();
        Instant fence = leases.listLeases().get(0).fence().orElseThrow();
        assertThat(fence).isEqualTo(clock.instant().plusSeconds(90));
        assertThat(first.stop(Duration.ofSeconds(5))).isTrue();
        int callsBefore = graph.calls(x).size();

        RecordingSink b = new RecordingSink();
        SyncEngine second = engine(pod(), b);
        second.start();
        assertThat(await(() -> !leases.listLeases().isEmpty(), RENEWAL.multipliedBy(4))).isTrue();
        clock.advance(Duration.ofSeconds(60));
        assertThat(second.awaitIdle(Duration.ofSeconds(10))).isTrue();
        Thread.sleep(RENEWAL.toMillis() * 2);
        assertThat(graph.calls(x)).as("no call before the Retry-After, by the new owner either").hasSize(callsBefore);
        clock.advance(Duration.ofSeconds(31));
        assertThat(await(() -> delivered(b).getOrDefault(x, Set.of()).size() == 3, Duration.ofSeconds(10)))
                .as("synced once the Retry-After elapsed").isTrue();
        assertThat(graph.calls(x).get(callsBefore).at()).isAfterOrEqualTo(fence);
    }

    @Test
    void aSecondEngineOnOneSqliteFileIsRefusedNamingTheFileAndTheHolder(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tekst.db");
        JdbcOutlookStore one = register(JdbcOutlookStore.builder().jdbcUrl("jdbc:sqlite:" + file).build());
        JdbcOutlookStore two = register(JdbcOutlookStore.builder().jdbcUrl("jdbc:sqlite:" + file).build());
        SyncEngine running = engine(one, new RecordingSink());
        running.start();
        SyncEngine second = engine(two, new RecordingSink());
        assertThatThrownBy(second::start).isInstanceOf(StoreInUseException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("pid " + ProcessHandle.current().pid());
        assertThat(running.stop(Duration.ofSeconds(5))).isTrue();
        SyncEngine next = engine(two, new RecordingSink());
        next.start(); // the stop released the file
        assertThat(next.stop(Duration.ofSeconds(5))).isTrue();
        assertThat(Files.exists(file)).isTrue();
    }

    /**
     * A data source whose connections can be withheld from chosen threads, as a network partition or a pause would:
     * those threads wait in {@code getConnection} until thawed.
     */
    private static final class FreezableDataSource implements DataSource {
        private final PGSimpleDataSource delegate = new PGSimpleDataSource();
        private volatile Predicate<Thread> frozen = t -> false;
        private volatile CountDownLatch thawed = new CountDownLatch(0);

        FreezableDataSource(String url) {
            delegate.setURL(url);
        }

        void freeze(Predicate<Thread> which) {
            thawed = new CountDownLatch(1);
            frozen = which;
        }

        void thaw() {
            frozen = t -> false;
            thawed.countDown();
        }

        @Override
        public java.sql.Connection getConnection() throws SQLException {
            if (frozen.test(Thread.currentThread())) {
                try {
                    thawed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted while partitioned", e);
                }
            }
            return delegate.getConnection();
        }

        @Override
        public java.sql.Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
