package com.tekst.outlook.graph.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.tekst.outlook.TenantId;
import com.tekst.outlook.graph.internal.auth.AccessToken;
import com.tekst.outlook.graph.internal.auth.TokenProvider;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The SDK's sockets to Graph have TCP_NODELAY set (Nagle's algorithm stalled HTTP/2's small frames, BENCHMARKS.md). */
class NoDelaySocketFactoryTest {
    private static final TokenProvider NO_TOKENS = new TokenProvider() {
        @Override
        public AccessToken token(TenantId tenant) {
            throw new UnsupportedOperationException();
        }

        @Override
        public AccessToken refresh(TenantId tenant) {
            throw new UnsupportedOperationException();
        }
    };

    @Test
    void theSharedClientsSocketsConnectWithTcpNoDelay() throws Exception {
        try (GraphHttp http = new GraphHttp(null, NO_TOKENS, Clock.systemUTC());
             ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket socket = http.base().socketFactory().createSocket()) {
            socket.connect(server.getLocalSocketAddress());
            assertThat(socket.isConnected()).isTrue();
            assertThat(socket.getTcpNoDelay()).isTrue();
        }
    }
}
