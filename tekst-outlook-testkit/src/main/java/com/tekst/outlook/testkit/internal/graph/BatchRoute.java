package com.tekst.outlook.testkit.internal.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.tekst.outlook.testkit.internal.CloudContext;
import com.tekst.outlook.testkit.internal.Errors;
import com.tekst.outlook.testkit.internal.FakeRequest;
import com.tekst.outlook.testkit.internal.Json;
import com.tekst.outlook.testkit.internal.Reply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;
import okhttp3.Headers;
import okhttp3.HttpUrl;

/**
 * {@code POST /v1.0/$batch} (JSON batching): at most 20 requests with unique ids and relative urls, {@code dependsOn}
 * sequencing, 424 for dependents of a failed request. Every inner request runs through the whole pipeline on its own
 * (the outer token, the fault script, the mailbox gate and throttling, the journal with the batch's id), so an inner
 * 429 carries its own {@code Retry-After} inside a 200 envelope. Responses come back in a seeded shuffled order
 * (Graph: "in any order"), or in request order when the cloud is set so. Internal.
 */
final class BatchRoute {
    static final int MAX_REQUESTS = 20;
    private static final Set<String> METHODS = Set.of("GET", "POST", "PATCH", "PUT", "DELETE");
    private static final Set<String> INNER_HEADERS = Set.of("content-type", "retry-after", "location",
            "preference-applied", "odata-version", "cache-control");
    private static final DateTimeFormatter GRAPH_DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private record Inner(String id, String method, String url, List<String> dependsOn, Map<String, String> headers,
                         byte[] body) {
    }

    private final CloudContext ctx;
    private final Function<FakeRequest, Reply> inner;
    private final LongSupplier sequence;

    BatchRoute(CloudContext ctx, Function<FakeRequest, Reply> inner, LongSupplier sequence) {
        this.ctx = ctx;
        this.inner = inner;
        this.sequence = sequence;
    }

    Reply handle(GraphApi.Call c) {
        if (!c.r.method().equals("POST")) {
            throw GraphError.methodNotAllowed(c.r.method());
        }
        List<Inner> requests = parse(c);
        String batchId = Errors.requestIdOf(ctx, c.r);
        Map<String, Integer> status = new HashMap<>();
        Map<String, ObjectNode> responses = new LinkedHashMap<>();
        for (Inner i : requests) {
            responses.put(i.id(), null);
        }
        Map<String, Inner> byId = new HashMap<>();
        for (Inner i : requests) {
            byId.put(i.id(), i);
        }
        for (Inner i : requests) {
            run(c, i, byId, status, responses, batchId, new ArrayList<>());
        }
        List<ObjectNode> answers = new ArrayList<>(responses.values());
        if (ctx.shuffleBatchResponses()) {
            // Graph: responses come back "in any order"; the order is drawn from the seed and the batch's request id
            java.util.Collections.shuffle(answers, new java.util.Random(ctx.seed() * 31 + batchId.hashCode()));
        }
        ObjectNode body = Json.object();
        ArrayNode out = body.putArray("responses");
        answers.forEach(out::add);
        return GraphApi.ok(c, 200, Json.writeBytes(body)).withHeader("Content-Type",
                "application/json; charset=utf-8");
    }

    private void run(GraphApi.Call c, Inner i, Map<String, Inner> byId, Map<String, Integer> status,
                     Map<String, ObjectNode> responses, String batchId, List<String> visiting) {
        if (status.containsKey(i.id())) {
            return;
        }
        if (visiting.contains(i.id())) {
            throw GraphError.badRequest("The dependsOn of request '" + i.id() + "' forms a cycle.");
        }
        visiting.add(i.id());
        boolean failedDependency = false;
        for (String d : i.dependsOn()) {
            run(c, byId.get(d), byId, status, responses, batchId, visiting);
            failedDependency |= status.get(d) >= 400;
        }
        visiting.remove(i.id());
        ObjectNode response = Json.object();
        response.put("id", i.id());
        if (failedDependency) {
            status.put(i.id(), 424);
            response.put("status", 424);
            ObjectNode headers = response.putObject("headers");
            headers.put("Content-Type", "application/json");
            ObjectNode error = response.putObject("body").putObject("error");
            error.put("code", "FailedDependency");
            error.put("message", "The request could not be executed because a request it depends on failed.");
            ObjectNode innerError = error.putObject("innerError");
            innerError.put("date", GRAPH_DATE.format(ctx.clock().instant().truncatedTo(ChronoUnit.SECONDS)));
            innerError.put("request-id", batchId);
            responses.put(i.id(), response);
            return;
        }
        Reply reply = execute(c, i, batchId);
        status.put(i.id(), reply.status());
        response.put("status", reply.status());
        ObjectNode headers = response.putObject("headers");
        for (String name : reply.headers().names()) {
            if (INNER_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                headers.put(name, reply.headers().get(name));
            }
        }
        if (reply.body().length > 0) {
            String type = reply.header("Content-Type");
            if (type != null && type.startsWith("application/json")) {
                try {
                    response.set("body", Json.read(reply.body()));
                } catch (IOException e) {
                    response.put("body", java.util.Base64.getEncoder().encodeToString(reply.body()));
                }
            } else {
                response.put("body", java.util.Base64.getEncoder().encodeToString(reply.body()));
            }
        }
        responses.put(i.id(), response);
    }

