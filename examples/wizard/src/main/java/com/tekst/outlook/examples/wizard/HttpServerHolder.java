package com.tekst.outlook.examples.wizard;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The JDK's HTTP server on a loopback address, with a small worker pool. */
final class HttpServerHolder {
    private final HttpServer server;
    private final ExecutorService workers = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "wizard-http");
        t.setDaemon(true);
        return t;
    });

    HttpServerHolder(InetSocketAddress address) throws IOException {
        server = HttpServer.create(address, 64);
        server.setExecutor(workers);
    }

    int port() {
        return server.getAddress().getPort();
    }

    void start(WizardServer handler) {
        server.createContext("/", handler);
        server.start();
    }

    void stop() {
        server.stop(0);
        workers.shutdownNow();
    }
}
