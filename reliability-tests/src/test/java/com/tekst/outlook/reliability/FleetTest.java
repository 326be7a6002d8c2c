package com.tekst.outlook.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.store.BackfillCursor;
import com.tekst.outlook.store.JdbcOutlookStore;
import com.tekst.outlook.store.MailboxLease;
import com.tekst.outlook.store.WorkerLeases;
import com.tekst.outlook.testkit.FakeClock;
import com.tekst.outlook.testkit.FakeMailbox;
import com.tekst.outlook.testkit.FakeMessage;
import com.tekst.outlook.testkit.FakeMicrosoftCloud;
import com.tekst.outlook.testkit.FakeTenant;
import com.tekst.outlook.testkit.Fault;
import com.tekst.outlook.testkit.Faults;
import com.tekst.outlook.testkit.TenantGenerator;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several engines, each in a child JVM ({@link SoakChild}, leases of 2 s renewed every 500 ms), on one PostgreSQL
 * schema, against one fake cloud in this JVM with mail arriving all the time: 60 mailboxes × 200 historical messages
 * with a 90-day backfill whose listings are slowed. Three engines share the mailboxes 20/20/20; one is SIGKILLed in
 * the middle of the backfill and its mailboxes move to the others; five more kills (one engine each time, restarted
 * after) time the takeover; a fourth engine joins and the shares become 15 each. The journal tells the engines apart
 * by the worker id in each request's {@code User-Agent}: no engine sends for a mailbox more than a lease after the next
 * owner began. No page is acknowledged twice in the store (audit triggers record the position every write moved a
 * folder from). At the end every message of the fake is in the engines' durable sink (tables in the same database),
 * no mailbox had more than 4 requests in flight fleet-wide, and no request reached a mailbox before a
 * {@code Retry-After} it was given elapsed, whichever engine sent it.
 */
@Tag("soak")
class FleetTest {
    private static final int MAILBOXES = 60;
    private static final int MESSAGES = 200;
    private static final Duration LEASE = Duration.ofSeconds(2); // SoakChild's
    private static final Duration RENEWAL = Duration.ofMillis(500);
    private static final Duration POLL = Duration.ofSeconds(1); // SoakHarness.writeConfig's pollInterval
    private static final Duration WINDOW = Duration.ofDays(90);
    private static final long SEED = 20261204L;

    @TempDir
    Path dir;

    private final List<SoakHarness.Child> children = new ArrayList<>();
    private String serverUrl;
    private String schema;
    private String sinkUrl;

    @AfterEach
    void cleanUp() throws Exception {
        for (SoakHarness.Child c : children) {
            c.destroy();
        }
        if (schema != null) {
            SoakPostgres.dropSchema(serverUrl, schema);
        }
    }

    /** One engine: its child process. */
    private record Engine(SoakHarness.Child child) {
    }

