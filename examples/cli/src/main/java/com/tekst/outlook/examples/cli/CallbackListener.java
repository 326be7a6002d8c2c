package com.tekst.outlook.examples.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for Microsoft's redirect back on the redirect URI's local port and returns its raw query string. */
final class CallbackListener {
    private CallbackListener() {
    }

    static String await(URI redirect, Duration timeout) throws IOException, InterruptedException {
        if (!"localhost".equals(redirect.getHost()) && !"127.0.0.1".equals(redirect.getHost())) {
            throw new CliException(OutlookCli.EXIT_USAGE, "the CLI listens for the callback itself: the redirect URI"
                    + " must be http://localhost:PORT/… (got " + redirect + ")");
        }
        int port = redirect.getPort() < 0 ? 80 : redirect.getPort();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 4);
        CompletableFuture<String> query = new CompletableFuture<>();
        server.createContext(redirect.getPath().isEmpty() ? "/" : redirect.getPath(), ex -> {
            byte[] page = "<html><body>Tekst received Microsoft's answer; return to the terminal.</body></html>"
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            ex.sendResponseHeaders(200, page.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(page);
            }
            query.complete(ex.getRequestURI().getRawQuery());
        });
        server.start();
        try {
            return query.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new CliException(OutlookCli.EXIT_NOT_DONE, "no callback within " + timeout);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            server.stop(0);
        }
    }
}
