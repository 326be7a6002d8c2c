package com.tekst.outlook.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.InvalidValueException;
import com.tekst.outlook.OutlookClientException;
import com.tekst.outlook.consent.ConsentOutcome;
import com.tekst.outlook.store.InMemoryOutlookStore;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OutlookClientTest {
    static final String CLIENT_ID = "b2094c09-0651-49c4-b2c2-ed3b739e2a8c";

    @Test
    void buildListsEveryMissingRequiredSetting() {
        assertThatThrownBy(() -> OutlookClient.builder().build()).isInstanceOf(OutlookClientException.class)
                .hasMessage("OutlookClient.builder() needs clientId, credential, stateKeys, store");
        assertThatThrownBy(() -> OutlookClient.builder().clientId(CLIENT_ID).store(new InMemoryOutlookStore()).build())
                .hasMessage("OutlookClient.builder() needs credential, stateKeys");
    }

    @Test
    void settingsAreValidatedWhenSet() {
        OutlookClient.Builder b = OutlookClient.builder();
        assertThatThrownBy(() -> b.clientId("tekst-app")).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("client id must be the application (client) id, a GUID");
        assertThatThrownBy(() -> b.consentStateLifetime(Duration.ofSeconds(30))).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> b.consentStateLifetime(Duration.ofDays(2))).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> b.consentPropagationWindow(Duration.ofSeconds(-1)))
                .isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> b.consentPropagationWindow(Duration.ofHours(1))).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> b.maxRequestsPerMailbox(0)).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("requests per mailbox");
        assertThatThrownBy(() -> b.maxRequestsPerMailbox(5)).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> b.permissions(null)).isInstanceOf(NullPointerException.class);
        StateKey key = StateKey.random();
        assertThatThrownBy(() -> b.stateKeys(key, StateKey.random(), key)).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("twice");
    }

    @Test
    void theClientShowsNoSecretAndRefusesWorkOnceClosed() {
        String secret = "top~secret~value~0123456789abcdefghijkl";
        OutlookClient client = OutlookClient.builder()
                .clientId(CLIENT_ID.toUpperCase())
                .credential(AppCredential.secret(secret))
                .stateKeys(StateKey.random())
                .store(new InMemoryOutlookStore())
                .build();
        assertThat(client.clientId()).isEqualTo(CLIENT_ID);
        assertThat(client.cloud()).isEqualTo(CloudEndpoints.GLOBAL);
        assertThat(client.adminConsent()).isSameAs(client.adminConsent());
        assertThat(client.toString()).contains(CLIENT_ID, "AppCredential[client secret]").doesNotContain(secret);
        client.close();
        var granted = new ConsentOutcome.Granted(ConnectionId.of("c"),
                com.tekst.outlook.TenantId.of("72f988bf-86f1-41af-91ab-2d7cd011db47"), "");
        assertThatThrownBy(() -> client.adminConsent().verify(granted)).isInstanceOf(OutlookClientException.class)
                .hasMessageContaining("closed");
    }
}
