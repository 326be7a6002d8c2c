package com.tekst.outlook.reliability;

import com.tekst.outlook.sync.MailMessage;
import com.tekst.outlook.sync.MessagePage;
import com.tekst.outlook.sync.MessageSink;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The soak's sink: a durable record of every delivery, in an SQLite file of its own (not the engine's store), or in
 * tables of a PostgreSQL schema (the fleet's, next to the engines' store: {@link #createTables}). Within
 * {@link #accept} — before it returns and so before the engine acknowledges the page — every message becomes an
 * {@code add} row and every removal a {@code remove} row, committed in one transaction: whatever the sink acknowledged
 * survives a SIGKILL (SQLite: WAL, a killed process loses nothing the kernel has, only a power loss could;
 * PostgreSQL: committed on the server). Engine events
 * (retries, throttling, delta resets) go to a second table. One connection, writes serialized; the engine calls the
 * sink from several threads.
 */
final class SinkLog implements MessageSink, AutoCloseable {
    /** One row of the {@code deliveries} table. */
    record Delivery(long seq, int run, String mailbox, String folder, String kind, String pageKind, String id,
                    String internetMessageId, String received) {
        boolean isAdd() {
            return kind.equals("add");
        }

        String folderKey() {
            return mailbox + "/" + folder;
        }
    }

    private static final String SCHEMA_DELIVERIES = "CREATE TABLE IF NOT EXISTS deliveries (seq INTEGER PRIMARY KEY"
            + " AUTOINCREMENT, run INTEGER NOT NULL, mailbox TEXT NOT NULL, folder TEXT NOT NULL, kind TEXT NOT NULL,"
            + " page_kind TEXT NOT NULL, message_id TEXT NOT NULL, internet_message_id TEXT, received TEXT,"
            + " at_millis INTEGER NOT NULL)";
    private static final String SCHEMA_EVENTS = "CREATE TABLE IF NOT EXISTS engine_events (seq INTEGER PRIMARY KEY"
            + " AUTOINCREMENT, run INTEGER NOT NULL, kind TEXT NOT NULL, folder TEXT, detail TEXT,"
            + " at_millis INTEGER NOT NULL)";

    private final Connection db;
    private final int run;

    private SinkLog(Connection db, int run) {
        this.db = db;
        this.run = run;
    }

    /** Opens (creating) the sink file for writing by run {@code run}. */
    static SinkLog open(Path file, int run) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=NORMAL");
            s.execute("PRAGMA busy_timeout=10000");
            s.execute(SCHEMA_DELIVERIES);
            s.execute(SCHEMA_EVENTS);
        }
        c.setAutoCommit(false);
        c.commit();
        return new SinkLog(c, run);
    }

    /** The sink's tables in a PostgreSQL schema (the URL's {@code currentSchema}), once, before any engine opens it. */
    static void createTables(String jdbcUrl) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
            s.execute(SCHEMA_DELIVERIES.replace("seq INTEGER PRIMARY KEY AUTOINCREMENT", "seq BIGSERIAL PRIMARY KEY")
                    .replace("at_millis INTEGER", "at_millis BIGINT"));
            s.execute(SCHEMA_EVENTS.replace("seq INTEGER PRIMARY KEY AUTOINCREMENT", "seq BIGSERIAL PRIMARY KEY")
                    .replace("at_millis INTEGER", "at_millis BIGINT"));
        }
    }

    /** Opens the sink in a PostgreSQL schema made by {@link #createTables}, for writing by run {@code run}. */
    static SinkLog open(String jdbcUrl, int run) throws SQLException {
        Connection c = DriverManager.getConnection(jdbcUrl);
        c.setAutoCommit(false);
        return new SinkLog(c, run);
    }

    /** Every delivery in a PostgreSQL sink, in commit order. */
    static List<Delivery> deliveries(String jdbcUrl) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
            return read(s);
        }
    }

    @Override
    public synchronized void accept(MessagePage page) throws SQLException {
        try (PreparedStatement insert = db.prepareStatement("INSERT INTO deliveries (run, mailbox, folder, kind,"
                + " page_kind, message_id, internet_message_id, received, at_millis) VALUES (?,?,?,?,?,?,?,?,?)")) {
            long now = System.currentTimeMillis();
            for (MailMessage m : page.messages()) {
                bind(insert, page, "add", m.id(), m.internetMessageId(),
                        m.receivedDateTime() == null ? null : m.receivedDateTime().toString(), now);
            }
            for (String id : page.removedIds()) {
                bind(insert, page, "remove", id, null, null, now);
            }
            insert.executeBatch();
            db.commit();
        } catch (SQLException e) {
            db.rollback();
            throw e; // the page stays unacknowledged and comes again
        }
    }

    private void bind(PreparedStatement insert, MessagePage page, String kind, String id, String imid,
                      String received, long now) throws SQLException {
        insert.setInt(1, run);
        insert.setString(2, page.mailboxId().value());
        insert.setString(3, page.folder().id());
        insert.setString(4, kind);
        insert.setString(5, page.kind().name());
        insert.setString(6, id);
        insert.setString(7, imid);
        insert.setString(8, received);
        insert.setLong(9, now);
        insert.addBatch();
    }

    /** Records an engine event (never a message's content: kinds, folder ids, counts, exception class names). */
    synchronized void event(String kind, String folder, String detail) {
        try (PreparedStatement insert = db.prepareStatement(
                "INSERT INTO engine_events (run, kind, folder, detail, at_millis) VALUES (?,?,?,?,?)")) {
            insert.setInt(1, run);
            insert.setString(2, kind);
            insert.setString(3, folder);
            insert.setString(4, detail);
            insert.setLong(5, System.currentTimeMillis());
            insert.executeUpdate();
            db.commit();
        } catch (SQLException e) {
            try {
                db.rollback();
            } catch (SQLException ignored) {
                // the event is lost; deliveries are what the checks read
            }
        }
    }

    @Override
    public synchronized void close() throws SQLException {
        db.close();
    }

    // ---- the parent's side: reading ---------------------------------------------------------------------------------

    /** Every delivery in the file, in commit order. An absent file reads as none. */
    static List<Delivery> deliveries(Path file) throws SQLException {
        List<Delivery> out = new ArrayList<>();
        if (!file.toFile().exists()) {
            return out;
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
             Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=10000");
            return read(s);
        }
    }

    private static List<Delivery> read(Statement s) throws SQLException {
        List<Delivery> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT seq, run, mailbox, folder, kind, page_kind, message_id,"
                + " internet_message_id, received FROM deliveries ORDER BY seq")) {
            while (rs.next()) {
                out.add(new Delivery(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9)));
            }
        }
        return out;
    }

    /** How many distinct folders have an engine event of this kind. */
    static long distinctFolders(Path file, String kind) throws SQLException {
        if (!file.toFile().exists()) {
            return 0;
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
             PreparedStatement s = c.prepareStatement(
                     "SELECT COUNT(DISTINCT folder) FROM engine_events WHERE kind = ?")) {
            s.setString(1, kind);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** How many engine events of each kind the file holds. */
    /**
     * When the engine reported each throttling, per mailbox (epoch millis of the child's clock, which the fake's clock
     * shares), ascending. The engine raises its fence before it reports, so a call that reached the fake before the
     * report was let through before the engine knew of the {@code Retry-After}.
     */
    static java.util.Map<String, List<Long>> throttledAt(Path file) throws SQLException {
        java.util.Map<String, List<Long>> out = new java.util.HashMap<>();
        if (!file.toFile().exists()) {
            return out;
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
             Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=10000");
            try (ResultSet rs = s.executeQuery("SELECT folder, at_millis FROM engine_events WHERE kind = 'throttled'"
                    + " AND folder IS NOT NULL ORDER BY at_millis")) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new java.util.ArrayList<>()).add(rs.getLong(2));
                }
            }
        } catch (SQLException e) {
            if (String.valueOf(e.getMessage()).contains("no such table")) {
                return out;
            }
            throw e;
        }
        return out;
    }

    static java.util.Map<String, Long> eventCounts(Path file) throws SQLException {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        if (!file.toFile().exists()) {
            return out;
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
             Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=10000");
            try (ResultSet rs = s.executeQuery("SELECT kind, COUNT(*) FROM engine_events GROUP BY kind")) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        } catch (SQLException e) {
            if (String.valueOf(e.getMessage()).contains("no such table")) {
                return out;
            }
            throw e;
        }
        return out;
    }
}
