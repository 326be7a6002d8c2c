package com.tekst.outlook.testkit.internal.identity;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.tekst.outlook.testkit.FakeApp;
import com.tekst.outlook.testkit.FakeTenant;
import com.tekst.outlook.testkit.internal.CloudContext;
import com.tekst.outlook.testkit.internal.Errors;
import com.tekst.outlook.testkit.internal.FakeRequest;
import com.tekst.outlook.testkit.internal.Json;
import com.tekst.outlook.testkit.internal.Reply;
import com.tekst.outlook.testkit.internal.TokenService;
import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The identity platform side of the fake cloud: the client-credentials token endpoint with Microsoft's error shapes,
 * the admin-consent pages ({@link AdminConsentEndpoint}), instance discovery, OpenID metadata and signing keys.
 * Internal.
 */
public final class IdentityEndpoints {
    private static final Set<String> OIDC_SCOPES = Set.of("openid", "profile", "offline_access");
    private static final Set<String> GRAPH_DEFAULT_SCOPES =
            Set.of("https://graph.microsoft.com/.default", "00000003-0000-0000-c000-000000000000/.default");

    private final CloudContext ctx;
    private final AdminConsentEndpoint adminConsent;

    public IdentityEndpoints(CloudContext ctx) {
        this.ctx = ctx;
        this.adminConsent = new AdminConsentEndpoint(ctx);
    }

    /** Whether this side serves the request's path. */
    public boolean handles(FakeRequest r) {
        List<String> s = r.segments();
        if (s.size() == 3 && s.get(0).equals("common") && s.get(1).equals("discovery") && s.get(2).equals("instance")) {
            return true;
        }
        return isToken(r) || isMetadata(r) || isKeys(r) || AdminConsentEndpoint.handles(r);
    }

    public Reply handle(FakeRequest r) {
        List<String> s = r.segments();
        if (s.get(0).equals("common") && s.size() == 3 && s.get(1).equals("discovery")) {
            return instanceDiscovery(r);
        }
        ctx.tenant(s.get(0)).ifPresent(t -> r.tenant = t.id());
        if (AdminConsentEndpoint.handles(r)) {
            return adminConsent.handle(r);
        }
        if (isToken(r)) {
            return token(r);
        }
        if (isMetadata(r)) {
            return metadata(r);
        }
        return Reply.json(200, ctx.tokens().jwks());
    }

    private static boolean isToken(FakeRequest r) {
        List<String> s = r.segments();
        return s.size() == 4 && s.get(1).equals("oauth2") && s.get(2).equals("v2.0") && s.get(3).equals("token");
    }

    private static boolean isMetadata(FakeRequest r) {
        List<String> s = r.segments();
        return s.size() == 4 && s.get(1).equals("v2.0") && s.get(2).equals(".well-known")
                && s.get(3).equals("openid-configuration");
    }

    private static boolean isKeys(FakeRequest r) {
        List<String> s = r.segments();
        return s.size() == 4 && s.get(1).equals("discovery") && s.get(2).equals("v2.0") && s.get(3).equals("keys");
    }

    // ---- POST /{tenant}/oauth2/v2.0/token ------------------------------------------------------------------------

