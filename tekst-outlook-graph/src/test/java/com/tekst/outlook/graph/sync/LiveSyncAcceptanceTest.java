package com.tekst.outlook.graph.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.sync.MailMessage;
import com.tekst.outlook.sync.MessagePage;
import com.tekst.outlook.testkit.FakeMailbox;
import com.tekst.outlook.testkit.FakeMessage;
import com.tekst.outlook.testkit.JournalAssertions;
import com.tekst.outlook.testkit.JournalEntry;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Acceptance, live sync against the fake Microsoft cloud over HTTPS: the initial round from the connection
 * time, incremental rounds with delivered, moved, read and deleted mail, and the number of requests a round takes.
 */
class LiveSyncAcceptanceTest {
    SyncCloud w;

    @BeforeEach
    void start() {
        w = new SyncCloud();
    }

    @AfterEach
    void stop() throws InterruptedException {
        w.close();
    }

    @Test
    void initialSyncFromTheConnectionTimeThenDeliveredMovedReadAndDeletedMail() throws Exception {
        FakeMailbox alice = w.addMailbox("alice", "inbox", "archive");
        List<FakeMessage> old = SyncCloud.deliver(alice, "inbox", 30, SyncCloud.CONNECTED_AT.minusSeconds(1),
                Duration.ofHours(1));
        w.clock.advance(Duration.ofMinutes(30));
        List<FakeMessage> fresh = SyncCloud.deliver(alice, "inbox", 25, w.clock.instant(), Duration.ofMinutes(1));
        List<FakeMessage> archived = SyncCloud.deliver(alice, "archive", 3, w.clock.instant(), Duration.ofMinutes(2));

        w.start(w.builder().pageSize(10));
        w.settle();

        Set<String> expected = SyncCloud.ids(fresh);
        expected.addAll(SyncCloud.ids(archived));
        assertThat(w.sink.messageIds(alice.objectId())).as("the first round starts at the connection time")
                .containsExactlyInAnyOrderElementsOf(expected)
                .doesNotContainAnyElementsOf(SyncCloud.ids(old));
        assertThat(w.mailbox(alice).status()).isEqualTo(MailboxStatus.IDLE);
        MailMessage first = w.sink.messages(alice.objectId()).stream()
                .filter(m -> m.id().equals(fresh.get(0).immutableId())).findFirst().orElseThrow();
        assertThat(first.internetMessageId()).isEqualTo(fresh.get(0).internetMessageId());
        assertThat(first.subject()).isEqualTo(fresh.get(0).subject());
        assertThat(first.folderId()).isEqualTo(alice.folder("inbox").id());
        assertThat(first.receivedDateTime()).isEqualTo(fresh.get(0).receivedDateTime());
        assertThat(first.from().orElseThrow().address()).isEqualTo(fresh.get(0).from().address());
        assertThat(first.body().orElseThrow().content()).isEqualTo(fresh.get(0).body());

        // Round 2: new mail, a move (the immutable id stays), a read flag, deletions.
        int before = w.sink.pages.size();
        List<FakeMessage> newer = SyncCloud.deliver(alice, "inbox", 4, w.clock.instant(), Duration.ofSeconds(10));
        FakeMessage moved = fresh.get(3);
        FakeMessage read = fresh.get(4);
        FakeMessage deleted = fresh.get(5);
        FakeMessage movedThenDeleted = fresh.get(6);
        alice.move(moved, "archive");
        alice.markRead(read);
        alice.delete(deleted);
        alice.move(movedThenDeleted, "archive");
        alice.delete(movedThenDeleted);
        w.advance(SyncCloud.POLL);

        List<MessagePage> round2 = w.sink.pages.subList(before, w.sink.pages.size());
        Set<String> round2Ids = round2.stream().flatMap(p -> p.messages().stream()).map(MailMessage::id)
                .collect(Collectors.toSet());
        assertThat(round2Ids).containsAll(SyncCloud.ids(newer));
        String inbox = alice.folder("inbox").id();
        String archive = alice.folder("archive").id();
        assertThat(round2).filteredOn(p -> p.folder().id().equals(archive))
                .flatExtracting(MessagePage::messages).extracting(MailMessage::id)
                .as("the moved message arrives in archive with the id it had in the inbox")
                .contains(moved.immutableId());
        assertThat(w.sink.removals(alice.objectId())).contains(inbox + "/" + moved.immutableId(),
                inbox + "/" + deleted.immutableId(), inbox + "/" + movedThenDeleted.immutableId());
        assertThat(round2).flatExtracting(MessagePage::messages).filteredOn(m -> m.id().equals(read.immutableId()))
                .singleElement().extracting(MailMessage::isRead).isEqualTo(true);

        // Every message the fake holds from the connection time on reached the sink.
        Set<String> inFake = new HashSet<>();
        for (String folder : List.of("inbox", "archive")) {
            alice.messages(folder).stream().filter(m -> !m.receivedDateTime().isBefore(SyncCloud.CONNECTED_AT))
                    .forEach(m -> inFake.add(m.immutableId()));
        }
        assertThat(w.sink.messageIds(alice.objectId())).containsAll(inFake);

        // The wire: Prefer headers on every delta request (links included), $select and $filter on the first only.
        List<JournalEntry> delta = w.deltaRequests(alice);
        assertThat(delta.size()).as("inbox 3 pages + archive 1, then one request each").isEqualTo(6);
        for (JournalEntry e : delta) {
            assertThat(e.headers().get("prefer")).as(e.query())
                    .contains("IdType=\"ImmutableId\"", "odata.maxpagesize=10");
        }
        List<JournalEntry> initial = delta.stream().filter(e -> !e.query().contains("token=")).toList();
        assertThat(initial).hasSize(2);
        for (JournalEntry e : initial) {
            HttpUrl url = HttpUrl.get("https://x" + e.path() + "?" + e.query());
            assertThat(url.queryParameter("$filter")).isEqualTo("receivedDateTime ge 2026-01-05T09:00:00Z");
            assertThat(url.queryParameter("$select").split(",")).containsExactlyInAnyOrderElementsOf(
                    MailMessage.DEFAULT_FIELDS);
        }
        assertThat(delta).filteredOn(e -> e.query().contains("token="))
                .allSatisfy(e -> assertThat(e.query()).doesNotContain("$select").doesNotContain("$filter"));
        JournalAssertions.assertThat(w.cloud.journal())
                .everyGraphRequestHasClientRequestId()
                .onlyMailboxes(alice.objectId())
                .everyTokenTenantMatchesAddressedTenant();
        assertThat(w.acks.duplicates()).isEmpty();
    }

