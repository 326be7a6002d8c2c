package com.tekst.outlook.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tekst.outlook.InvalidValueException;
import java.net.URI;
import org.junit.jupiter.api.Test;

class CloudEndpointsTest {

    @Test
    void nationalCloudsAreMicrosoftHostsAndCustomOnesAreNot() {
        assertThat(CloudEndpoints.GLOBAL.isMicrosoftLoginHost()).isTrue();
        assertThat(CloudEndpoints.CHINA.isMicrosoftLoginHost()).isTrue();
        CloudEndpoints fake = CloudEndpoints.of(URI.create("https://localhost:8443/"),
                URI.create("https://localhost:8443/v1.0/"));
        assertThat(fake.isMicrosoftLoginHost()).isFalse();
        assertThat(fake.loginBaseUrl()).hasToString("https://localhost:8443");
        assertThat(fake.graphBaseUrl()).hasToString("https://localhost:8443/v1.0");
    }

    @Test
    void refusesPlainHttpAndQueries() {
        assertThatThrownBy(() -> CloudEndpoints.of(URI.create("http://localhost"), URI.create("https://x/v1.0")))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("https");
        assertThatThrownBy(() -> CloudEndpoints.of(URI.create("https://login?x=1"), URI.create("https://x/v1.0")))
                .isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> CloudEndpoints.of(URI.create("/relative"), URI.create("https://x/v1.0")))
                .isInstanceOf(InvalidValueException.class);
    }

    @Test
    void graphScopeFollowsTheCloudAndAFakeStandsInForTheGlobalOne() {
        assertThat(CloudEndpoints.GLOBAL.graphScope()).isEqualTo("https://graph.microsoft.com/.default");
        assertThat(CloudEndpoints.US_GOVERNMENT.graphScope()).isEqualTo("https://graph.microsoft.us/.default");
        assertThat(CloudEndpoints.US_GOVERNMENT_DOD.graphScope()).isEqualTo("https://dod-graph.microsoft.us/.default");
        assertThat(CloudEndpoints.CHINA.graphScope()).isEqualTo("https://microsoftgraph.chinacloudapi.cn/.default");
        assertThat(CloudEndpoints.of(URI.create("https://localhost:8443"), URI.create("https://localhost:8443/v1.0"))
                .graphScope()).isEqualTo("https://graph.microsoft.com/.default");
    }
}
