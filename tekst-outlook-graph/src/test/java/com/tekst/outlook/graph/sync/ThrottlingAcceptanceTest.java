package com.tekst.outlook.graph.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.tekst.outlook.MailboxId;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.testkit.FakeMailbox;
import com.tekst.outlook.testkit.Fault;
import com.tekst.outlook.testkit.Faults;
import com.tekst.outlook.testkit.JournalAssertions;
import com.tekst.outlook.testkit.JournalEntry;
import com.tekst.outlook.testkit.MailboxThrottling;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Acceptance: the fake throttles one of ten mailboxes (Exchange's 4-concurrency rule, a request budget scaled
 * down to 25 per minute, and a scripted 429 with {@code Retry-After: 30}). The journal shows no request before a
 * {@code Retry-After} elapsed and never more than 4 in flight per mailbox; the nine others finish before the throttled
 * one's {@code Retry-After} has even elapsed.
 */
class ThrottlingAcceptanceTest {
    static final List<String> BUSY_FOLDERS = List.of("inbox", "archive", "sentitems", "drafts", "junkemail");

    SyncCloud w;

    @BeforeEach
    void start() {
        w = new SyncCloud(b -> b.mailboxThrottling(MailboxThrottling.exchangeOnline()
                .withRequestBudget(25, Duration.ofMinutes(1))), new com.tekst.outlook.store.InMemoryOutlookStore());
    }

    @AfterEach
    void stop() throws InterruptedException {
        w.close();
    }

    /**
     * With up to 4 calls per mailbox, a 429 can come back while the engine's other calls to that mailbox are already
     * on their way: the fake sees them arrive after it produced the 429 (its journal assertion, which orders by
     * arrival at the server, counts them). With 1 call per mailbox nothing is ever in flight beside the throttled call,
     * and {@link JournalAssertions#noRequestBeforeRetryAfter()} holds as is; with 4, at most the 3 calls already in
     * flight may arrive after a 429, all within the same fake instant as the 429, and none later before its end.
     */
    @ParameterizedTest(name = "{0} calls in flight per mailbox")
    @ValueSource(ints = {4, 1})
    void oneThrottledMailboxOfTenWaitsExactlyItsRetryAfterAndTheNineOthersFinishMeanwhile(int perMailbox)
            throws Exception {
        FakeMailbox busy = w.addMailbox("busy", BUSY_FOLDERS.toArray(String[]::new));
        List<FakeMailbox> others = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            others.add(w.addMailbox("user" + i, "inbox"));
        }
        w.clock.advance(Duration.ofHours(3));
        Instant now = w.clock.instant();
        Set<String> busyMail = new HashSet<>();
        for (String folder : BUSY_FOLDERS) {
            busyMail.addAll(SyncCloud.ids(SyncCloud.deliver(busy, folder, 400, now, Duration.ofSeconds(20))));
        }
        for (FakeMailbox m : others) {
            SyncCloud.deliver(m, "inbox", 120, now, Duration.ofSeconds(30));
        }
        w.cloud.faults().add(Faults.throttleMailbox(busy.objectId(), 1, Duration.ofSeconds(30)));
        w.cloud.faults().add(Faults.on(Faults.mailbox(busy.objectId())).always()
                .respond(Fault.latency(Duration.ofMillis(25))));

        w.start(w.builder().threads(8).pageSize(50).maxConcurrentPerMailbox(perMailbox));
        w.settle();

        Instant retryAfterEnds = now.plusSeconds(30);
        assertThat(w.clock.instant()).isBefore(retryAfterEnds);
        for (FakeMailbox m : others) {
            assertThat(w.mailbox(m).status()).as(m.address()).isEqualTo(MailboxStatus.IDLE);
            assertThat(w.sink.messageIds(m.objectId())).as(m.address()).hasSize(120);
        }
        assertThat(w.mailbox(busy).status()).isEqualTo(MailboxStatus.THROTTLED);
        assertThat(w.mailbox(busy).throttledUntil()).contains(retryAfterEnds);
        assertThat(w.sink.messageIds(busy.objectId())).as("nothing yet: every folder waits for the fence")
                .hasSizeLessThan(busyMail.size());

        // Let fake time pass in small steps until the busy mailbox is done (its budget throttles it again and again).
        for (int step = 0; step < 120 && w.sink.messageIds(busy.objectId()).size() < busyMail.size(); step++) {
            w.advance(Duration.ofSeconds(5));
        }

