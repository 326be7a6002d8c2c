package com.tekst.outlook.graph.internal.mailbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ErrorDetails;
import com.tekst.outlook.InvalidValueException;
import com.tekst.outlook.MailboxAccessException;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.MalformedResponseException;
import com.tekst.outlook.OutlookException;
import com.tekst.outlook.ServiceException;
import com.tekst.outlook.TenantId;
import com.tekst.outlook.graph.internal.Mdc;
import com.tekst.outlook.graph.internal.http.GraphCall;
import com.tekst.outlook.graph.internal.http.GraphErrors;
import com.tekst.outlook.graph.internal.http.GraphUrls;
import com.tekst.outlook.graph.internal.http.RetryInterceptor;
import com.tekst.outlook.graph.internal.scope.GuardTicket;
import com.tekst.outlook.mailbox.MailboxCandidate;
import com.tekst.outlook.mailbox.MailboxDirectory;
import com.tekst.outlook.mailbox.MailboxSearch;
import com.tekst.outlook.mailbox.MailboxSearchPage;
import com.tekst.outlook.mailbox.MailboxType;
import com.tekst.outlook.mailbox.ResolvedMailbox;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import okhttp3.HttpUrl;

/**
 * {@link MailboxDirectory} over Microsoft Graph: {@code GET /users} with {@code startswith} on display name, mail and
 * user principal name for the search, then one {@code $batch} per 20 accounts reading
 * {@code mailboxSettings/userPurpose} (the scope guard lets these reads through on a {@link GuardTicket}); resolution
 * through {@code /users/{id}} or {@code /users?$filter=userPrincipalName eq … or mail eq … or
 * proxyAddresses/any(x:x eq 'smtp:…')} and the mailbox's {@code userPurpose}. Thread-safe. Internal.
 */
public final class GraphMailboxDirectory implements MailboxDirectory {
    static final String USER_FIELDS = "id,displayName,mail,userPrincipalName,proxyAddresses";
    static final Set<String> DIRECTORY_READ = Set.of("User.Read.All", "User.ReadBasic.All", "Directory.Read.All",
            "User.ReadWrite.All", "Directory.ReadWrite.All");
    static final Set<String> SETTINGS_READ = Set.of("MailboxSettings.Read", "MailboxSettings.ReadWrite");
    private static final int BATCH_SIZE = 20;
    private static final int TYPE_ATTEMPTS = 2;

    private final MailboxGraph graph;

    public GraphMailboxDirectory(MailboxGraph graph) {
        this.graph = graph;
    }

    // ---- search ----------------------------------------------------------------------------------------------------

    @Override
    public MailboxSearchPage search(ConnectionId connection, MailboxSearch search) {
        java.util.Objects.requireNonNull(search, "search");
        MailboxGraph.Target t = graph.target(connection);
        try (Mdc.Scope ignored = Mdc.put(Mdc.TENANT, t.tenant().value(), Mdc.CONNECTION, connection.value())) {
            HttpUrl.Builder url = graph.urls.path("users");
            GraphUrls.option(url, "$select", USER_FIELDS);
            GraphUrls.option(url, "$top", Integer.toString(search.pageSize()));
            if (!search.prefix().isEmpty()) {
                String p = GraphUrls.literal(search.prefix());
                GraphUrls.option(url, "$filter", "startswith(displayName," + p + ") or startswith(mail," + p
                        + ") or startswith(userPrincipalName," + p + ")");
            }
            search.cursor().ifPresent(c -> GraphUrls.option(url, "$skiptoken", Cursor.decode(c, search)));
            JsonNode page = graph.get(t, url.build(), t.call(), null);
            JsonNode value = page.path("value");
            if (!value.isArray()) {
                throw new MalformedResponseException("The directory page has no 'value' array", t.details(), null);
            }
            List<JsonNode> users = new ArrayList<>();
            value.forEach(users::add);
            Map<String, TypeAnswer> types = types(t, users.stream().map(u -> u.path("id").asText("")).toList());
            List<MailboxCandidate> candidates = new ArrayList<>();
            for (JsonNode u : users) {
                String id = u.path("id").asText("").toLowerCase(Locale.ROOT);
                if (!TenantId.isValid(id)) {
                    throw new MalformedResponseException("A directory entry has no object id", t.details(), null);
                }
                TypeAnswer type = types.getOrDefault(id, new TypeAnswer(MailboxType.UNKNOWN,
                        MailboxCandidate.Availability.UNKNOWN));
                candidates.add(new MailboxCandidate(MailboxId.of(id), MailboxGraph.address(u.get("mail")),
                        u.path("userPrincipalName").asText(""), u.path("displayName").asText(""), type.type(),
                        type.availability()));
            }
            String next = null;
            JsonNode link = page.get("@odata.nextLink");
            if (link != null && link.isTextual()) {
                HttpUrl nextLink = HttpUrl.parse(link.asText());
                String token = nextLink == null ? null : nextLink.queryParameter("$skiptoken");
                if (token == null || token.isEmpty()) {
                    throw new MalformedResponseException("The directory's next link carries no $skiptoken",
                            t.details(), null);
                }
                next = Cursor.encode(search, token);
            }
            return new MailboxSearchPage(candidates, next);
        }
    }