    private Reply execute(GraphApi.Call c, Inner i, String batchId) {
        Headers.Builder h = new Headers.Builder();
        c.r.header("Authorization").ifPresent(v -> h.set("Authorization", v));
        c.r.header("client-request-id").ifPresent(v -> h.set("client-request-id", v));
        for (Map.Entry<String, String> e : i.headers().entrySet()) {
            h.set(e.getKey(), e.getValue());
        }
        String rel = i.url().startsWith("/") ? i.url() : "/" + i.url();
        HttpUrl url = HttpUrl.parse(c.ctx.baseUrl() + "/v1.0" + rel);
        if (url == null) {
            url = HttpUrl.get(c.ctx.baseUrl() + "/v1.0/invalid-url");
        }
        FakeRequest request = new FakeRequest(i.method(), url, h.build(), i.body(), ctx.clock().instant(),
                sequence.getAsLong(), batchId);
        if (url.pathSegments().size() > 1 && url.pathSegments().get(1).equalsIgnoreCase("$batch")) {
            Reply r = Errors.graph(400, "BadRequest", "Nested batch requests are not supported.", ctx, request);
            return r;
        }
        return inner.apply(request);
    }

    private List<Inner> parse(GraphApi.Call c) {
        JsonNode root;
        try {
            root = Json.read(c.r.body());
        } catch (IOException e) {
            throw GraphError.badRequest("Invalid batch payload format.");
        }
        if (root == null || !root.isObject() || !root.path("requests").isArray()) {
            throw GraphError.badRequest("Invalid batch payload format.");
        }
        JsonNode array = root.get("requests");
        if (array.isEmpty()) {
            throw GraphError.badRequest("Invalid batch payload format: the batch has no requests.");
        }
        if (array.size() > MAX_REQUESTS) {
            throw GraphError.badRequest("The number of requests in the batch exceeds the limit of " + MAX_REQUESTS + ".");
        }
        List<Inner> out = new ArrayList<>();
        Map<String, Boolean> seen = new LinkedHashMap<>();
        for (JsonNode n : array) {
            String id = n.path("id").asText("");
            if (id.isEmpty()) {
                throw GraphError.badRequest("Invalid batch payload format: every request needs an id.");
            }
            if (seen.put(id, Boolean.TRUE) != null) {
                throw GraphError.badRequest("Batch request ids must be unique; '" + id + "' appears twice.");
            }
            String method = n.path("method").asText("").toUpperCase(Locale.ROOT);
            if (!METHODS.contains(method)) {
                throw GraphError.badRequest("Invalid batch payload format: request '" + id + "' has no valid method.");
            }
            String url = n.path("url").asText("");
            if (url.isEmpty() || url.contains("://")) {
                throw GraphError.badRequest("Invalid batch payload format: the url of request '" + id
                        + "' must be relative, such as /users.");
            }
            Map<String, String> headers = new LinkedHashMap<>();
            if (n.has("headers")) {
                n.get("headers").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
            }
            byte[] body = new byte[0];
            if (n.has("body") && !n.get("body").isNull()) {
                boolean hasType = headers.keySet().stream().anyMatch(k -> k.equalsIgnoreCase("Content-Type"));
                if (!hasType) {
                    throw GraphError.badRequest("Invalid batch payload format: request '" + id
                            + "' has a body but no Content-Type header.");
                }
                JsonNode b = n.get("body");
                body = b.isTextual() ? b.asText().getBytes(StandardCharsets.UTF_8) : Json.writeBytes(b);
            }
            List<String> dependsOn = new ArrayList<>();
            if (n.has("dependsOn")) {
                for (JsonNode d : n.get("dependsOn")) {
                    dependsOn.add(d.asText());
                }
            }
            out.add(new Inner(id, method, url, dependsOn, headers, body));
        }
        for (Inner i : out) {
            for (String d : i.dependsOn()) {
                if (!seen.containsKey(d) || d.equals(i.id())) {
                    throw GraphError.badRequest("Request '" + i.id() + "' depends on '" + d
                            + "', which is not another request of this batch.");
                }
            }
        }
        boolean anyDepends = out.stream().anyMatch(i -> !i.dependsOn().isEmpty());
        if (anyDepends) {
            for (int k = 1; k < out.size(); k++) {
                if (out.get(k).dependsOn().isEmpty()) {
                    throw GraphError.badRequest("Batch should be either fully sequential or fully parallel.");
                }
            }
        }
        return out;
    }
}