    @Test
    void aThousandMessageFolderTakesTenRequestsAtPageSize100AndTheNextQuietRoundOne() throws Exception {
        FakeMailbox bob = w.addMailbox("bob", "inbox");
        w.clock.advance(Duration.ofHours(2));
        List<FakeMessage> mail = SyncCloud.deliver(bob, "inbox", 1000, w.clock.instant(), Duration.ofSeconds(5));

        w.start(w.builder().pageSize(100));
        w.settle();

        assertThat(w.sink.messageIds(bob.objectId())).containsExactlyInAnyOrderElementsOf(SyncCloud.ids(mail));
        List<JournalEntry> round1 = w.deltaRequests(bob);
        assertThat(round1).as("delta requests of the first round: 10 full pages, the last with the delta link")
                .hasSize(10);
        assertThat(round1).allSatisfy(e -> assertThat(e.status()).isEqualTo(200));
        assertThat(w.events.retries).as("no retry").isEmpty();
        assertThat(w.sink.messages(bob.objectId())).as("each message once").hasSize(1000);

        w.advance(SyncCloud.POLL);
        List<JournalEntry> round2 = w.deltaRequests(bob).subList(round1.size(), w.deltaRequests(bob).size());
        assertThat(round2).as("a round without changes").hasSize(1);
        assertThat(round2.get(0).query()).contains("deltatoken=");
        assertThat(w.events.retries).isEmpty();
        System.out.printf("requests per round: 1,000 messages at page size 100: %d delta requests, then %d%n",
                round1.size(), round2.size());
    }
}