        assertThat(w.sink.messageIds(busy.objectId())).containsExactlyInAnyOrderElementsOf(busyMail);
        List<JournalEntry> busyRequests = w.requests(e -> busy.objectId().equals(e.mailbox().orElse(null)));
        long throttled = busyRequests.stream().filter(e -> e.status() == 429).count();
        assertThat(throttled).as("the scripted 429 and the budget's 429s").isGreaterThan(1);
        assertThat(w.events.throttled).containsOnly(busy.objectId());
        Set<String> answered429 = new HashSet<>();
        busyRequests.stream().filter(e -> e.status() == 429).forEach(e -> e.clientRequestId().ifPresent(answered429::add));
        assertThat(w.events.throttledDetails).as("each throttled event names the request Microsoft answered with 429")
                .hasSameSizeAs(w.events.throttled).allSatisfy(d -> {
                    assertThat(d.httpStatus()).hasValue(429);
                    assertThat(d.tenant()).contains(w.tenant.id());
                    assertThat(d.requestId()).isPresent();
                    assertThat(d.clientRequestId()).hasValueSatisfying(id -> assertThat(answered429).contains(id));
                });
        if (perMailbox == 1) {
            JournalAssertions.assertThat(w.cloud.journal()).noRequestBeforeRetryAfter();
        } else {
            assertThat(requestsBeforeRetryAfter(w.cloud.journal().entries(), perMailbox - 1)).isEmpty();
        }
        assertThat(busyRequests).as("answered before the scripted Retry-After ended: only calls already in flight"
                        + " with the scripted 429, at its instant").filteredOn(e -> e.status() != 429)
                .filteredOn(e -> e.receivedAt().isBefore(retryAfterEnds))
                .hasSizeLessThanOrEqualTo(perMailbox - 1)
                .allSatisfy(e -> assertThat(e.receivedAt()).isEqualTo(now));

        Map<MailboxId, Integer> inFlight = maxInFlightPerMailbox(w.cloud.journal().entries());
        assertThat(inFlight.values()).as("in flight per mailbox").allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(4));
        assertThat(inFlight.get(busy.objectId())).as("the busy mailbox's calls in parallel")
                .isEqualTo(perMailbox == 1 ? 1 : inFlight.get(busy.objectId()))
                .isGreaterThanOrEqualTo(Math.min(perMailbox, 2));
        assertThat(w.acks.duplicates()).isEmpty();
        System.out.printf("throttling: busy mailbox %d requests (%d answered 429), max in flight %d, done at +%d s;"
                        + " nine others done at +0 s%n", busyRequests.size(), throttled, inFlight.get(busy.objectId()),
                Duration.between(now, w.clock.instant()).toSeconds());
    }

    /** The most requests of one mailbox the fake was serving at once (from the journal's real-time start and end). */
    static Map<MailboxId, Integer> maxInFlightPerMailbox(List<JournalEntry> entries) {
        Map<MailboxId, TreeMap<Long, Integer>> deltas = new java.util.HashMap<>();
        for (JournalEntry e : entries) {
            if (e.mailbox().isEmpty()) {
                continue;
            }
            TreeMap<Long, Integer> d = deltas.computeIfAbsent(e.mailbox().orElse(null), k -> new TreeMap<>());
            d.merge(e.startNanos(), 1, Integer::sum);
            d.merge(e.endNanos() + 1, -1, Integer::sum);
        }
        Map<MailboxId, Integer> max = new java.util.HashMap<>();
        deltas.forEach((mailbox, d) -> {
            int current = 0;
            int best = 0;
            for (int delta : d.values()) {
                current += delta;
                best = Math.max(best, current);
            }
            max.put(mailbox, best);
        });
        return max;
    }

    /**
     * Requests that reached a mailbox before a {@code Retry-After} given to it had elapsed, allowing only up to
     * {@code inFlight} requests that arrived after the 429 within the same fake instant (calls the client had already
     * sent when the 429 came back).
     */
    static List<String> requestsBeforeRetryAfter(List<JournalEntry> entries, int inFlight) {
        List<String> violations = new ArrayList<>();
        for (JournalEntry fence : entries) {
            if (fence.retryAfter().isEmpty() || fence.mailbox().isEmpty()) {
                continue;
            }
            Instant until = fence.receivedAt().plus(fence.retryAfter().orElse(null));
            int excused = 0;
            for (JournalEntry e : entries) {
                if (e.sequence() <= fence.sequence() || !fence.mailbox().equals(e.mailbox())
                        || !e.receivedAt().isBefore(until)) {
                    continue;
                }
                if (e.startNanos() <= fence.endNanos()) {
                    continue; // arrived before the 429 was produced
                }
                if (e.receivedAt().equals(fence.receivedAt()) && excused < inFlight) {
                    excused++;
                    continue;
                }
                violations.add("#" + e.sequence() + " at " + e.receivedAt() + " before " + until + " (429 #"
                        + fence.sequence() + ")");
            }
        }
        return violations;
    }
}
