package com.tekst.outlook.graph.internal.scope;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ErrorDetails;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxOutOfScopeException;
import com.tekst.outlook.OutlookClientException;
import com.tekst.outlook.OutlookException;
import com.tekst.outlook.TenantId;
import com.tekst.outlook.graph.internal.http.ClientRequestIdInterceptor;
import com.tekst.outlook.graph.internal.http.GraphCall;
import com.tekst.outlook.mailbox.ScopeMode;
import com.tekst.outlook.store.MailboxRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
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
 *       a decoded {@code /}, {@code \}, {@code %}, control character, empty or dot segment is refused as
 *       ambiguous. {@code /users/{key}} and {@code /users('{key}')} name a user; {@code /me} and every resource other
 *       than {@code /users} and {@code /$batch} are refused.</li>
 *   <li>Requests that address no mailbox pass: {@code GET /users} and {@code GET /users/{key}} (directory reads),
 *       unless they {@code $expand} or {@code $select} the {@code mailboxSettings}.</li>
 *   <li>A request for a mailbox names it by a key that must be an address or object id exactly as the SDK accepts
 *       them ({@link MailboxAddress}); the key is resolved to the canonical object id from the store (object id,
 *       primary address, user principal name or alias, any case) and passes only when exactly one mailbox of the
 *       connection answers to it. Nothing is looked up over the network: a name the store does not know is refused
 *       (fail closed).</li>
 *   <li>{@code POST /$batch}: the body is read (strict JSON, {@link BatchBody}) and every inner request is judged as
 *       above; one refusal refuses the batch. The inspected bytes are the bytes sent.</li>
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
    /** Headers some servers honour to run another method than the request line's: never sent by the SDK. */
    static final Set<String> METHOD_OVERRIDES = Set.of("x-http-method", "x-http-method-override",
            "x-method-override");
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
            Request checked = check(request);
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

    /** The request to send (with its {@link ScopeDecision}, and for a batch the inspected body), or a refusal. */
    Request check(Request request) throws Refusal {
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
            if (METHOD_OVERRIDES.contains(name.toLowerCase(Locale.ROOT))) {
                throw refuse(null, "A request that overrides its HTTP method (" + Shown.quote(name) + ") is not"
                        + " sent", clientRequestId);
            }
        }
        ScopeMode mode = guards.store().findScopeMode(connection);
        GraphTarget target = GraphTarget.parse(request.url(), guards.graphBase());
        if (target instanceof GraphTarget.Batch) {
            return checkBatch(request, ticket, mode, clientRequestId);
        }
        String mailbox = judge(target, request.method(), request.url(), ticket, mode, clientRequestId, null);
        ScopeDecision decision = mailbox == null ? ScopeDecision.NO_MAILBOX : new ScopeDecision(List.of(mailbox));
        return request.newBuilder().tag(ScopeDecision.class, decision).build();
    }

    private Request checkBatch(Request request, GuardTicket ticket, ScopeMode mode, String clientRequestId)
            throws Refusal {
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
        String base = guards.graphBase().toString();
        for (BatchBody.Inner r : inner) {
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
            String mailbox = judge(target, r.method(), innerUrl, ticket, mode, clientRequestId, r.id());
            if (mailbox != null) {
                mailboxes.add(mailbox);
            }
        }
        MediaType type = body.contentType();
        return request.newBuilder()
                .method("POST", RequestBody.create(bytes, type))
                .tag(ScopeDecision.class, new ScopeDecision(mailboxes))
                .build();
    }

    /**
     * Judges one (possibly inner) request.
     *
     * @return the mailbox it addresses (canonical object id, or the lower-case name in ALL_MAILBOXES mode), or
     *         {@code null} for a request that addresses none
     */
    private String judge(GraphTarget target, String method, HttpUrl url, GuardTicket ticket, ScopeMode mode,
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
            return null;
        }
        GraphTarget.User user = (GraphTarget.User) target;
        if (user.rest().isEmpty() && read && !readsMailboxData(url)) {
            return null; // a directory read of one user, for the picker
        }
        Optional<MailboxAddress> name = user.name();
        if (name.isEmpty()) {
            throw refuse(null, "The request" + where + " names the user '" + Shown.quote(user.key())
                    + "', which is not an address or object id the SDK can resolve to a mailbox of the scope; it was"
                    + " not sent", clientRequestId);
        }
        MailboxAddress addressed = name.get();
        List<MailboxRecord> found = addressed.isObjectId()
                ? guards.store().findMailbox(connection, addressed.value()).map(List::of).orElse(List.of())
                : guards.store().findMailboxesByName(connection, addressed);
        if (found.size() == 1) {
            return found.get(0).mailboxId();
        }
        if (mode == ScopeMode.ALL_MAILBOXES && found.isEmpty()) {
            return addressed.value();
        }
        if (found.size() > 1) {
            throw refuse(addressed, "The name " + addressed + where + " matches " + found.size() + " mailboxes of"
                    + " connection " + connection + " (their stored names are out of date); the request was not sent",
                    clientRequestId);
        }
        if (ticket != null && ticketAllows(ticket, user, addressed, method, url)) {
            return addressed.value();
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

    private Refusal refuse(MailboxAddress mailbox, String summary, String clientRequestId) {
        ErrorDetails details = ErrorDetails.forTenant(tenant).withConnection(connection).withMailbox(mailbox)
                .withClientRequestId(clientRequestId);
        return new Refusal(new MailboxOutOfScopeException(summary, details));
    }
}
