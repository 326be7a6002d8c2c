package com.tekst.outlook.graph.internal.http;

import com.tekst.outlook.ErrorDetails;
import com.tekst.outlook.OutlookClientException;
import com.tekst.outlook.OutlookException;
import com.tekst.outlook.ServiceException;
import com.tekst.outlook.graph.internal.auth.TokenClaims;
import com.tekst.outlook.graph.internal.auth.TokenProvider;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * The SDK's OkHttp stack for Graph: one shared {@link OkHttpClient} (connection pool, TLS trust, timeouts) and, per
 * use, a client with the interceptor chain
 * <pre>
 *   client-request-id → guards (mailbox scope, limits; refuse before any I/O) → authentication → logging with redaction
 * </pre>
 * {@link #execute} runs a request and turns every failure into the SDK's typed exceptions. Thread-safe. Internal.
 */
public final class GraphHttp implements AutoCloseable {
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration CALL_TIMEOUT = Duration.ofMinutes(3);
    /** The most bytes of one response body {@link #execute} buffers unless configured otherwise (32 MiB). */
    public static final long DEFAULT_MAX_RESPONSE_BYTES = com.tekst.outlook.graph.OutlookClient.DEFAULT_MAX_RESPONSE_BYTES;

    private final OkHttpClient base;
    private final TokenProvider tokens;
    private final Clock clock;
    private final long maxResponseBytes;

    public GraphHttp(X509TrustManager trustManager, TokenProvider tokens, Clock clock) {
        this(trustManager, tokens, clock, DEFAULT_MAX_RESPONSE_BYTES);
    }

    /** @param maxResponseBytes the most bytes of one response body {@link #execute} reads, at least 1 */
    public GraphHttp(X509TrustManager trustManager, TokenProvider tokens, Clock clock, long maxResponseBytes) {
        if (maxResponseBytes < 1) {
            throw new IllegalArgumentException("maxResponseBytes must be positive");
        }
        this.maxResponseBytes = maxResponseBytes;
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.clock = Objects.requireNonNull(clock, "clock");
        OkHttpClient.Builder b = new OkHttpClient.Builder()
                .connectTimeout(CONNECT_TIMEOUT)
                .readTimeout(READ_TIMEOUT)
                .writeTimeout(READ_TIMEOUT)
                .callTimeout(CALL_TIMEOUT)
                .connectionPool(new ConnectionPool(32, 5, java.util.concurrent.TimeUnit.MINUTES))
                .followRedirects(false)
                .retryOnConnectionFailure(false)
                .socketFactory(new NoDelaySocketFactory());
        if (trustManager != null) {
            try {
                SSLContext tls = SSLContext.getInstance("TLS");
                tls.init(null, new TrustManager[] {trustManager}, null);
                b.sslSocketFactory(tls.getSocketFactory(), trustManager);
            } catch (GeneralSecurityException e) {
                throw new OutlookClientException("cannot set up TLS with the configured trust manager", e);
            }
        }
        this.base = b.build();
    }

    /** The shared client without SDK interceptors (for the Graph SDK's own factory to build on). */
    public OkHttpClient base() {
        return base;
    }

    /** A client with the SDK's chain; {@code guards} run after the client-request-id and before authentication. */
    public OkHttpClient client(List<Interceptor> guards) {
        OkHttpClient.Builder b = base.newBuilder();
        b.addInterceptor(new ClientRequestIdInterceptor());
        for (Interceptor guard : guards) {
            b.addInterceptor(guard);
        }
        b.addInterceptor(new AuthInterceptor(tokens));
        b.addInterceptor(new RedactingLogInterceptor());
        return b.build();
    }

    /** The SDK chain's interceptors in order, for a client built elsewhere (the Graph SDK's). */
    public List<Interceptor> interceptors(List<Interceptor> guards) {
        List<Interceptor> chain = new ArrayList<>();
        chain.add(new ClientRequestIdInterceptor());
        chain.addAll(guards);
        chain.add(new AuthInterceptor(tokens));
        chain.add(new RedactingLogInterceptor());
        return chain;
    }

    /**
     * Reads a successful answer's body as it arrives (a page is parsed while its last bytes are still on the way).
     * It may throw the SDK's typed exceptions (a malformed page) or an {@link IOException} of the body's stream, which
     * {@link #execute(OkHttpClient, Request, BodyReader)} turns into typed exceptions like any I/O failure.
     */
    @FunctionalInterface
    public interface BodyReader<T> {
        /**
         * @param body the body, decoded ({@code gzip} undone), capped at the configured {@code maxResponseBytes}
         * @param head the answer's status, headers and request ids; its {@code body} is empty
         */
        T read(Body body, GraphResponse head) throws IOException;
    }

    /** A response body as {@link BodyReader} reads it; counts the bytes read. */
    public static final class Body extends java.io.FilterInputStream {
        private final long max;
        private long read;

        private Body(java.io.InputStream in, long max) {
            super(in);
            this.max = max;
        }

        /** The bytes read so far. */
        public long bytesRead() {
            return read;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }

        private void count(long n) throws TooLarge {
            read += n;
            if (read > max) {
                throw new TooLarge();
            }
        }
    }

    /** The body turned out larger than {@code maxResponseBytes}. */
    private static final class TooLarge extends IOException {
        TooLarge() {
            super("the response body is larger than the SDK reads");
        }
    }

    /**
     * Runs a request (tagged with its {@link GraphCall}) and reads the whole body, at most the configured
     * {@code maxResponseBytes}: a body that declares or turns out to be larger is a non-retryable
     * {@link ServiceException} after reading at most that many bytes plus one read buffer (8 KiB; OkHttp has already
     * undone a {@code gzip} encoding, so the decoded size counts); nothing of it is used. A 2xx answer is returned; anything
     * else becomes a typed exception: Graph's errors through {@link GraphErrors}, I/O failures (dropped connection,
     * timeout) as a retryable {@link ServiceException}; the SDK's own refusals (scope guard, token failures) as
     * thrown. The calling thread's interruption cancels the call.
     */
    public GraphResponse execute(OkHttpClient client, Request request) {
        return execute(client, request, (body, head) -> new GraphResponse(head.status(), head.headers(),
                body.readAllBytes(), head.requestId(), head.clientRequestId()));
    }

    /**
     * As {@link #execute(OkHttpClient, Request)}, but a 2xx body is given to {@code reader} as it arrives instead of
     * being read whole first; what the reader returns is returned. The same cap applies: a body larger than
     * {@code maxResponseBytes} is a non-retryable {@link ServiceException} and what the reader made of it is
     * dropped; an I/O failure while the reader reads is a retryable one.
     */
    public <T> T execute(OkHttpClient client, Request request, BodyReader<T> reader) {
        GraphCall call = request.tag(GraphCall.class);
        if (call == null) {
            throw new OutlookClientException("a Graph request without its tenant: the SDK built it wrongly");
        }
        Call http = client.newCall(request);
        try (Response response = http.execute()) {
            ResponseBody body = response.body();
            String clientRequestId = response.request().header(ClientRequestIdInterceptor.HEADER);
            if (response.isSuccessful()) {
                GraphResponse head = new GraphResponse(response.code(), response.headers(), null,
                        response.header("request-id"), clientRequestId);
                if (body != null && body.contentLength() > maxResponseBytes) {
                    throw tooLarge(response, call, clientRequestId);
                }
                try {
                    return reader.read(new Body(body == null ? java.io.InputStream.nullInputStream()
                            : body.byteStream(), maxResponseBytes), head);
                } catch (TooLarge e) {
                    throw tooLarge(response, call, clientRequestId);
                }
            }
            byte[] bytes = body == null ? new byte[0] : read(body, response, call, clientRequestId);
            throw GraphErrors.map(response.code(), response, bytes, call, tokenRoles(call), clock.instant());
        } catch (InterruptedIOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new ServiceException(true, "The Graph request was interrupted", details(call), e);
            }
            throw new ServiceException(true, "The Graph request timed out", details(call), e);
        } catch (IOException e) {
            OutlookException sdk = unwrap(e);
            if (sdk != null) {
                throw sdk;
            }
            throw new ServiceException(true, "The connection to Microsoft Graph failed ("
                    + e.getClass().getSimpleName() + ")", details(call), e);
        }
    }

    /** The body, unless it is larger than {@code maxResponseBytes}: then no more than that plus one byte is read. */
    private byte[] read(ResponseBody body, Response response, GraphCall call, String clientRequestId)
            throws IOException {
        BufferedSource source = body.source();
        if (body.contentLength() > maxResponseBytes || source.request(maxResponseBytes + 1)) {
            throw tooLarge(response, call, clientRequestId);
        }
        return source.readByteArray();
    }

    private ServiceException tooLarge(Response response, GraphCall call, String clientRequestId) {
        return new ServiceException(false, "Microsoft Graph answered a body larger than the " + maxResponseBytes
                + " bytes the SDK reads of one response (OutlookClient.Builder.maxResponseBytes); nothing of it"
                + " was used", details(call).withRequestId(response.header("request-id"))
                .withClientRequestId(clientRequestId).withHttpStatus(response.code()), null);
    }

    /** The most bytes of one response body {@link #execute} reads. */
    public long maxResponseBytes() {
        return maxResponseBytes;
    }

    private Set<String> tokenRoles(GraphCall call) {
        try {
            return TokenClaims.of(tokens.token(call.tenant()).value()).map(TokenClaims::roles).orElse(Set.of());
        } catch (OutlookException e) {
            return Set.of();
        }
    }

    private static ErrorDetails details(GraphCall call) {
        return ErrorDetails.forTenant(call.tenant()).withConnection(call.connection()).withMailbox(call.mailbox());
    }

    /** An SDK exception a guard wrapped into an {@link IOException} (OkHttp's async paths need IOExceptions). */
    private static OutlookException unwrap(IOException e) {
        Throwable c = e.getCause();
        return c instanceof OutlookException o ? o : null;
    }

    @Override
    public void close() {
        base.dispatcher().executorService().shutdown();
        base.connectionPool().evictAll();
    }
}