    private Reply token(FakeRequest r) {
        if (!r.method().equals("POST")) {
            return Errors.identity(400, "invalid_request", 900561,
                    "The endpoint only accepts POST requests. Received a " + r.method() + " request.", ctx, r);
        }
        String tenantSegment = r.segment(0).toLowerCase(Locale.ROOT);
        Map<String, List<String>> form = r.form();
        String grantType = single(form, "grant_type");
        if (grantType == null) {
            return missing("grant_type", r);
        }
        if (!grantType.equals("client_credentials")) {
            return Errors.identity(400, "unsupported_grant_type", 70003,
                    "The app requested an unsupported grant type '" + grantType + "'.", ctx, r);
        }
        if (tenantSegment.equals("common") || tenantSegment.equals("consumers")
                || tenantSegment.equals("organizations")) {
            return Errors.identity(400, "invalid_request", 9001023,
                    "The grant type 'client_credentials' is not supported over the /" + tenantSegment
                            + " endpoint. Please use the /organizations or tenant-specific endpoint.", ctx, r);
        }
        Optional<FakeTenant> tenant = ctx.tenant(tenantSegment);
        if (tenant.isEmpty()) {
            return Errors.identity(400, "invalid_request", 90002, "Tenant '" + r.segment(0) + "' not found. Check to"
                    + " make sure you have the correct tenant ID and are signing into the correct cloud. Check with your"
                    + " subscription administrator, this may happen if there are no active subscriptions for the"
                    + " tenant.", ctx, r);
        }
        FakeTenant t = tenant.get();
        String clientId = single(form, "client_id");
        if (clientId == null) {
            return missing("client_id", r);
        }
        String scope = single(form, "scope");
        if (scope == null) {
            return missing("scope", r);
        }
        Optional<FakeApp> app = ctx.app(clientId);
        // Every app of the fake cloud lives in its own, unmodelled home tenant: a single-tenant app is never found
        // in a customer tenant.
        if (app.isEmpty() || !app.get().isMultiTenant()) {
            return appNotFound(clientId, t, r);
        }
        FakeApp a = app.get();
        FakeTenant.ConsentState consent = t.consentState(a);
        if (consent == FakeTenant.ConsentState.NONE || consent == FakeTenant.ConsentState.REVOKED) {
            return appNotFound(clientId, t, r);
        }
        Optional<Reply> credentialProblem = checkCredential(a, t, form, r);
        if (credentialProblem.isPresent()) {
            return credentialProblem.get();
        }
        if (a.isDisabled() || t.isAppDisabled(a)) {
            return Errors.identity(400, "unauthorized_client", 7000112, "Application '" + a.clientId() + "'("
                    + a.displayName() + ") is disabled.", ctx, r);
        }
        Optional<Reply> scopeProblem = checkScope(scope, r);
        if (scopeProblem.isPresent()) {
            return scopeProblem.get();
        }
        if (consent == FakeTenant.ConsentState.GRANT_MISSING) {
            return Errors.identity(400, "invalid_grant", 65001, "The user or administrator has not consented to use"
                    + " the application with ID '" + a.clientId() + "' named '" + a.displayName() + "'. Send an"
                    + " interactive authorization request for this user and resource.", ctx, r);
        }
        Instant now = ctx.clock().instant();
        TokenService.Issued issued = ctx.tokens().mint(t.id().value(), a.clientId(), a.displayName(),
                ctx.servicePrincipalId(a, t), t.grantedPermissions(a), now, ctx.tokens().nextLifetime());
        ObjectNode body = Json.object();
        body.put("token_type", "Bearer");
        body.put("expires_in", issued.lifetime().toSeconds());
        body.put("ext_expires_in", issued.lifetime().toSeconds());
        body.put("access_token", issued.accessToken());
        return Errors.echoClientRequestId(Reply.json(200, body), r).withHeader("Cache-Control", "no-store, no-cache")
                .withHeader("x-ms-request-id", ctx.tokens().nextUuid());
    }

    private Reply appNotFound(String clientId, FakeTenant t, FakeRequest r) {
        return Errors.identity(400, "unauthorized_client", 700016, "Application with identifier '" + clientId
                + "' was not found in the directory '" + t.displayName() + "'. This can happen if the application"
                + " has not been installed by the administrator of the tenant or consented to by any user in the"
                + " tenant. You may have sent your authentication request to the wrong tenant.", ctx, r);
    }

