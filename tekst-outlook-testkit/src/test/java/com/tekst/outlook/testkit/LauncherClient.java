package com.tekst.outlook.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.tls.Certificates;
import okhttp3.tls.HandshakeCertificates;

/** What a consumer of the standalone launcher does with its JSON line: trust the CA, get a token, call Graph. */
final class LauncherClient {
    final JsonNode line;
    final OkHttpClient http;

    LauncherClient(JsonNode line) throws IOException {
        this.line = line;
        String pem = Files.readString(Path.of(line.path("caCertificatePemPath").asText()));
        HandshakeCertificates trust = new HandshakeCertificates.Builder()
                .addTrustedCertificate(Certificates.decodeCertificatePem(pem)).build();
        this.http = new OkHttpClient.Builder().sslSocketFactory(trust.sslSocketFactory(), trust.trustManager()).build();
    }

    String token() throws IOException {
        Request request = new Request.Builder()
                .url(line.path("loginBaseUrl").asText() + "/" + line.path("tenantId").asText() + "/oauth2/v2.0/token")
                .post(new FormBody.Builder().add("grant_type", "client_credentials")
                        .add("client_id", line.path("clientId").asText())
                        .add("client_secret", line.path("clientSecret").asText())
                        .add("scope", "https://graph.microsoft.com/.default").build()).build();
        try (Response r = http.newCall(request).execute()) {
            if (r.code() != 200) {
                throw new IOException("token request failed: " + r.code() + " " + r.body().string());
            }
            return GraphHttp.MAPPER.readTree(r.body().string()).path("access_token").asText();
        }
    }

    JsonNode get(String token, String path) throws IOException {
        Request request = new Request.Builder().url(line.path("graphBaseUrl").asText() + path)
                .header("Authorization", "Bearer " + token).header("client-request-id", "1").build();
        try (Response r = http.newCall(request).execute()) {
            if (r.code() != 200) {
                throw new IOException(path + " answered " + r.code() + " " + r.body().string());
            }
            return GraphHttp.MAPPER.readTree(r.body().string());
        }
    }
}
