package com.tekst.outlook.graph.internal.http;

import com.tekst.outlook.OutlookClientException;
import com.tekst.outlook.graph.internal.auth.AccessToken;
import com.tekst.outlook.graph.internal.auth.TokenProvider;
import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Adds the app-only bearer token of the request's tenant ({@link GraphCall#tenant()}). When Graph answers 401, the
 * token is renewed once and the request sent again (a token revoked or rotated early). Token failures surface as the
 * SDK's typed exceptions ({@code ConsentException}, {@code CredentialException}, …), unchecked, out of
 * {@code Call.execute()}. Internal.
 */
public final class AuthInterceptor implements Interceptor {
    private final TokenProvider tokens;

    public AuthInterceptor(TokenProvider tokens) {
        this.tokens = tokens;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        GraphCall call = request.tag(GraphCall.class);
        if (call == null) {
            throw new OutlookClientException("a Graph request without its tenant: the SDK built it wrongly");
        }
        AccessToken token = tokens.token(call.tenant());
        Response response = chain.proceed(withToken(request, token));
        if (response.code() != 401 || !isReplayable(request)) {
            return response;
        }
        response.close();
        AccessToken renewed = tokens.refresh(call.tenant());
        return chain.proceed(withToken(request, renewed));
    }

    private static Request withToken(Request request, AccessToken token) {
        return request.newBuilder().header("Authorization", "Bearer " + token.value()).build();
    }

    private static boolean isReplayable(Request request) {
        return request.body() == null || !request.body().isOneShot();
    }
}
