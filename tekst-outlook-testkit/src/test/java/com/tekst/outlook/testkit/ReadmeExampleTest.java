package com.tekst.outlook.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's snippet, compiled and run: keep the two in step. */
class ReadmeExampleTest {
    // --- README snippet starts ---
    @RegisterExtension
    static final FakeCloudExtension fake = FakeCloudExtension.builder()
            .tenant(FakeTenant.builder("contoso").consentGranted()
                    .generate(TenantGenerator.builder(42).userMailboxes(3).sharedMailboxes(1).messagesPerMailbox(100)
                            .between(Instant.parse("2025-10-01T00:00:00Z"), FakeClock.DEFAULT_START).build()))
            .build();

    @Test
    void syncsAnInbox(FakeMicrosoftCloud cloud, FakeTenant contoso, FakeClock clock) throws Exception {
        FakeMailbox alice = contoso.mailboxes().get(0);
        OkHttpClient http = new OkHttpClient.Builder()
                .sslSocketFactory(cloud.sslSocketFactory(), cloud.trustManager()).build();
        Request first = new Request.Builder()
                .url(cloud.graphBaseUrl() + "/users/" + alice.objectId() + "/mailFolders/inbox/messages/delta")
                .header("Authorization", "Bearer " + cloud.accessToken(contoso.id()))
                .header("client-request-id", "6f1d0e8a-0a7e-4a53-9d0e-2f9a1f6b1c11")
                .header("Prefer", "odata.maxpagesize=50")
                .build();
        try (Response page = http.newCall(first).execute()) {
            assertThat(page.code()).isEqualTo(200);
        }

        alice.deliver(FakeMessage.builder().from("bob@fabrikam.com").subject("Invoice 42"));  // while syncing
        cloud.faults().add(Faults.throttleMailbox(alice.objectId(), 1, Duration.ofSeconds(30)));
        clock.advance(Duration.ofSeconds(30));

        JournalAssertions.assertThat(cloud.journal())
                .noRequestBeforeRetryAfter()
                .onlyMailboxes(Set.of(alice.objectId()))
                .everyGraphRequestHasClientRequestId()
                .everyTokenTenantMatchesAddressedTenant();
    }
    // --- README snippet ends ---

    @Test
    void theReadmeShowsThisSnippet() throws Exception {
        String source = java.nio.file.Files.readString(java.nio.file.Path.of(
                "src/test/java/com/tekst/outlook/testkit/ReadmeExampleTest.java"));
        String snippet = source.substring(source.indexOf("// --- README snippet starts ---") + 32,
                source.indexOf("    // --- README snippet ends ---"));
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("README.md"));
        String unindented = snippet.lines().map(l -> l.startsWith("    ") ? l.substring(4) : l)
                .collect(java.util.stream.Collectors.joining("\n")).strip();
        assertThat(readme).contains(unindented);
    }
}