    private Optional<Reply> checkCredential(FakeApp a, FakeTenant t, Map<String, List<String>> form, FakeRequest r) {
        String secret = single(form, "client_secret");
        String basicSecret = basicAuthSecret(r, a.clientId());
        if (secret == null) {
            secret = basicSecret;
        }
        String assertion = single(form, "client_assertion");
        if (secret == null && assertion == null) {
            return Optional.of(Errors.identity(401, "invalid_client", 7000218, "The request body must contain the"
                    + " following parameter: 'client_assertion' or 'client_secret'.", ctx, r));
        }
        Instant now = ctx.clock().instant();
        if (secret != null) {
            Optional<FakeApp.Secret> match = a.findSecret(secret);
            if (match.isEmpty()) {
                return Optional.of(Errors.identity(401, "invalid_client", 7000215, "Invalid client secret provided."
                        + " Ensure the secret being sent in the request is the client secret value, not the client"
                        + " secret ID, for a secret added to app '" + a.clientId() + "'.", ctx, r));
            }
            if (!match.get().expiresAt().isAfter(now)) {
                return Optional.of(Errors.identity(401, "invalid_client", 7000222, "The provided client secret keys"
                        + " for app '" + a.clientId() + "' are expired. Visit the Azure portal to create new keys for"
                        + " your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for"
                        + " added security: https://aka.ms/certCreds.", ctx, r));
            }
            return Optional.empty();
        }
        String assertionType = single(form, "client_assertion_type");
        if (!"urn:ietf:params:oauth:client-assertion-type:jwt-bearer".equals(assertionType)) {
            return Optional.of(Errors.identity(400, "invalid_request", 50027,
                    "Invalid client_assertion_type: the value must be"
                            + " urn:ietf:params:oauth:client-assertion-type:jwt-bearer.", ctx, r));
        }
        String audience = ctx.baseUrl() + "/" + r.segment(0) + "/oauth2/v2.0/token";
        String tenantAudience = ctx.baseUrl() + "/" + t.id().value() + "/oauth2/v2.0/token";
        Optional<String> problem = TokenService.checkClientAssertion(assertion, a.clientId(), audience,
                a.certificates(), now);
        if (problem.isPresent() && !audience.equals(tenantAudience)) {
            problem = TokenService.checkClientAssertion(assertion, a.clientId(), tenantAudience, a.certificates(), now);
        }
        if (problem.isPresent()) {
            return Optional.of(Errors.identity(401, "invalid_client", 700027, "Client assertion failed signature"
                    + " validation: " + problem.get() + ".", ctx, r));
        }
        return Optional.empty();
    }

