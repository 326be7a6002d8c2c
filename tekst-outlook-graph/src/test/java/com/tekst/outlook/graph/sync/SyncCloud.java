package com.tekst.outlook.graph.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.tekst.outlook.ErrorDetails;
import com.tekst.outlook.Connection;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionStatus;
import com.tekst.outlook.ConnectionType;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.ThrottledException;
import com.tekst.outlook.graph.AppCredential;
import com.tekst.outlook.graph.CloudEndpoints;
import com.tekst.outlook.graph.OutlookClient;
import com.tekst.outlook.graph.StateKey;
import com.tekst.outlook.mailbox.FolderRef;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.mailbox.MailboxType;
import com.tekst.outlook.store.FolderKey;
import com.tekst.outlook.store.InMemoryOutlookStore;
import com.tekst.outlook.store.MailboxRecord;
import com.tekst.outlook.store.OutlookStore;
import com.tekst.outlook.sync.MailMessage;
import com.tekst.outlook.sync.MessagePage;
import com.tekst.outlook.sync.MessageSink;
import com.tekst.outlook.sync.SyncEngine;
import com.tekst.outlook.sync.SyncListener;
import com.tekst.outlook.testkit.FakeClock;
import com.tekst.outlook.testkit.FakeMailbox;
import com.tekst.outlook.testkit.FakeMessage;
import com.tekst.outlook.testkit.FakeMicrosoftCloud;
import com.tekst.outlook.testkit.FakeTenant;
import com.tekst.outlook.testkit.FakeUser;
import com.tekst.outlook.testkit.JournalEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * One acceptance test's world: a fake Microsoft cloud on a fake clock with the tenant {@code contoso} (consented), a
 * store behind an {@link AckRecorder}, an {@link OutlookClient} pointed at the fake, a connection {@code acme}
 * CONNECTED to contoso at {@link #CONNECTED_AT}, and the sink and listener the engines get.
 */
final class SyncCloud implements AutoCloseable {
    static final Instant CONNECTED_AT = FakeClock.DEFAULT_START;
    static final Duration POLL = Duration.ofMinutes(1);

    final FakeClock clock = new FakeClock(CONNECTED_AT);
    final FakeMicrosoftCloud cloud;
    final FakeTenant tenant;
    final AckRecorder acks = new AckRecorder();
    OutlookStore store;
    final ConnectionId connection = ConnectionId.of("acme");
    final Sink sink = new Sink();
    final Events events = new Events();
    final List<OutlookClient> clients = new ArrayList<>();
    final List<SyncEngine> engines = new ArrayList<>();
    OutlookClient client;
    SyncEngine engine;

    SyncCloud() {
        this(b -> b, new InMemoryOutlookStore());
    }

    SyncCloud(UnaryOperator<FakeMicrosoftCloud.Builder> configure, OutlookStore base) {
        cloud = configure.apply(FakeMicrosoftCloud.builder().clock(clock)
                .tenant(FakeTenant.builder("contoso").consentGranted())).start();
        tenant = cloud.tenant("contoso");
        store = acks.wrap(base);
        store.saveConnection(Connection.pending(connection, ConnectionType.ORGANIZATION_WIDE,
                CONNECTED_AT.minus(Duration.ofHours(1))).connectedTo(tenant.id(), CONNECTED_AT));
        client = newClient(cloud.clientSecret());
    }

    /** Continues on another store (the same database reopened): new writes are recorded as before; a new client. */
    void reopen(OutlookStore base) {
        store = acks.wrap(base);
        client = newClient(cloud.clientSecret());
    }

    OutlookClient newClient(String secret) {
        OutlookClient c = OutlookClient.builder()
                .clientId(cloud.app().clientId())
                .credential(AppCredential.secret(secret))
                .stateKeys(StateKey.random())
                .store(store)
                .cloud(CloudEndpoints.of(cloud.loginBaseUrl(), cloud.graphBaseUrl()))
                .clock(clock)
                .sleeper(clock)
                .trustManager(cloud.trustManager())
                .build();
        clients.add(c);
        return c;
    }

    /** A user with a mailbox in contoso, synced by acme for these folders (well-known names or paths). */
    FakeMailbox addMailbox(String localPart, String... folders) {
        String upn = localPart + "@contoso.onmicrosoft.com";
        tenant.addUser(FakeUser.builder(upn));
        FakeMailbox mailbox = tenant.mailbox(upn);
        saveMailbox(mailbox, folders);
        return mailbox;
    }

    void saveMailbox(FakeMailbox mailbox, String... folders) {
        List<FolderRef> refs = new ArrayList<>();
        for (String f : folders) {
            refs.add(new FolderRef(mailbox.folder(f).id(), mailbox.folder(f).path()));
        }
        store.saveMailbox(new MailboxRecord(connection, mailbox.objectId(), MailboxAddress.of(mailbox.address()),
                mailbox.owner().displayName(), MailboxType.USER, refs, MailboxStatus.PENDING, null, "",
                clock.instant()));
    }

    /** Delivers {@code count} messages into a folder, received {@code spacing} apart, the newest at {@code newest}. */
    static List<FakeMessage> deliver(FakeMailbox mailbox, String folder, int count, Instant newest, Duration spacing) {
        List<FakeMessage> out = new ArrayList<>();
        for (int i = count - 1; i >= 0; i--) {
            out.add(mailbox.deliver(folder, FakeMessage.builder().from("sender" + i + "@fabrikam.example")
                    .to(mailbox.address()).subject("Order " + i).receivedAt(newest.minus(spacing.multipliedBy(i)))));
        }
        return out;
    }

    static Set<String> ids(List<FakeMessage> messages) {
        Set<String> out = new LinkedHashSet<>();
        messages.forEach(m -> out.add(m.immutableId()));
        return out;
    }

    /** The builder every test starts from: this world's sink and listener, 4 threads, 5 ms timer, seeded jitter. */
    OutlookClient.EngineBuilder builder() {
        return client.syncEngine().sink(sink).listener(events).threads(4).pollInterval(POLL)
                .timerResolution(Duration.ofMillis(5)).random(new Random(7)).backoff(Duration.ofSeconds(1),
                        Duration.ofMinutes(1));
    }

    SyncEngine start(OutlookClient.EngineBuilder builder) {
        engine = builder.build();
        engines.add(engine);
        engine.start();
        return engine;
    }

    /** Waits (real time, bounded) until the engine has nothing runnable at the current fake time. */
    void settle() throws InterruptedException {
        assertThat(engine.awaitIdle(Duration.ofSeconds(120))).as("the engine settles").isTrue();
    }

    void advance(Duration d) throws InterruptedException {
        clock.advance(d);
        settle();
    }

    ConnectionStatus connectionStatus() {
        return store.findConnection(connection).orElseThrow().status();
    }

    MailboxRecord mailbox(FakeMailbox m) {
        return store.findMailbox(connection, m.objectId()).orElseThrow();
    }

    FolderKey key(FakeMailbox m, String folder) {
        return new FolderKey(connection, m.objectId(), m.folder(folder).id());
    }

    /** Graph message-delta requests to a mailbox, as the fake journaled them. */
    List<JournalEntry> deltaRequests(FakeMailbox m) {
        return cloud.journal().entries(e -> m.objectId().equals(e.mailbox().orElse(null)) && e.path().endsWith("/delta"));
    }

    List<JournalEntry> requests(Predicate<JournalEntry> filter) {
        return cloud.journal().entries(filter);
    }

    @Override
    public void close() throws InterruptedException {
        for (SyncEngine e : engines) {
            e.stopNow();
        }
        for (SyncEngine e : engines) {
            e.awaitIdle(Duration.ofSeconds(10));
        }
        clients.forEach(OutlookClient::close);
        cloud.close();
    }

    /** Records every page (thread-safe); {@link #behave} adds what the sink does before acknowledging. */
    static final class Sink implements MessageSink {
        interface Behaviour {
            void accept(MessagePage page) throws Exception;
        }

        final List<MessagePage> pages = new CopyOnWriteArrayList<>();
        final List<MessagePage> acknowledged = new CopyOnWriteArrayList<>();
        private volatile Behaviour behaviour = p -> { };

        void behave(Behaviour b) {
            this.behaviour = b;
        }

        @Override
        public void accept(MessagePage page) throws Exception {
            pages.add(page);
            behaviour.accept(page);
            acknowledged.add(page);
        }

        List<MessagePage> pages(MailboxId mailboxId, MessagePage.Kind kind) {
            return pages.stream().filter(p -> p.mailboxId().equals(mailboxId) && p.kind() == kind).toList();
        }

        /** Every message delivered for the mailbox, in order (with repeats). */
        List<MailMessage> messages(MailboxId mailboxId) {
            return pages.stream().filter(p -> p.mailboxId().equals(mailboxId))
                    .flatMap(p -> p.messages().stream()).toList();
        }

        Set<String> messageIds(MailboxId mailboxId) {
            Set<String> out = new LinkedHashSet<>();
            messages(mailboxId).forEach(m -> out.add(m.id()));
            return out;
        }

        /** Removals delivered for the mailbox, as {@code folderId/messageId}. */
        Set<String> removals(MailboxId mailboxId) {
            Set<String> out = new LinkedHashSet<>();
            pages.stream().filter(p -> p.mailboxId().equals(mailboxId))
                    .forEach(p -> p.removedIds().forEach(id -> out.add(p.folder().id() + "/" + id)));
            return out;
        }
    }

    /** Records the listener's events (thread-safe). */
    static final class Events implements SyncListener {
        record Status(MailboxId mailboxId, MailboxStatus to, Instant until) {
        }

        final List<ConnectionStatus> connection = new CopyOnWriteArrayList<>();
        /** The ErrorDetails of each connection and mailbox status event, by the status it went to. */
        final java.util.Map<ConnectionStatus, ErrorDetails> connectionDetails = new java.util.concurrent.ConcurrentHashMap<>();
        final java.util.Map<String, ErrorDetails> mailboxDetails = new java.util.concurrent.ConcurrentHashMap<>();
        final List<Status> mailbox = new CopyOnWriteArrayList<>();
        final List<FolderKey> expired = new CopyOnWriteArrayList<>();
        final List<Throwable> retries = new CopyOnWriteArrayList<>();
        /** {@code folderId -> delivered counts in event order} as {@code folderId:delivered:estimate}. */
        final List<String> backfillProgress = new CopyOnWriteArrayList<>();
        final List<MailboxId> throttled = new CopyOnWriteArrayList<>();
        final List<ErrorDetails> throttledDetails = new CopyOnWriteArrayList<>();
        /** Each staleness change: {@code true} stale, {@code false} syncing again. */
        final List<Boolean> stale = new CopyOnWriteArrayList<>();
        final List<Instant> staleTimes = new CopyOnWriteArrayList<>();

        @Override
        public void connectionStaleChanged(ConnectionId c, boolean isStale, Instant lastSuccessfulSync) {
            stale.add(isStale);
            staleTimes.add(lastSuccessfulSync);
        }

        @Override
        public void connectionStatusChanged(ConnectionId c, ConnectionStatus from, ConnectionStatus to, String reason,
                                            ErrorDetails details) {
            connection.add(to);
            connectionDetails.put(to, details);
        }

        @Override
        public void mailboxStatusChanged(ConnectionId c, MailboxId mailboxId, MailboxStatus from, MailboxStatus to,
                                         Instant until, String reason, ErrorDetails details) {
            mailbox.add(new Status(mailboxId, to, until));
            if (to != null) {
                mailboxDetails.put(mailboxId + "/" + to, details);
            }
        }

        @Override
        public void deltaExpired(FolderKey folder, Instant restartFrom) {
            expired.add(folder);
        }

        @Override
        public void backfillProgress(FolderKey folder, long delivered, long estimatedTotal) {
            backfillProgress.add(folder.folderId() + ":" + delivered + ":" + estimatedTotal);
        }

        @Override
        public void throttled(ConnectionId c, MailboxId mailboxId, ThrottledException.Scope scope, Duration retryAfter,
                              Instant until, ErrorDetails details) {
            throttled.add(mailboxId);
            throttledDetails.add(details);
        }

        @Override
        public void retryScheduled(FolderKey folder, MessagePage.Kind kind, Throwable cause, Instant retryAt) {
            retries.add(cause);
        }
    }
}
