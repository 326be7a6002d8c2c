package com.tekst.outlook.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** The cloud speaks HTTP/2 and HTTP/1.1 by default, HTTP/1.1 only with {@code http2(false)}. */
class ProtocolTest {

    static List<Protocol> negotiated(FakeMicrosoftCloud cloud, int requests) throws Exception {
        FakeTenant tenant = cloud.tenant("contoso");
        OkHttpClient client = new OkHttpClient.Builder()
                .sslSocketFactory(cloud.sslSocketFactory(), cloud.trustManager()).build();
        String token = cloud.accessToken(tenant.id());
        List<Protocol> out = new java.util.ArrayList<>();
        for (int i = 0; i < requests; i++) {
            try (Response r = client.newCall(new Request.Builder().url(cloud.graphBaseUrl() + "/users")
                    .header("Authorization", "Bearer " + token).build()).execute()) {
                assertThat(r.code()).isEqualTo(200);
                out.add(r.protocol());
            }
        }
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
        return out;
    }

    @Test
    void http2IsNegotiatedByDefaultAndHttp11OnlyWhenTurnedOff() throws Exception {
        try (FakeMicrosoftCloud both = FakeMicrosoftCloud.builder()
                .tenant(FakeTenant.builder("contoso").consentGranted()).start();
             FakeMicrosoftCloud http11 = FakeMicrosoftCloud.builder().http2(false)
                     .tenant(FakeTenant.builder("contoso").consentGranted()).start()) {
            assertThat(negotiated(both, 2)).containsOnly(Protocol.HTTP_2);
            assertThat(negotiated(http11, 2)).containsOnly(Protocol.HTTP_1_1);
        }
    }
}
