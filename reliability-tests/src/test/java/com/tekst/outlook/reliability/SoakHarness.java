package com.tekst.outlook.reliability;

import com.tekst.outlook.testkit.FakeClock;
import com.tekst.outlook.testkit.FakeFolder;
import com.tekst.outlook.testkit.FakeMailbox;
import com.tekst.outlook.testkit.FakeMessage;
import com.tekst.outlook.testkit.FakeMicrosoftCloud;
import com.tekst.outlook.testkit.FakeTenant;
import com.tekst.outlook.testkit.Fault;
import com.tekst.outlook.testkit.Faults;
import com.tekst.outlook.testkit.JournalEntry;
import com.tekst.outlook.testkit.TenantGenerator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * The parent side of the kill -9 soak. Runs a {@link FakeMicrosoftCloud} on the real time (its {@link FakeClock} kept
 * at the system clock and shared with the child through a {@link SharedClock}), seeds a generated tenant with 3
 * mailboxes × 3 synced folders × N messages inside the 90-day window, starts the engine in a child JVM
 * ({@link SoakChild}), and for the chaos phase keeps changing mail (new mail, moves between synced folders, moves
 * out and in, deletions of new and historical mail, read flags), expiring delta tokens and injecting faults (429 with
 * Retry-After, 503, 504, connections dropped mid-body, truncated JSON), while killing the child with SIGKILL at
 * seeded random moments and starting it again. Then faults and changes stop, the child is killed and started one last
 * time, and the harness polls the sink file until the fake and the sink agree or the convergence bound passes.
 * Everything is loopback; every loop is bounded by the profile's durations.
 */
final class SoakHarness {
    static final List<String> SYNCED = List.of("inbox", "archive", "Inbox/Projects");
    static final List<String> UNSYNCED = List.of("junkemail", "deleteditems");
    static final Duration WINDOW = Duration.ofDays(90);
    static final int MAILBOXES = 3;
    static final int MAX_IN_FLIGHT = 4;
    /** Backfill listing requests ({@code /users/{id}/mailFolders/{id}/messages}, not delta). */
    static final Predicate<Faults.Request> LISTING = Faults.path("/v1.0/users/[^/]+/mailFolders/[^/]+/messages");

    enum Store { SQLITE, POSTGRES }

    /** How big and how long. */
    record Profile(String name, int messagesPerFolder, Duration chaos, int minKills, Duration killGapMin,
                   Duration killGapMax, Duration convergenceTimeout, long seed) {

        /** The short profile (the JUnit run), or the long one with {@code -Dsoak.minutes=N}. */
        static Profile fromSystemProperties() {
            long seed = Long.getLong("soak.seed", 20261203L);
            String minutes = System.getProperty("soak.minutes");
            if (minutes == null || minutes.isBlank()) {
                return new Profile("short", Integer.getInteger("soak.messagesPerFolder", 400), Duration.ofSeconds(40),
                        5, Duration.ofMillis(3_000), Duration.ofMillis(6_500),
                        Duration.ofSeconds(Long.getLong("soak.convergenceSeconds", 30)), seed);
            }
            return new Profile("long " + minutes + " min", Integer.getInteger("soak.messagesPerFolder", 3_000),
                    Duration.ofMinutes(Long.parseLong(minutes.trim())), 5, Duration.ofSeconds(10),
                    Duration.ofSeconds(60), Duration.ofSeconds(Long.getLong("soak.convergenceSeconds", 300)), seed);
        }
    }

    /** One row of the summary table, and what failed. */
    record Result(Store store, Profile profile, int messages, int removalsExpected, int removalsSeen,
                  int missingMessages, int missingRemovals, double duplicatePercent, long retries, long faults,
                  long throttledSeconds, long deltaResets, int kills, Duration convergence, boolean converged,
                  Duration wall, Map<String, Long> mutations, long requests, long journalDropped,
                  List<String> notes, List<String> failures) {
    }

    /**
     * MockWebServer reports every connection the SIGKILLed child left half-open at INFO through java.util.logging
     * (dozens per run, with stack traces): kept quiet, warnings still shown. Held here so it is not collected.
     */
    private static final java.util.logging.Logger OKHTTP_JUL = java.util.logging.Logger.getLogger("okhttp3");

