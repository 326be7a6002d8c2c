package com.tekst.outlook.sync.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.tekst.outlook.Connection;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionStatus;
import com.tekst.outlook.ConnectionType;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.TenantId;
import com.tekst.outlook.mailbox.FolderRef;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.mailbox.MailboxType;
import com.tekst.outlook.store.InMemoryOutlookStore;
import com.tekst.outlook.store.MailboxRecord;
import com.tekst.outlook.sync.SyncEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** One test's world: a fake clock, an in-memory store behind a recorder, a fake Graph, a sink and a listener. */
public final class SyncFixture implements AutoCloseable {
    public static final Instant CONNECTED_AT = Instant.parse("2026-01-05T09:00:00Z");
    public static final Duration POLL = Duration.ofMinutes(1);

    public final TestClock clock = new TestClock(CONNECTED_AT.plus(Duration.ofMinutes(5)));
    public final InMemoryOutlookStore memory = new InMemoryOutlookStore();
    public final RecordingStore store = new RecordingStore(memory);
    public final FakeGraph graph = new FakeGraph(clock);
    public final RecordingSink sink = new RecordingSink();
    public final RecordingListener listener = new RecordingListener();
    private final List<SyncEngine> engines = new ArrayList<>();
    public SyncEngine engine;

    public static String guid(int n) {
        return String.format("00000000-0000-4000-8000-%012d", n);
    }

    public Connection connect(String id, int tenant) {
        Connection c = Connection.pending(ConnectionId.of(id), ConnectionType.ORGANIZATION_WIDE,
                CONNECTED_AT.minus(Duration.ofHours(1))).connectedTo(TenantId.of(guid(tenant)), CONNECTED_AT);
        store.saveConnection(c);
        return c;
    }

    public MailboxId addMailbox(Connection c, int n, String... folders) {
        MailboxId id = MailboxId.of(guid(1000 + n));
        List<FolderRef> refs = Arrays.stream(folders).map(f -> new FolderRef(f, f)).toList();
        store.saveMailbox(new MailboxRecord(c.id(), id, MailboxAddress.of("user" + n + "@contoso.example"),
                "User " + n, MailboxType.USER, refs, MailboxStatus.PENDING, null, "", CONNECTED_AT));
        graph.addMailbox(id, folders);
        return id;
    }

    /** The builder every test starts from: fake clock, 5 ms timer, seeded jitter, 1-minute poll. */
    public SyncEngine.Builder builder() {
        return SyncEngine.builder().store(store).source(graph).sink(sink).listener(listener).clock(clock)
                .threads(4).pollInterval(POLL).timerResolution(Duration.ofMillis(5)).random(new Random(7));
    }

    public SyncEngine start(SyncEngine.Builder builder) {
        build(builder).start();
        return engine;
    }

    /** Builds (and registers for cleanup) an engine without starting it. */
    public SyncEngine build(SyncEngine.Builder builder) {
        engine = builder.build();
        engines.add(engine);
        return engine;
    }

    public SyncEngine start() {
        return start(builder());
    }

    /** Waits until the engine has nothing runnable at the current fake time. */
    /** Calls {@code engine.stop(grace)} on a thread of its own, started; its answer goes into {@code clean}. */
    public Thread stopInBackground(SyncEngine engine, Duration grace,
                                   java.util.concurrent.atomic.AtomicReference<Boolean> clean) {
        Thread stopper = new Thread(() -> {
            try {
                clean.set(engine.stop(grace));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        stopper.start();
        return stopper;
    }

    public void settle() throws InterruptedException {
        assertThat(engine.awaitIdle(Duration.ofSeconds(20))).as("engine settles").isTrue();
    }

    /** Advances fake time and lets the engine settle. */
    public void advance(Duration d) throws InterruptedException {
        clock.advance(d);
        settle();
    }

    public ConnectionStatus connectionStatus(Connection c) {
        return store.findConnection(c.id()).orElseThrow().status();
    }

    public MailboxRecord mailbox(Connection c, MailboxId mailboxId) {
        return store.findMailbox(c.id(), mailboxId).orElseThrow();
    }

    /** Kills an engine and waits for its threads to leave their units of work. */
    public void kill(SyncEngine e) throws InterruptedException {
        e.stopNow();
        assertThat(e.awaitIdle(Duration.ofSeconds(20))).isTrue();
    }

    @Override
    public void close() throws InterruptedException {
        for (SyncEngine e : engines) {
            e.stopNow();
        }
        graph.release();
        for (SyncEngine e : engines) {
            e.awaitIdle(Duration.ofSeconds(5));
        }
    }
}
