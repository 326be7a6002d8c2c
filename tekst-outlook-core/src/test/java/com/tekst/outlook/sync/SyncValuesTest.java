package com.tekst.outlook.sync;

import com.tekst.outlook.DeltaExpiredException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ErrorDetails;
import com.tekst.outlook.InvalidValueException;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.OutlookClientException;
import com.tekst.outlook.TenantId;
import com.tekst.outlook.mailbox.FolderRef;
import com.tekst.outlook.store.BackfillCursor;
import com.tekst.outlook.store.InMemoryOutlookStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SyncValuesTest {
    private static final Instant CONNECTED = Instant.parse("2026-03-31T10:00:00Z");
    private static final MailboxTarget TARGET = new MailboxTarget(ConnectionId.of("c1"),
            TenantId.of("00000000-0000-4000-8000-000000000001"), MailboxId.of("00000000-0000-4000-8000-000000001001"),
            MailboxAddress.of("a@contoso.example"));

    private static MailMessage message() {
        return MailMessage.builder("AAMk-1", "inbox", CONNECTED).internetMessageId("<1@x>").subject("Quarterly numbers")
                .bodyPreview("Revenue was").body(MessageBody.html("<p>Revenue was 12</p>"))
                .from(new EmailAddress("Ann", "\"ann smith\"@external.example")).addTo(EmailAddress.of("b@c.d"))
                .addCategory("Red").isRead(true).hasAttachments(true).build();
    }

    @Test
    void toStringNeverShowsContent() {
        MailMessage m = message();
        assertThat(m.toString()).contains("AAMk-1", "inbox").doesNotContain("Quarterly", "Revenue", "ann");
        assertThat(m.body().orElseThrow().toString()).isEqualTo("MessageBody[HTML, 21 chars]");
        MessagePage page = new MessagePage(TARGET.connection(), TARGET.tenant(), TARGET.mailboxId(), TARGET.address(),
                FolderRef.INBOX, MessagePage.Kind.LIVE, List.of(m), List.of("gone"));
        assertThat(page.toString()).contains("1 messages", "1 removals").doesNotContain("Quarterly", "Revenue");
    }

    @Test
    void mailMessageDefaultsAndValidation() {
        MailMessage bare = MailMessage.builder("id", "f", CONNECTED).build();
        assertThat(bare.subject()).isEmpty();
        assertThat(bare.to()).isEmpty();
        assertThat(bare.from()).isEmpty();
        assertThat(bare.body()).isEmpty();
        assertThat(message().from()).map(EmailAddress::address).contains("\"ann smith\"@external.example");
        assertThatThrownBy(() -> MailMessage.builder("", "f", CONNECTED).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MailMessage.builder("id", "f", null).build()).isInstanceOf(NullPointerException.class);
        assertThat(MailMessage.DEFAULT_FIELDS).containsAll(MailMessage.REQUIRED_FIELDS);
    }

    @Test
    void pagesAndRequestsHideLinksAndCheckTheirShape() {
        String link = "https://graph.microsoft.com/v1.0/users/x/messages/delta?$deltatoken=TOKEN123";
        DeltaPage last = DeltaPage.last(List.of(message()), List.of(), link);
        assertThat(last.isLast()).isTrue();
        assertThat(last.toString()).doesNotContain("TOKEN123");
        assertThatThrownBy(() -> new DeltaPage(List.of(), List.of(), null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeltaPage(List.of(), List.of(), link, link))
                .isInstanceOf(IllegalArgumentException.class);
        DeltaRequest next = DeltaRequest.continueFrom(TARGET, FolderRef.INBOX, link, 100, Set.of("id"));
        assertThat(next.isInitial()).isFalse();
        assertThat(next.toString()).doesNotContain("TOKEN123");
        assertThat(DeltaRequest.initial(TARGET, FolderRef.INBOX, CONNECTED, 100, Set.of("subject", "id")).select())
                .containsExactly("id", "subject");
        assertThatThrownBy(() -> new DeltaRequest(TARGET, FolderRef.INBOX, CONNECTED, link, 10, Set.of("id")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeltaRequest.initial(TARGET, FolderRef.INBOX, CONNECTED, 1001, Set.of("id")))
                .isInstanceOf(IllegalArgumentException.class);
        BackfillRequest list = new BackfillRequest(TARGET, FolderRef.INBOX,
                new ReceivedRange(Instant.EPOCH, true, CONNECTED, false), 1000, Set.of("id"));
        assertThat(list.toString()).contains("ge 1970-01-01T00:00:00Z lt " + CONNECTED);
        assertThatThrownBy(() -> new ReceivedRange(CONNECTED, true, Instant.EPOCH, true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BackfillRequest(TARGET, FolderRef.INBOX, ReceivedRange.since(CONNECTED), 1001,
                Set.of("id"))).isInstanceOf(IllegalArgumentException.class);
        ReceivedRange range = new ReceivedRange(Instant.EPOCH, false, CONNECTED, true);
        assertThat(range.contains(Instant.EPOCH)).isFalse();
        assertThat(range.contains(CONNECTED)).isTrue();
        assertThat(range.contains(CONNECTED.plusNanos(1))).isFalse();
        assertThat(ReceivedRange.since(CONNECTED).contains(Instant.MAX)).isTrue();
        assertThatThrownBy(() -> new MessagePage(TARGET.connection(), TARGET.tenant(), TARGET.mailboxId(),
                TARGET.address(), FolderRef.INBOX, MessagePage.Kind.BACKFILL, List.of(), List.of("x")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void backfillWindowsCountBackFromTheConnectionTime() {
        Clock utc = Clock.fixed(CONNECTED.plus(Duration.ofDays(9)), ZoneId.of("UTC"));
        assertThat(BackfillWindow.last30Days().resolveFrom(CONNECTED, utc))
                .isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(BackfillWindow.last90Days().resolveFrom(CONNECTED, utc))
                .isEqualTo(Instant.parse("2025-12-31T10:00:00Z"));
        assertThat(BackfillWindow.last12Months().resolveFrom(CONNECTED, utc))
                .isEqualTo(Instant.parse("2025-03-31T10:00:00Z"));
        assertThat(BackfillWindow.everything().resolveFrom(CONNECTED, utc)).isEqualTo(Instant.EPOCH);
        Clock paris = Clock.fixed(CONNECTED, ZoneId.of("Europe/Paris"));
        assertThat(BackfillWindow.since(LocalDate.of(2026, 3, 1)).resolveFrom(CONNECTED, paris))
                .isEqualTo(Instant.parse("2026-02-28T23:00:00Z"));
        assertThat(BackfillWindow.since(CONNECTED.plusSeconds(5)).resolveFrom(CONNECTED, utc))
                .as("a window starting after the connection is empty").isEqualTo(CONNECTED);
        assertThat(BackfillWindow.last30Days()).isEqualTo(BackfillWindow.last30Days())
                .isNotEqualTo(BackfillWindow.last90Days());
        assertThat(BackfillWindow.last12Months().toString()).isEqualTo("BackfillWindow[last 12 months]");
    }

    @Test
    void deltaExpiryCodesAreMatchedInAnyCase() {
        assertThat(DeltaExpiredException.isDeltaExpiryCode("SyncStateNotFound")).isTrue();
        assertThat(DeltaExpiredException.isDeltaExpiryCode("resyncRequired")).isTrue();
        assertThat(DeltaExpiredException.isDeltaExpiryCode("SYNCSTATEINVALID")).isTrue();
        assertThat(DeltaExpiredException.isDeltaExpiryCode("ErrorItemNotFound")).isFalse();
        assertThat(DeltaExpiredException.isDeltaExpiryCode(null)).isFalse();
        DeltaExpiredException e = new DeltaExpiredException("gone", ErrorDetails.NONE.withHttpStatus(410), null);
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.getMessage()).isEqualTo("gone; status: 410");
    }

    @Test
    void backfillProgressFraction() {
        assertThat(new BackfillProgress(BackfillCursor.State.RUNNING, Instant.EPOCH, CONNECTED, 5, OptionalLong.empty()).fraction())
                .isEmpty();
        assertThat(new BackfillProgress(BackfillCursor.State.RUNNING, Instant.EPOCH, CONNECTED, 25, OptionalLong.of(100)).fraction())
                .hasValue(0.25);
        assertThat(new BackfillProgress(BackfillCursor.State.COMPLETE, Instant.EPOCH, CONNECTED, 0, OptionalLong.of(0)).fraction())
                .hasValue(1.0);
    }

    @Test
    void theBuilderRefusesWhatGraphWouldThrottleOrCannotServe() {
        SyncEngine.Builder b = SyncEngine.builder();
        assertThatThrownBy(() -> b.maxConcurrentPerMailbox(5)).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("maxConcurrentPerMailbox must be 1 to 4");
        assertThatThrownBy(() -> b.requestBudget(10_001, Duration.ofMinutes(10)))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("10,000");
        assertThatThrownBy(() -> b.requestBudget(100, Duration.ofSeconds(1)))
                .isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> b.pageSize(0)).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> b.backfillPageSize(1001)).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> b.select(Set.of("subject,body"))).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> b.pollInterval(Duration.ZERO)).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> b.backoff(Duration.ofSeconds(5), Duration.ofSeconds(1)))
                .isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> b.reconcileInterval(Duration.ofMillis(999))).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(b::build).isInstanceOf(OutlookClientException.class)
                .hasMessageEndingWith("missing: store(OutlookStore), source(MailSource), sink(MessageSink)");
        assertThatThrownBy(() -> SyncEngine.builder().store(new InMemoryOutlookStore()).build())
                .hasMessageEndingWith("missing: source(MailSource), sink(MessageSink)");
        SyncEngine engine = SyncEngine.builder().store(new InMemoryOutlookStore()).source(new MailSource() {
            @Override
            public DeltaPage fetchDelta(DeltaRequest request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public BackfillPage fetchBackfill(BackfillRequest request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public long folderItemCount(MailboxTarget mailbox, FolderRef folder) {
                throw new UnsupportedOperationException();
            }
        }).sink(page -> { }).build();
        assertThat(engine).isNotNull();
    }
}