    @Test
    void enginesShareTheMailboxesTakeOverAfterKillsAndRebalanceWhenOneJoins() throws Exception {
        serverUrl = SoakPostgres.serverUrl();
        schema = SoakPostgres.createSchema(serverUrl);
        String url = SoakPostgres.urlFor(serverUrl, schema);
        Instant connectedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        FakeClock clock = new FakeClock(connectedAt);
        SharedClock shared = SharedClock.create(dir.resolve("clock.bin"), connectedAt);
        AtomicBoolean running = new AtomicBoolean(true);
        Thread ticker = new Thread(() -> {
            while (running.get()) {
                shared.publish(clock.advanceTo(Instant.now()));
                LockSupport.parkNanos(500_000);
            }
        }, "fleet-clock");
        ticker.setDaemon(true);
        ticker.start();
        Random random = new Random(SEED);
        try (FakeMicrosoftCloud cloud = FakeMicrosoftCloud.builder().clock(clock).seed(SEED).http2(false)
                .journalCapacity(400_000)
                .tenant(FakeTenant.builder("contoso").consentGranted()
                        .generate(TenantGenerator.builder(SEED).userMailboxes(MAILBOXES).sharedMailboxes(0)
                                .messagesPerMailbox(0).between(connectedAt.minus(WINDOW), connectedAt).build()))
                .start();
             JdbcOutlookStore store = JdbcOutlookStore.builder().jdbcUrl(url).build()) {
            auditAcknowledgements(url);
            SinkLog.createTables(url); // the engines' durable sink, in the same database as their store
            sinkUrl = url;
            FakeTenant tenant = cloud.tenant("contoso");
            List<FakeMailbox> mailboxes = tenant.mailboxes().subList(0, MAILBOXES);
            Set<String> known = ConcurrentHashMap.newKeySet();
            Map<String, String> folderIds = new HashMap<>();
            for (FakeMailbox m : mailboxes) {
                folderIds.put(m.objectId() + "/inbox", m.findFolder("inbox").orElseThrow().id());
                for (int i = 0; i < MESSAGES; i++) {
                    Instant received = connectedAt.minusSeconds(120 + (long) (random.nextDouble()
                            * (WINDOW.toSeconds() - 86_400)));
                    known.add(m.deliver("inbox", FakeMessage.builder().from("sender" + i + "@fabrikam.example")
                            .to(m.address()).subject("Fleet " + i).receivedAt(received)).immutableId());
                }
            }
            Path base = SoakHarness.writeConfig(dir, SEED, SoakHarness.Store.POSTGRES, url, cloud, tenant, mailboxes,
                    List.of("inbox"), folderIds, connectedAt);
            // the backfill lasts long enough to be killed in: half of its listings take 150 ms
            cloud.faults().add(Faults.on(SoakHarness.LISTING).always().withProbability(0.5, SEED)
                    .respond(Fault.latency(Duration.ofMillis(150))));
            // five mailboxes get two 429s each at some point, Retry-After 3 s
            for (int i = 0; i < 5; i++) {
                cloud.faults().add(Faults.on(Faults.mailbox(mailboxes.get(i * 11).objectId())).skip(3 + i * 2)
                        .times(2).respond(Fault.throttle(Duration.ofSeconds(3))));
            }
            WorkerLeases leases = store.workerLeases().orElseThrow();
            AtomicInteger runs = new AtomicInteger();
            List<String> notes = new ArrayList<>();

            // ---- three engines ------------------------------------------------------------------------------------
            List<Engine> fleet = new ArrayList<>();
            fleet.add(start(base, runs.incrementAndGet(), true));
            fleet.add(start(base, runs.incrementAndGet(), false));
            fleet.add(start(base, runs.incrementAndGet(), false));
            AtomicBoolean mailing = new AtomicBoolean(true); // the clock keeps running after the mail stops
            Thread mail = liveMail(mailing, mailboxes, known, new Random(SEED + 1));
            Duration shared3 = awaitShares(leases, 3, MAILBOXES, LEASE.multipliedBy(2));
            assertThat(shared3).as("three engines hold 20 ± 1 each within two lease periods: %s", holdings(leases))
                    .isNotNull();
            notes.add("3 engines: fair shares " + holdings(leases).values() + " " + shared3.toMillis()
                    + " ms after the third was ready");

            // ---- kill -9 one engine in the middle of the backfill ---------------------------------------------------
            assertThat(runningBackfills(store, mailboxes)).as("the backfill is still running").isPositive();
            List<Long> takeovers = new ArrayList<>();
            for (int k = 0; k < 6; k++) {
                int victim = k % fleet.size();
                Engine dead = fleet.get(victim);
                String worker = workerOf(url, dead.child().pid());
                assertThat(worker).as("the victim is registered").isNotNull();
                int backfilling = runningBackfills(store, mailboxes);
                long killedAt = System.nanoTime();
                assertThat(dead.child().kill()).as("SIGKILL").isEqualTo(137);
                Duration takeover = awaitTakeover(leases, worker, MAILBOXES, LEASE.multipliedBy(4));
                assertThat(takeover).as("the killed engine's mailboxes are held by the others within lease + renewal"
                        + " (+ slack): %s", holdings(leases)).isNotNull();
                takeovers.add(takeover.toMillis());
                if (k == 0) {
                    notes.add("kill during the backfill (" + backfilling + " folders backfilling): taken over in "
                            + takeover.toMillis() + " ms, " + (System.nanoTime() - killedAt) / 1_000_000 + " ms");
                }
                fleet.set(victim, start(base, runs.incrementAndGet(), false));
                assertThat(awaitShares(leases, 3, MAILBOXES, LEASE.multipliedBy(3))).as("shares after the restart: %s",
                        holdings(leases)).isNotNull();
            }
            notes.add("takeover after kill -9 (ms; lease 2 s, renewal 0.5 s): " + takeovers + "; median of the five"
                    + " after the first: " + median(takeovers.subList(1, 6)) + " ms");
            assertThat(median(takeovers.subList(1, 6))).as("the median takeover is within the lease plus one poll"
                    + " interval (%s)", POLL).isLessThanOrEqualTo(LEASE.plus(POLL).toMillis());

            // ---- a fourth engine joins ----------------------------------------------------------------------------
            fleet.add(start(base, runs.incrementAndGet(), false));
            Duration shared4 = awaitShares(leases, 4, MAILBOXES, LEASE.multipliedBy(2));
            assertThat(shared4).as("four engines hold 15 ± 1 each within two lease periods: %s", holdings(leases))
                    .isNotNull();
            notes.add("a 4th engine joined: shares " + holdings(leases).values() + " " + shared4.toMillis() + " ms after"
                    + " it was ready");

            // ---- converge -----------------------------------------------------------------------------------------
            mailing.set(false);
            mail.join(5_000);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            Set<String> missing = missing(fleet, known);
            while (!missing.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(1_000);
                missing = missing(fleet, known);
            }
            Map<String, Integer> deliveries = new HashMap<>();
            for (SinkLog.Delivery d : SinkLog.deliveries(sinkUrl)) {
                if (d.isAdd()) {
                    deliveries.merge(d.id(), 1, Integer::sum);
                }
            }
            long duplicates = deliveries.values().stream().mapToLong(n -> n - 1).sum();
            var entries = cloud.journal().entries();
            List<String> early = SoakJournal.requestsBeforeRetryAfter(entries, SoakHarness.Child.STARTS);
            long answered429 = entries.stream().filter(e -> e.status() == 429).count();
            int maxInFlight = SoakJournal.maxInFlightPerMailbox(entries).values().stream().mapToInt(i -> i).max()
                    .orElse(0);
            List<String> unnamed = entries.stream().filter(e -> e.mailbox().isPresent()
                    && SoakJournal.worker(e) == null).map(e -> e.method() + " " + e.path()).limit(5).toList();
            Map<String, Long> overlap = SoakJournal.ownerOverlapMillis(entries);
            long maxOverlap = overlap.values().stream().mapToLong(l -> l).max().orElse(0);
            long owners = entries.stream().filter(e -> e.mailbox().isPresent()).map(e -> e.mailbox().orElseThrow()
                    .value() + " " + SoakJournal.worker(e)).distinct().count();
            List<String> ackedTwice = acknowledgedTwice(url);
            notes.add("store: " + acknowledgements(url) + " page acknowledgements (checkpoint and cursor writes that moved"
                    + " a position), acknowledged twice: " + ackedTwice.size());
            notes.add("journal: " + entries.stream().filter(e -> e.mailbox().isPresent()).count() + " mailbox requests"
                    + " from " + entries.stream().map(SoakJournal::worker).filter(java.util.Objects::nonNull).distinct()
                    .count() + " workers (User-Agent), " + owners + " (mailbox, worker) tenures; longest time a former"
                    + " owner still sent requests after the next owner's first: " + maxOverlap + " ms (lease "
                    + LEASE.toMillis() + " ms)");
            notes.add(known.size() + " messages in the fake (" + (known.size() - MAILBOXES * MESSAGES)
                    + " live), missing from the sink: " + missing.size() + "; duplicate deliveries: " + duplicates
                    + " (" + String.format("%.1f", 100.0 * duplicates / known.size()) + " %); max in flight per"
                    + " mailbox fleet-wide: " + maxInFlight + "; 429s answered: " + answered429 + ", requests before their Retry-After: " + early.size());
            Files.write(Path.of("target", "fleet-summary.txt"), notes, StandardCharsets.UTF_8);
            notes.forEach(n -> System.out.println("[fleet] " + n));

            List<String> missingDetail = new ArrayList<>();
            for (String id : missing) {
                for (FakeMailbox m : mailboxes) {
                    m.messages().stream().filter(msg -> msg.immutableId().equals(id)).findFirst().ifPresent(msg ->
                            missingDetail.add(m.objectId() + " received " + msg.receivedDateTime() + " ("
                                    + (msg.receivedDateTime().isBefore(connectedAt) ? "historical" : "live") + ")"));
                }
            }
            assertThat(missing).as("every message of the fake reached the sink; missing: %s; backfills still running: %d",
                    missingDetail, runningBackfills(store, mailboxes)).isEmpty();
            assertThat(ackedTwice).as("no page acknowledged twice in the store, by any engine").isEmpty();
            assertThat(unnamed).as("every mailbox request names its engine's worker in its User-Agent").isEmpty();
            assertThat(maxOverlap).as("no engine sends for a mailbox longer than one lease after the next owner began:"
                    + " %s", overlap.entrySet().stream().filter(e -> e.getValue() > 0).toList())
                    .isLessThanOrEqualTo(LEASE.toMillis());
            assertThat(maxInFlight).as("at most 4 requests in flight per mailbox, across the fleet").isLessThanOrEqualTo(4);
            assertThat(answered429).as("the scripted 429s were answered").isGreaterThanOrEqualTo(10);
            assertThat(early).as("no request before a Retry-After elapsed, whichever engine sent it").isEmpty();
        } finally {
            running.set(false);
            ticker.join(2_000);
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------------------

    private Engine start(Path base, int run, boolean first) throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(base, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        p.setProperty("sinkUrl", sinkUrl);
        Path config = dir.resolve("engine-" + run + ".properties");
        try (Writer w = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            p.store(w, "fleet engine " + run);
        }
        SoakHarness.Child child = SoakHarness.Child.start(config, dir, run, first);
        children.add(child);
        assertThat(child.awaitReady(Duration.ofSeconds(90))).as("engine %d ready: %s", run, child.tail()).isTrue();
        return new Engine(child);
    }

    private Set<String> missing(List<Engine> fleet, Set<String> known) throws Exception {
        Set<String> delivered = new HashSet<>();
        for (SinkLog.Delivery d : SinkLog.deliveries(sinkUrl)) {
            if (d.isAdd()) {
                delivered.add(d.id());
            }
        }
        Set<String> out = new HashSet<>(known);
        out.removeAll(delivered);
        return out;
    }

    private static Thread liveMail(AtomicBoolean running, List<FakeMailbox> mailboxes, Set<String> known, Random r) {
        Thread t = new Thread(() -> {
            while (running.get()) {
                FakeMailbox m = mailboxes.get(r.nextInt(mailboxes.size()));
                known.add(m.deliver("inbox", FakeMessage.builder().from("live@fabrikam.example").to(m.address())
                        .subject("Live mail")).immutableId());
                LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            }
        }, "fleet-mail");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static Map<String, Integer> holdings(WorkerLeases leases) {
        Map<String, Integer> byWorker = new TreeMap<>();
        for (MailboxLease lease : leases.listLeases()) {
            byWorker.merge(lease.workerId(), 1, Integer::sum);
        }
        return byWorker;
    }

    /** Waits until {@code workers} workers hold every mailbox, each its fair share ± 1; null on timeout. */
    private static Duration awaitShares(WorkerLeases leases, int workers, int mailboxes, Duration timeout)
            throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        double share = (double) mailboxes / workers;
        while (System.nanoTime() < deadline) {
            Map<String, Integer> h = holdings(leases);
            if (h.size() == workers && h.values().stream().mapToInt(i -> i).sum() == mailboxes
                    && h.values().stream().allMatch(n -> Math.abs(n - share) <= 1)) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            Thread.sleep(25);
        }
        return null;
    }

    /** Waits until no lease is held by {@code worker} and every mailbox is held; null on timeout. */
    private static Duration awaitTakeover(WorkerLeases leases, String worker, int mailboxes, Duration timeout)
            throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<MailboxLease> held = leases.listLeases();
            if (held.size() == mailboxes && held.stream().noneMatch(l -> l.workerId().equals(worker))) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            Thread.sleep(10);
        }
        return null;
    }