    static {
        OKHTTP_JUL.setLevel(java.util.logging.Level.WARNING);
    }

    private final Profile profile;
    private final Path dir;
    private final Random random;
    private final List<String> log = new CopyOnWriteArrayList<>();
    /** The last change the parent made to each message (immutable id), for the causes of what went missing. */
    private final Map<String, String> history = new ConcurrentHashMap<>();

    SoakHarness(Profile profile, Path dir) {
        this.profile = profile;
        this.dir = dir;
        this.random = new Random(profile.seed());
    }

    /**
     * Runs the soak on one store. {@code postgresUrl} is the JDBC URL of a fresh schema for {@link Store#POSTGRES}
     * and ignored for SQLite.
     */
    Result run(Store store, String postgresUrl) throws Exception {
        long wallStart = System.nanoTime();
        Instant connectedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        FakeClock clock = new FakeClock(connectedAt);
        SharedClock shared = SharedClock.create(dir.resolve("clock.bin"), connectedAt);
        AtomicBoolean ticking = new AtomicBoolean(true);
        Thread ticker = new Thread(() -> {
            while (ticking.get()) {
                shared.publish(clock.advanceTo(Instant.now()));
                LockSupport.parkNanos(500_000);
            }
        }, "soak-clock");
        ticker.setDaemon(true);
        ticker.start();

        // Graph's misbehaviour, on: a filtered delta stops at 5,000 (always), empty pages that still carry a next
        // link, items repeated across pages, a 410 with a synchronization-reset Location, Retry-After as an HTTP date,
        // $batch answers in any order (always), throttled requests counted toward the budget (always)
        // HTTP/1.1: a dropped connection ends the one request it carried, so the journal's requests in flight are
        // the client's (over HTTP/2 it would end every stream on the connection while the cloud still works on them)
        FakeMicrosoftCloud cloud = FakeMicrosoftCloud.builder().clock(clock).seed(profile.seed())
                .http2(false)
                .emptyDeltaPageProbability(0.05)
                .deltaPageOverlapFraction(0.1)
                .syncResetLocation(true)
                .retryAfterAsHttpDate(true)
                .journalCapacity(profile.name().equals("short") ? 200_000 : 1_000_000)
                .tenant(FakeTenant.builder("contoso").consentGranted()
                        .generate(TenantGenerator.builder(profile.seed()).userMailboxes(MAILBOXES).sharedMailboxes(0)
                                .messagesPerMailbox(0).between(connectedAt.minus(WINDOW), connectedAt).build()))
                .start();
        Child child = null;
        List<Faults.Rule> rules = new CopyOnWriteArrayList<>();
        Map<String, Long> mutations = new ConcurrentHashMap<>();
        history.clear();
        List<String> failures = new ArrayList<>();
        try {
            FakeTenant tenant = cloud.tenant("contoso");
            List<FakeMailbox> mailboxes = tenant.mailboxes().subList(0, MAILBOXES);
            Set<String> known = ConcurrentHashMap.newKeySet();
            Map<String, String> folderIds = new HashMap<>(); // mailboxId/name -> folder id
            for (FakeMailbox m : mailboxes) {
                for (String name : SYNCED) {
                    FakeFolder f = m.findFolder(name).orElseGet(() -> m.createFolder("inbox",
                            name.substring(name.indexOf('/') + 1)));
                    folderIds.put(m.objectId() + "/" + name, f.id());
                }
                for (String name : SYNCED) {
                    seed(m, name, profile.messagesPerFolder(), connectedAt, known);
                }
                seed(m, "junkemail", Math.max(10, profile.messagesPerFolder() / 10), connectedAt, known);
            }
            Path config = writeConfig(dir, profile.seed(), store, postgresUrl, cloud, tenant, mailboxes, SYNCED,
                    folderIds, connectedAt);
            progress("seeded %d messages in %d mailboxes (%d synced folders of %d, plus junk); store %s", known.size(),
                    MAILBOXES, SYNCED.size(), profile.messagesPerFolder(), store);

            // ---- chaos: mail changes, faults and kills ----------------------------------------------------------
            // Graph's listing pages take a while (here 250 ms for 7 in 10 of them): the backfill lasts long enough
            // to be killed and to have mail deleted and moved under its cursor. Seeded; lets other faults through.
            Faults.Rule slowListing = cloud.faults().add(Faults.on(LISTING).always()
                    .withProbability(0.7, profile.seed()).respond(Fault.latency(Duration.ofMillis(250))));
            child = Child.start(config, dir, 1, true);
            if (!child.awaitReady(Duration.ofSeconds(90))) {
                failures.add("the first child did not get ready within 90 s: " + child.tail());
                return summarize(store, cloud, mailboxes, folderIds, known, connectedAt, 0, Duration.ZERO, false,
                        wallStart, rules, mutations, failures);
            }
            AtomicBoolean changing = new AtomicBoolean(true);
            Random mutationRandom = new Random(profile.seed() ^ 0x5DEECE66DL);
            Thread mutator = new Thread(() -> mutate(changing, mutationRandom, cloud, mailboxes, known, rules,
                    mutations), "soak-mutator");
            mutator.setDaemon(true);
            mutator.start();

            int kills = 0;
            int run = 1;
            long chaosEnd = System.nanoTime() + profile.chaos().toNanos();
            // bounded even if the child keeps dying by itself: at most the chaos phase twice plus a minute
            long hardEnd = chaosEnd + profile.chaos().toNanos() + TimeUnit.MINUTES.toNanos(1);
            while ((System.nanoTime() < chaosEnd || kills < profile.minKills()) && System.nanoTime() < hardEnd) {
                long gap = profile.killGapMin().toMillis() + (long) (random.nextDouble()
                        * (profile.killGapMax().toMillis() - profile.killGapMin().toMillis()));
                long wakeAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(gap);
                while (System.nanoTime() < wakeAt && child.isAlive()) {
                    Thread.sleep(50);
                }
                if (!child.isAlive()) {
                    failures.add("run " + run + " exited by itself with code " + child.exitCode() + ": "
                            + child.tail());
                } else {
                    int code = child.kill();
                    kills++;
                    if (code != 137) {
                        failures.add("run " + run + " was killed but exited with " + code + ", not 137 (SIGKILL)");
                    }
                }
                run++;
                child = Child.start(config, dir, run, false);
                child.awaitReady(Duration.ofSeconds(60));
            }
            changing.set(false);
            mutator.join(10_000);
            cloud.faults().clear();
            progress("chaos over after %d kills (%d backfill listings slowed by 250 ms); mutations %s", kills,
                    slowListing.applied(), new TreeMap<>(mutations));

            // ---- the last start: converge -------------------------------------------------------------------------
            if (child.isAlive()) {
                int code = child.kill();
                kills++;
                if (code != 137) {
                    failures.add("run " + run + " was killed but exited with " + code + ", not 137 (SIGKILL)");
                }
            }
            run++;
            child = Child.start(config, dir, run, false);
            long convergeStart = System.nanoTime();
            boolean converged = false;
            long convergeDeadline = convergeStart + profile.convergenceTimeout().toNanos();
            while (System.nanoTime() < convergeDeadline) {
                if (!child.isAlive()) {
                    failures.add("the last run exited by itself with code " + child.exitCode() + ": " + child.tail());
                    break;
                }
                SoakChecks.Verdict v = SoakChecks.verdict(SinkLog.deliveries(dir.resolve("sink.db")),
                        current(mailboxes, folderIds, connectedAt), known);
                if (v.converged()) {
                    converged = true;
                    break;
                }
                Thread.sleep(1_000);
            }
            Duration convergence = Duration.ofNanos(System.nanoTime() - convergeStart);
            child.stop();
            return summarize(store, cloud, mailboxes, folderIds, known, connectedAt, kills, convergence, converged,
                    wallStart, rules, mutations, failures);
        } finally {
            if (child != null) {
                child.destroy();
            }
            cloud.close();
            ticking.set(false);
            ticker.join(2_000);
        }
    }

