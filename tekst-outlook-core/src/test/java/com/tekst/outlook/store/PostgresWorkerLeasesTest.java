package com.tekst.outlook.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.LeaseLostException;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.mailbox.FolderRef;
import com.tekst.outlook.mailbox.MailboxStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The worker registry and mailbox leases of {@link JdbcOutlookStore} on a real PostgreSQL (a schema of its own per
 * test): fair-share claims, expiry and takeover by database time, epochs that fence the old holder's writes, release,
 * persisted fences and signals.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresWorkerLeasesTest {
    private static final Duration LONG = Duration.ofMinutes(5);
    private static final Duration SHORT = Duration.ofMillis(400);
    private static final FolderRef INBOX = new FolderRef("inbox", "Inbox");

    private String serverUrl;
    private final List<String> schemas = new ArrayList<>();
    private JdbcOutlookStore store;
    private WorkerLeases leases;

    @BeforeAll
    void server() {
        serverUrl = PostgresTestDatabase.serverUrl();
    }

    @BeforeEach
    void freshSchema() throws Exception {
        String schema = PostgresTestDatabase.createSchema(serverUrl);
        schemas.add(schema);
        store = JdbcOutlookStore.builder().jdbcUrl(PostgresTestDatabase.urlFor(serverUrl, schema)).build();
        leases = store.workerLeases().orElseThrow();
        store.saveConnection(OutlookStoreContractTest.connected(OutlookStoreContractTest.CONN));
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @AfterAll
    void dropSchemas() throws Exception {
        for (String schema : schemas) {
            PostgresTestDatabase.dropSchema(serverUrl, schema);
        }
    }

    private List<MailboxId> mailboxes(int count) {
        List<MailboxId> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            MailboxId id = MailboxId.of(String.format("0a6f1a2e-5d7b-4c1e-9f3a-%012d", i + 1));
            store.saveMailbox(OutlookStoreContractTest.mailbox(OutlookStoreContractTest.CONN, id,
                    "user" + i + "@contoso.example", INBOX));
            ids.add(id);
        }
        return ids;
    }

    private static Set<MailboxId> ids(LeaseState state) {
        Set<MailboxId> ids = new HashSet<>();
        state.held().forEach(l -> ids.add(l.mailboxId()));
        return ids;
    }

    @Test
    void aLoneWorkerClaimsEveryMailboxAndASecondGetsHalfOnceTheFirstSheds() {
        mailboxes(10);
        String a = leases.register("worker a", LONG);
        LeaseState first = leases.heartbeat(a, LONG);
        assertThat(first.held()).hasSize(10);
        assertThat(first.held()).allSatisfy(l -> assertThat(l.epoch()).isEqualTo(1));

        String b = leases.register("worker b", LONG);
        LeaseState bEmpty = leases.heartbeat(b, LONG);
        assertThat(bEmpty.liveWorkers()).isEqualTo(2);
        assertThat(bEmpty.fairShare()).isEqualTo(5);
        assertThat(bEmpty.held()).as("nothing is free yet").isEmpty();

        LeaseState aRenewed = leases.heartbeat(a, LONG);
        assertThat(aRenewed.excess()).isEqualTo(5);
        leases.release(a, aRenewed.held().subList(5, 10));
        LeaseState aAfter = leases.heartbeat(a, LONG);
        LeaseState bAfter = leases.heartbeat(b, LONG);
        assertThat(aAfter.held()).hasSize(5);
        assertThat(bAfter.held()).hasSize(5);
        assertThat(bAfter.held()).allSatisfy(l -> assertThat(l.epoch()).isEqualTo(2));
        assertThat(ids(aAfter)).doesNotContainAnyElementsOf(ids(bAfter));
        assertThat(leases.listLeases()).hasSize(10);
    }

    @Test
    void anExpiredLeaseGoesToAnotherWorkerWithAHigherEpochAndTheOldHoldersWritesAreRefused() throws Exception {
        MailboxId mailbox = mailboxes(1).get(0);
        FolderKey key = new FolderKey(OutlookStoreContractTest.CONN, mailbox, "inbox");
        String a = leases.register("worker a", SHORT);
        MailboxLease aLease = leases.heartbeat(a, SHORT).held().get(0);
        assertThat(store.commitCheckpoint(OutlookStoreContractTest.checkpoint(key, 1, "d1", null), 0,
                SyncedChanges.NONE, aLease)).isTrue();

        String b = leases.register("worker b", LONG);
        MailboxLease bLease = await(() -> {
            List<MailboxLease> held = leases.heartbeat(b, LONG).held();
            return held.isEmpty() ? null : held.get(0);
        });
        assertThat(bLease.epoch()).isEqualTo(aLease.epoch() + 1);
        assertThat(bLease.workerId()).isEqualTo(b);

        // a comes back from its pause: every fenced write of the mailbox is refused, nothing is written
        assertThatThrownBy(() -> store.commitCheckpoint(OutlookStoreContractTest.checkpoint(key, 2, "a2", null), 1,
                SyncedChanges.NONE, aLease))
                .isInstanceOfSatisfying(LeaseLostException.class, e -> assertThat(e.epoch()).isEqualTo(1));
        assertThatThrownBy(() -> store.commitBackfillCursor(
                OutlookStoreContractTest.cursor(key, 1, "m1", BackfillCursor.State.RUNNING), 0, SyncedChanges.NONE,
                aLease)).isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> store.updateMailboxStatus(OutlookStoreContractTest.CONN, mailbox,
                MailboxStatus.PENDING, MailboxStatus.SYNCING, null, "", aLease)).isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> leases.recordFence(aLease, Instant.now())).isInstanceOf(LeaseLostException.class);
        assertThat(store.findCheckpoint(key).orElseThrow().deltaLink()).contains("d1");
        assertThat(store.findBackfillCursor(key)).isEmpty();
        assertThat(store.findMailbox(OutlookStoreContractTest.CONN, mailbox).orElseThrow().status())
                .isEqualTo(MailboxStatus.PENDING);

        // the new holder writes on from the stored version
        assertThat(store.commitCheckpoint(OutlookStoreContractTest.checkpoint(key, 2, "b2", null), 1,
                SyncedChanges.NONE, bLease)).isTrue();
        assertThat(store.updateMailboxStatus(OutlookStoreContractTest.CONN, mailbox, MailboxStatus.PENDING,
                MailboxStatus.SYNCING, null, "", bLease)).isTrue();
        // a's heartbeat no longer renews what it lost
        assertThat(leases.heartbeat(a, SHORT).held()).isEmpty();
    }

    @Test
    void aFenceAndSignalsOutliveTheLeaseAndDeregisterFreesEverythingAtOnce() {
        MailboxId mailbox = mailboxes(1).get(0);
        String a = leases.register("worker a", LONG);
        MailboxLease lease = leases.heartbeat(a, LONG).held().get(0);
        Instant retryAfter = Instant.parse("2030-01-01T00:00:10.123456Z");
        leases.recordFence(lease, retryAfter);
        leases.recordFence(lease, retryAfter.minusSeconds(5)); // never moves a fence earlier
        leases.signal(OutlookStoreContractTest.CONN, mailbox);
        assertThat(leases.heartbeat(a, LONG).held().get(0).signals()).isEqualTo(1);

        leases.deregister(a);
        assertThat(leases.listLeases()).isEmpty();
        assertThat(leases.liveWorkers()).isZero();
        String b = leases.register("worker b", LONG);
        MailboxLease taken = leases.heartbeat(b, LONG).held().get(0);
        assertThat(taken.fence()).contains(retryAfter);
        assertThat(taken.signals()).isEqualTo(1);
        assertThat(taken.epoch()).isEqualTo(2);
    }

    @Test
    void removingAMailboxOrAConnectionRemovesItsLease() {
        List<MailboxId> ids = mailboxes(3);
        String a = leases.register("worker a", LONG);
        assertThat(leases.heartbeat(a, LONG).mailboxes()).isEqualTo(3);
        store.removeMailbox(OutlookStoreContractTest.CONN, ids.get(0));
        assertThat(leases.heartbeat(a, LONG).mailboxes()).isEqualTo(2);
        store.deleteConnection(OutlookStoreContractTest.CONN);
        LeaseState after = leases.heartbeat(a, LONG);
        assertThat(after.mailboxes()).isZero();
        assertThat(after.held()).isEmpty();
    }

    @Test
    void workersClaimingAtOnceNeverHoldTheSameMailbox() throws Exception {
        mailboxes(40);
        List<String> workers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            workers.add(leases.register("worker " + i, LONG));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 5; round++) {
                List<Future<LeaseState>> beats = new ArrayList<>();
                for (String w : workers) {
                    Callable<LeaseState> beat = () -> leases.heartbeat(w, LONG);
                    beats.add(pool.submit(beat));
                }
                Set<MailboxId> seen = new HashSet<>();
                for (Future<LeaseState> beat : beats) {
                    LeaseState state = beat.get();
                    assertThat(state.held()).hasSizeLessThanOrEqualTo(10);
                    for (MailboxId id : ids(state)) {
                        assertThat(seen.add(id)).as("mailbox %s held twice", id).isTrue();
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(leases.listLeases()).hasSize(40);
    }

    @Test
    void aSavedMailboxIsLeasableAndPostgresNeedsNoSingleEngineLock() {
        MailboxId id = mailboxes(1).get(0);
        String a = leases.register("worker a", LONG);
        assertThat(ids(leases.heartbeat(a, LONG))).containsExactly(id);
        assertThat(store.lockSingleEngine("test")).isSameAs(EngineLock.NONE);
    }

    private static <T> T await(Supplier<T> probe) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not within 10 s");
    }
}