    private static int runningBackfills(JdbcOutlookStore store, List<FakeMailbox> mailboxes) {
        int running = 0;
        for (FakeMailbox m : mailboxes) {
            for (BackfillCursor c : store.listBackfillCursors(ConnectionId.of("soak"), m.objectId())) {
                if (c.state() == BackfillCursor.State.RUNNING) {
                    running++;
                }
            }
        }
        return running;
    }

    /**
     * Records in an audit table, by triggers in the store's schema, every checkpoint and cursor write that moved a
     * folder's position: from where to where. A page is acknowledged twice when two writes moved one folder from the
     * same position (the store's compare-and-set lets only one engine's write of a page land).
     */
    private static void auditAcknowledgements(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE fleet_acks (kind TEXT NOT NULL, folder TEXT NOT NULL, from_pos TEXT NOT NULL,"
                    + " to_pos TEXT NOT NULL)");
            s.execute("CREATE FUNCTION fleet_ack_live() RETURNS trigger LANGUAGE plpgsql AS $$"
                    + " DECLARE f TEXT := COALESCE(OLD.next_link, OLD.delta_link);"
                    + " t TEXT := COALESCE(NEW.next_link, NEW.delta_link);"
                    + " BEGIN IF f IS NOT NULL AND t IS NOT NULL AND f <> t THEN"
                    + " INSERT INTO fleet_acks VALUES ('live', NEW.mailbox_id || '/' || NEW.folder_id, f, t);"
                    + " END IF; RETURN NEW; END $$");
            s.execute("CREATE TRIGGER fleet_ack_live AFTER UPDATE ON tekst_outlook_folder_checkpoints"
                    + " FOR EACH ROW EXECUTE FUNCTION fleet_ack_live()");
            s.execute("CREATE FUNCTION fleet_ack_backfill() RETURNS trigger LANGUAGE plpgsql AS $$"
                    + " DECLARE f TEXT := OLD.position_at || ' ' || OLD.position_inclusive || ' ' || OLD.position_ids;"
                    + " t TEXT := COALESCE(NEW.position_at || ' ' || NEW.position_inclusive || ' ' || NEW.position_ids,"
                    + " '') || ' ' || NEW.state;"
                    + " BEGIN IF f IS NOT NULL AND f || ' ' || OLD.state <> t AND OLD.from_at = NEW.from_at THEN"
                    + " INSERT INTO fleet_acks VALUES ('backfill', NEW.mailbox_id || '/' || NEW.folder_id, f, t);"
                    + " END IF; RETURN NEW; END $$");
            s.execute("CREATE TRIGGER fleet_ack_backfill AFTER UPDATE ON tekst_outlook_backfill_cursors"
                    + " FOR EACH ROW EXECUTE FUNCTION fleet_ack_backfill()");
        }
    }

    private static long acknowledgements(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM fleet_acks")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> acknowledgedTwice(String url) throws Exception {
        List<String> twice = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT kind, folder, COUNT(*) FROM fleet_acks"
                     + " GROUP BY kind, folder, from_pos HAVING COUNT(*) > 1")) {
            while (rs.next()) {
                twice.add(rs.getString(1) + " " + rs.getString(2) + " ×" + rs.getLong(3));
            }
        }
        return twice;
    }

    /** The worker id the engine in process {@code pid} registered under (its description names the pid). */
    private static String workerOf(String url, long pid) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT worker_id, description FROM tekst_outlook_workers")) {
            while (rs.next()) {
                if (rs.getString(2).contains("pid " + pid + " ")) {
                    return rs.getString(1);
                }
            }
        }
        return null;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
