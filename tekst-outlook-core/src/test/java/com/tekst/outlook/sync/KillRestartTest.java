package com.tekst.outlook.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.tekst.outlook.Connection;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.store.BackfillCursor;
import com.tekst.outlook.sync.support.SyncFixture;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * Kills the engine ({@code stopNow}) at seeded random points while live sync and backfill of three folders run, and
 * restarts a new engine on the same store each time: the union of delivered ids equals the source's set and no page
 * is acknowledged twice in the store.
 */
class KillRestartTest {
    private static final List<String> FOLDERS = List.of("inbox", "archive", "sent");

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("seeds")
    void killedAtRandomPointsAndRestartedNothingIsLostAndNothingAckedTwice(long seed) throws Exception {
        Random random = new Random(seed);
        try (SyncFixture fx = new SyncFixture()) {
            Connection c = fx.connect("c1", 1);
            MailboxId mb = fx.addMailbox(c, 1, FOLDERS.toArray(String[]::new));
            Set<String> expected = new HashSet<>();
            for (String folder : FOLDERS) {
                expected.addAll(fx.graph.deliver(mb, folder, 600, SyncFixture.CONNECTED_AT.minusSeconds(1),
                        Duration.ofMinutes(30)));
                expected.addAll(fx.graph.deliver(mb, folder, 120, fx.clock.instant(), Duration.ofSeconds(2)));
            }
            boolean backfillStarted = false;
            int kills = 0;
            for (int run = 0; run < 5; run++) {
                int killAt = 1 + random.nextInt(12);
                AtomicInteger pages = new AtomicInteger();
                SyncEngine engine = fx.build(fx.builder().pageSize(25).backfillPageSize(50)
                        .threads(1 + random.nextInt(4)));
                fx.sink.behave((page, n) -> {
                    if (pages.incrementAndGet() == killAt) {
                        engine.stopNow();
                    }
                });
                if (!backfillStarted) {
                    engine.startBackfill(c.id(), mb, BackfillWindow.everything());
                    backfillStarted = true;
                }
                engine.start();
                // new mail keeps arriving between runs
                expected.addAll(fx.graph.deliver(mb, FOLDERS.get(run % 3), 7, fx.clock.instant(),
                        Duration.ofSeconds(1)));
                fx.clock.advance(Duration.ofSeconds(61));
                assertThat(fx.graph.await(g -> pages.get() >= killAt || idle(engine), Duration.ofSeconds(10)))
                        .isTrue();
                fx.kill(engine);
                kills += pages.get() >= killAt ? 1 : 0;
            }
            assertThat(kills).as("the engine was killed mid-work").isGreaterThanOrEqualTo(3);
            fx.sink.behave((page, n) -> { });
            fx.start(fx.builder().pageSize(25).backfillPageSize(50));
            fx.settle(); // settle before moving time, or a round ending after the advance polls a minute later
            fx.advance(SyncFixture.POLL);

            Set<String> delivered = fx.sink.messageIds(mb);
            Set<String> missing = new HashSet<>(expected);
            missing.removeAll(delivered);
            assertThat(missing).as(() -> "lost " + missing + "\n" + diagnose(fx, c, mb, missing)).isEmpty();
            assertThat(delivered).hasSameSizeAs(expected);
            assertThat(fx.store.listBackfillCursors(c.id(), mb)).extracting(BackfillCursor::state)
                    .containsOnly(BackfillCursor.State.COMPLETE);
            assertThat(fx.store.duplicateAcks()).isEmpty();
            assertThat(fx.store.acks()).isNotEmpty();
        }
    }

    private static String diagnose(SyncFixture fx, Connection c, MailboxId mb, Set<String> missing) {
        StringBuilder sb = new StringBuilder();
        for (String folder : FOLDERS) {
            sb.append("FOLDER ").append(folder).append(" now holds missing: ")
                    .append(fx.graph.idsIn(mb, folder).stream().filter(missing::contains).toList()).append('\n');
            sb.append("  checkpoint ").append(fx.store.findCheckpoint(
                    new com.tekst.outlook.store.FolderKey(c.id(), mb, folder)).map(cp -> cp.nextLink() + " | "
                    + cp.deltaLink().orElse(null) + " v" + cp.version()).orElse("none")).append('\n');
            for (var call : fx.graph.calls(mb)) {
                if (call.folderId().equals(folder) && call.isDelta()) {
                    DeltaRequest r = (DeltaRequest) call.request();
                    sb.append("  call ").append(call.seq()).append(' ').append(call.at()).append(' ')
                            .append(r.isInitial() ? "initial" : r.link().orElseThrow().substring(r.link().orElseThrow().indexOf('$')))
                            .append(call.failed() ? " FAILED" : "").append('\n');
                }
            }
            for (var rec : fx.sink.received()) {
                MessagePage p = rec.page();
                if (p.folder().id().equals(folder) && p.kind() == MessagePage.Kind.LIVE) {
                    sb.append("  page ack=").append(rec.acknowledged()).append(' ')
                            .append(p.messages().stream().map(m -> m.id().substring(m.id().indexOf('-') + 1))
                                    .toList()).append(" rm=").append(p.removedIds().size()).append('\n');
                }
            }
        }
        for (var ack : fx.store.acks()) {
            if (!ack.backfill()) {
                sb.append("ACK ").append(ack.key().folderId()).append(' ').append(ack.epoch()).append(' ')
                        .append(ack.from() == null ? null : ack.from().substring(ack.from().indexOf('$')))
                        .append(" -> ").append(ack.to().substring(ack.to().indexOf('$'))).append('\n');
            }
        }
        return sb.toString();
    }

    static java.util.stream.LongStream seeds() {
        return java.util.stream.LongStream.rangeClosed(1, Long.getLong("killSeeds", 5));
    }

    private static boolean idle(SyncEngine engine) {
        try {
            return engine.awaitIdle(Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