    // ---- seeding and mutation ---------------------------------------------------------------------------------------

    private final Set<String> seeded = ConcurrentHashMap.newKeySet();

    private void seed(FakeMailbox m, String folder, int count, Instant connectedAt, Set<String> known) {
        long windowSeconds = WINDOW.toSeconds() - 86_400; // a day of margin inside the 90-day window
        for (int i = 0; i < count; i++) {
            Instant received = connectedAt.minusSeconds(60 + (long) (random.nextDouble() * windowSeconds));
            String id = m.deliver(folder, FakeMessage.builder().from("sender" + random.nextInt(500) + "@fabrikam.example")
                    .to(m.address()).subject("Soak " + i).receivedAt(received)).immutableId();
            known.add(id);
            seeded.add(id);
        }
    }

    private void mutate(AtomicBoolean changing, Random r, FakeMicrosoftCloud cloud, List<FakeMailbox> mailboxes,
                        Set<String> known, List<Faults.Rule> rules, Map<String, Long> counts) {
        long lastExpiry = System.nanoTime();
        while (changing.get()) {
            try {
                FakeMailbox m = mailboxes.get(r.nextInt(mailboxes.size()));
                String folder = SYNCED.get(r.nextInt(SYNCED.size()));
                int dice = r.nextInt(100);
                if (dice < 28) {
                    known.add(m.deliver(folder, FakeMessage.builder().from("live" + r.nextInt(100) + "@fabrikam.example")
                            .to(m.address()).subject("Live mail")).immutableId());
                    count(counts, "deliver");
                } else if (dice < 46) {
                    pick(m, folder, r).ifPresent(msg -> {
                        List<String> others = new ArrayList<>(SYNCED);
                        others.remove(folder);
                        m.move(msg, others.get(r.nextInt(others.size())));
                        count(counts, historical(msg) ? "move historical" : "move new");
                        history.put(msg.immutableId(), "moved between synced folders");
                    });
                } else if (dice < 60) {
                    pick(m, folder, r).ifPresent(msg -> {
                        m.delete(msg);
                        count(counts, historical(msg) ? "delete historical" : "delete new");
                        history.put(msg.immutableId(), "deleted");
                    });
                } else if (dice < 66) {
                    pick(m, folder, r).ifPresent(msg -> {
                        m.move(msg, UNSYNCED.get(r.nextInt(UNSYNCED.size())));
                        count(counts, "move out");
                        history.put(msg.immutableId(), "moved out of the synced folders");
                    });
                } else if (dice < 71) {
                    pick(m, UNSYNCED.get(r.nextInt(UNSYNCED.size())), r).ifPresent(msg -> {
                        m.move(msg, folder);
                        count(counts, "move in");
                        history.put(msg.immutableId(), "moved in from junk/deleted items");
                    });
                } else if (dice < 78) {
                    pick(m, folder, r).ifPresent(msg -> {
                        m.markRead(msg);
                        count(counts, "mark read");
                        history.putIfAbsent(msg.immutableId(), "marked read");
                    });
                } else if (dice < 90) {
                    rules.add(cloud.faults().add(fault(r, m)));
                    count(counts, "fault");
                }
                if (System.nanoTime() - lastExpiry > TimeUnit.SECONDS.toNanos(4) && r.nextInt(4) == 0) {
                    lastExpiry = System.nanoTime();
                    if (r.nextBoolean()) {
                        m.expireDeltaTokens();
                    } else {
                        m.expireDeltaTokens(folder);
                    }
                    count(counts, "expire delta tokens");
                }
                Thread.sleep(60 + r.nextInt(120));
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // a message picked a moment ago may be gone (the fake is changed by one thread only, so rare)
                count(counts, "skipped: " + e.getClass().getSimpleName());
            }
        }
    }

