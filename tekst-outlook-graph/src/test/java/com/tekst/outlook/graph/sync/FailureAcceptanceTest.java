package com.tekst.outlook.graph.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.tekst.outlook.MalformedResponseException;
import com.tekst.outlook.ServiceException;
import com.tekst.outlook.ErrorDetails;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.store.FolderCheckpoint;
import com.tekst.outlook.sync.MailMessage;
import com.tekst.outlook.sync.MessagePage;
import com.tekst.outlook.testkit.FakeMailbox;
import com.tekst.outlook.testkit.FakeMessage;
import com.tekst.outlook.testkit.FakeTenant;
import com.tekst.outlook.testkit.FakeUser;
import com.tekst.outlook.testkit.Fault;
import com.tekst.outlook.testkit.Faults;
import com.tekst.outlook.testkit.JournalEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Acceptance against the fake Microsoft cloud: delta-token expiry mid-round and between rounds, bad answers
 * (truncated JSON, a gateway's HTML 502, a connection dropped mid-body), and mailbox errors that stop one mailbox.
 */
class FailureAcceptanceTest {
    SyncCloud w;

    @BeforeEach
    void start() {
        w = new SyncCloud();
    }

    @AfterEach
    void stop() throws InterruptedException {
        w.close();
    }

    static Map<String, Integer> deliveries(List<MailMessage> messages) {
        Map<String, Integer> n = new HashMap<>();
        messages.forEach(m -> n.merge(m.id(), 1, Integer::sum));
        return n;
    }

    // ---- delta expiry ----------------------------------------------------------------------------------------------

    @Test
    void deltaTokensExpiredMidRoundLoseNothingAndRedeliverTheOverlapWithTheSameIds() throws Exception {
        FakeMailbox alice = w.addMailbox("alice", "inbox");
        w.clock.advance(Duration.ofHours(1));
        List<FakeMessage> mail = SyncCloud.deliver(alice, "inbox", 120, w.clock.instant(), Duration.ofSeconds(20));
        AtomicInteger pages = new AtomicInteger();
        w.sink.behave(p -> {
            if (pages.incrementAndGet() == 2) {
                alice.expireDeltaTokens("inbox"); // Exchange evicts the sync state while the round runs
            }
        });

        w.start(w.builder().pageSize(25));
        w.settle();

        assertThat(w.events.expired).containsExactly(w.key(alice, "inbox"));
        Map<String, Integer> n = deliveries(w.sink.messages(alice.objectId()));
        assertThat(n.keySet()).as("nothing lost").containsExactlyInAnyOrderElementsOf(SyncCloud.ids(mail));
        Set<String> again = n.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        assertThat(again).as("the two pages delivered before the expiry come again, with the same ids").hasSize(50);
        JournalEntry gone = w.deltaRequests(alice).stream().filter(e -> e.status() == 410).findFirst().orElseThrow();
        assertThat(gone.query()).contains("skiptoken=");
        assertThat(w.acks.duplicates()).isEmpty();
    }

    @Test
    void deltaTokensExpiredBetweenRoundsRestartFromTheWatermarkMinusTheOverlap() throws Exception {
        FakeMailbox alice = w.addMailbox("alice", "inbox");
        w.clock.advance(Duration.ofHours(2));
        List<FakeMessage> first = SyncCloud.deliver(alice, "inbox", 60, w.clock.instant(), Duration.ofMinutes(1));
        w.start(w.builder().pageSize(20).overlap(Duration.ofMinutes(10)));
        w.settle();
        assertThat(w.sink.messageIds(alice.objectId())).hasSize(60);
        Instant watermark = first.get(first.size() - 1).receivedDateTime();

        int before = w.sink.messages(alice.objectId()).size();
        List<FakeMessage> second = SyncCloud.deliver(alice, "inbox", 10, w.clock.instant(), Duration.ofSeconds(5));
        alice.expireDeltaTokens();
        w.advance(SyncCloud.POLL);

        assertThat(w.events.expired).hasSize(1);
        List<MailMessage> after = w.sink.messages(alice.objectId());
        Set<String> redelivered = after.subList(before, after.size()).stream().map(MailMessage::id)
                .collect(Collectors.toSet());
        assertThat(redelivered).as("the new mail").containsAll(SyncCloud.ids(second));
        Set<String> overlap = first.stream()
                .filter(m -> !m.receivedDateTime().isBefore(watermark.minus(Duration.ofMinutes(10))))
                .map(FakeMessage::immutableId).collect(Collectors.toSet());
        redelivered.removeAll(SyncCloud.ids(second));
        assertThat(redelivered).as("exactly the 10 minutes before the watermark come again").isEqualTo(overlap)
                .hasSize(11);
        assertThat(w.deltaRequests(alice)).filteredOn(e -> e.status() == 410).singleElement()
                .satisfies(e -> assertThat(e.query()).contains("deltatoken="));
        assertThat(w.acks.duplicates()).isEmpty();
    }

    @Test
    void deltaTokensOlderThanTheFakesTokenLifetimeAnswer410AndTheFolderRestarts() throws Exception {
        w.cloud.setDeltaTokenLifetime(Duration.ofMinutes(30));
        FakeMailbox alice = w.addMailbox("alice", "inbox");
        w.clock.advance(Duration.ofMinutes(20));
        List<FakeMessage> first = SyncCloud.deliver(alice, "inbox", 5, w.clock.instant(), Duration.ofMinutes(1));
        w.start(w.builder().pollInterval(Duration.ofHours(1)));
        w.settle();
        List<FakeMessage> later = SyncCloud.deliver(alice, "inbox", 3, w.clock.instant().plusSeconds(60),
                Duration.ofSeconds(1));

        w.advance(Duration.ofHours(1)); // the stored delta link is now an hour old

        assertThat(w.events.expired).hasSize(1);
        Set<String> all = SyncCloud.ids(first);
        all.addAll(SyncCloud.ids(later));
        assertThat(w.sink.messageIds(alice.objectId())).containsExactlyInAnyOrderElementsOf(all);
    }

    // ---- bad answers -----------------------------------------------------------------------------------------------

    static Stream<Arguments> badAnswers() {
        return Stream.of(
                Arguments.of("truncated JSON", Fault.truncatedBody(), MalformedResponseException.class),
                Arguments.of("HTML 502", Fault.htmlBadGateway(), ServiceException.class),
                Arguments.of("dropped connection mid-body", Fault.dropConnectionMidBody(), ServiceException.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badAnswers")
    void aBadAnswerIsRetriedWithBackoffAndAdvancesNoCheckpoint(String name, Fault fault,
                                                               Class<? extends Throwable> type) throws Exception {
        FakeMailbox alice = w.addMailbox("alice", "inbox");
        w.clock.advance(Duration.ofHours(1));
        List<FakeMessage> mail = SyncCloud.deliver(alice, "inbox", 150, w.clock.instant(), Duration.ofSeconds(10));
        Faults.Rule rule = w.cloud.faults().add(Faults.on(Faults.mailbox(alice.objectId())
                .and(Faults.deltaLinkRequests())).nth(1).respond(fault));

        w.start(w.builder().pageSize(50));
        w.settle();

        assertThat(rule.applied()).isEqualTo(1);
        assertThat(w.events.retries).as("the failure as typed: a dropped connection is not a malformed page")
                .singleElement().isExactlyInstanceOf(type);
        assertThat(w.sink.messages(alice.objectId())).as("only the page before the bad one").hasSize(50);
        List<JournalEntry> delta = w.deltaRequests(alice);
        JournalEntry bad = delta.get(delta.size() - 1);
        FolderCheckpoint cp = w.store.findCheckpoint(w.key(alice, "inbox")).orElseThrow();
        assertThat(cp.nextLink().orElseThrow()).as("the checkpoint still points at the page that failed")
                .endsWith(bad.query().substring(bad.query().indexOf("skiptoken=")));
        assertThat(cp.deltaLink()).isEmpty();

        w.advance(Duration.ofSeconds(5)); // past the backoff (1 s, with jitter)

        List<JournalEntry> after = w.deltaRequests(alice);
        JournalEntry retry = after.get(delta.size());
        assertThat(retry.query()).as("the same link again").isEqualTo(bad.query());
        assertThat(retry.receivedAt()).as("after the backoff, not at once").isAfter(bad.receivedAt());
        Map<String, Integer> n = deliveries(w.sink.messages(alice.objectId()));
        assertThat(n.keySet()).containsExactlyInAnyOrderElementsOf(SyncCloud.ids(mail));
        assertThat(n.values()).as("nothing of the bad page was used, nothing came twice").containsOnly(1);
        assertThat(w.store.findCheckpoint(w.key(alice, "inbox")).orElseThrow().deltaLink()).isPresent();
        assertThat(w.acks.duplicates()).isEmpty();
    }

    // ---- mailbox errors --------------------------------------------------------------------------------------------

    @Test
    void mailboxErrorsStopThatMailboxWithATypedStatusAndTheOthersRunOn() throws Exception {
        FakeMailbox alice = w.addMailbox("alice", "inbox");
        FakeMailbox bob = w.addMailbox("bob", "inbox");
        FakeMailbox carol = w.addMailbox("carol", "inbox");
        FakeMailbox dave = w.addMailbox("dave", "inbox");
        w.tenant.restrict(w.cloud.app(), FakeTenant.RestrictionMechanism.APPLICATION_ACCESS_POLICY);
        w.tenant.addToRestrictionGroup(w.cloud.app(), alice.objectId().value(), carol.objectId().value(), dave.objectId().value());
        w.tenant.removeUser(carol.objectId().value());
        w.tenant.disableMailbox(dave.objectId().value(), FakeUser.NoMailboxReason.UNLICENSED);
        w.clock.advance(Duration.ofMinutes(5));
        SyncCloud.deliver(alice, "inbox", 3, w.clock.instant(), Duration.ofSeconds(30));

        w.start(w.builder());
        w.settle();

        assertThat(w.mailbox(bob).status()).isEqualTo(MailboxStatus.ACCESS_DENIED);
        assertThat(w.mailbox(carol).status()).isEqualTo(MailboxStatus.NOT_FOUND);
        assertThat(w.mailbox(dave).status()).isEqualTo(MailboxStatus.NOT_ENABLED);
        assertThat(w.mailbox(bob).statusDetail()).contains("restriction");
        ErrorDetails denial = w.events.mailboxDetails.get(bob.objectId() + "/" + MailboxStatus.ACCESS_DENIED);
        assertThat(denial).as("the listener hears the failed request's trace").isNotNull();
        assertThat(denial.httpStatus()).hasValue(403);
        assertThat(denial.errorCode()).hasValue("ErrorAccessDenied");
        assertThat(denial.requestId()).isPresent();
        assertThat(denial.clientRequestId()).isPresent();
        assertThat(w.events.mailboxDetails.get(carol.objectId() + "/" + MailboxStatus.NOT_FOUND).httpStatus())
                .hasValue(404);
        assertThat(w.mailbox(alice).status()).isEqualTo(MailboxStatus.IDLE);
        assertThat(w.sink.messageIds(alice.objectId())).hasSize(3);

        List<FakeMessage> more = SyncCloud.deliver(alice, "inbox", 2, w.clock.instant(), Duration.ofSeconds(1));
        w.advance(SyncCloud.POLL);
        w.advance(SyncCloud.POLL);

        assertThat(w.sink.messageIds(alice.objectId())).containsAll(SyncCloud.ids(more));
        for (FakeMailbox stopped : List.of(bob, carol, dave)) {
            // (the fake journals no mailbox for a user it no longer knows: match the path)
            assertThat(w.requests(e -> e.path().startsWith("/v1.0/users/" + stopped.objectId() + "/")))
                    .as(stopped.address())
                    .singleElement().satisfies(e -> assertThat(e.status()).isIn(403, 404));
        }
        assertThat(w.connectionStatus()).isEqualTo(com.tekst.outlook.ConnectionStatus.CONNECTED);
        assertThat(w.sink.pages).extracting(MessagePage::mailboxId).containsOnly(alice.objectId());
    }
}