    record TypeAnswer(MailboxType type, MailboxCandidate.Availability availability) {
    }

    /**
     * The type of each account's mailbox from {@code mailboxSettings/userPurpose}, 20 accounts per {@code $batch}.
     * Inner 429/5xx answers are asked again once, after the longest inner {@code Retry-After} (at most
     * {@link RetryInterceptor#MAX_WAIT}); still failing, they are {@code UNKNOWN}.
     */
    Map<String, TypeAnswer> types(MailboxGraph.Target t, List<String> objectIds) {
        Map<String, TypeAnswer> out = new LinkedHashMap<>();
        List<String> pending = new ArrayList<>();
        for (String id : objectIds) {
            String lower = id.toLowerCase(Locale.ROOT);
            if (TenantId.isValid(lower) && !pending.contains(lower)) {
                pending.add(lower);
            }
        }
        GuardTicket ticket = graph.guards.ticket(GuardTicket.Purpose.MAILBOX_TYPE);
        for (int attempt = 1; attempt <= TYPE_ATTEMPTS && !pending.isEmpty(); attempt++) {
            List<String> retry = new ArrayList<>();
            Duration wait = Duration.ZERO;
            for (int from = 0; from < pending.size(); from += BATCH_SIZE) {
                List<String> chunk = pending.subList(from, Math.min(pending.size(), from + BATCH_SIZE));
                ObjectNode body = MailboxGraph.JSON.createObjectNode();
                ArrayNode requests = body.putArray("requests");
                for (int i = 0; i < chunk.size(); i++) {
                    ObjectNode r = requests.addObject();
                    r.put("id", Integer.toString(i + 1));
                    r.put("method", "GET");
                    r.put("url", graph.urls.relative(graph.urls.user(chunk.get(i), "mailboxSettings", "userPurpose")
                            .build()));
                }
                JsonNode answer = graph.post(t, graph.urls.path("$batch").build(),
                        body.toString().getBytes(StandardCharsets.UTF_8), t.call(), ticket);
                for (JsonNode r : answer.path("responses")) {
                    int index = r.path("id").asInt(0) - 1;
                    if (index < 0 || index >= chunk.size()) {
                        continue;
                    }
                    String id = chunk.get(index);
                    int status = r.path("status").asInt(0);
                    JsonNode rb = r.path("body");
                    if (status == 200) {
                        out.put(id, new TypeAnswer(MailboxType.fromUserPurpose(rb.path("value").asText(null)),
                                MailboxCandidate.Availability.AVAILABLE));
                    } else if (status == 404) {
                        out.put(id, new TypeAnswer(MailboxType.UNKNOWN,
                                MailboxCandidate.Availability.NO_EXCHANGE_MAILBOX));
                    } else if (status == 403) {
                        out.put(id, new TypeAnswer(MailboxType.UNKNOWN, MailboxCandidate.Availability.DENIED));
                    } else {
                        out.put(id, new TypeAnswer(MailboxType.UNKNOWN, MailboxCandidate.Availability.UNKNOWN));
                        if (status == 429 || status >= 500) {
                            retry.add(id);
                            JsonNode ra = r.path("headers").path("Retry-After");
                            Duration d = GraphErrors.retryAfter(ra.isMissingNode() ? null : ra.asText(),
                                    graph.clock.instant()).orElse(Duration.ofSeconds(1));
                            wait = d.compareTo(wait) > 0 ? d : wait;
                        }
                    }
                }
            }
            if (retry.isEmpty() || attempt == TYPE_ATTEMPTS || wait.compareTo(RetryInterceptor.MAX_WAIT) > 0) {
                break;
            }
            try {
                graph.sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            pending = retry;
        }
        return out;
    }

    /**
     * The search cursor: the page size, a digest of the prefix and Graph's {@code $skiptoken}, base64url. The
     * skip token goes back to Graph only as an encoded query value; a cursor of another search is refused.
     */
    static final class Cursor {
        private Cursor() {
        }

        static String encode(MailboxSearch search, String skipToken) {
            String text = "1|" + search.pageSize() + "|" + digest(search.prefix()) + "|" + skipToken;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        }

        /** The skip token of a cursor made for this search. */
        static String decode(String cursor, MailboxSearch search) {
            String text;
            try {
                text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new InvalidValueException("search cursor", "is not a cursor of a previous page", cursor);
            }
            String[] parts = text.split("\\|", 4);
            if (parts.length != 4 || !parts[0].equals("1") || parts[3].isEmpty()) {
                throw new InvalidValueException("search cursor", "is not a cursor of a previous page", cursor);
            }
            if (!parts[1].equals(Integer.toString(search.pageSize())) || !parts[2].equals(digest(search.prefix()))) {
                throw new InvalidValueException("search cursor", "belongs to another search (prefix or page size)");
            }
            return parts[3];
        }

        private static String digest(String prefix) {
            try {
                byte[] d = MessageDigest.getInstance("SHA-256")
                        .digest(prefix.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(d, 0, 6);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    // ---- resolve ---------------------------------------------------------------------------------------------------

    @Override
    public ResolvedMailbox resolve(ConnectionId connection, MailboxAddress mailbox) {
        java.util.Objects.requireNonNull(mailbox, "mailbox");
        MailboxGraph.Target t = graph.target(connection);
        try (Mdc.Scope ignored = Mdc.put(Mdc.TENANT, t.tenant().value(), Mdc.CONNECTION, connection.value())) {
            return resolve(t, mailbox);
        }
    }

    ResolvedMailbox resolve(MailboxGraph.Target t, MailboxAddress mailbox) {
        JsonNode user = lookup(t, mailbox);
        String id = user.path("id").asText("").toLowerCase(Locale.ROOT);
        if (!MailboxId.isValid(id)) {
            throw new MalformedResponseException("The directory entry of " + mailbox + " has no object id",
                    t.details().withMailbox(mailbox), null);
        }
        MailboxType type = type(t, id, mailbox);
        MailboxAddress address = MailboxGraph.address(user.get("mail"));
        MailboxAddress upn = MailboxGraph.address(user.get("userPrincipalName"));
        if (address == null) {
            address = upn;
        }
        if (address == null) {
            throw new ServiceException(false, "Mailbox " + mailbox + " has no address the SDK accepts",
                    t.details().withMailbox(mailbox), null);
        }
        Set<MailboxAddress> aliases = new LinkedHashSet<>();
        if (upn != null) {
            aliases.add(upn);
        }
        for (JsonNode proxy : user.path("proxyAddresses")) {
            String p = proxy.asText("");
            if (p.regionMatches(true, 0, "smtp:", 0, 5) && MailboxAddress.isValid(p.substring(5))) {
                aliases.add(MailboxAddress.of(p.substring(5)));
            }
        }
        aliases.remove(address);
        return new ResolvedMailbox(MailboxId.of(id), address, user.path("userPrincipalName").asText(""), List.copyOf(aliases),
                user.path("displayName").asText(""), type);
    }

    /**
     * The directory entry named {@code mailbox} (object id, UPN, primary address or alias), with a valid object id;
     * {@code NOT_FOUND} when there is none. Reads the directory only.
     */
    JsonNode lookup(MailboxGraph.Target t, MailboxAddress mailbox) {
        GraphCall call = t.call().withMailbox(mailbox.isObjectId() ? mailbox.value() : null, mailbox);
        JsonNode user;
        try {
            if (mailbox.isObjectId()) {
                HttpUrl.Builder url = graph.urls.user(mailbox.value());
                GraphUrls.option(url, "$select", USER_FIELDS);
                user = graph.get(t, url.build(), call, null);
            } else {
                String n = mailbox.value();
                HttpUrl.Builder url = graph.urls.path("users");
                GraphUrls.option(url, "$select", USER_FIELDS);
                GraphUrls.option(url, "$filter", "userPrincipalName eq " + GraphUrls.literal(n) + " or mail eq "
                        + GraphUrls.literal(n) + " or proxyAddresses/any(x:x eq " + GraphUrls.literal("smtp:" + n)
                        + ")");
                user = single(t, graph.get(t, url.build(), call, null), mailbox);
            }
        } catch (OutlookException e) {
            throw graph.refine403(e, t, DIRECTORY_READ, "the directory");
        }
        String id = user.path("id").asText("").toLowerCase(Locale.ROOT);
        if (!TenantId.isValid(id)) {
            throw new MalformedResponseException("The directory entry has no object id", t.details(), null);
        }
        return user;
    }

    /** Up to {@code max} accounts of the directory, in directory order (id, mail, UPN), following next links. */
    List<JsonNode> accounts(MailboxGraph.Target t, int max) {
        List<JsonNode> out = new ArrayList<>();
        String cursor = null;
        MailboxSearch search = MailboxSearch.all().withPageSize(Math.min(max, MailboxSearch.MAX_PAGE_SIZE));
        do {
            HttpUrl.Builder url = graph.urls.path("users");
            GraphUrls.option(url, "$select", "id,mail,userPrincipalName");
            GraphUrls.option(url, "$top", Integer.toString(search.pageSize()));
            if (cursor != null) {
                GraphUrls.option(url, "$skiptoken", cursor);
            }
            JsonNode page = graph.get(t, url.build(), t.call(), null);
            page.path("value").forEach(out::add);
            HttpUrl next = page.hasNonNull("@odata.nextLink") ? HttpUrl.parse(page.get("@odata.nextLink").asText())
                    : null;
            cursor = next == null ? null : next.queryParameter("$skiptoken");
        } while (cursor != null && out.size() < max);
        return out.size() > max ? out.subList(0, max) : out;
    }

    /** The one account a filtered {@code /users} answer holds; none is NOT_FOUND. */
    private static JsonNode single(MailboxGraph.Target t, JsonNode page, MailboxAddress mailbox) {
        JsonNode value = page.path("value");
        if (!value.isArray()) {
            throw new MalformedResponseException("The directory answer has no 'value' array", t.details(), null);
        }
        if (value.isEmpty()) {
            throw new MailboxAccessException(MailboxAccessException.Reason.NOT_FOUND, "No account of the tenant is"
                    + " named " + mailbox + " (as primary address, alias or user principal name)",
                    t.details().withMailbox(mailbox), null);
        }
        if (value.size() == 1) {
            return value.get(0);
        }
        for (JsonNode u : value) {
            if (mailbox.equals(MailboxGraph.address(u.get("mail")))
                    || mailbox.equals(MailboxGraph.address(u.get("userPrincipalName")))) {
                return u;
            }
        }
        throw new ServiceException(false, "The name " + mailbox + " belongs to " + value.size() + " accounts",
                t.details().withMailbox(mailbox), null);
    }

    /** The mailbox's type; NOT_ENABLED without an Exchange Online mailbox; ACCESS_DENIED with its denial. */
    private MailboxType type(MailboxGraph.Target t, String objectId, MailboxAddress addressed) {
        if (!t.permissions().profile().graphPermissions().contains("MailboxSettings.Read")) {
            return MailboxType.UNKNOWN; // the profile does not read mailbox settings
        }
        GraphCall call = t.call().withMailbox(objectId, addressed);
        HttpUrl url = graph.urls.user(objectId, "mailboxSettings", "userPurpose").build();
        try {
            JsonNode answer = graph.get(t, url, call, graph.guards.ticket(GuardTicket.Purpose.MAILBOX_TYPE));
            return MailboxType.fromUserPurpose(answer.path("value").asText(null));
        } catch (OutlookException e) {
            throw graph.refine403(e, t, SETTINGS_READ, "mailbox " + addressed);
        }
    }

    /** Details for a mailbox, for the scope's messages. */
    static ErrorDetails details(MailboxGraph.Target t, MailboxAddress mailbox) {
        return t.details().withMailbox(mailbox);
    }
}