    /** Counts of what happened to the missing messages and removals, e.g. {@code historical, moved between...=12}. */
    private String causes(List<String> ids, Set<String> historicalIds) {
        Map<String, Long> out = new TreeMap<>();
        for (String key : ids) {
            String id = key.contains("|") ? key.substring(0, key.indexOf('|')) : key;
            String via = key.contains("|") ? ", last add " + key.substring(key.indexOf('|') + 1).toLowerCase(
                    java.util.Locale.ROOT) : "";
            out.merge((historicalIds.contains(id) ? "historical" : "new") + ", "
                    + history.getOrDefault(id, "never changed") + via, 1L, Long::sum);
        }
        return out.toString();
    }

    private static boolean historical(FakeMessage msg) {
        return msg.subject().startsWith("Soak ");
    }

    /** A message of the folder: half the time one of its 20 newest, else any (historical mail mostly). */
    private static java.util.Optional<FakeMessage> pick(FakeMailbox m, String folder, Random r) {
        List<FakeMessage> all = m.messages(folder);
        if (all.isEmpty()) {
            return java.util.Optional.empty();
        }
        int bound = r.nextBoolean() ? Math.min(20, all.size()) : all.size();
        return java.util.Optional.of(all.get(r.nextInt(bound)));
    }

    private static Faults.Rule fault(Random r, FakeMailbox m) {
        Predicate<Faults.Request> mailbox = Faults.mailbox(m.objectId());
        Predicate<Faults.Request> listing = LISTING;
        Predicate<Faults.Request> links = Faults.deltaLinkRequests();
        int skip = r.nextInt(4);
        return switch (r.nextInt(7)) {
            case 0, 1 -> Faults.on(mailbox).skip(skip).times(1 + r.nextInt(2))
                    .respond(Fault.throttle(Duration.ofSeconds(1 + r.nextInt(2))));
            case 2 -> Faults.on(mailbox).skip(skip).times(1 + r.nextInt(2)).respond(r.nextBoolean()
                    ? Fault.serviceUnavailable()
                    : new Fault.Status(503, "serviceNotAvailable", "Service Unavailable", Duration.ofSeconds(1)));
            case 3 -> Faults.on(mailbox).skip(skip).times(1).respond(Fault.gatewayTimeout());
            case 4 -> Faults.on(mailbox.and(r.nextBoolean() ? listing : links)).skip(skip).times(1)
                    .respond(Fault.dropConnectionMidBody());
            default -> Faults.on(mailbox.and(r.nextBoolean() ? listing : links)).skip(skip).times(1)
                    .respond(Fault.truncatedBody());
        };
    }

