package com.tekst.outlook.graph.internal.sync;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ErrorDetails;
import com.tekst.outlook.MalformedResponseException;
import com.tekst.outlook.OutlookClientException;
import com.tekst.outlook.ServiceException;
import com.tekst.outlook.graph.internal.Mdc;
import com.tekst.outlook.graph.internal.http.ClientRequestIdInterceptor;
import com.tekst.outlook.graph.internal.http.GraphCall;
import com.tekst.outlook.graph.internal.http.GraphHttp;
import com.tekst.outlook.graph.internal.http.GraphResponse;
import com.tekst.outlook.mailbox.FolderRef;
import com.tekst.outlook.sync.BackfillPage;
import com.tekst.outlook.sync.BackfillRequest;
import com.tekst.outlook.DeltaExpiredException;
import com.tekst.outlook.sync.DeltaPage;
import com.tekst.outlook.sync.DeltaRequest;
import com.tekst.outlook.sync.MailSource;
import com.tekst.outlook.sync.MailboxTarget;
import com.tekst.outlook.sync.ReceivedRange;
import com.tekst.outlook.sync.SyncEngine;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link MailSource} over Microsoft Graph: one HTTP request per call through the SDK's OkHttp stack
 * ({@link GraphHttp#execute}: client-request-id, guards, authentication, redacted logging, typed errors), pages read by
 * {@link MailPageParser} (Jackson streaming) as they arrive, not after the whole body was read. No retries and no
 * paging here: the engine owns both.
 *
 * <ul>
 *   <li>Paths are built with {@link HttpUrl.Builder#addPathSegment}, so a mailbox or folder id is always one encoded
 *       segment; next and delta links are sent verbatim, after checking that they point into the configured Graph
 *       root (a link elsewhere would carry the tenant's token there).</li>
 *   <li>Every request carries {@code User-Agent: tekst-outlook}, with {@code (sync worker <id>)} after it when it comes
 *       from an engine registered in a store's worker registry ({@link #forEngine()}).</li>
 *   <li>Every request carries {@code Prefer: IdType="ImmutableId"}; delta requests (links included) also
 *       {@code Prefer: odata.maxpagesize=N}, which Graph does not encode in its links.</li>
 *   <li>Every request is tagged with its {@link GraphCall} (tenant, connection, mailbox id and address), so interceptors
 *       and error details know whom it is for; the MDC carries {@code tenant}, {@code connection} and
 *       {@code mailbox} while it runs (and {@code requestId}, the client-request-id, on this class's log lines).</li>
 *   <li>A malformed answer (truncated, wrong types, a message without id, {@code receivedDateTime} or folder, a delta
 *       page with neither link, a link outside Graph) is a {@link MalformedResponseException} for the whole page.</li>
 *   <li>A thread interrupted before the request makes none; one interrupted during it fails at its next I/O (bounded by
 *       the stack's timeouts).</li>
 * </ul>
 *
 * <p>The OkHttp client is taken per connection from a function, so the connection's mailbox-scope guard can sit in
 * its chain. Thread-safe. Internal.
 */
public final class GraphMailSource implements MailSource {
    /** MDC key of the mailbox address, as the sync engine sets it. */
    static final String MDC_MAILBOX = "mailbox";
    static final String PREFER_IMMUTABLE_ID = "IdType=\"ImmutableId\"";
    /** The product token of the SDK's sync requests. */
    static final String USER_AGENT = "tekst-outlook";

    private static final Logger log = LoggerFactory.getLogger(GraphMailSource.class);
    private static final DateTimeFormatter ODATA_INSTANT = DateTimeFormatter.ISO_INSTANT;

    private final GraphHttp http;
    private final Function<ConnectionId, OkHttpClient> clients;
    private final HttpUrl root;
    private final String linkPrefix;
    // the engines built with this source that run: its client stops them when it closes
    private final Set<SyncEngine> running = new LinkedHashSet<>();
    private boolean closed;

    /**
     * @param http         the SDK's Graph stack
     * @param clients      the OkHttp client (the SDK chain, with the connection's guards) for a connection
     * @param graphBaseUrl Graph's versioned root, e.g. {@code https://graph.microsoft.com/v1.0}
     */
    public GraphMailSource(GraphHttp http, Function<ConnectionId, OkHttpClient> clients, URI graphBaseUrl) {
        this.http = Objects.requireNonNull(http, "http");
        this.clients = Objects.requireNonNull(clients, "clients");
        this.root = HttpUrl.get(Objects.requireNonNull(graphBaseUrl, "graphBaseUrl").toString());
        String base = root.toString();
        this.linkPrefix = base.endsWith("/") ? base : base + "/";
    }

    /** Keeps the engine, to stop it on {@link #stopEngines}; refuses once the client is closed. */
    @Override
    public void engineStarted(SyncEngine engine) {
        synchronized (running) {
            if (closed) {
                throw new OutlookClientException("The OutlookClient is closed; a SyncEngine built from it cannot start");
            }
            running.add(engine);
        }
    }

    @Override
    public void engineStopped(SyncEngine engine) {
        synchronized (running) {
            running.remove(engine);
        }
    }

    /**
     * Refuses new engines, then stops every engine still running: each may finish its page within {@code grace};
     * returns once their threads have ended.
     *
     * @return how many engines were still running
     */
    public int stopEngines(Duration grace) throws InterruptedException {
        List<SyncEngine> engines;
        synchronized (running) {
            closed = true;
            engines = List.copyOf(running);
        }
        for (SyncEngine engine : engines) {
            engine.stop(grace);
        }
        return engines.size();
    }

    /**
     * A view of this source for one engine: its requests name the engine's worker id (once it has one) in their
     * {@code User-Agent}, so Graph's logs and a fake's journal tell the engines of a fleet apart.
     */
    public MailSource forEngine() {
        return new EngineSource();
    }

    /** The {@code User-Agent} of the sync requests of an engine with the given worker id (or none). */
    static String userAgent(String workerId) {
        return workerId == null ? USER_AGENT : USER_AGENT + " (sync worker " + workerId + ")";
    }

    @Override
    public DeltaPage fetchDelta(DeltaRequest request) {
        return fetchDelta(request, USER_AGENT);
    }

    @Override
    public BackfillPage fetchBackfill(BackfillRequest request) {
        return fetchBackfill(request, USER_AGENT);
    }

    @Override
    public long folderItemCount(MailboxTarget mailbox, FolderRef folder) {
        return folderItemCount(mailbox, folder, USER_AGENT);
    }

    private DeltaPage fetchDelta(DeltaRequest request, String userAgent) {
        MailboxTarget target = request.mailbox();
        HttpUrl url;
        if (request.isInitial()) {
            url = folder(target, request.folder()).addPathSegment("messages").addPathSegment("delta")
                    .addQueryParameter("$select", select(request.select(), target))
                    .addQueryParameter("$filter", "receivedDateTime ge " + odata(request.receivedSince().orElse(null)))
                    .build();
        } else {
            url = link(request.link().orElse(null), target);
        }
        Request http = builder(url, target, userAgent)
                .addHeader("Prefer", "odata.maxpagesize=" + request.pageSize())
                .build();
        MailPageParser.Page page = call(target, http, MailPageParser.Kind.DELTA, request.folder());
        return page.nextLink() != null
                ? DeltaPage.next(page.messages(), page.removedIds(), page.nextLink())
                : DeltaPage.last(page.messages(), page.removedIds(), page.deltaLink());
    }

    private BackfillPage fetchBackfill(BackfillRequest request, String userAgent) {
        MailboxTarget target = request.mailbox();
        ReceivedRange range = request.range();
        // the ordered property first in the filter (Graph answers InefficientFilter otherwise); instants exactly,
        // with their fraction of a second when they have one, since a key bound is compared exactly
        String filter = "receivedDateTime " + (range.fromInclusive() ? "ge " : "gt ") + exact(range.from());
        if (range.upTo().isPresent()) {
            filter += " and receivedDateTime " + (range.upToInclusive() ? "le " : "lt ") + exact(range.upTo().orElse(null));
        }
        HttpUrl url = folder(target, request.folder()).addPathSegment("messages")
                .addQueryParameter("$filter", filter)
                .addQueryParameter("$orderby", "receivedDateTime desc")
                .addQueryParameter("$top", Integer.toString(request.top()))
                .addQueryParameter("$select", select(request.select(), target))
                .build();
        MailPageParser.Page page = call(target, builder(url, target, userAgent).build(), MailPageParser.Kind.LIST,
                request.folder());
        return new BackfillPage(page.messages(), page.nextLink() != null);
    }

    private long folderItemCount(MailboxTarget mailbox, FolderRef folder, String userAgent) {
        HttpUrl url = folder(mailbox, folder).addQueryParameter("$select", "totalItemCount").build();
        return withMdc(mailbox, () -> {
            GraphResponse response = execute(mailbox, builder(url, mailbox, userAgent).build());
            try {
                return MailPageParser.totalItemCount(response.body());
            } catch (PageFormatException e) {
                throw malformed(mailbox, response, "folder", e);
            }
        });
    }

    // ---- requests --------------------------------------------------------------------------------------------------

    /** Properties Mail.ReadBasic.All does not read: a connection whose profile reads no bodies does not ask for them. */
    static final Set<String> BODY_PROPERTIES = Set.of("body", "uniqueBody", "bodyPreview", "attachments");

    static String select(Set<String> fields, MailboxTarget target) {
        if (target.permissions().profile().readsBodies()) {
            return String.join(",", fields);
        }
        return fields.stream().filter(f -> !BODY_PROPERTIES.contains(f)).collect(java.util.stream.Collectors.joining(","));
    }

    private HttpUrl.Builder folder(MailboxTarget target, FolderRef folder) {
        return root.newBuilder().addPathSegment("users").addPathSegment(target.mailboxId().value())
                .addPathSegment("mailFolders").addPathSegment(folder.id());
    }

    private static Request.Builder builder(HttpUrl url, MailboxTarget target, String userAgent) {
        return new Request.Builder().url(url).get()
                .header("User-Agent", userAgent)
                .addHeader("Prefer", PREFER_IMMUTABLE_ID)
                .tag(GraphCall.class, new GraphCall(target.tenant(), target.connection(), target.mailboxId().value(),
                        target.address(), target.permissions().mailAccess()));
    }

    /**
     * A next or delta link as Graph gave it. A stored link that does not point into the configured Graph root cannot
     * be followed (it would carry the token elsewhere): the folder's position is unusable, as after a token expiry,
     * and the engine restarts the folder.
     */
    private HttpUrl link(String link, MailboxTarget target) {
        HttpUrl url = inRoot(link);
        if (url == null) {
            throw new DeltaExpiredException("A stored link of a folder of mailbox " + target.address()
                    + " does not point to Microsoft Graph at " + root.host() + "; the folder restarts",
                    details(target), null);
        }
        return url;
    }

    /** The link as a URL if it points into the configured Graph root (same scheme, host, port, base path). */
    private HttpUrl inRoot(String link) {
        HttpUrl url = link.startsWith(linkPrefix) ? HttpUrl.parse(link) : null;
        return url != null && url.host().equals(root.host()) && url.port() == root.port() ? url : null;
    }

    @SuppressWarnings("try") // the MDC scope is held for its effect on log lines
    private MailPageParser.Page call(MailboxTarget target, Request request, MailPageParser.Kind kind,
                                     FolderRef folder) {
        String what = kind == MailPageParser.Kind.DELTA ? "delta page" : "backfill page";
        return withMdc(target, () -> {
            requireNotInterrupted(target);
            // parsed as it arrives: the page's first messages are read while its last bytes are on the way
            return http.execute(clients.apply(target.connection()), request, (body, head) -> {
                MailPageParser.Page page;
                try {
                    page = MailPageParser.page(body, kind);
                    for (String link : new String[] {page.nextLink(), page.deltaLink()}) {
                        if (link != null && inRoot(link) == null) {
                            throw new PageFormatException("a link points outside Microsoft Graph's root");
                        }
                    }
                } catch (PageFormatException e) {
                    throw malformed(target, head, what, e);
                }
                try (Mdc.Scope ignored = Mdc.put(ClientRequestIdInterceptor.MDC_KEY, head.clientRequestId())) {
                    log.debug("{} of folder {}: {} messages, {} removals, {} ({} bytes)", what, folder.id(),
                            page.messages().size(), page.removedIds().size(),
                            page.deltaLink() != null ? "last" : page.nextLink() != null ? "more" : "end",
                            body.bytesRead());
                }
                return page;
            });
        });
    }

    private GraphResponse execute(MailboxTarget target, Request request) {
        requireNotInterrupted(target);
        return http.execute(clients.apply(target.connection()), request);
    }

    private static void requireNotInterrupted(MailboxTarget target) {
        if (Thread.currentThread().isInterrupted()) {
            throw new ServiceException(true, "The Graph request for mailbox " + target.address()
                    + " was not sent: the thread is interrupted", details(target), null);
        }
    }

    private static MalformedResponseException malformed(MailboxTarget target, GraphResponse response, String what,
                                                        PageFormatException e) {
        try (Mdc.Scope ignored = Mdc.put(ClientRequestIdInterceptor.MDC_KEY, response.clientRequestId())) {
            log.warn("Microsoft Graph answered a {} that cannot be used: {}", what, e.getMessage());
        }
        return new MalformedResponseException("Microsoft Graph answered a " + what + " of mailbox " + target.address()
                + " that cannot be used: " + e.getMessage(), details(target)
                .withRequestId(response.requestId())
                .withClientRequestId(response.clientRequestId())
                .withHttpStatus(response.status()), null);
    }

    private static ErrorDetails details(MailboxTarget target) {
        return ErrorDetails.forTenant(target.tenant()).withConnection(target.connection())
                .withMailbox(target.address());
    }

    @SuppressWarnings("try") // the MDC scope is held for its effect on log lines
    private static <T> T withMdc(MailboxTarget target, java.util.function.Supplier<T> body) {
        try (Mdc.Scope ignored = Mdc.put(Mdc.TENANT, target.tenant().value(), Mdc.CONNECTION,
                target.connection().value(), MDC_MAILBOX, target.address().value())) {
            return body.get();
        }
    }

    /** An instant as an OData literal, whole seconds (Graph's receivedDateTime has no fraction). */
    /** An instant for a key bound: ISO-8601 UTC, with its fraction of a second (microseconds at most) if any. */
    static String exact(Instant instant) {
        return ODATA_INSTANT.format(instant.truncatedTo(ChronoUnit.MICROS));
    }

    static String odata(Instant instant) {
        return ODATA_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /** {@link #forEngine()}: the engine's requests carry its worker id; its lifecycle is the source's. */
    private final class EngineSource implements MailSource {
        private volatile String userAgent = USER_AGENT;

        @Override
        public DeltaPage fetchDelta(DeltaRequest request) {
            return GraphMailSource.this.fetchDelta(request, userAgent);
        }

        @Override
        public BackfillPage fetchBackfill(BackfillRequest request) {
            return GraphMailSource.this.fetchBackfill(request, userAgent);
        }

        @Override
        public long folderItemCount(MailboxTarget mailbox, FolderRef folder) {
            return GraphMailSource.this.folderItemCount(mailbox, folder, userAgent);
        }

        @Override
        public void engineStarted(SyncEngine engine) {
            GraphMailSource.this.engineStarted(engine);
            userAgent = userAgent(engine.workerId().orElse(null));
        }

        @Override
        public void engineStopped(SyncEngine engine) {
            GraphMailSource.this.engineStopped(engine);
        }
    }
}
