package com.tekst.outlook.graph.internal.http;

import java.io.IOException;
import java.util.UUID;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.MDC;

/**
 * Gives every request a {@code client-request-id} (a new GUID unless the caller set one), which Graph echoes and
 * records, and puts it on the MDC as {@code requestId} while the request runs. Internal.
 */
public final class ClientRequestIdInterceptor implements Interceptor {
    public static final String HEADER = "client-request-id";
    public static final String MDC_KEY = "requestId";

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        String id = request.header(HEADER);
        if (id == null || id.isBlank()) {
            id = UUID.randomUUID().toString();
            request = request.newBuilder().header(HEADER, id).build();
        }
        String previous = MDC.get(MDC_KEY);
        MDC.put(MDC_KEY, id);
        try {
            return chain.proceed(request);
        } finally {
            if (previous == null) {
                MDC.remove(MDC_KEY);
            } else {
                MDC.put(MDC_KEY, previous);
            }
        }
    }
}
