package com.tekst.outlook.internal.jdbc;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.LeaseLostException;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.store.LeaseState;
import com.tekst.outlook.store.MailboxLease;
import com.tekst.outlook.store.WorkerLeases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The worker registry and the mailbox leases of a PostgreSQL store, with all of their SQL (docs/design/015). Times
 * are the database's ({@code clock_timestamp()}, in epoch microseconds like every instant of the store); claims use
 * {@code FOR UPDATE SKIP LOCKED}, so workers claiming at once never wait for each other nor take the same mailbox.
 *
 * <p>Also owns the lease side of the schema for every dialect: the lease row of a new mailbox
 * ({@link #addMailbox}) and removing lease rows with their mailboxes ({@link #deleteRows}).
 *
 * <p>Thread-safe.
 */
public final class JdbcLeases implements WorkerLeases {
    /** The lease table, one row per mailbox of a connection. */
    public static final String TABLE = "tekst_outlook_leases";
    /** The worker registry. */
    public static final String WORKERS = "tekst_outlook_workers";

    /** The database's current time in epoch microseconds (PostgreSQL). */
    private static final String NOW = "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000 AS BIGINT)";
    private static final String LEASE_COLUMNS = "connection_id, mailbox_id, worker_id, epoch, fence_until, signals";

    private static final Comparator<MailboxLease> ORDER = Comparator
            .comparing((MailboxLease l) -> l.connection().value()).thenComparing(l -> l.mailboxId().value());

    private final JdbcExecutor db;
    /** Descriptions of the workers registered here, for registering one again after its registration expired. */
    private final Map<String, String> descriptions = new ConcurrentHashMap<>();

    public JdbcLeases(JdbcExecutor db) {
        this.db = Objects.requireNonNull(db, "db");
        if (db.dialect() != Dialect.POSTGRESQL) {
            throw new IllegalArgumentException("leases need PostgreSQL");
        }
    }

    /** Inside the caller's transaction, any dialect: the free lease row of a mailbox, unless it has one. */
    public static void addMailbox(Connection c, ConnectionId connection, MailboxId mailboxId) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + TABLE
                + " (connection_id, mailbox_id, worker_id, epoch, expires_at, fence_until, signals)"
                + " VALUES (?, ?, NULL, 0, 0, NULL, 0) ON CONFLICT (connection_id, mailbox_id) DO NOTHING")) {
            insert.setString(1, connection.value());
            insert.setString(2, mailboxId.value());
            insert.executeUpdate();
        }
    }

    /**
     * Inside the caller's transaction: deletes the lease rows of a connection, or of one mailbox, before the rows
     * they guard (a fenced write locks the lease first).
     */
    public static void deleteRows(Connection c, ConnectionId connection, MailboxId mailboxId) throws SQLException {
        JdbcRows.delete(c, TABLE, connection, mailboxId);
    }

    /**
     * Inside the caller's transaction: share-locks the mailbox's lease row if {@code lease} still holds it (same
     * worker, same epoch, not expired at database time), so no grant can change it before the transaction ends;
     * otherwise throws {@link LeaseLostException} (the caller's transaction is rolled back).
     */
    public static void checkFence(Connection c, MailboxLease lease) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT epoch FROM " + TABLE
                + " WHERE connection_id = ? AND mailbox_id = ? AND worker_id = ? AND epoch = ? AND expires_at > "
                + NOW + " FOR SHARE")) {
            select.setString(1, lease.connection().value());
            select.setString(2, lease.mailboxId().value());
            select.setString(3, lease.workerId());
            select.setLong(4, lease.epoch());
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new LeaseLostException(lease.connection(), lease.mailboxId(), lease.epoch());
                }
            }
        }
    }

    @Override
    public String register(String description, Duration lease) {
        Objects.requireNonNull(description, "description");
        long micros = micros(lease);
        String workerId = UUID.randomUUID().toString();
        db.autocommit("register worker", c -> insertWorker(c, workerId, description, micros));
        descriptions.put(workerId, description);
        return workerId;
    }

    private static int insertWorker(Connection c, String workerId, String description, long micros)
            throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + WORKERS
                + " (worker_id, description, started_at, heartbeat_at, expires_at) VALUES (?, ?, " + NOW + ", " + NOW
                + ", " + NOW + " + ?) ON CONFLICT (worker_id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at,"
                + " expires_at = excluded.expires_at")) {
            insert.setString(1, workerId);
            insert.setString(2, description);
            insert.setLong(3, micros);
            return insert.executeUpdate();
        }
    }

    @Override
    public LeaseState heartbeat(String workerId, Duration lease) {
        Objects.requireNonNull(workerId, "workerId");
        long micros = micros(lease);
        return db.transaction("heartbeat", c -> {
            try (PreparedStatement renew = c.prepareStatement("UPDATE " + WORKERS + " SET heartbeat_at = " + NOW
                    + ", expires_at = " + NOW + " + ? WHERE worker_id = ?")) {
                renew.setLong(1, micros);
                renew.setString(2, workerId);
                if (renew.executeUpdate() == 0) {
                    // reaped by another worker after it expired: alive again, its old leases are lost anyway
                    insertWorker(c, workerId, descriptions.getOrDefault(workerId, "registered again"), micros);
                }
            }
            try (PreparedStatement reap = c.prepareStatement("DELETE FROM " + WORKERS + " WHERE expires_at < " + NOW)) {
                reap.executeUpdate();
            }
            List<MailboxLease> held = new ArrayList<>();
            try (PreparedStatement renew = c.prepareStatement("UPDATE " + TABLE + " SET expires_at = " + NOW + " + ?"
                    + " WHERE worker_id = ? AND expires_at > " + NOW + " RETURNING " + LEASE_COLUMNS)) {
                renew.setLong(1, micros);
                renew.setString(2, workerId);
                read(renew, held);
            }
            int workers;
            int mailboxes;
            try (PreparedStatement count = c.prepareStatement("SELECT (SELECT COUNT(*) FROM " + WORKERS
                    + " WHERE expires_at > " + NOW + "), (SELECT COUNT(*) FROM " + TABLE + ")");
                 ResultSet row = count.executeQuery()) {
                row.next();
                workers = Math.max(1, row.getInt(1));
                mailboxes = row.getInt(2);
            }
            int fair = (mailboxes + workers - 1) / workers;
            if (held.size() < fair) {
                try (PreparedStatement claim = c.prepareStatement("UPDATE " + TABLE + " SET worker_id = ?,"
                        + " epoch = epoch + 1, expires_at = " + NOW + " + ? WHERE (connection_id, mailbox_id) IN"
                        + " (SELECT connection_id, mailbox_id FROM " + TABLE + " WHERE worker_id IS NULL"
                        + " OR expires_at <= " + NOW + " ORDER BY expires_at, connection_id, mailbox_id LIMIT ?"
                        + " FOR UPDATE SKIP LOCKED) RETURNING " + LEASE_COLUMNS)) {
                    claim.setString(1, workerId);
                    claim.setLong(2, micros);
                    claim.setInt(3, fair - held.size());
                    read(claim, held);
                }
            }
            held.sort(ORDER);
            return new LeaseState(workerId, held, workers, mailboxes, fair);
        });
    }

    @Override
    public void release(String workerId, Collection<MailboxLease> leases) {
        Objects.requireNonNull(workerId, "workerId");
        if (leases.isEmpty()) {
            return;
        }
        db.transaction("release leases", c -> {
            try (PreparedStatement release = c.prepareStatement("UPDATE " + TABLE + " SET worker_id = NULL,"
                    + " expires_at = 0 WHERE connection_id = ? AND mailbox_id = ? AND worker_id = ? AND epoch = ?")) {
                for (MailboxLease lease : leases) {
                    release.setString(1, lease.connection().value());
                    release.setString(2, lease.mailboxId().value());
                    release.setString(3, workerId);
                    release.setLong(4, lease.epoch());
                    release.addBatch();
                }
                release.executeBatch();
            }
            return null;
        });
    }

    @Override
    public void deregister(String workerId) {
        Objects.requireNonNull(workerId, "workerId");
        db.transaction("deregister worker", c -> {
            try (PreparedStatement release = c.prepareStatement("UPDATE " + TABLE + " SET worker_id = NULL,"
                    + " expires_at = 0 WHERE worker_id = ?")) {
                release.setString(1, workerId);
                release.executeUpdate();
            }
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + WORKERS + " WHERE worker_id = ?")) {
                delete.setString(1, workerId);
                delete.executeUpdate();
            }
            return null;
        });
        descriptions.remove(workerId);
    }

    @Override
    public void recordFence(MailboxLease lease, Instant until) {
        Objects.requireNonNull(lease, "lease");
        long fence = EpochMicros.of(Objects.requireNonNull(until, "until"));
        db.autocommit("record fence", c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE " + TABLE
                    + " SET fence_until = GREATEST(COALESCE(fence_until, 0), ?) WHERE connection_id = ?"
                    + " AND mailbox_id = ? AND worker_id = ? AND epoch = ? AND expires_at > " + NOW)) {
                update.setLong(1, fence);
                update.setString(2, lease.connection().value());
                update.setString(3, lease.mailboxId().value());
                update.setString(4, lease.workerId());
                update.setLong(5, lease.epoch());
                if (update.executeUpdate() != 1) {
                    throw new LeaseLostException(lease.connection(), lease.mailboxId(), lease.epoch());
                }
            }
            return null;
        });
    }

    @Override
    public void signal(ConnectionId connection, MailboxId mailboxId) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(mailboxId, "mailboxId");
        db.autocommit("signal mailbox owner", c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE " + TABLE
                    + " SET signals = signals + 1 WHERE connection_id = ? AND mailbox_id = ?")) {
                update.setString(1, connection.value());
                update.setString(2, mailboxId.value());
                return update.executeUpdate();
            }
        });
    }

    @Override
    public List<MailboxLease> listLeases() {
        List<MailboxLease> all = db.autocommit("list leases", c -> {
            List<MailboxLease> list = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT " + LEASE_COLUMNS + " FROM " + TABLE
                    + " WHERE worker_id IS NOT NULL AND expires_at > " + NOW)) {
                read(select, list);
            }
            return list;
        });
        all.sort(ORDER);
        return List.copyOf(all);
    }

    @Override
    public int liveWorkers() {
        return db.autocommit("count workers", c -> {
            try (PreparedStatement count = c.prepareStatement("SELECT COUNT(*) FROM " + WORKERS
                    + " WHERE expires_at > " + NOW);
                 ResultSet row = count.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        });
    }

    private static void read(PreparedStatement statement, List<MailboxLease> into) throws SQLException {
        try (ResultSet row = statement.executeQuery()) {
            while (row.next()) {
                into.add(new MailboxLease(ConnectionId.of(row.getString("connection_id")),
                        MailboxId.of(row.getString("mailbox_id")), row.getString("worker_id"), row.getLong("epoch"),
                        EpochMicros.read(row, "fence_until"), row.getLong("signals")));
            }
        }
    }

    private static long micros(Duration lease) {
        Objects.requireNonNull(lease, "lease");
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("a lease lasts a positive time");
        }
        return lease.toNanos() / 1_000;
    }
}