    private static void count(Map<String, Long> counts, String what) {
        counts.merge(what, 1L, Long::sum);
    }

    // ---- what the fake holds, and the verdict -----------------------------------------------------------------------

    /** Per synced folder key, the immutable ids the fake holds there now, received inside the window. */
    private static Map<String, Set<String>> current(List<FakeMailbox> mailboxes, Map<String, String> folderIds,
                                                    Instant connectedAt) {
        Map<String, Set<String>> out = new HashMap<>();
        Instant from = connectedAt.minus(WINDOW);
        for (FakeMailbox m : mailboxes) {
            for (String name : SYNCED) {
                Set<String> ids = new HashSet<>();
                for (FakeMessage msg : m.messages(name)) {
                    if (!msg.receivedDateTime().isBefore(from)) {
                        ids.add(msg.immutableId());
                    }
                }
                out.put(m.objectId() + "/" + folderIds.get(m.objectId() + "/" + name), ids);
            }
        }
        return out;
    }

    private Result summarize(Store store, FakeMicrosoftCloud cloud, List<FakeMailbox> mailboxes,
                             Map<String, String> folderIds, Set<String> known, Instant connectedAt, int kills,
                             Duration convergence, boolean converged, long wallStart, List<Faults.Rule> rules,
                             Map<String, Long> mutations, List<String> failures) throws Exception {
        Path sink = dir.resolve("sink.db");
        SoakChecks.Verdict v = SoakChecks.verdict(SinkLog.deliveries(sink), current(mailboxes, folderIds, connectedAt),
                known);
        Map<String, Long> events = SinkLog.eventCounts(sink);
        List<JournalEntry> journal = cloud.journal().entries();
        if (!v.missingMessages().isEmpty() || !v.missingRemovals().isEmpty()) {
            note("what happened to the missing messages: %s; to the messages whose removal is missing: %s",
                    causes(v.missingMessageIds(), seeded), causes(v.missingRemovalIds(), seeded));
        }
        if (!v.missingMessages().isEmpty()) {
            failures.add(v.missingMessages().size() + " of " + v.expectedMessages() + " messages in synced folders"
                    + " of the fake never reached the sink as the last event there: "
                    + SoakChecks.Verdict.sample(v.missingMessages()));
        }
        if (!v.missingRemovals().isEmpty()) {
            failures.add(v.missingRemovals().size() + " of " + v.removalsExpected() + " messages the sink received"
                    + " left their folder without a removal after their last add: "
                    + SoakChecks.Verdict.sample(v.missingRemovals()));
        }
        if (!v.foreignDuplicates().isEmpty()) {
            failures.add("duplicates not under the same immutable id: "
                    + SoakChecks.Verdict.sample(v.foreignDuplicates()));
        }
        SoakJournal.write(journal, dir.resolve("journal.tsv"));
        Files.writeString(dir.resolve("child-starts.txt"), Child.STARTS.toString());
        List<String> early = SoakJournal.requestsBeforeRetryAfter(journal, Child.STARTS, SinkLog.throttledAt(sink));
        if (!early.isEmpty()) {
            failures.add(early.size() + " requests reached a mailbox before the Retry-After it was given had elapsed"
                    + " (beyond " + SoakJournal.IN_FLIGHT_EXCUSED + " calls in flight within "
                    + SoakJournal.IN_FLIGHT_GRACE_MILLIS + " ms of the answer): " + SoakChecks.Verdict.sample(early));
        }
        String strict = SoakJournal.strictRetryAfter(journal);
        Map<String, Integer> inFlight = SoakJournal.maxInFlightPerMailbox(journal);
        note("most requests in flight per mailbox: %s; backfill complete in %d of %d folders; JournalAssertions'"
                        + " strict Retry-After rule (no allowance for calls in flight) flags %d requests",
                inFlight.values(),
                SinkLog.distinctFolders(sink, "backfillCOMPLETE"), MAILBOXES * SYNCED.size(),
                strict.isEmpty() ? 0 : SoakJournal.strictCount(strict));
        inFlight.forEach((mailbox, n) -> {
            if (n > MAX_IN_FLIGHT) {
                failures.add("mailbox " + mailbox + " had " + n + " requests in flight at once (at most "
                        + MAX_IN_FLIGHT + ")");
            }
        });
        if (!converged) {
            failures.add("no convergence within " + profile.convergenceTimeout().toSeconds()
                    + " s of the last start (the fake and the sink still disagree)");
        }
        if (kills < profile.minKills()) {
            failures.add("only " + kills + " kills, fewer than " + profile.minKills());
        }
        long throttledSeconds = journal.stream().filter(e -> e.mailbox().isPresent() && e.retryAfter().isPresent())
                .mapToLong(e -> e.retryAfter().orElseThrow().toSeconds()).sum();
        long faults = rules.stream().mapToLong(Faults.Rule::applied).sum();
        return new Result(store, profile, v.expectedMessages(), v.removalsExpected(), v.removalsSeen(),
                v.missingMessages().size(), v.missingRemovals().size(), v.duplicatePercent(),
                events.getOrDefault("retry", 0L), faults, throttledSeconds, events.getOrDefault("deltaExpired", 0L),
                kills, convergence, converged, Duration.ofNanos(System.nanoTime() - wallStart), Map.copyOf(mutations),
                journal.size(), cloud.journal().dropped(), List.copyOf(log), List.copyOf(failures));
    }

