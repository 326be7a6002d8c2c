package com.tekst.outlook.testkit.internal.graph;

import com.tekst.outlook.TenantId;
import com.tekst.outlook.testkit.FakeApp;
import com.tekst.outlook.testkit.FakeTenant;
import com.tekst.outlook.testkit.FakeUser;
import com.tekst.outlook.testkit.Fault;
import com.tekst.outlook.testkit.internal.CloudContext;
import com.tekst.outlook.testkit.internal.Errors;
import com.tekst.outlook.testkit.internal.FakeRequest;
import com.tekst.outlook.testkit.internal.FaultPoint;
import com.tekst.outlook.testkit.internal.Reply;
import com.tekst.outlook.testkit.internal.TokenService;
import com.tekst.outlook.testkit.internal.mail.MailboxState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Microsoft Graph side of the fake cloud ({@code /v1.0/...}). For every request, in this order: authenticate the
 * bearer token (401), parse the route (400), find the mailbox addressed, consult the fault script, then check the
 * token's roles (403 {@code ErrorAccessDenied}), the user (404 {@code ErrorInvalidUser} or
 * {@code Request_ResourceNotFound}), the mailbox (404 {@code MailboxNotEnabledForRESTAPI}), the tenant-side
 * restriction ({@link FakeTenant#mailboxAccess}: 403 "Access to OData is disabled." for an application access policy,
 * 403 "Access is denied." outside an RBAC for Applications scope), Exchange's throttling (429), and only then run the
 * route. Internal.
 */
public final class GraphApi {
    /** Application permissions that read message metadata (least to most). */
    static final Set<String> MAIL_READ = Set.of("Mail.ReadBasic.All", "Mail.ReadBasic", "Mail.Read", "Mail.ReadWrite");
    /** Application permissions that read bodies. */
    static final Set<String> MAIL_BODY = Set.of("Mail.Read", "Mail.ReadWrite");
    static final Set<String> FOLDER_READ = Set.of("Mail.Read", "Mail.ReadWrite");
    static final Set<String> MAIL_WRITE = Set.of("Mail.ReadWrite");
    static final Set<String> MAIL_SEND = Set.of("Mail.Send");
    static final Set<String> SETTINGS_READ = Set.of("MailboxSettings.Read", "MailboxSettings.ReadWrite");
    static final Set<String> DIRECTORY_READ = Set.of("User.Read.All", "User.ReadWrite.All", "User.ReadBasic.All",
            "Directory.Read.All", "Directory.ReadWrite.All");

    private static final Pattern KEY_SEGMENT = Pattern.compile("^([A-Za-z]+)\\('(.*)'\\)$");

    private final CloudContext ctx;
    private final Throttler throttler = new Throttler();
    private final SyncTokens tokens;
    private final MailRoutes mail;
    private final DirectoryRoutes directory;
    private final BatchRoute batch;
    private volatile Object throttlingSeen;
    /** Verified tokens (a signature check is the costliest step of a small request); expiry is checked every time. */
    private final java.util.Map<String, TokenService.Claims> verified = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param inner    runs one inner request of a {@code $batch} through the whole pipeline (faults, this API, the
     *                 journal) and returns its answer
     * @param sequence the cloud's request sequence (inner requests get their own numbers)
     */
    public GraphApi(CloudContext ctx, Function<FakeRequest, Reply> inner, LongSupplier sequence) {
        this.ctx = ctx;
        this.tokens = new SyncTokens(ctx.seed());
        this.mail = new MailRoutes(ctx, tokens);
        this.directory = new DirectoryRoutes(ctx, tokens);
        this.batch = new BatchRoute(ctx, inner, sequence);
    }

    public boolean handles(FakeRequest r) {
        return r.segment(0).equals("v1.0");
    }

    /** What a route needs about the request being served. */
    static final class Call {
        final CloudContext ctx;
        final FakeRequest r;
        /** The path after {@code /v1.0}, with {@code name('key')} segments split into name and key. */
        List<String> path;
        FakeTenant tenant;
        FakeApp app;
        TokenService.Claims claims;
        Route route;
        /** The user addressed (found in the token's tenant), or null. */
        FakeUser user;
        MailboxState mailbox;
        /** Whether the user addressed exists, but in another tenant of the cloud. */
        boolean foreignUser;
        final List<String> applied = new ArrayList<>();

        Call(CloudContext ctx, FakeRequest r) {
            this.ctx = ctx;
            this.r = r;
        }

        Set<String> roles() {
            return claims.roles();
        }

        boolean can(Set<String> anyOf) {
            for (String role : claims.roles()) {
                if (anyOf.contains(role)) {
                    return true;
                }
            }
            return false;
        }

        /** A query option by its {@code $name} (or bare {@code name}, which Graph also accepts). */
        Optional<String> option(String name) {
            Optional<String> v = r.query("$" + name);
            return v.isPresent() ? v : r.query(name);
        }

        boolean hasOption(String name) {
            return option(name).isPresent();
        }

        /** {@code Prefer: IdType="ImmutableId"} on this request. */
        boolean immutableIds() {
            boolean on = r.preference("IdType").map(v -> v.equalsIgnoreCase("ImmutableId")).orElse(false);
            if (on && !applied.contains("IdType=\"ImmutableId\"")) {
                applied.add("IdType=\"ImmutableId\"");
            }
            return on;
        }

        /** {@code Prefer: outlook.body-content-type="text"} on this request. */
        boolean textBody() {
            boolean text = r.preference("outlook.body-content-type").map(v -> v.equalsIgnoreCase("text"))
                    .orElse(false);
            if (text && !applied.contains("outlook.body-content-type=\"text\"")) {
                applied.add("outlook.body-content-type=\"text\"");
            }
            return text;
        }

        /** {@code Prefer: odata.maxpagesize} of this request (capped at {@code max}), or {@code fallback}. */
        int maxPageSize(int fallback, int max) {
            Optional<String> v = r.preference("odata.maxpagesize");
            if (v.isEmpty()) {
                return fallback;
            }
            try {
                int n = Integer.parseInt(v.get().trim());
                if (n < 1) {
                    return fallback;
                }
                int applied = Math.min(n, max);
                this.applied.add("odata.maxpagesize=" + applied);
                return applied;
            } catch (NumberFormatException e) {
                return fallback;
            }
        }

        /** {@code https://localhost:PORT/v1.0} */
        String base() {
            return ctx.baseUrl() + "/v1.0";
        }
    }

    /** A parsed Graph path. */
    record Route(Kind kind, String userKey, List<String> rest) {
        enum Kind { USERS, USER, MAILBOX, BATCH }
    }

    public Reply handle(FakeRequest r, FaultPoint faults) throws InterruptedException {
        Call call = new Call(ctx, r);
        GraphError early = null;
        try {
            authenticate(call);
            call.route = parse(call);
            resolve(call);
        } catch (GraphError e) {
            early = e;
        }
        Optional<Fault> fault = faults.match(r);
        if (fault.isPresent() && FaultPoint.replacesAnswer(fault.get())) {
            return faults.replacement(fault.get(), r);
        }
        Fault latency = fault.filter(f -> f instanceof Fault.Latency || f instanceof Fault.Hold).orElse(null);
        if (early != null) {
            sleep(latency);
            return error(early, call);
        }
        try {
            return execute(call, latency);
        } catch (GraphError e) {
            return error(e, call);
        }
    }

    private Reply error(GraphError e, Call call) {
        Reply reply = Errors.graph(e.status, e.code, e.getMessage(), ctx, call.r);
        if (e.retryAfterSeconds >= 0) {
            reply = reply.withHeader("Retry-After", Errors.retryAfter(ctx, call.r, e.retryAfterSeconds));
        }
        if (e.location != null) {
            reply = reply.withHeader("Location", e.location);
        }
        if (e.status == 401) {
            reply = reply.withHeader("WWW-Authenticate", "Bearer realm=\"\", authorization_uri=\""
                    + "https://login.microsoftonline.com/common/oauth2/authorize\", "
                    + "client_id=\"00000003-0000-0000-c000-000000000000\"");
        }
        return reply;
    }

    /** A scripted {@link Fault.Latency} sleeps, a {@link Fault.Hold} waits for its release; {@code null}: neither. */
    private static void sleep(Fault latency) throws InterruptedException {
        if (latency instanceof Fault.Latency l && !l.delay().isZero() && !l.delay().isNegative()) {
            Thread.sleep(l.delay().toMillis());
        } else if (latency instanceof Fault.Hold hold) {
            hold.hold();
        }
    }

    // ---- authentication and routing -------------------------------------------------------------------------------

    private void authenticate(Call c) {
        FakeRequest r = c.r;
        Optional<String> bearer = r.bearerToken();
        if (bearer.isEmpty()) {
            throw new GraphError(401, "InvalidAuthenticationToken", "Access token is empty.");
        }
        Optional<TokenService.Claims> claims = Optional.ofNullable(verified.get(bearer.get()));
        if (claims.isEmpty()) {
            claims = ctx.tokens().verify(bearer.get());
            if (claims.isPresent()) {
                if (verified.size() > 1024) {
                    verified.clear();
                }
                verified.put(bearer.get(), claims.get());
            }
        }
        if (claims.isEmpty()) {
            throw new GraphError(401, "InvalidAuthenticationToken",
                    "IDX14100: JWT is not well formed, there are no dots (.).");
        }
        TokenService.Claims cl = claims.get();
        if (TenantId.isValid(cl.tenantId())) {
            r.tokenTenant = TenantId.of(cl.tenantId());
        }
        if (!cl.expiresAt().isAfter(ctx.clock().instant())) {
            throw new GraphError(401, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired.");
        }
        Optional<FakeTenant> tenant = ctx.tenant(cl.tenantId());
        if (tenant.isEmpty()) {
            throw new GraphError(401, "InvalidAuthenticationToken",
                    "Access token validation failure. Invalid audience.");
        }
        r.tenant = tenant.get().id();
        c.tenant = tenant.get();
        c.claims = cl;
        c.app = ctx.app(cl.appId()).orElse(null);
    }

    private Route parse(Call c) {
        List<String> raw = c.r.segments();
        List<String> path = new ArrayList<>();
        for (int i = 1; i < raw.size(); i++) {
            String s = raw.get(i);
            if (s.isEmpty() && i == raw.size() - 1) {
                continue;
            }
            if (s.regionMatches(true, 0, "microsoft.graph.", 0, 16)) {
                s = s.substring(16);
            }
            if (s.endsWith("()")) {
                s = s.substring(0, s.length() - 2);
            }
            Matcher m = KEY_SEGMENT.matcher(s);
            if (m.matches()) {
                path.add(m.group(1));
                path.add(m.group(2).replace("''", "'"));
            } else {
                path.add(s);
            }
        }
        c.path = path;
        if (path.isEmpty()) {
            throw GraphError.badRequest("Invalid request: a resource segment is required after '/v1.0'.");
        }
        String first = path.get(0).toLowerCase(Locale.ROOT);
        switch (first) {
            case "$batch":
                if (path.size() != 1) {
                    throw GraphError.resourceNotFoundForSegment(path.get(1));
                }
                return new Route(Route.Kind.BATCH, null, List.of());
            case "me":
                throw GraphError.badRequest("/me request is only valid with delegated authentication flow.");
            case "users":
                if (path.size() == 1) {
                    return new Route(Route.Kind.USERS, null, List.of());
                }
                if (path.size() == 2) {
                    return new Route(Route.Kind.USER, path.get(1), List.of());
                }
                return new Route(Route.Kind.MAILBOX, path.get(1), List.copyOf(path.subList(2, path.size())));
            default:
                throw GraphError.resourceNotFoundForSegment(path.get(0));
        }
    }

    /** Finds the user a request addresses, and records the mailbox and tenant for the journal and the faults. */
    private void resolve(Call c) {
        if (c.route.userKey() == null) {
            return;
        }
        String key = c.route.userKey();
        Optional<FakeUser> user = findByIdOrUpn(c.tenant, key);
        if (user.isPresent()) {
            c.user = user.get();
            if (c.route.kind() == Route.Kind.MAILBOX) {
                c.r.mailbox = c.user.objectId();
                c.mailbox = ctx.mail(c.tenant).get(c.user.objectId());
            }
            return;
        }
        for (FakeTenant other : ctx.tenants()) {
            if (other == c.tenant) {
                continue;
            }
            Optional<FakeUser> elsewhere = findByIdOrUpn(other, key);
            if (elsewhere.isPresent()) {
                c.foreignUser = true;
                c.r.tenant = other.id();
                if (c.route.kind() == Route.Kind.MAILBOX) {
                    c.r.mailbox = elsewhere.get().objectId();
                }
                return;
            }
        }
    }

    /**
     * Graph resolves {@code /users/{key}} by object id or user principal name (any case). A proxy address or a primary
     * SMTP address that differs from the UPN is not a key Graph accepts: such requests get 404, as for an unknown user.
     */
    static Optional<FakeUser> findByIdOrUpn(FakeTenant tenant, String key) {
        for (FakeUser u : tenant.users()) {
            if (u.objectId().equalsIgnoreCase(key) || u.userPrincipalName().equalsIgnoreCase(key)) {
                return Optional.of(u);
            }
        }
        return Optional.empty();
    }

    // ---- execution ------------------------------------------------------------------------------------------------

    private Reply execute(Call c, Fault latency) throws InterruptedException {
        switch (c.route.kind()) {
            case BATCH:
                sleep(latency);
                return batch.handle(c);
            case USERS:
            case USER:
                sleep(latency);
                return directory.handle(c);
            default:
                break;
        }
        MailRoutes.Operation op = mail.operation(c);
        // RBAC for Applications grants roles server-side, per mailbox: without an Entra role the answer depends on
        // the mailbox, so the early 403 applies only to applications without an RBAC restriction
        boolean rbac = c.app != null
                && c.tenant.restriction(c.app) == FakeTenant.RestrictionMechanism.RBAC_FOR_APPLICATIONS;
        if (!c.can(op.permissions()) && !rbac) {
            throw GraphError.mailAccessDenied();
        }
        if (c.user == null) {
            throw GraphError.invalidUser(c.route.userKey());
        }
        if (!c.user.hasMailbox() || c.mailbox == null) {
            throw GraphError.mailboxNotEnabled();
        }
        if (c.app != null) {
            switch (c.tenant.mailboxAccess(c.app, c.user.objectId(), c.roles(), op.permissions())) {
                case DENIED_BY_POLICY -> throw GraphError.odataDisabled();
                case DENIED -> throw GraphError.mailAccessDenied();
                default -> {
                    // allowed
                }
            }
        }
        String appId = c.claims.appId();
        var limits = ctx.mailboxThrottling();
        if (throttlingSeen != limits) {
            synchronized (this) {
                if (throttlingSeen != limits) {
                    throttler.reset();
                    throttlingSeen = limits;
                }
            }
        }
        throttler.admit(appId, c.user.objectId(), c.r.receivedAt(), limits);
        try {
            sleep(latency);
            return op.run();
        } finally {
            throttler.release(appId, c.user.objectId());
        }
    }

    /** A successful Graph answer with Graph's headers. */
    static Reply ok(Call c, int status, byte[] body) {
        return ok(c, status, body, null);
    }

    /** A successful Graph answer whose body is also in a shared okio buffer (written without copying). */
    static Reply ok(Call c, int status, byte[] body, okio.Buffer shared) {
        Reply reply = status == 204 || status == 202 ? new Reply(status, okhttp3.Headers.of(), new byte[0])
                : new Reply(status, okhttp3.Headers.of("Content-Type", Reply.GRAPH_JSON), body, shared);
        reply = Errors.graphHeaders(reply, c.ctx, c.r).withHeader("OData-Version", "4.0")
                .withHeader("Cache-Control", "no-cache");
        if (!c.applied.isEmpty()) {
            reply = reply.withHeader("Preference-Applied", String.join(",", c.applied));
        }
        return reply;
    }
}
