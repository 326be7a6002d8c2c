package com.tekst.outlook.testkit.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The fake's server-side TLS: the given certificates, with AES-128-GCM preferred over AES-256-GCM (the JDK's server
 * default). Both are what Microsoft's front doors offer; the 128-bit suite costs a third less CPU per byte, which
 * matters when megabyte delta pages cross loopback on a small machine. Internal.
 */
public final class ServerTls extends SSLSocketFactory {
    private static final List<String> PREFERRED = List.of("TLS_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    private final SSLSocketFactory delegate;

    public ServerTls(SSLSocketFactory delegate) {
        this.delegate = delegate;
    }

    private Socket configure(Socket socket) {
        if (socket instanceof SSLSocket ssl) {
            List<String> suites = new ArrayList<>();
            List<String> enabled = Arrays.asList(ssl.getEnabledCipherSuites());
            for (String s : PREFERRED) {
                if (enabled.contains(s)) {
                    suites.add(s);
                }
            }
            for (String s : enabled) {
                if (!suites.contains(s)) {
                    suites.add(s);
                }
            }
            SSLParameters p = ssl.getSSLParameters();
            p.setCipherSuites(suites.toArray(new String[0]));
            p.setUseCipherSuitesOrder(true);
            ssl.setSSLParameters(p);
        }
        return socket;
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
        s.setTcpNoDelay(true);
        return configure(delegate.createSocket(s, host, port, autoClose));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return configure(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return configure(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return configure(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return configure(delegate.createSocket(address, port, localAddress, localPort));
    }
}