    // ---- the child's configuration -------------------------------------------------------------------------------

    /**
     * Writes the child's configuration ({@link SoakChild}) into {@code dir}: the store, the fake cloud's endpoints
     * and throwaway credentials, the connection and each mailbox with its {@code synced} folders (ids from
     * {@code folderIds}, keyed {@code objectId/name}). The sink is {@code dir/sink.db}.
     */
    static Path writeConfig(Path dir, long seed, Store store, String postgresUrl, FakeMicrosoftCloud cloud,
                            FakeTenant tenant, List<FakeMailbox> mailboxes, List<String> synced,
                            Map<String, String> folderIds, Instant connectedAt) throws IOException {
        Path secret = dir.resolve("client-secret.txt");
        Files.writeString(secret, cloud.clientSecret(), StandardCharsets.US_ASCII);
        Path pem = dir.resolve("fake-cloud-ca.pem");
        Files.writeString(pem, cloud.caCertificatePem(), StandardCharsets.US_ASCII);
        Properties p = new Properties();
        p.setProperty("clockFile", dir.resolve("clock.bin").toString());
        p.setProperty("store", store == Store.SQLITE ? "sqlite" : "postgres");
        p.setProperty("sqliteFile", dir.resolve("store.db").toString());
        if (postgresUrl != null) {
            p.setProperty("postgresUrl", postgresUrl);
        }
        p.setProperty("sinkFile", dir.resolve("sink.db").toString());
        p.setProperty("connection", "soak");
        p.setProperty("tenantId", tenant.id().value());
        p.setProperty("connectedAt", connectedAt.toString());
        p.setProperty("clientId", cloud.app().clientId());
        p.setProperty("secretFile", secret.toString());
        p.setProperty("caPemFile", pem.toString());
        p.setProperty("loginBaseUrl", cloud.loginBaseUrl().toString());
        p.setProperty("graphBaseUrl", cloud.graphBaseUrl().toString());
        p.setProperty("pageSize", "50");
        p.setProperty("backfillPageSize", "10");
        p.setProperty("pollInterval", "PT1S");
        p.setProperty("reconcileInterval", "PT5S");
        p.setProperty("seed", Long.toString(seed));
        p.setProperty("mailboxes", Integer.toString(mailboxes.size()));
        for (int i = 0; i < mailboxes.size(); i++) {
            FakeMailbox m = mailboxes.get(i);
            String prefix = "mailbox." + i + ".";
            p.setProperty(prefix + "id", m.objectId().value());
            p.setProperty(prefix + "address", m.address());
            p.setProperty(prefix + "name", m.owner().displayName());
            for (int f = 0; f < synced.size(); f++) {
                String id = folderIds.get(m.objectId() + "/" + synced.get(f));
                p.setProperty(prefix + "folder." + f + ".id", id);
                p.setProperty(prefix + "folder." + f + ".path", m.folder(id).path());
            }
        }
        Path config = dir.resolve("child.properties");
        try (Writer w = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            p.store(w, "kill -9 soak: the child's configuration (a fake cloud's throwaway credentials)");
        }
        return config;
    }

