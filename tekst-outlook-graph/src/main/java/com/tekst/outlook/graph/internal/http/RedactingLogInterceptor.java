package com.tekst.outlook.graph.internal.http;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs every Graph exchange at debug level: method, path, status, Graph's {@code request-id} and the duration. It
 * never logs headers, bodies, or the values of opaque query parameters ({@code $skiptoken}, {@code $deltatoken} and
 * the like: they are sync state, not for logs). Internal.
 */
public final class RedactingLogInterceptor implements Interceptor {
    private static final Logger log = LoggerFactory.getLogger("com.tekst.outlook.graph.http");
    private static final Set<String> OPAQUE = Set.of("$skiptoken", "$deltatoken", "skiptoken", "deltatoken",
            "$skip", "token", "code", "state", "client_secret", "client_assertion");

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        if (!log.isDebugEnabled()) {
            return chain.proceed(request);
        }
        long start = System.nanoTime();
        try {
            Response response = chain.proceed(request);
            log.debug("{} {} -> {} (request-id {}, {} ms)", request.method(), describe(request.url()),
                    response.code(), response.header("request-id", "-"),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            return response;
        } catch (IOException | RuntimeException e) {
            log.debug("{} {} failed after {} ms: {}", request.method(), describe(request.url()),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), e.getClass().getSimpleName());
            throw e;
        }
    }

    /** The URL's path and query with opaque values replaced by {@code …}. */
    public static String describe(HttpUrl url) {
        StringBuilder sb = new StringBuilder(url.encodedPath());
        for (int i = 0; i < url.querySize(); i++) {
            sb.append(i == 0 ? '?' : '&');
            String name = url.queryParameterName(i);
            String value = url.queryParameterValue(i);
            sb.append(name);
            if (value != null) {
                sb.append('=').append(OPAQUE.contains(name.toLowerCase(Locale.ROOT)) ? "…" : value);
            }
        }
        return sb.toString();
    }
}
