package com.tekst.outlook.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.tekst.outlook.Connection;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.store.FolderCheckpoint;
import com.tekst.outlook.store.FolderKey;
import com.tekst.outlook.sync.support.FakeGraph.CallKind;
import com.tekst.outlook.sync.support.RecordingListener;
import com.tekst.outlook.sync.support.SyncFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeltaExpiryTest {
    private final SyncFixture fx = new SyncFixture();

    @AfterEach
    void close() throws InterruptedException {
        fx.close();
    }

    @Test
    void expiryBetweenRoundsRestartsFromTheWatermarkMinusTheOverlapAndRedeliversItWithTheSameIds()
            throws Exception {
        Connection c = fx.connect("c1", 1);
        MailboxId mb = fx.addMailbox(c, 1, "inbox");
        FolderKey key = new FolderKey(c.id(), mb, "inbox");
        fx.clock.advance(Duration.ofMinutes(30));
        // 4 messages one minute apart, the newest now: all within the 10-minute overlap
        List<String> first = fx.graph.deliver(mb, "inbox", 4, fx.clock.instant(), Duration.ofMinutes(1));
        fx.start();
        fx.settle();
        Instant watermark = fx.store.findCheckpoint(key).orElseThrow().lastReceivedAt().orElse(null);
        assertThat(watermark).isEqualTo(fx.clock.instant());

        // script first, then move time: the engine may run whenever the clock moves
        Instant newest = fx.clock.instant().plus(Duration.ofMinutes(20));
        List<String> during = fx.graph.deliver(mb, "inbox", 5, newest, Duration.ofMinutes(2));
        fx.graph.expireDeltaState(mb, "inbox");
        fx.advance(Duration.ofMinutes(20));

        Instant restart = watermark.minus(Duration.ofMinutes(10));
        assertThat(restart).isAfter(SyncFixture.CONNECTED_AT);
        assertThat(fx.listener.events(RecordingListener.Expiry.class))
                .containsExactly(new RecordingListener.Expiry(key, restart));
        DeltaRequest restarted = (DeltaRequest) fx.graph.calls(mb).stream()
                .filter(call -> call.kind() == CallKind.DELTA_INITIAL).reduce((a, b) -> b).orElseThrow().request();
        assertThat(restarted.receivedSince()).contains(restart);
        Set<String> all = new HashSet<>(first);
        all.addAll(during);
        assertThat(fx.sink.messageIds(mb)).isEqualTo(all);
        // the overlap (messages received within 10 minutes before the watermark) came again, same ids
        List<String> deliveredTwice = fx.sink.messages(mb, "inbox", MessagePage.Kind.LIVE).stream()
                .map(MailMessage::id).filter(id -> fx.sink.messages(mb, "inbox", MessagePage.Kind.LIVE).stream()
                        .filter(m -> m.id().equals(id)).count() == 2).distinct().toList();
        assertThat(deliveredTwice).containsExactlyInAnyOrderElementsOf(first);
        FolderCheckpoint cp = fx.store.findCheckpoint(key).orElseThrow();
        assertThat(cp.deltaLink()).isPresent();
        assertThat(cp.lastReceivedAt()).contains(newest);
        assertThat(fx.store.duplicateAcks()).isEmpty();
    }

    @Test
    void expiryMidRoundLosesNothingEvenThoughPagesComeNewestFirst() throws Exception {
        Connection c = fx.connect("c1", 1);
        MailboxId mb = fx.addMailbox(c, 1, "inbox");
        FolderKey key = new FolderKey(c.id(), mb, "inbox");
        fx.clock.advance(Duration.ofMinutes(30));
        fx.graph.deliver(mb, "inbox", 3, fx.clock.instant(), Duration.ofSeconds(10));
        fx.start(fx.builder().pageSize(10));
        fx.settle();
        Instant watermark = fx.store.findCheckpoint(key).orElseThrow().lastReceivedAt().orElse(null);

        // an incremental round of 45 messages over 5 pages, newest first; the state expires after page 2 is acked
        Instant newest = fx.clock.instant().plus(Duration.ofMinutes(30));
        List<String> burst = fx.graph.deliver(mb, "inbox", 45, newest, Duration.ofSeconds(20));
        int pagesBefore = fx.sink.count();
        fx.sink.behave((page, n) -> {
            if (n == pagesBefore + 2) {
                fx.graph.expireDeltaState(mb, "inbox");
            }
        });
        fx.advance(Duration.ofMinutes(30));

        assertThat(fx.listener.events(RecordingListener.Expiry.class)).singleElement()
                .extracting(RecordingListener.Expiry::restartFrom).isEqualTo(watermark.minus(Duration.ofMinutes(10)));
        assertThat(fx.sink.messageIds(mb)).containsAll(burst);
        FolderCheckpoint cp = fx.store.findCheckpoint(key).orElseThrow();
        assertThat(cp.deltaLink()).isPresent();
        assertThat(cp.lastReceivedAt()).contains(newest);
        assertThat(fx.store.duplicateAcks()).isEmpty();
    }

    @Test
    void expiryBeforeAnyRoundCompletedRestartsFromTheConnectionTime() throws Exception {
        Connection c = fx.connect("c1", 1);
        MailboxId mb = fx.addMailbox(c, 1, "inbox");
        FolderKey key = new FolderKey(c.id(), mb, "inbox");
        List<String> all = fx.graph.deliver(mb, "inbox", 30, fx.clock.instant(), Duration.ofSeconds(5));
        fx.sink.behave((page, n) -> {
            if (n == 1) {
                fx.graph.expireDeltaState(mb, "inbox");
            }
        });
        fx.start(fx.builder().pageSize(10));
        fx.settle();

        assertThat(fx.listener.events(RecordingListener.Expiry.class)).singleElement()
                .extracting(RecordingListener.Expiry::restartFrom).isEqualTo(SyncFixture.CONNECTED_AT);
        assertThat(fx.sink.messageIds(mb)).containsExactlyInAnyOrderElementsOf(all);
        assertThat(fx.store.findCheckpoint(key).orElseThrow().deltaLink()).isPresent();
    }
}
