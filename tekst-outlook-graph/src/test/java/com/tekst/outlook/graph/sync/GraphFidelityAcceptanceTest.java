package com.tekst.outlook.graph.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.store.InMemoryOutlookStore;
import com.tekst.outlook.testkit.FakeMailbox;
import com.tekst.outlook.testkit.FakeMessage;
import com.tekst.outlook.testkit.Faults;
import com.tekst.outlook.testkit.JournalAssertions;
import com.tekst.outlook.testkit.JournalEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sync engine against the fake's optional Graph misbehaviour: an HTTP-date {@code Retry-After} fences the mailbox
 * until that date on the SDK's clock; empty pages with next links, items repeated across pages and a synchronization
 * reset's {@code Location} lose nothing.
 */
class GraphFidelityAcceptanceTest {
    SyncCloud w;

    @AfterEach
    void stop() throws InterruptedException {
        if (w != null) {
            w.close();
        }
    }

    @Test
    void anHttpDateRetryAfterFencesTheMailboxUntilThatDateAndNoEarlier() throws Exception {
        w = new SyncCloud(b -> b.retryAfterAsHttpDate(true), new InMemoryOutlookStore());
        FakeMailbox m = w.addMailbox("dated", "inbox");
        w.clock.advance(Duration.ofHours(3).plusMillis(400));
        Instant now = w.clock.instant();
        Set<String> mail = SyncCloud.ids(SyncCloud.deliver(m, "inbox", 60, now, Duration.ofSeconds(20)));
        w.cloud.faults().add(Faults.throttleMailbox(m.objectId(), 1, Duration.ofSeconds(30)));

        w.start(w.builder().threads(2).pageSize(50).maxConcurrentPerMailbox(1));
        w.settle();

        Instant date = now.plusSeconds(31).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        assertThat(w.mailbox(m).status()).isEqualTo(MailboxStatus.THROTTLED);
        assertThat(w.mailbox(m).throttledUntil()).as("the date the 429 named, not a rounded number of seconds")
                .contains(date);
        for (int step = 0; step < 20 && w.sink.messageIds(m.objectId()).size() < mail.size(); step++) {
            w.advance(Duration.ofSeconds(5));
        }
        assertThat(w.sink.messageIds(m.objectId())).containsExactlyInAnyOrderElementsOf(mail);
        List<JournalEntry> mailbox = w.requests(e -> m.objectId().equals(e.mailbox().orElse(null)));
        assertThat(mailbox).filteredOn(e -> e.status() == 429).singleElement()
                .satisfies(e -> assertThat(e.receivedAt().plus(e.retryAfter().orElse(null))).isEqualTo(date));
        assertThat(mailbox).filteredOn(e -> e.status() == 200).allSatisfy(e -> assertThat(e.receivedAt())
                .isAfterOrEqualTo(date));
        JournalAssertions.assertThat(w.cloud.journal()).noRequestBeforeRetryAfter();
    }

    @Test
    void emptyPagesRepeatedItemsAndASynchronizationResetLoseNothing() throws Exception {
        w = new SyncCloud(b -> b.emptyDeltaPageEvery(3).deltaPageOverlap(2).syncResetLocation(true),
                new InMemoryOutlookStore());
        FakeMailbox m = w.addMailbox("quirky", "inbox", "archive");
        w.clock.advance(Duration.ofHours(1));
        w.start(w.builder().pageSize(10));
        w.settle();
        Instant now = w.clock.instant();
        SyncCloud.deliver(m, "inbox", 45, now, Duration.ofSeconds(10));
        w.advance(SyncCloud.POLL);

        List<FakeMessage> inbox = m.messages("inbox");
        m.move(inbox.get(0), "archive");
        m.delete(inbox.get(1));
        m.markRead(inbox.get(2));
        SyncCloud.deliver(m, "inbox", 12, w.clock.instant(), Duration.ofSeconds(5));
        m.expireDeltaTokens("inbox");
        for (int step = 0; step < 10; step++) {
            w.advance(SyncCloud.POLL);
        }

        Set<String> expected = new HashSet<>();
        m.messages("inbox").forEach(x -> expected.add(x.immutableId()));
        m.messages("archive").forEach(x -> expected.add(x.immutableId()));
        assertThat(w.sink.messageIds(m.objectId())).containsAll(expected);
        assertThat(w.requests(e -> m.objectId().equals(e.mailbox().orElse(null)) && e.status() == 410)).isNotEmpty();
        assertThat(w.requests(e -> m.objectId().equals(e.mailbox().orElse(null)) && e.status() >= 500)).isEmpty();
    }
}
