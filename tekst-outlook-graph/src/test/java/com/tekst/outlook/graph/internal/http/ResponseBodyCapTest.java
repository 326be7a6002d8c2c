package com.tekst.outlook.graph.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.ServiceException;
import com.tekst.outlook.graph.CloudEndpoints;
import com.tekst.outlook.graph.OutlookClient;
import com.tekst.outlook.graph.internal.auth.MsalTokenProvider;
import com.tekst.outlook.graph.internal.sync.GraphMailSource;
import com.tekst.outlook.mailbox.FolderRef;
import com.tekst.outlook.sync.BackfillPage;
import com.tekst.outlook.sync.BackfillRequest;
import com.tekst.outlook.sync.MailMessage;
import com.tekst.outlook.sync.MailboxTarget;
import com.tekst.outlook.sync.ReceivedRange;
import com.tekst.outlook.testkit.FakeClock;
import com.tekst.outlook.testkit.FakeMailbox;
import com.tekst.outlook.testkit.FakeMessage;
import com.tekst.outlook.testkit.FakeMicrosoftCloud;
import com.tekst.outlook.testkit.FakeTenant;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The response-body cap of {@link GraphHttp#execute}: a 1,000-message page with ~2 KB HTML bodies, as the fake cloud
 * answers the sync's backfill request, passes the default cap (and its size is what the default is sized by); a body
 * larger than the cap is a typed error after reading no more than the cap, whether its length is declared or not.
 */
class ResponseBodyCapTest {
    static final String MAILBOX = "support@contoso.com";
    static final FakeClock clock = new FakeClock();
    static FakeMicrosoftCloud cloud;
    static FakeTenant contoso;
    static MsalTokenProvider tokens;
    static FakeMailbox mailbox;
    static MailboxTarget target;

    @BeforeAll
    static void start() {
        cloud = FakeMicrosoftCloud.builder().clock(clock)
                .tenant(FakeTenant.builder("contoso").domain("contoso.com").consentGranted().sharedMailbox(MAILBOX))
                .start();
        contoso = cloud.tenant("contoso");
        mailbox = contoso.mailbox(MAILBOX);
        String paragraph = "<p style=\"margin:0;font-family:Calibri,sans-serif\">Hello team, the invoice for order"
                + " 4711 is attached; please check the amounts &amp; reply by Friday.</p>\r\n";
        StringBuilder html = new StringBuilder("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html;"
                + " charset=utf-8\"></head><body>\r\n");
        while (html.length() < 2048 - 16) {
            html.append(paragraph);
        }
        String body = html.append("</body></html>").toString();
        for (int i = 0; i < 1000; i++) {
            mailbox.deliver(FakeMessage.builder().from("Carol Sender", "carol@example.com").to("support@contoso.com")
                    .subject("Invoice " + i + " for order 4711").body(body)
                    .receivedAt(Instant.parse("2025-12-01T00:00:00Z").plusSeconds(60L * i)));
        }
        tokens = new MsalTokenProvider(cloud.app().clientId(), ClientCredentialFactory.createFromSecret(
                cloud.clientSecret()), CloudEndpoints.of(cloud.loginBaseUrl(), cloud.graphBaseUrl()),
                cloud.trustManager(), clock, clock);
        target = new MailboxTarget(ConnectionId.of("c1"), contoso.id(), mailbox.objectId(), MailboxAddress.of(MAILBOX));
    }

    @AfterAll
    static void stop() {
        tokens.close();
        cloud.close();
    }

    static BackfillRequest thousand() {
        return new BackfillRequest(target, FolderRef.INBOX, new ReceivedRange(Instant.parse("2025-01-01T00:00:00Z"),
                true, FakeClock.DEFAULT_START, false), 1000, MailMessage.DEFAULT_FIELDS);
    }

    /** Counts the body bytes the SDK read off the wire (an interceptor where the guards sit). */
    static Interceptor counting(AtomicLong read) {
        return chain -> {
            Response response = chain.proceed(chain.request());
            ResponseBody body = response.body();
            BufferedSource counted = Okio.buffer(new ForwardingSource(body.source()) {
                @Override
                public long read(Buffer sink, long byteCount) throws IOException {
                    long n = super.read(sink, byteCount);
                    if (n > 0) {
                        read.addAndGet(n);
                    }
                    return n;
                }
            });
            return response.newBuilder().body(ResponseBody.create(counted, body.contentType(), -1)).build();
        };
    }

    @Test
    void aThousandMessagePageWithTwoKilobyteBodiesPassesTheDefaultCap() {
        AtomicLong read = new AtomicLong();
        try (GraphHttp http = new GraphHttp(cloud.trustManager(), tokens, clock)) {
            GraphMailSource source = new GraphMailSource(http, c -> http.client(List.of(counting(read))),
                    cloud.graphBaseUrl());

            BackfillPage page = source.fetchBackfill(thousand());

            assertThat(page.messages()).hasSize(1000);
            assertThat(page.messages().get(0).body().orElseThrow().content()).hasSizeGreaterThan(2000);
            System.out.printf("a 1,000-message page with %d-character HTML bodies: %,d bytes%n",
                    page.messages().get(0).body().orElseThrow().content().length(), read.get());
            assertThat(http.maxResponseBytes()).isEqualTo(OutlookClient.DEFAULT_MAX_RESPONSE_BYTES);
            assertThat(read.get()).as("the default leaves room for larger bodies and headers")
                    .isBetween(1_000L * 2048, OutlookClient.DEFAULT_MAX_RESPONSE_BYTES / 4);
        }
    }

    @Test
    void aPageLargerThanTheCapIsATypedErrorAndNothingOfItIsUsed() {
        AtomicLong read = new AtomicLong();
        long cap = 1024 * 1024;
        try (GraphHttp http = new GraphHttp(cloud.trustManager(), tokens, clock, cap)) {
            GraphMailSource source = new GraphMailSource(http, c -> http.client(List.of(counting(read))),
                    cloud.graphBaseUrl());

            Throwable thrown = catchThrowable(() -> source.fetchBackfill(thousand()));

            assertThat(thrown).isInstanceOfSatisfying(ServiceException.class, e -> {
                assertThat(e.isRetryable()).isFalse();
                assertThat(e.summary()).contains("larger than the 1048576 bytes").contains("maxResponseBytes");
                assertThat(e.details().httpStatus()).hasValue(200);
                assertThat(e.details().mailbox()).contains(MailboxAddress.of(MAILBOX));
                assertThat(e.getMessage()).doesNotContain("Invoice").doesNotContain("invoice");
            });
            assertThat(read.get()).as("read no further than the cap").isLessThanOrEqualTo(cap + 64 * 1024);
        }
    }

    @Test
    void aDeclaredOrStreamedBodyOverTheCapIsRefusedAndOneAtTheCapPasses() throws Exception {
        try (MockWebServer server = new MockWebServer();
             GraphHttp http = new GraphHttp(null, tokens, clock, 4096)) {
            server.start(0);
            byte[] big = "x".repeat(1 << 20).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            server.enqueue(new MockResponse.Builder().code(200).body(new Buffer().write(big)).build());
            server.enqueue(new MockResponse.Builder().code(200).chunkedBody(new Buffer().write(big), 1024).build());
            server.enqueue(new MockResponse.Builder().code(503).body("y".repeat(5000)).build());
            server.enqueue(new MockResponse.Builder().code(200).body("z".repeat(4096)).build());
            AtomicLong read = new AtomicLong();
            okhttp3.OkHttpClient client = http.base().newBuilder().addInterceptor(counting(read)).build();
            HttpUrl url = server.url("/v1.0/users");
            Request request = new Request.Builder().url(url).tag(GraphCall.class, GraphCall.forTenant(contoso.id(),
                    ConnectionId.of("c1"))).build();

            for (int i = 0; i < 3; i++) {
                read.set(0);
                assertThat(catchThrowable(() -> http.execute(client, request)))
                        .isInstanceOfSatisfying(ServiceException.class,
                                e -> assertThat(e.summary()).contains("larger than the 4096 bytes"));
                assertThat(read.get()).isLessThanOrEqualTo(4096 + 8192);
            }
            assertThat(http.execute(client, request).body()).hasSize(4096);
        }
    }

    @Test
    void theBuilderTakesACapWithinBounds() {
        assertThat(catchThrowable(() -> OutlookClient.builder().maxResponseBytes(1023)))
                .isInstanceOf(com.tekst.outlook.InvalidValueException.class);
        assertThat(catchThrowable(() -> OutlookClient.builder().maxResponseBytes(Integer.MAX_VALUE)))
                .isInstanceOf(com.tekst.outlook.InvalidValueException.class);
        assertThat(OutlookClient.builder().maxResponseBytes(1024)).isNotNull();
    }
}
