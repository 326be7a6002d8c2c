package com.tekst.outlook.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.tekst.outlook.mailbox.MailboxType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** The same seed gives the same tenant and the same answers, byte for byte, request ids included. */
class DeterminismTest {
    static final Instant FROM = Instant.parse("2025-10-01T00:00:00Z");
    static final Instant TO = Instant.parse("2026-01-05T00:00:00Z");

    static FakeTenant generated(long seed) {
        return FakeTenant.builder("contoso").domain("contoso.com")
                .generate(seed, 4, 2, 120, FROM, TO).build();
    }

    @Test
    void theSameSeedGeneratesTheSameTenantByteForByte() {
        String a = generated(1234).toJson();
        String b = generated(1234).toJson();
        assertThat(a).isEqualTo(b);
        assertThat(a.length()).isGreaterThan(1_000_000);
        assertThat(generated(1235).toJson()).isNotEqualTo(a);
    }

    @Test
    void generatedTenantsLookLikeRealMailboxes() {
        FakeTenant t = generated(77);
        assertThat(t.mailboxes()).hasSize(6);
        assertThat(t.mailboxes()).filteredOn(m -> m.owner().mailboxType().orElseThrow() == MailboxType.SHARED)
                .hasSize(2).allSatisfy(m -> assertThat(m.address()).endsWith("@contoso.com"));
        for (FakeMailbox m : t.mailboxes()) {
            List<FakeMessage> all = m.messages();
            assertThat(all).hasSize(120);
            assertThat(all).allSatisfy(x -> {
                assertThat(x.receivedDateTime()).isBetween(FROM, TO);
                assertThat(x.id()).matches("AAMk[A-Za-z0-9_-]+=*").isNotEqualTo(x.immutableId());
                assertThat(x.immutableId()).matches("AAkALg[A-Za-z0-9_-]+=*");
                assertThat(x.internetMessageId()).matches("<[0-9A-F]+@[A-Z0-9.a-z]+>");
                assertThat(x.bodyPreview()).hasSizeLessThanOrEqualTo(255).isNotBlank();
                assertThat(x.sentDateTime()).isBefore(x.receivedDateTime());
            });
            double averageBody = all.stream().mapToInt(x -> x.body().length()).average().orElseThrow();
            assertThat(averageBody).isBetween(1900.0, 2600.0);
            Map<String, Integer> threads = new HashMap<>();
            all.forEach(x -> threads.merge(x.conversationId(), 1, Integer::sum));
            assertThat(threads.values().stream().filter(n -> n > 1).count()).as("threads").isGreaterThan(5);
            assertThat(all).anySatisfy(x -> assertThat(x.subject()).startsWith("RE: "));
            assertThat(all).anySatisfy(x -> assertThat(x.isRead()).isFalse());
            assertThat(all).anySatisfy(x -> assertThat(x.categories()).isNotEmpty());
            assertThat(m.folder("inbox").totalItemCount()).isGreaterThan(60);
            assertThat(m.folder("sentitems").totalItemCount()).isPositive();
            assertThat(m.folder("Inbox/Projects/Archive 2025").parentFolderId())
                    .isEqualTo(m.folder("Inbox/Projects").id());
        }
    }

    @Test
    void twoRunsWithTheSameSeedAnswerByteForByte() {
        String first;
        int port;
        try (FakeMicrosoftCloud cloud = cloud(0)) {
            port = cloud.port();
            first = transcript(cloud);
        }
        String second;
        try (FakeMicrosoftCloud cloud = onPort(port)) {
            second = transcript(cloud);
        }
        assertThat(first).contains("\"@odata.deltaLink\"").contains("request-id: ").contains("\"access_token\"");
        assertThat(second).isEqualTo(first);
    }

    /** The port is part of every link; the second run takes the first one's port once the first let go of it. */
    private static FakeMicrosoftCloud onPort(int port) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try {
                return cloud(port);
            } catch (UncheckedIOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static FakeMicrosoftCloud cloud(int port) {
        return FakeMicrosoftCloud.builder().seed(9).port(port)
                .tenant(FakeTenant.builder("contoso").consentGranted().generate(9, 3, 1, 25, FROM, TO))
                .start();
    }

    /** A scripted session: a token, paging, delta rounds with a change between, errors and a batch. */
    private static String transcript(FakeMicrosoftCloud cloud) {
        OkHttpClient client = new OkHttpClient.Builder()
                .sslSocketFactory(cloud.sslSocketFactory(), cloud.trustManager()).build();
        FakeTenant tenant = cloud.tenant("contoso");
        StringBuilder out = new StringBuilder();
        JsonNode token = record(out, client, new Request.Builder()
                .url(cloud.loginBaseUrl() + "/" + tenant.id() + "/oauth2/v2.0/token")
                .header("client-request-id", "00000000-0000-0000-0000-000000000000")
                .post(new FormBody.Builder().add("grant_type", "client_credentials")
                        .add("client_id", cloud.app().clientId()).add("client_secret", cloud.clientSecret())
                        .add("scope", "https://graph.microsoft.com/.default").build()).build());
        String bearer = "Bearer " + token.path("access_token").asText();
        FakeMailbox box = tenant.mailboxes().get(0);
        String user = "/users/" + box.objectId();
        String[] urls = {"/users?$top=2", user + "/mailFolders?$top=3", user + "/messages?$top=3&$select=subject",
            user + "/mailFolders/inbox/messages/delta", user + "/messages/AAMkAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="};
        int n = 0;
        for (String u : urls) {
            String url = cloud.graphBaseUrl() + u;
            while (url != null) {
                JsonNode page = record(out, client, new Request.Builder().url(url).header("Authorization", bearer)
                        .header("client-request-id", "00000000-0000-0000-0000-00000000000" + (n++ % 10))
                        .header("Prefer", "odata.maxpagesize=4").get().build());
                url = page.has("@odata.nextLink") ? page.path("@odata.nextLink").asText() : null;
                if (page.has("@odata.deltaLink")) {
                    box.deliver(FakeMessage.builder().from("eve@fabrikam.com").subject("between rounds"));
                    box.markRead(box.messages("inbox").get(3));
                    record(out, client, new Request.Builder().url(page.path("@odata.deltaLink").asText())
                            .header("Authorization", bearer).get().build());
                }
            }
        }
        record(out, client, new Request.Builder().url(cloud.graphBaseUrl() + "/$batch").header("Authorization", bearer)
                .post(okhttp3.RequestBody.create("{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"" + user
                        + "/mailboxSettings\"},{\"id\":\"2\",\"method\":\"GET\",\"url\":\"/users/nobody@x.com\"}]}",
                        okhttp3.MediaType.get("application/json"))).build());
        // close from the client side first, so no server-side socket lingers in TIME_WAIT on the port
        client.connectionPool().evictAll();
        client.dispatcher().executorService().shutdown();
        return out.toString();
    }

    private static JsonNode record(StringBuilder out, OkHttpClient client, Request request) {
        try (Response r = client.newCall(request).execute()) {
            String body = r.body().string();
            out.append(request.method()).append(' ').append(request.url().encodedPath()).append(" -> ")
                    .append(r.code()).append('\n');
            for (String h : List.of("request-id", "client-request-id", "Date", "Preference-Applied", "Retry-After",
                    "x-ms-request-id")) {
                if (r.header(h) != null) {
                    out.append(h).append(": ").append(r.header(h)).append('\n');
                }
            }
            out.append(body).append("\n\n");
            return GraphHttp.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
