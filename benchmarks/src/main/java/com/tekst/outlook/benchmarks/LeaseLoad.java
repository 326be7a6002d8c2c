package com.tekst.outlook.benchmarks;

import com.tekst.outlook.Connection;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionType;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.TenantId;
import com.tekst.outlook.mailbox.FolderRef;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.mailbox.MailboxType;
import com.tekst.outlook.store.JdbcOutlookStore;
import com.tekst.outlook.store.MailboxLease;
import com.tekst.outlook.store.MailboxRecord;
import com.tekst.outlook.sync.BackfillPage;
import com.tekst.outlook.sync.BackfillRequest;
import com.tekst.outlook.sync.DeltaPage;
import com.tekst.outlook.sync.DeltaRequest;
import com.tekst.outlook.sync.MailSource;
import com.tekst.outlook.sync.MailboxTarget;
import com.tekst.outlook.sync.SyncEngine;
import java.security.SecureRandom;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The database load of engines sharing a PostgreSQL store: {@code lease-load [engines] [mailboxes] [seconds]}
 * (defaults 3, 1,000, 60) with the server in {@code TEKST_TEST_POSTGRES_URL}. In a fresh schema, one connection with
 * that many one-folder mailboxes; that many {@link SyncEngine}s, each with a store object of its own as separate pods
 * have, at the defaults (poll 1 min, lease 30 s, renewal 10 s), syncing from an in-process source that answers every
 * delta request at once with an empty last page (no mail: what is left is the engines' own bookkeeping). After the
 * shares settled and every mailbox's first round ran, it measures for {@code seconds} what PostgreSQL counts for the
 * lease and worker tables ({@code pg_stat_user_tables}: scans and rows written) and prints it per engine and second,
 * with the delta calls made meanwhile.
 */
final class LeaseLoad {
    private LeaseLoad() {
    }

    static void run(String[] args) throws Exception {
        int engines = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int mailboxes = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 60;
        String server = System.getenv("TEKST_TEST_POSTGRES_URL");
        if (server == null || server.isBlank()) {
            throw new IllegalStateException("set TEKST_TEST_POSTGRES_URL to a PostgreSQL JDBC URL");
        }
        String schema = "tekst_leaseload_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(5));
        execute(server, "CREATE SCHEMA " + schema);
        String url = server + (server.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        List<JdbcOutlookStore> stores = new ArrayList<>();
        List<SyncEngine> running = new ArrayList<>();
        try {
            JdbcOutlookStore admin = JdbcOutlookStore.builder().jdbcUrl(url).build();
            stores.add(admin);
            ConnectionId connection = ConnectionId.of("lease-load");
            Instant connectedAt = Instant.now().minus(Duration.ofMinutes(5));
            admin.saveConnection(Connection.pending(connection, ConnectionType.ORGANIZATION_WIDE,
                    connectedAt.minusSeconds(60)).connectedTo(TenantId.of("00000000-0000-4000-8000-000000000001"),
                    connectedAt));
            for (int i = 0; i < mailboxes; i++) {
                admin.saveMailbox(new MailboxRecord(connection,
                        MailboxId.of(String.format("00000000-0000-4000-8000-%012d", 1000 + i)),
                        MailboxAddress.of("user" + i + "@contoso.example"), "User " + i, MailboxType.USER,
                        List.of(new FolderRef("inbox", "Inbox")), MailboxStatus.PENDING, null, "", connectedAt));
            }
            EmptySource source = new EmptySource();
            for (int e = 0; e < engines; e++) {
                JdbcOutlookStore store = JdbcOutlookStore.builder().jdbcUrl(url).build();
                stores.add(store);
                SyncEngine engine = SyncEngine.builder().store(store).source(source).sink(page -> { }).build();
                engine.start();
                running.add(engine);
            }
            long settleDeadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (System.nanoTime() < settleDeadline
                    && !(settled(admin.workerLeases().orElseThrow().listLeases(), engines, mailboxes)
                    && source.calls.get() >= mailboxes)) {
                Thread.sleep(200);
            }
            Thread.sleep(12_000); // past one renewal after the last move
            Map<String, long[]> before = counters(server, schema);
            long callsBefore = source.calls.get();
            long started = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            Map<String, long[]> after = counters(server, schema);
            double elapsed = (System.nanoTime() - started) / 1e9;
            long calls = source.calls.get() - callsBefore;

            System.out.printf(Locale.ROOT, "lease-load: %d engines, %d mailboxes (1 folder each), %.0f s measured,"
                    + " poll 1 min, lease 30 s, renewal 10 s; %d delta calls meanwhile (%.1f/s)%n", engines, mailboxes,
                    elapsed, calls, calls / elapsed);
            System.out.println("| table | scans/s per engine | rows written/s per engine | scans/s all | rows written/s all |");
            System.out.println("|---|---:|---:|---:|---:|");
            for (String table : List.of("tekst_outlook_leases", "tekst_outlook_workers")) {
                long[] b = before.getOrDefault(table, new long[2]);
                long[] a = after.getOrDefault(table, new long[2]);
                double scans = (a[0] - b[0]) / elapsed;
                double writes = (a[1] - b[1]) / elapsed;
                System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f |%n", table, scans / engines,
                        writes / engines, scans, writes);
            }
            System.out.println("command: TEKST_TEST_POSTGRES_URL=… java -jar benchmarks/target/tekst-outlook-benchmarks.jar"
                    + " lease-load " + engines + " " + mailboxes + " " + seconds);
        } finally {
            for (SyncEngine engine : running) {
                engine.stop(Duration.ofSeconds(5));
            }
            for (JdbcOutlookStore store : stores) {
                store.close();
            }
            execute(server, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private static boolean settled(List<MailboxLease> leases, int engines, int mailboxes) {
        Map<String, Integer> held = new TreeMap<>();
        leases.forEach(l -> held.merge(l.workerId(), 1, Integer::sum));
        int share = (mailboxes + engines - 1) / engines;
        return leases.size() == mailboxes && held.size() == engines
                && held.values().stream().allMatch(n -> n >= share - 1 && n <= share);
    }

    /** Per table: scans (sequential + index) and rows written (inserted + updated + deleted), as PostgreSQL counts. */
    private static Map<String, long[]> counters(String server, String schema) throws Exception {
        Thread.sleep(1_500); // PostgreSQL publishes a backend's counts when its transaction ends, at most once a second
        Map<String, long[]> out = new TreeMap<>();
        try (java.sql.Connection c = DriverManager.getConnection(server); Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_clear_snapshot()");
            try (ResultSet rs = s.executeQuery("SELECT relname, COALESCE(seq_scan, 0) + COALESCE(idx_scan, 0),"
                    + " n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables WHERE schemaname = '" + schema
                    + "'")) {
                while (rs.next()) {
                    out.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
                }
            }
        }
        return out;
    }

    private static void execute(String url, String sql) throws Exception {
        try (java.sql.Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Every delta request answered at once with no change: the engines' bookkeeping is all the work left. */
    private static final class EmptySource implements MailSource {
        final AtomicLong calls = new AtomicLong();

        @Override
        public DeltaPage fetchDelta(DeltaRequest request) {
            long n = calls.incrementAndGet();
            return DeltaPage.last(List.of(), List.of(),
                    "https://graph.microsoft.com/v1.0/users/x/mailFolders/inbox/messages/delta?$deltatoken=t" + n);
        }

        @Override
        public BackfillPage fetchBackfill(BackfillRequest request) {
            throw new UnsupportedOperationException("no backfill in this benchmark");
        }

        @Override
        public long folderItemCount(MailboxTarget mailbox, FolderRef folder) {
            return 0;
        }
    }
}
