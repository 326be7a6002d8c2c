package com.tekst.outlook.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** A plain OkHttp client for raw Graph tests: trusts the fake, sends a bearer token and a client-request-id. */
final class GraphHttp {
    static final ObjectMapper MAPPER = new ObjectMapper();

    /** A finished exchange: status, headers and body read fully. */
    record Answer(int status, okhttp3.Headers headers, String body) {
        JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        String header(String name) {
            return headers.get(name);
        }

        String errorCode() {
            return json().path("error").path("code").asText();
        }
    }

    final FakeMicrosoftCloud cloud;
    final OkHttpClient client;
    String token;
    boolean sendClientRequestId = true;

    GraphHttp(FakeMicrosoftCloud cloud, FakeTenant tenant) {
        this.cloud = cloud;
        this.client = new OkHttpClient.Builder().sslSocketFactory(cloud.sslSocketFactory(), cloud.trustManager())
                .build();
        this.token = cloud.accessToken(tenant.id());
    }

    String url(String pathAndQuery) {
        return pathAndQuery.startsWith("https://") ? pathAndQuery : cloud.graphBaseUrl() + pathAndQuery;
    }

    Answer get(String pathAndQuery, String... headers) {
        return send(new Request.Builder().url(url(pathAndQuery)).get(), headers);
    }

    Answer post(String pathAndQuery, String json, String... headers) {
        return send(new Request.Builder().url(url(pathAndQuery))
                .post(RequestBody.create(json, MediaType.get("application/json"))), headers);
    }

    Answer patch(String pathAndQuery, String json, String... headers) {
        return send(new Request.Builder().url(url(pathAndQuery))
                .patch(RequestBody.create(json, MediaType.get("application/json"))), headers);
    }

    Answer delete(String pathAndQuery, String... headers) {
        return send(new Request.Builder().url(url(pathAndQuery)).delete(), headers);
    }

    Answer send(Request.Builder b, String... headers) {
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (sendClientRequestId) {
            b.header("client-request-id", UUID.nameUUIDFromBytes(b.toString().getBytes()).toString());
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.addHeader(headers[i], headers[i + 1]);
        }
        try (Response r = client.newCall(b.build()).execute()) {
            return new Answer(r.code(), r.headers(), r.body().string());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