    private Optional<Reply> checkScope(String scope, FakeRequest r) {
        List<String> scopes = Arrays.stream(scope.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
        List<String> resourceScopes = scopes.stream()
                .filter(s -> !OIDC_SCOPES.contains(s.toLowerCase(Locale.ROOT))).toList();
        if (resourceScopes.size() > 1) {
            return Optional.of(Errors.identity(400, "invalid_scope", 70011, "The provided request must include a"
                    + " 'scope' input parameter. The provided value for the input parameter 'scope' is not valid."
                    + " Scopes for more than one resource were requested.", ctx, r));
        }
        if (resourceScopes.isEmpty() || !resourceScopes.get(0).endsWith("/.default")) {
            return Optional.of(Errors.identity(400, "invalid_scope", 1002012, "The provided value for scope "
                    + String.join(" ", resourceScopes) + " is not valid. Client credential flows must have a scope"
                    + " value with /.default suffixed to the resource identifier (application ID URI).", ctx, r));
        }
        if (!GRAPH_DEFAULT_SCOPES.contains(resourceScopes.get(0).toLowerCase(Locale.ROOT))) {
            return Optional.of(Errors.identity(400, "invalid_resource", 500011, "The resource principal named "
                    + resourceScopes.get(0).replace("/.default", "") + " was not found in the tenant. This can happen"
                    + " if the application has not been installed by the administrator of the tenant.", ctx, r));
        }
        return Optional.empty();
    }

    private Reply missing(String parameter, FakeRequest r) {
        return Errors.identity(400, "invalid_request", 900144, "The request body must contain the following"
                + " parameter: '" + parameter + "'.", ctx, r);
    }

    private static String single(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String basicAuthSecret(FakeRequest r, String clientId) {
        String auth = r.header("Authorization").orElse("");
        if (!auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(java.util.Base64.getDecoder().decode(auth.substring(6).trim()),
                    java.nio.charset.StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return null;
            }
            String id = java.net.URLDecoder.decode(decoded.substring(0, colon), java.nio.charset.StandardCharsets.UTF_8);
            return id.equalsIgnoreCase(clientId)
                    ? java.net.URLDecoder.decode(decoded.substring(colon + 1), java.nio.charset.StandardCharsets.UTF_8)
                    : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    // ---- discovery and metadata ----------------------------------------------------------------------------------

    /**
     * Instance discovery as msal4j asks for it: the fake host is its own preferred network and cache alias, with and
     * without the port (msal4j stores under the host and looks up under host:port), so msal4j's cache keys match.
     */
    public static ObjectNode instanceDiscovery(String baseUrl, String tenant) {
        URI base = URI.create(baseUrl);
        String hostPort = base.getHost() + (base.getPort() > 0 ? ":" + base.getPort() : "");
        ObjectNode body = Json.object();
        body.put("tenant_discovery_endpoint", baseUrl + "/" + tenant + "/v2.0/.well-known/openid-configuration");
        body.put("api-version", "1.1");
        ArrayNode metadata = body.putArray("metadata");
        ObjectNode entry = metadata.addObject();
        entry.put("preferred_network", base.getHost());
        entry.put("preferred_cache", hostPort);
        ArrayNode aliases = entry.putArray("aliases");
        aliases.add(hostPort);
        if (!hostPort.equals(base.getHost())) {
            aliases.add(base.getHost());
        }
        return body;
    }

    private Reply instanceDiscovery(FakeRequest r) {
        String endpoint = r.query("authorization_endpoint").orElse("");
        String tenant = "common";
        try {
            List<String> path = Arrays.stream(URI.create(endpoint).getPath().split("/")).filter(s -> !s.isEmpty())
                    .collect(Collectors.toList());
            if (!path.isEmpty()) {
                tenant = path.get(0);
            }
        } catch (IllegalArgumentException e) {
            return Errors.identity(400, "invalid_instance", 50049, "Unknown or invalid instance.", ctx, r);
        }
        return Reply.json(200, instanceDiscovery(ctx.baseUrl(), tenant));
    }

    private Reply metadata(FakeRequest r) {
        String tenantSegment = r.segment(0);
        Optional<FakeTenant> t = ctx.tenant(tenantSegment);
        boolean generic = Set.of("organizations", "common", "consumers").contains(tenantSegment.toLowerCase(Locale.ROOT));
        if (t.isEmpty() && !generic) {
            return Errors.identity(400, "invalid_tenant", 90002, "Tenant '" + tenantSegment + "' not found.", ctx, r);
        }
        String tid = t.map(x -> x.id().value()).orElse("{tenantid}");
        String base = ctx.baseUrl() + "/" + tenantSegment;
        ObjectNode body = Json.object();
        body.put("token_endpoint", base + "/oauth2/v2.0/token");
        body.putArray("token_endpoint_auth_methods_supported").add("client_secret_post").add("private_key_jwt")
                .add("client_secret_basic");
        body.put("jwks_uri", base + "/discovery/v2.0/keys");
        body.putArray("response_types_supported").add("code").add("id_token").add("code id_token");
        body.putArray("subject_types_supported").add("pairwise");
        body.putArray("id_token_signing_alg_values_supported").add("RS256");
        body.put("issuer", ctx.baseUrl() + "/" + tid + "/v2.0");
        body.put("authorization_endpoint", base + "/oauth2/v2.0/authorize");
        body.put("tenant_region_scope", "EU");
        return Reply.json(200, body);
    }
}
