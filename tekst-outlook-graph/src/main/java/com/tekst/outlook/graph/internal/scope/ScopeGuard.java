package com.tekst.outlook.graph.internal.scope;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ErrorDetails;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.MailboxIdentityChangedException;
import com.tekst.outlook.MailboxOutOfScopeException;
import com.tekst.outlook.OutlookClientException;
import com.tekst.outlook.OutlookException;
import com.tekst.outlook.ServiceException;
import com.tekst.outlook.TenantId;
import com.tekst.outlook.graph.internal.http.ClientRequestIdInterceptor;
import com.tekst.outlook.graph.internal.http.GraphCall;
import com.tekst.outlook.graph.internal.http.GraphUrls;
import com.tekst.outlook.mailbox.MailboxStatus;
import com.tekst.outlook.mailbox.ScopeMode;
import com.tekst.outlook.store.MailboxRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SDK-side mailbox scope of one connection, as an OkHttp interceptor: it runs before authentication and refuses,
 * before any network I/O (the token request included), every request for a mailbox outside the connection's scope,
 * throwing an {@link IOException} whose cause is a {@link MailboxOutOfScopeException} (tenant, connection, the mailbox
 * as addressed). How it reads a request (docs/design/012-scope-guard.md):
 *
 * <ol>
 *   <li>The URL is parsed the way Graph reads it ({@link GraphTarget}): Graph's host and versioned base only (another
 *       host is an {@link OutlookClientException}: a token never leaves for it); each path segment decoded once;
 *       a decoded {@code /}, {@code \}, {@code %}, {@code ;} (path parameter), control character, empty or dot
 *       segment is refused as ambiguous, and so is a method-override or {@code X-Original-URL} /
 *       {@code X-Rewrite-URL} header. {@code /users/{key}} and {@code /users('{key}')} name a user; {@code /me} and every resource other
 *       than {@code /users} and {@code /$batch} are refused.</li>
 *   <li>Requests that address no mailbox pass: {@code GET /users} and {@code GET /users/{key}} (directory reads),
 *       unless they {@code $expand} or {@code $select} the {@code mailboxSettings}.</li>
 *   <li>A request for a mailbox names it by a key that must be an address or object id exactly as the SDK accepts
 *       them ({@link MailboxAddress}); the key is resolved to the canonical object id from the store (object id,
 *       primary address, user principal name or alias, any case) and passes only when exactly one mailbox of the
 *       connection answers to it; a name the store does not know is refused (fail closed). A name (not an object id)
 *       is pinned: one directory read through the rest of the chain asks who owns it now, and the request goes to
 *       {@code users/{object id}} only if it is still the stored mailbox; otherwise it is refused with a
 *       {@link MailboxIdentityChangedException} and the mailbox flagged {@link MailboxStatus#MAILBOX_IDENTITY_CHANGED}.
 *       Object ids need no lookup.</li>
 *   <li>{@code POST /$batch}: the body is read (strict JSON, {@link BatchBody}) and every inner request is judged as
 *       above; one refusal refuses the batch. The inspected bytes are the bytes sent, with pinned names' urls
 *       rewritten to object ids.</li>
 *   <li>An out-of-scope mailbox passes only with a {@link GuardTicket} of this guard's {@link ScopeGuards} and the
 *       exact request shape of its purpose (the picker's {@code userPurpose} read, a verification probe, the folder
 *       lookup of a mailbox being added).</li>
 *   <li>In {@link ScopeMode#ALL_MAILBOXES} mode every mailbox key passes (steps 1 and the key's shape still apply).</li>
 * </ol>
 * A request carrying a {@link GraphCall} tag for another tenant or connection is refused. What passed is attached as
 * a {@link ScopeDecision} tag. The mode and mailboxes are read from the store on every request (two indexed reads), so
 * a mailbox removed by any process is refused from the next request on. Thread-safe. Internal.
 */
public final class ScopeGuard implements Interceptor {
    private static final Logger log = LoggerFactory.getLogger(ScopeGuard.class);
    private static final ObjectMapper LOOKUP_JSON = new ObjectMapper();
    /** Headers some servers honour to run another method than the request line's: never sent by the SDK. */
    static final Set<String> METHOD_OVERRIDES = Set.of("x-http-method", "x-http-method-override",
            "x-method-override");
    /** Headers some proxies and servers honour to route to another path than the request line's: never sent. */
    static final Set<String> URL_OVERRIDES = Set.of("x-original-url", "x-rewrite-url");
    /** The most bytes of an owner lookup's answer the guard reads (a few ids). */
    static final long MAX_LOOKUP_BYTES = 64 * 1024;
    private static final Set<String> FOLDER_LOOKUP_OPTIONS = Set.of("$select", "$filter", "$top", "$skip",
            "includehiddenfolders");

    private final ScopeGuards guards;
    private final ConnectionId connection;
    private final TenantId tenant;

    ScopeGuard(ScopeGuards guards, ConnectionId connection, TenantId tenant) {
        this.guards = guards;
        this.connection = Objects.requireNonNull(connection, "connection");
        this.tenant = Objects.requireNonNull(tenant, "tenant");
    }

    public ConnectionId connection() {
        return connection;
    }

    public TenantId tenant() {
        return tenant;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        try {
            Request checked = check(request, chain);
            return chain.proceed(checked);
        } catch (Refusal refusal) {
            log.debug("refused {} {}: {}", request.method(), request.url().encodedPath().length() > 200
                    ? request.url().encodedPath().substring(0, 200) + "…" : request.url().encodedPath(),
                    refusal.exception.summary());
            throw new IOException(refusal.exception.summary(), refusal.exception);
        }
    }

    /** A request the guard refused, with the exception the caller gets. */
    static final class Refusal extends Exception {
        final OutlookException exception;

        Refusal(OutlookException exception) {
            super(null, null, false, false);
            this.exception = exception;
        }
    }

    /**
     * The request to send (with its {@link ScopeDecision}, user names pinned to object ids, and for a batch the
     * inspected body), or a refusal. {@code chain} carries the owner lookups of names (docs/design/012).
     */
    Request check(Request request, Chain chain) throws Refusal, IOException {
        String clientRequestId = request.header(ClientRequestIdInterceptor.HEADER);
        GraphCall call = request.tag(GraphCall.class);
        if (call != null && (!call.tenant().equals(tenant)
                || (call.connection() != null && !call.connection().equals(connection)))) {
            throw new Refusal(new OutlookClientException("A request for another tenant or connection reached the"
                    + " scope guard of connection " + connection + "; it was not sent"));
        }
        GuardTicket ticket = request.tag(GuardTicket.class);
        if (ticket != null && ticket.issuer() != guards) {
            ticket = null;
        }
        for (String name : request.headers().names()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (METHOD_OVERRIDES.contains(lower)) {
                throw refuse(null, "A request that overrides its HTTP method (" + Shown.quote(name) + ") is not"
                        + " sent", clientRequestId);
            }
            if (URL_OVERRIDES.contains(lower)) {
                throw refuse(null, "A request that overrides its URL (" + Shown.quote(name) + ") is not sent",
                        clientRequestId);
            }
        }
        ScopeMode mode = guards.store().findScopeMode(connection);
        GraphTarget target = GraphTarget.parse(request.url(), guards.graphBase());
        if (target instanceof GraphTarget.Batch) {
            return checkBatch(request, chain, ticket, mode, clientRequestId);
        }
        Judged judged = judge(target, request.method(), request.url(), ticket, mode, clientRequestId, null);
        Request.Builder out = request.newBuilder();
        if (judged.pinned() != null) {
            confirmOwner(chain, judged, clientRequestId, "");
            out.url(GraphTarget.pin(request.url(), guards.graphBase(), (GraphTarget.User) target,
                    judged.pinned().mailboxId().value()));
        }
        ScopeDecision decision = judged.mailbox() == null ? ScopeDecision.NO_MAILBOX
                : new ScopeDecision(List.of(judged.mailbox()));
        return out.tag(ScopeDecision.class, decision).build();
    }

    /**
     * What {@link #judge} decided for one request.
     *
     * @param mailbox the mailbox it addresses (canonical object id, or the lower-case name in ALL_MAILBOXES mode), or
     *                {@code null} for a request that addresses none
     * @param pinned  the in-scope mailbox a name (not an object id) resolved to: the request is sent to its object id
     *                once the directory confirms the name still belongs to it; otherwise {@code null}
     * @param name    the name as addressed, with {@code pinned}
     */
    private record Judged(String mailbox, MailboxRecord pinned, MailboxAddress name) {
        static final Judged NONE = new Judged(null, null, null);
    }

    private Request checkBatch(Request request, Chain chain, GuardTicket ticket, ScopeMode mode,
                               String clientRequestId) throws Refusal, IOException {
        if (!request.method().equals("POST")) {
            throw refuse(null, "A $batch request must be a POST", clientRequestId);
        }
        RequestBody body = request.body();
        String encoding = request.header("Content-Encoding");
        if (body == null || body.isOneShot() || (encoding != null && !encoding.equalsIgnoreCase("identity"))) {
            throw refuse(null, "The body of a $batch request cannot be inspected (missing, one-shot or encoded)",
                    clientRequestId);
        }
        byte[] bytes;
        try {
            long length = body.contentLength();
            if (length > BatchBody.MAX_BYTES) {
                throw refuse(null, "The $batch body is larger than the guard reads", clientRequestId);
            }
            Buffer buffer = new Buffer();
            body.writeTo(buffer);
            if (buffer.size() > BatchBody.MAX_BYTES) {
                throw refuse(null, "The $batch body is larger than the guard reads", clientRequestId);
            }
            bytes = buffer.readByteArray();
        } catch (IOException e) {
            throw refuse(null, "The $batch body could not be read (" + e.getClass().getSimpleName() + ")",
                    clientRequestId);
        }
        List<BatchBody.Inner> inner;
        try {
            inner = BatchBody.parse(bytes);
        } catch (BatchBody.Refused e) {
            throw refuse(null, "The $batch body was refused: " + e.getMessage(), clientRequestId);
        }
        List<String> mailboxes = new ArrayList<>();
        Map<Integer, String> pinnedUrls = new HashMap<>();
        Map<String, Judged> confirmed = new LinkedHashMap<>();
        String base = guards.graphBase().toString();
        for (int index = 0; index < inner.size(); index++) {
            BatchBody.Inner r = inner.get(index);
            String url = r.url();
            if (url.contains("://") || url.startsWith("//") || url.indexOf('#') >= 0 || url.indexOf('\\') >= 0) {
                throw refuse(null, "Request '" + Shown.quote(r.id()) + "' of the $batch has a url that is not"
                        + " relative to the Graph version root", clientRequestId);
            }
            HttpUrl innerUrl = HttpUrl.parse(base + (url.startsWith("/") ? url : "/" + url));
            if (innerUrl == null) {
                throw refuse(null, "Request '" + Shown.quote(r.id()) + "' of the $batch has a malformed url",
                        clientRequestId);
            }
            GraphTarget target = GraphTarget.parse(innerUrl, guards.graphBase());
            if (target instanceof GraphTarget.Batch) {
                throw refuse(null, "A $batch inside a $batch", clientRequestId);
            }
            Judged judged = judge(target, r.method(), innerUrl, ticket, mode, clientRequestId, r.id());
            if (judged.mailbox() != null) {
                mailboxes.add(judged.mailbox());
            }
            if (judged.pinned() != null) {
                String key = judged.name().value() + " " + judged.pinned().mailboxId();
                if (!confirmed.containsKey(key)) {
                    confirmOwner(chain, judged, clientRequestId, " (request '" + Shown.quote(r.id()) + "' of a $batch)");
                    confirmed.put(key, judged);
                }
                pinnedUrls.put(index, GraphTarget.relative(GraphTarget.pin(innerUrl, guards.graphBase(),
                        (GraphTarget.User) target, judged.pinned().mailboxId().value()), guards.graphBase()));
            }
        }
        if (!pinnedUrls.isEmpty()) {
            try {
                bytes = BatchBody.withUrls(bytes, pinnedUrls);
            } catch (BatchBody.Refused e) {
                throw refuse(null, "The $batch body was refused: " + e.getMessage(), clientRequestId);
            }
        }
        MediaType type = body.contentType();
        return request.newBuilder()
                .method("POST", RequestBody.create(bytes, type))
                .tag(ScopeDecision.class, new ScopeDecision(mailboxes))
                .build();
    }

    /** Judges one (possibly inner) request: what it addresses, and whether a name in it is to be pinned. */
    private Judged judge(GraphTarget target, String method, HttpUrl url, GuardTicket ticket, ScopeMode mode,
                         String clientRequestId, String batchId) throws Refusal {
        String where = batchId == null ? "" : " (request '" + Shown.quote(batchId) + "' of a $batch)";
        boolean read = method.equals("GET") || method.equals("HEAD");
        if (target instanceof GraphTarget.Unclear unclear) {
            if (unclear.why().startsWith("another host")) {
                throw new Refusal(new OutlookClientException("The tenant-bound client sends requests only to"
                        + " Microsoft Graph at " + guards.graphBase() + "; a request to " + Shown.quote(url.host())
                        + where + " was not sent"));
            }
            throw refuse(null, "The request" + where + " has " + unclear.why() + ", which could address a mailbox"
                    + " outside the scope; it was not sent", clientRequestId);
        }
        if (target instanceof GraphTarget.Me) {
            throw refuse(null, "/me" + where + " names no mailbox with application permissions; address mailboxes"
                    + " as /users/{id}; the request was not sent", clientRequestId);
        }
        if (target instanceof GraphTarget.Unsupported unsupported) {
            throw refuse(null, "The resource '" + Shown.quote(unsupported.resource()) + "'" + where
                    + " is not one the SDK lets through (only /users and /$batch); the request was not sent",
                    clientRequestId);
        }
        if (target instanceof GraphTarget.Users) {
            if (!read || readsMailboxData(url)) {
                throw refuse(null, "Only directory reads of /users pass the scope guard" + where
                        + " (no $expand, no mailboxSettings); the request was not sent", clientRequestId);
            }
            return Judged.NONE;
        }
        GraphTarget.User user = (GraphTarget.User) target;
        if (user.rest().isEmpty() && read && !readsMailboxData(url)) {
            return Judged.NONE; // a directory read of one user, for the picker
        }
        Optional<MailboxAddress> name = user.name();
        if (name.isEmpty()) {
            throw refuse(null, "The request" + where + " names the user '" + Shown.quote(user.key())
                    + "', which is not an address or object id the SDK can resolve to a mailbox of the scope; it was"
                    + " not sent", clientRequestId);
        }
        MailboxAddress addressed = name.get();
        List<MailboxRecord> found = addressed.isObjectId()
                ? guards.store().findMailbox(connection, MailboxId.of(addressed.value())).map(List::of).orElse(List.of())
                : guards.store().findMailboxesByName(connection, addressed);
        if (found.size() == 1) {
            MailboxRecord record = found.get(0);
            return addressed.isObjectId() ? new Judged(record.mailboxId().value(), null, null)
                    : new Judged(record.mailboxId().value(), record, addressed);
        }
        if (mode == ScopeMode.ALL_MAILBOXES && found.isEmpty()) {
            return new Judged(addressed.value(), null, null);
        }
        if (found.size() > 1) {
            throw refuse(addressed, "The name " + addressed + where + " matches " + found.size() + " mailboxes of"
                    + " connection " + connection + " (their stored names are out of date); the request was not sent",
                    clientRequestId);
        }
        if (ticket != null && ticketAllows(ticket, user, addressed, method, url)) {
            return new Judged(addressed.value(), null, null);
        }
        throw refuse(addressed, "Mailbox " + addressed + where + " is not in the scope of connection " + connection
                + "; the request was not sent", clientRequestId);
    }

    private static boolean ticketAllows(GuardTicket ticket, GraphTarget.User user, MailboxAddress addressed,
                                        String method, HttpUrl url) {
        if (!method.equals("GET")) {
            return false;
        }
        return switch (ticket.purpose()) {
            case MAILBOX_TYPE -> (user.restIs("mailboxSettings", "userPurpose") && url.querySize() == 0)
                    || (user.restIs("mailboxSettings") && onlyOption(url, "$select", "userPurpose"));
            case RESTRICTION_PROBE -> user.restIs("mailFolders", "inbox") && onlyOption(url, "$select", "id");
            case FOLDER_LOOKUP -> addressed.isObjectId() && addressed.value().equals(ticket.objectId())
                    && isFolderTreeRead(user) && optionsAmong(url, FOLDER_LOOKUP_OPTIONS);
            case OWNER_LOOKUP -> false; // a directory read of /users, which needs no ticket
        };
    }

    private static boolean isFolderTreeRead(GraphTarget.User user) {
        List<String> rest = user.rest();
        if (rest.isEmpty() || !rest.get(0).equalsIgnoreCase("mailFolders")) {
            return false;
        }
        return rest.size() == 1 || rest.size() == 2
                || (rest.size() == 3 && rest.get(2).equalsIgnoreCase("childFolders"));
    }

    /** Whether the query is exactly one option {@code name} (with or without {@code $}) with this value, ignoring case. */
    private static boolean onlyOption(HttpUrl url, String name, String value) {
        if (url.querySize() != 1) {
            return false;
        }
        return optionName(url.queryParameterName(0)).equals(name)
                && value.equalsIgnoreCase(String.valueOf(url.queryParameterValue(0)).strip());
    }

    private static boolean optionsAmong(HttpUrl url, Set<String> allowed) {
        for (int i = 0; i < url.querySize(); i++) {
            if (!allowed.contains(optionName(url.queryParameterName(i)))) {
                return false;
            }
        }
        return true;
    }

    /** An OData option's name as Graph reads it: lower case, {@code $}-prefixed (Graph accepts both spellings). */
    private static String optionName(String raw) {
        String lower = raw.strip().toLowerCase(Locale.ROOT);
        return lower.startsWith("$") || lower.equals("includehiddenfolders") ? lower : "$" + lower;
    }

    /** Whether a directory read reaches into mailbox data: any {@code $expand}, or {@code $select} of mailbox settings. */
    private static boolean readsMailboxData(HttpUrl url) {
        for (int i = 0; i < url.querySize(); i++) {
            String name = optionName(url.queryParameterName(i));
            String value = url.queryParameterValue(i);
            if (name.equals("$expand")) {
                return true;
            }
            if (name.equals("$select") && value != null) {
                for (String term : value.split(",")) {
                    String t = term.strip();
                    if (t.equalsIgnoreCase("mailboxSettings") || t.indexOf('/') >= 0 || t.indexOf('(') >= 0) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Asks the directory who owns {@code judged.name()} now, through the rest of the chain (limiter, authentication,
     * logging; a directory read of {@code /users}, content-free): {@code GET /users?$select=id&$filter=userPrincipalName
     * eq … or mail eq … or proxyAddresses/any(x:x eq 'smtp:…')}, the lookup the store's names came from. Returns when
     * exactly the pinned mailbox answers to it. Another object, or none, is a {@link MailboxIdentityChangedException}
     * and flags the mailbox {@link MailboxStatus#MAILBOX_IDENTITY_CHANGED}; a directory that cannot answer refuses the
     * request without flagging (fail closed: address the mailbox by its object id).
     */
    private void confirmOwner(Chain chain, Judged judged, String clientRequestId, String where)
            throws Refusal, IOException {
        MailboxAddress name = judged.name();
        MailboxId pinnedId = judged.pinned().mailboxId();
        String n = name.value();
        HttpUrl.Builder url = guards.graphBase().newBuilder().addPathSegment("users");
        GraphUrls.option(url, "$select", "id");
        GraphUrls.option(url, "$filter", "userPrincipalName eq " + GraphUrls.literal(n) + " or mail eq "
                + GraphUrls.literal(n) + " or proxyAddresses/any(x:x eq " + GraphUrls.literal("smtp:" + n) + ")");
        Request lookup = new Request.Builder().url(url.build()).get()
                .header(ClientRequestIdInterceptor.HEADER, UUID.randomUUID().toString())
                .tag(GraphCall.class, GraphCall.forTenant(tenant, connection))
                .tag(GuardTicket.class, guards.ownerLookup())
                .tag(ScopeDecision.class, ScopeDecision.NO_MAILBOX)
                .build();
        List<String> owners = new ArrayList<>();
        try (Response answer = chain.proceed(lookup)) {
            int code = answer.code();
            if (code != 200) {
                String why = "the directory could not tell who owns the name " + name + where + " now (HTTP " + code
                        + "), so it cannot be pinned to mailbox " + pinnedId + "; address the mailbox by its object id;"
                        + " the request was not sent";
                ErrorDetails details = ErrorDetails.forTenant(tenant).withConnection(connection).withMailbox(name)
                        .withClientRequestId(clientRequestId).withRequestId(answer.header("request-id"))
                        .withHttpStatus(code);
                if (code == 401 || code == 403) {
                    throw new Refusal(new MailboxOutOfScopeException("Mailbox " + name + ": " + why, details));
                }
                throw new Refusal(new ServiceException(code == 429 || code >= 500, "Mailbox " + name + ": " + why,
                        details, null));
            }
            ResponseBody body = answer.body();
            okio.BufferedSource source = body.source();
            if (body.contentLength() > MAX_LOOKUP_BYTES || source.request(MAX_LOOKUP_BYTES + 1)) {
                throw refuse(name, "The directory's answer about the name " + name + where + " is larger than the"
                        + " guard reads; the request was not sent", clientRequestId);
            }
            JsonNode value = LOOKUP_JSON.readTree(source.readByteArray()).path("value");
            if (!value.isArray()) {
                throw refuse(name, "The directory's answer about the name " + name + where + " has no 'value' array;"
                        + " the request was not sent", clientRequestId);
            }
            for (JsonNode owner : value) {
                owners.add(owner.path("id").asText("").toLowerCase(Locale.ROOT));
            }
        } catch (JsonProcessingException e) {
            throw refuse(name, "The directory's answer about the name " + name + where + " is not JSON; the request"
                    + " was not sent", clientRequestId);
        }
        if (owners.size() == 1 && owners.get(0).equals(pinnedId.value())) {
            return;
        }
        if (owners.contains(pinnedId.value())) {
            throw refuse(name, "The name " + name + where + " belongs to " + owners.size() + " directory objects, one"
                    + " of them mailbox " + pinnedId + "; the request was not sent", clientRequestId);
        }
        MailboxIdentityChangedException.Change change = owners.isEmpty()
                ? MailboxIdentityChangedException.Change.UNASSIGNED : MailboxIdentityChangedException.Change.REASSIGNED;
        String what = owners.isEmpty() ? "no longer belongs to any account of the tenant"
                : "now belongs to another account than mailbox " + pinnedId;
        String detail = "The name " + name + " " + what + " (address reassigned or alias moved); requests addressing"
                + " the mailbox by that name are refused";
        flag(judged.pinned(), detail);
        throw new Refusal(new MailboxIdentityChangedException(change, pinnedId, "The name " + name + where + " "
                + what + " of connection " + connection + " (the address was reassigned or the alias moved); the"
                + " request was not sent and the mailbox is flagged " + MailboxStatus.MAILBOX_IDENTITY_CHANGED,
                ErrorDetails.forTenant(tenant).withConnection(connection).withMailbox(name)
                        .withClientRequestId(clientRequestId)));
    }

    /** Sets the mailbox's status to MAILBOX_IDENTITY_CHANGED (compare-and-set on the stored status), once. */
    private void flag(MailboxRecord pinned, String detail) {
        try {
            for (int attempt = 0; attempt < 3; attempt++) {
                Optional<MailboxRecord> current = guards.store().findMailbox(connection, pinned.mailboxId());
                if (current.isEmpty() || current.get().status() == MailboxStatus.MAILBOX_IDENTITY_CHANGED) {
                    return;
                }
                if (guards.store().updateMailboxStatus(connection, pinned.mailboxId(), current.get().status(),
                        MailboxStatus.MAILBOX_IDENTITY_CHANGED, null, detail)) {
                    log.warn("mailbox {} of connection {}: status {} -> {}: {}", pinned.mailboxId(), connection,
                            current.get().status(), MailboxStatus.MAILBOX_IDENTITY_CHANGED, detail);
                    return;
                }
            }
        } catch (RuntimeException e) {
            // the request is refused either way; the flag is for the operator
            log.warn("mailbox {} of connection {}: could not store status {} ({})", pinned.mailboxId(), connection,
                    MailboxStatus.MAILBOX_IDENTITY_CHANGED, e.getClass().getSimpleName());
        }
    }

    private Refusal refuse(MailboxAddress mailbox, String summary, String clientRequestId) {
        ErrorDetails details = ErrorDetails.forTenant(tenant).withConnection(connection).withMailbox(mailbox)
                .withClientRequestId(clientRequestId);
        return new Refusal(new MailboxOutOfScopeException(summary, details));
    }
}