    private static void progress(String format, Object... args) {
        System.out.println("[soak] " + String.format(format, args));
    }

    /** A line for the summary (and the console now). */
    private void note(String format, Object... args) {
        String line = String.format(format, args);
        log.add(line);
        System.out.println("[soak] " + line);
    }

    // ---- the child process ------------------------------------------------------------------------------------------

    /** One child JVM: started on this JVM's class path, SIGKILLed or stopped by closing its standard input. */
    static final class Child {
        private final Process process;
        private final Path logFile;
        private final CountDownLatch ready = new CountDownLatch(1);
        /** {@link System#nanoTime()} of every child start of this JVM (the journal's time base). */
        static final List<Long> STARTS = new CopyOnWriteArrayList<>();

        private Child(Process process, Path logFile) {
            this.process = process;
            this.logFile = logFile;
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        if (line.startsWith("READY")) {
                            ready.countDown();
                        }
                    }
                } catch (IOException ignored) {
                    // the process died
                }
            }, "soak-child-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        static Child start(Path config, Path dir, int run, boolean first) throws IOException {
            Path log = dir.resolve("child-" + run + ".log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"),
                    SoakChild.class.getName(), config.toString(), Integer.toString(run)));
            if (first) {
                command.add("--first");
            }
            ProcessBuilder pb = new ProcessBuilder(command).redirectError(log.toFile());
            STARTS.add(System.nanoTime());
            return new Child(pb.start(), log);
        }

        boolean awaitReady(Duration timeout) throws InterruptedException {
            return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        boolean isAlive() {
            return process.isAlive();
        }

        /** The child's process id (the worker registry names engines by it). */
        long pid() {
            return process.pid();
        }

        int exitCode() {
            return process.isAlive() ? -1 : process.exitValue();
        }

        /** SIGKILL ({@link Process#destroyForcibly()} on Linux); returns the exit code (137 = 128 + 9). */
        int kill() throws InterruptedException {
            process.destroyForcibly();
            return process.waitFor();
        }

        /** Closes standard input (the child stops its engine and exits); SIGKILL after 15 s. */
        void stop() throws InterruptedException {
            try {
                process.getOutputStream().close();
            } catch (IOException ignored) {
                // already gone
            }
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                kill();
            }
        }

        void destroy() throws InterruptedException {
            if (process.isAlive()) {
                kill();
            }
        }

        /** The last lines of the child's log (SDK warnings: ids and classes, never tokens or content). */
        String tail() {
            try {
                List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
                return String.join(" | ", lines.subList(Math.max(0, lines.size() - 6), lines.size()));
            } catch (IOException e) {
                return "(no log)";
            }
        }
    }
}
