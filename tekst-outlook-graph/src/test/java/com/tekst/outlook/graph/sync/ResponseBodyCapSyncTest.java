package com.tekst.outlook.graph.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.tekst.outlook.ServiceException;
import com.tekst.outlook.graph.AppCredential;
import com.tekst.outlook.graph.CloudEndpoints;
import com.tekst.outlook.graph.OutlookClient;
import com.tekst.outlook.graph.StateKey;
import com.tekst.outlook.testkit.FakeMailbox;
import com.tekst.outlook.testkit.FakeMessage;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code OutlookClient.Builder.maxResponseBytes} on the sync path: a delta page larger than the configured cap never
 * reaches the sink (the engine sees a typed {@link ServiceException} and retries later); the same mail under the
 * default cap is delivered whole.
 */
class ResponseBodyCapSyncTest {
    SyncCloud w;
    FakeMailbox alice;

    @BeforeEach
    void start() {
        w = new SyncCloud();
        alice = w.addMailbox("alice", "inbox");
        w.clock.advance(Duration.ofHours(1));
        String html = "<html><body>" + "<p style=\"margin:0\">Please find the report attached.</p>\r\n".repeat(40)
                + "</body></html>";
        for (int i = 0; i < 100; i++) {
            alice.deliver(FakeMessage.builder().from("carol@example.com").to(alice.address()).subject("Report " + i)
                    .body(html).receivedAt(w.clock.instant().minusSeconds(i)));
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        w.close();
    }

    @Test
    void aPageLargerThanTheConfiguredCapIsNeverDelivered() throws Exception {
        w.client = OutlookClient.builder()
                .clientId(w.cloud.app().clientId())
                .credential(AppCredential.secret(w.cloud.clientSecret()))
                .stateKeys(StateKey.random())
                .store(w.store)
                .cloud(CloudEndpoints.of(w.cloud.loginBaseUrl(), w.cloud.graphBaseUrl()))
                .clock(w.clock)
                .sleeper(w.clock)
                .trustManager(w.cloud.trustManager())
                .maxResponseBytes(64 * 1024)
                .build();
        w.clients.add(w.client);

        w.start(w.builder().pageSize(100));
        w.settle();

        assertThat(w.sink.pages).as("nothing of an oversized page is delivered").isEmpty();
        assertThat(w.events.retries).isNotEmpty().allSatisfy(t -> assertThat(t)
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.summary()).contains("larger than the 65536 bytes");
                    assertThat(e.getMessage()).doesNotContain("Report ").doesNotContain("report attached");
                }));
    }

    @Test
    void theSameMailPassesTheDefaultCap() throws Exception {
        w.start(w.builder().pageSize(100));
        w.settle();

        assertThat(w.sink.messages(alice.objectId())).hasSize(100);
        assertThat(w.events.retries).isEmpty();
    }
}
