package com.tekst.outlook.testkit.internal.graph;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.tekst.outlook.testkit.FakeMessage;
import com.tekst.outlook.testkit.FakeTenant;
import com.tekst.outlook.testkit.FakeUser;
import com.tekst.outlook.testkit.SentMail;
import com.tekst.outlook.testkit.internal.CloudContext;
import com.tekst.outlook.testkit.internal.Html;
import com.tekst.outlook.testkit.internal.Json;
import com.tekst.outlook.testkit.internal.Reply;
import com.tekst.outlook.testkit.internal.mail.FolderState;
import com.tekst.outlook.testkit.internal.mail.Ids;
import com.tekst.outlook.testkit.internal.mail.MailboxState;
import com.tekst.outlook.testkit.internal.mail.MessageDraft;
import com.tekst.outlook.testkit.internal.mail.MessageRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Outlook resources of a mailbox: {@code mailboxSettings}, {@code mailFolders} (list, get, child folders, delta),
 * {@code messages} (list with Outlook's {@code $top}/{@code $filter}/{@code $orderby} rules, get, update, move,
 * delete, forward, delta per folder) and {@code sendMail}. Internal.
 */
final class MailRoutes {
    /** What a mailbox request does, and which roles it needs; run after the mailbox gate. */
    record Operation(Set<String> permissions, Supplier<Reply> action) {
        Reply run() {
            return action.get();
        }
    }

    /** Filterable and sortable message properties. */
    static final Map<String, ODataFilter.Type> MESSAGE_SCHEMA = schema(
            "receivedDateTime", ODataFilter.Type.INSTANT, "sentDateTime", ODataFilter.Type.INSTANT,
            "createdDateTime", ODataFilter.Type.INSTANT, "lastModifiedDateTime", ODataFilter.Type.INSTANT,
            "isRead", ODataFilter.Type.BOOLEAN, "hasAttachments", ODataFilter.Type.BOOLEAN,
            "isDraft", ODataFilter.Type.BOOLEAN, "importance", ODataFilter.Type.STRING,
            "subject", ODataFilter.Type.STRING, "conversationId", ODataFilter.Type.STRING,
            "internetMessageId", ODataFilter.Type.STRING, "parentFolderId", ODataFilter.Type.STRING,
            "inferenceClassification", ODataFilter.Type.STRING, "from/emailAddress/address", ODataFilter.Type.STRING,
            "from/emailAddress/name", ODataFilter.Type.STRING);
    static final Map<String, ODataFilter.Type> FOLDER_SCHEMA = schema(
            "displayName", ODataFilter.Type.STRING, "parentFolderId", ODataFilter.Type.STRING,
            "childFolderCount", ODataFilter.Type.NUMBER, "unreadItemCount", ODataFilter.Type.NUMBER,
            "totalItemCount", ODataFilter.Type.NUMBER, "isHidden", ODataFilter.Type.BOOLEAN);
    private static final Map<String, ODataFilter.Type> DELTA_SCHEMA = schema(
            "receivedDateTime", ODataFilter.Type.INSTANT);
    private static final int MAX_PAGE = 1000;

    private final CloudContext ctx;
    private final SyncTokens tokens;
    /**
     * Recently served message delta pages. A page is a pure function of its inputs (request, token, preferences,
     * the mailbox's change sequence and sync generation, fake time), all of which are in the key, so a hit is exactly
     * what rendering again would produce.
     */
    private final Map<String, Page> pages = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Page> eldest) {
                    return size() > 8;
                }
            });

    /** A rendered page, as bytes and as a shared okio buffer to write from. */
    private record Page(byte[] bytes, okio.Buffer shared) {
        static Page of(byte[] bytes) {
            okio.Buffer b = new okio.Buffer();
            b.write(bytes);
            return new Page(bytes, b);
        }
    }

    MailRoutes(CloudContext ctx, SyncTokens tokens) {
        this.ctx = ctx;
        this.tokens = tokens;
    }

    private static Map<String, ODataFilter.Type> schema(Object... pairs) {
        Map<String, ODataFilter.Type> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], (ODataFilter.Type) pairs[i + 1]);
        }
        return m;
    }

    // ---- routing --------------------------------------------------------------------------------------------------

    Operation operation(GraphApi.Call c) {
        List<String> rest = c.route.rest();
        String method = c.r.method();
        String head = rest.get(0).toLowerCase(Locale.ROOT);
        switch (head) {
            case "mailboxsettings": {
                requireMethod(method, "GET");
                if (rest.size() == 1) {
                    return new Operation(GraphApi.SETTINGS_READ, () -> mailboxSettings(c, null));
                }
                if (rest.size() == 2) {
                    return new Operation(GraphApi.SETTINGS_READ, () -> mailboxSettings(c, rest.get(1)));
                }
                throw GraphError.resourceNotFoundForSegment(rest.get(2));
            }
            case "sendmail": {
                if (rest.size() > 1) {
                    throw GraphError.resourceNotFoundForSegment(rest.get(1));
                }
                requireMethod(method, "POST");
                return new Operation(GraphApi.MAIL_SEND, () -> sendMail(c));
            }
            case "mailfolders":
                return folderOperation(c, rest, method);
            case "messages":
                return messageOperation(c, rest, 0, null, method);
            default:
                throw GraphError.resourceNotFoundForSegment(rest.get(0));
        }
    }

    private Operation folderOperation(GraphApi.Call c, List<String> rest, String method) {
        if (rest.size() == 1) {
            requireMethod(method, "GET");
            return new Operation(GraphApi.FOLDER_READ, () -> listFolders(c, null));
        }
        if (rest.size() == 2 && rest.get(1).equalsIgnoreCase("delta")) {
            requireMethod(method, "GET");
            return new Operation(GraphApi.FOLDER_READ, () -> folderDelta(c));
        }
        String folderKey = rest.get(1);
        int i = 2;
        while (i < rest.size()) {
            String seg = rest.get(i).toLowerCase(Locale.ROOT);
            if (seg.equals("childfolders")) {
                if (i + 1 == rest.size()) {
                    requireMethod(method, "GET");
                    String parent = folderKey;
                    return new Operation(GraphApi.FOLDER_READ, () -> listFolders(c, parent));
                }
                folderKey = rest.get(i + 1);
                i += 2;
                continue;
            }
            if (seg.equals("messages")) {
                return messageOperation(c, rest, i, folderKey, method);
            }
            throw GraphError.resourceNotFoundForSegment(rest.get(i));
        }
        requireMethod(method, "GET");
        String key = folderKey;
        return new Operation(GraphApi.FOLDER_READ, () -> getFolder(c, key));
    }

    private Operation messageOperation(GraphApi.Call c, List<String> rest, int at, String folderKey, String method) {
        int remaining = rest.size() - at;
        if (remaining == 1) {
            requireMethod(method, "GET");
            return new Operation(GraphApi.MAIL_READ, () -> listMessages(c, folderKey));
        }
        String second = rest.get(at + 1);
        if (second.equalsIgnoreCase("delta")) {
            if (remaining > 2) {
                throw GraphError.resourceNotFoundForSegment(rest.get(at + 2));
            }
            requireMethod(method, "GET");
            if (folderKey == null) {
                throw GraphError.badRequest("Change tracking is not supported against 'microsoft.graph.message'.");
            }
            return new Operation(GraphApi.MAIL_READ, () -> messageDelta(c, folderKey));
        }
        String messageId = second;
        if (remaining == 2) {
            switch (method) {
                case "GET":
                    return new Operation(GraphApi.MAIL_READ, () -> getMessage(c, messageId));
                case "PATCH":
                    return new Operation(GraphApi.MAIL_WRITE, () -> patchMessage(c, messageId));
                case "DELETE":
                    return new Operation(GraphApi.MAIL_WRITE, () -> deleteMessage(c, messageId));
                default:
                    throw GraphError.methodNotAllowed(method);
            }
        }
        if (remaining == 3) {
            String action = rest.get(at + 2).toLowerCase(Locale.ROOT);
            if (action.equals("move")) {
                requireMethod(method, "POST");
                return new Operation(GraphApi.MAIL_WRITE, () -> moveMessage(c, messageId));
            }
            if (action.equals("forward")) {
                requireMethod(method, "POST");
                return new Operation(GraphApi.MAIL_SEND, () -> forward(c, messageId));
            }
        }
        throw GraphError.resourceNotFoundForSegment(rest.get(at + 2));
    }

    private static void requireMethod(String method, String expected) {
        if (!method.equals(expected)) {
            throw GraphError.methodNotAllowed(method);
        }
    }

    // ---- lookups --------------------------------------------------------------------------------------------------

    private static FolderState folder(GraphApi.Call c, String key) {
        FolderState f = c.mailbox.folder(key);
        if (f == null) {
            throw Ids.looksLikeId(key) ? GraphError.folderNotFound() : GraphError.idMalformed();
        }
        return f;
    }

    private static MessageRecord message(GraphApi.Call c, String id) {
        MessageRecord m = c.mailbox.find(id);
        if (m == null) {
            throw Ids.looksLikeId(id) ? GraphError.itemNotFound() : GraphError.idMalformed();
        }
        return m;
    }

    private String userContext(GraphApi.Call c) {
        return c.base() + "/$metadata#users('" + URLEncoder.encode(c.route.userKey(), StandardCharsets.UTF_8) + "')";
    }

    private GraphJson.MessageShape messageShape(GraphApi.Call c, long mask, boolean delta) {
        return new GraphJson.MessageShape(mask, c.immutableIds(), c.can(GraphApi.MAIL_BODY), c.textBody(), delta);
    }

    // ---- mailbox settings -----------------------------------------------------------------------------------------

    private static final List<String> SETTINGS = List.of("archiveFolder", "timeZone", "automaticRepliesSetting",
            "language", "workingHours", "dateFormat", "timeFormat", "userPurpose",
            "delegateMeetingMessageDeliveryOptions");

    private Reply mailboxSettings(GraphApi.Call c, String property) {
        Map<String, Object> values = settings(c);
        if (property != null) {
            int i = GraphJson.indexIgnoreCase(SETTINGS, property);
            if (i < 0) {
                throw GraphError.resourceNotFoundForSegment(property);
            }
            String p = SETTINGS.get(i);
            Object v = values.get(p);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("@odata.context", userContext(c) + "/mailboxSettings/" + p);
            if (v instanceof Map<?, ?> m) {
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    body.put(e.getKey().toString(), e.getValue());
                }
            } else {
                body.put("value", v);
            }
            return GraphApi.ok(c, 200, Json.writeBytes(body));
        }
        List<String> select = Pages.select(c);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("@odata.context", userContext(c) + "/mailboxSettings");
        if (select == null) {
            body.putAll(values);
        } else {
            for (String s : select) {
                int i = GraphJson.indexIgnoreCase(SETTINGS, s);
                if (i < 0) {
                    throw GraphError.unknownProperty("mailboxSettings", s);
                }
                body.put(SETTINGS.get(i), values.get(SETTINGS.get(i)));
            }
        }
        return GraphApi.ok(c, 200, Json.writeBytes(body));
    }

    private Map<String, Object> settings(GraphApi.Call c) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("archiveFolder", c.mailbox.folder("archive").id);
        v.put("timeZone", "UTC");
        Instant now = ctx.clock().instant().truncatedTo(ChronoUnit.DAYS);
        Map<String, Object> auto = new LinkedHashMap<>();
        auto.put("status", "disabled");
        auto.put("externalAudience", "all");
        auto.put("internalReplyMessage", "");
        auto.put("externalReplyMessage", "");
        auto.put("scheduledStartDateTime", Map.of("dateTime", now.toString().replace("Z", ".0000000"),
                "timeZone", "UTC"));
        auto.put("scheduledEndDateTime", Map.of("dateTime", now.plus(Duration.ofDays(1)).toString()
                .replace("Z", ".0000000"), "timeZone", "UTC"));
        v.put("automaticRepliesSetting", auto);
        v.put("language", Map.of("locale", "en-US", "displayName", "English (United States)"));
        Map<String, Object> hours = new LinkedHashMap<>();
        hours.put("daysOfWeek", List.of("monday", "tuesday", "wednesday", "thursday", "friday"));
        hours.put("startTime", "08:00:00.0000000");
        hours.put("endTime", "17:00:00.0000000");
        hours.put("timeZone", Map.of("name", "UTC"));
        v.put("workingHours", hours);
        v.put("dateFormat", "M/d/yyyy");
        v.put("timeFormat", "h:mm tt");
        v.put("userPurpose", c.user.mailboxType().map(t -> t.userPurpose()).orElse("unknownFutureValue"));
        v.put("delegateMeetingMessageDeliveryOptions", "sendToDelegateOnly");
        return v;
    }

    // ---- folders --------------------------------------------------------------------------------------------------

    private Reply getFolder(GraphApi.Call c, String key) {
        FolderState f = folder(c, key);
        long mask = GraphJson.folderMask(Pages.select(c));
        String context = userContext(c) + "/mailFolders" + selectSuffix(GraphJson.FOLDER_PROPERTIES, mask,
                Pages.select(c)) + "/$entity";
        return GraphApi.ok(c, 200, Pages.entity(context, GraphJson.folder(c.mailbox.view(f), mask, false)));
    }

    private Reply listFolders(GraphApi.Call c, String parentKey) {
        FolderState parent = parentKey == null ? c.mailbox.root() : folder(c, parentKey);
        boolean hidden = c.option("includeHiddenFolders").map(v -> v.equalsIgnoreCase("true")).orElse(false);
        Optional<Integer> top = Pages.top(c, MAX_PAGE, false);
        int pageSize = top.orElseGet(() -> c.maxPageSize(10, MAX_PAGE));
        int skip = Pages.skip(c);
        List<String> select = Pages.select(c);
        long mask = GraphJson.folderMask(select);
        List<MailboxState.FolderView> children = c.mailbox.children(parent, hidden);
        Optional<String> filterText = c.option("filter");
        if (filterText.isPresent()) {
            ODataFilter filter = parseFilter(filterText.get(), FOLDER_SCHEMA, "mailFolder");
            children = children.stream().filter(f -> filter.test(p -> folderValue(f, p))).toList();
        }
        List<byte[]> items = new ArrayList<>();
        for (int i = skip; i < Math.min(children.size(), skip + pageSize); i++) {
            items.add(GraphJson.folder(children.get(i), mask, false));
        }
        String tail = parentKey == null ? "/mailFolders" : "/mailFolders('" + parent.id + "')/childFolders";
        String context = userContext(c) + tail + selectSuffix(GraphJson.FOLDER_PROPERTIES, mask, select);
        boolean more = skip + pageSize < children.size();
        return GraphApi.ok(c, 200, Pages.collection(context, more ? "@odata.nextLink" : null,
                more ? Pages.withSkip(c, skip + pageSize) : null, items));
    }

    private static Object folderValue(MailboxState.FolderView f, String p) {
        return switch (p) {
            case "displayName" -> f.displayName();
            case "parentFolderId" -> f.parentFolderId();
            case "childFolderCount" -> f.childFolderCount();
            case "unreadItemCount" -> f.unreadItemCount();
            case "totalItemCount" -> f.totalItemCount();
            default -> f.hidden();
        };
    }

    private static String selectSuffix(List<String> names, long mask, List<String> select) {
        return select == null ? "" : "(" + GraphJson.selectList(names, mask) + ")";
    }

    private Reply folderDelta(GraphApi.Call c) {
        MailboxState box = c.mailbox;
        Optional<SyncTokens.State> token = deltaToken(c, SyncTokens.Kind.FOLDERS_NEXT, SyncTokens.Kind.FOLDERS_DELTA,
                "", "MailFolders");
        SyncTokens.State state;
        if (token.isPresent()) {
            state = token.get();
            if (state.generation() != box.treeGeneration()) {
                throw GraphError.syncStateNotFound(state.generation(), box.treeGeneration());
            }
            if (state.kind() == SyncTokens.Kind.FOLDERS_DELTA) {
                state = new SyncTokens.State(SyncTokens.Kind.FOLDERS_NEXT, state.mailbox(), "", state.generation(),
                        now(), 0, 0, state.select(), true, state.until(), box.seq(), state.until(), Long.MAX_VALUE);
            }
        } else {
            unsupported(c, "MailFolders", "filter", "top", "skip", "orderby", "search", "count", "expand");
            List<String> select = Pages.select(c);
            GraphJson.folderMask(select);
            state = new SyncTokens.State(SyncTokens.Kind.FOLDERS_NEXT, c.user.objectId(), "", box.treeGeneration(),
                    now(), 0, 0, select == null ? "" : String.join(",", select), false, 0, box.seq(), 0, 0);
        }
        int pageSize = c.maxPageSize(10, MAX_PAGE);
        long mask = GraphJson.folderMask(state.select().isEmpty() ? null : List.of(state.select().split(",")));
        List<byte[]> items = new ArrayList<>();
        long lastA = state.cursorA();
        long lastB = state.cursorB();
        boolean more;
        if (!state.incremental()) {
            List<MailboxState.FolderView> tree = box.visibleTree(state.until());
            List<MailboxState.FolderView> page = new ArrayList<>();
            for (MailboxState.FolderView f : tree) {
                if (f.number() > state.cursorB()) {
                    page.add(f);
                }
            }
            more = page.size() > pageSize;
            for (int i = 0; i < Math.min(pageSize, page.size()); i++) {
                items.add(GraphJson.folder(page.get(i), mask, true));
                lastB = page.get(i).number();
            }
        } else {
            List<MailboxState.FolderChange> changes = box.folderChanges(state.since(), state.until(), state.cursorA(),
                    state.cursorB(), pageSize + 1);
            more = changes.size() > pageSize;
            for (int i = 0; i < Math.min(pageSize, changes.size()); i++) {
                MailboxState.FolderChange ch = changes.get(i);
                items.add(ch.folder() != null ? GraphJson.folder(ch.folder(), mask, true)
                        : GraphJson.removed("mailFolder", ch.removed().id()));
                lastA = ch.seq();
                lastB = ch.number();
            }
        }
        String link;
        String linkName;
        String base = c.base() + "/users/" + c.user.objectId() + "/mailFolders/delta?";
        if (more) {
            linkName = "@odata.nextLink";
            link = base + "$skiptoken=" + tokens.encode(new SyncTokens.State(SyncTokens.Kind.FOLDERS_NEXT,
                    state.mailbox(), "", state.generation(), now(), 0, 0, state.select(), state.incremental(),
                    state.since(), state.until(), lastA, lastB));
        } else {
            linkName = "@odata.deltaLink";
            link = base + "$deltatoken=" + tokens.encode(new SyncTokens.State(SyncTokens.Kind.FOLDERS_DELTA,
                    state.mailbox(), "", state.generation(), now(), 0, 0, state.select(), true, state.since(),
                    state.until(), 0, 0));
        }
        return GraphApi.ok(c, 200, Pages.collection(c.base() + "/$metadata#Collection(mailFolder)", linkName, link,
                items));
    }

    // ---- messages: list and get -----------------------------------------------------------------------------------

    private record Order(String property, boolean descending) {
    }

    private Reply listMessages(GraphApi.Call c, String folderKey) {
        FolderState folder = folderKey == null ? null : folder(c, folderKey);
        Optional<Integer> top = Pages.top(c, MAX_PAGE, false);
        int pageSize = top.orElseGet(() -> c.maxPageSize(10, MAX_PAGE));
        int skip = Pages.skip(c);
        if (c.hasOption("search")) {
            throw GraphError.invalidUrlQuery("The query parameter '$search' is not supported.");
        }
        List<String> select = Pages.select(c);
        long mask = GraphJson.messageMask(select);
        ODataFilter filter = c.option("filter").map(f -> parseFilter(f, MESSAGE_SCHEMA, "message")).orElse(null);
        List<Order> orderBy = parseOrderBy(c);
        if (filter != null && !orderBy.isEmpty()) {
            List<String> led = new ArrayList<>(new LinkedHashSet<>(filter.properties()));
            for (int i = 0; i < orderBy.size(); i++) {
                if (i >= led.size() || !led.get(i).equals(orderBy.get(i).property())) {
                    throw GraphError.inefficientFilter();
                }
            }
        }
        List<MessageRecord> all = folder == null ? c.mailbox.messagesIn(c.mailbox.visibleFolders())
                : c.mailbox.messagesIn(List.of(folder));
        List<MessageRecord> matching = new ArrayList<>(all.size());
        for (MessageRecord m : all) {
            if (filter == null || filter.test(p -> messageValue(m, p))) {
                matching.add(m);
            }
        }
        List<Order> order = orderBy.isEmpty() ? List.of(new Order("receivedDateTime", true)) : orderBy;
        matching.sort(comparator(order));
        GraphJson.MessageShape shape = messageShape(c, mask, false);
        List<byte[]> items = new ArrayList<>();
        for (int i = skip; i < Math.min(matching.size(), skip + pageSize); i++) {
            items.add(GraphJson.message(matching.get(i), shape));
        }
        String tail = folder == null ? "/messages" : "/mailFolders('" + folderKey + "')/messages";
        String context = userContext(c) + tail + selectSuffix(GraphJson.MESSAGE_PROPERTIES, mask, select);
        boolean more = skip + pageSize < matching.size();
        return GraphApi.ok(c, 200, Pages.collection(context, more ? "@odata.nextLink" : null,
                more ? Pages.withSkip(c, skip + pageSize) : null, items));
    }

    private static Comparator<MessageRecord> comparator(List<Order> order) {
        Comparator<MessageRecord> cmp = null;
        for (Order o : order) {
            Comparator<MessageRecord> one = (a, b) -> compareValues(messageValue(a, o.property()),
                    messageValue(b, o.property()));
            if (o.descending()) {
                one = one.reversed();
            }
            cmp = cmp == null ? one : cmp.thenComparing(one);
        }
        return cmp.thenComparing((MessageRecord a, MessageRecord b) -> Long.compare(b.number, a.number));
    }

    @SuppressWarnings({"unchecked", "rawtypes"}) // values of one property share a Comparable type
    private static int compareValues(Object a, Object b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        if (a instanceof String sa) {
            return sa.compareToIgnoreCase((String) b);
        }
        return ((Comparable) a).compareTo(b);
    }

    static Object messageValue(MessageRecord m, String p) {
        return switch (p) {
            case "receivedDateTime" -> m.receivedDateTime;
            case "sentDateTime" -> m.sentDateTime;
            case "createdDateTime" -> m.createdDateTime;
            case "lastModifiedDateTime" -> m.lastModifiedDateTime;
            case "isRead" -> m.isRead;
            case "hasAttachments" -> m.hasAttachments;
            case "isDraft" -> false;
            case "importance" -> m.importance;
            case "subject" -> m.subject;
            case "conversationId" -> m.conversationId;
            case "internetMessageId" -> m.internetMessageId;
            case "parentFolderId" -> m.folderId;
            case "inferenceClassification" -> "focused";
            case "from/emailAddress/address" -> m.from.address();
            case "from/emailAddress/name" -> m.from.name();
            default -> null;
        };
    }

    private List<Order> parseOrderBy(GraphApi.Call c) {
        Optional<String> v = c.option("orderby");
        if (v.isEmpty() || v.get().isBlank()) {
            return List.of();
        }
        List<Order> out = new ArrayList<>();
        for (String part : v.get().split(",")) {
            String[] words = part.trim().split("\\s+");
            if (words.length == 0 || words.length > 2 || words[0].isEmpty()) {
                throw GraphError.badRequest("Invalid $orderby clause: '" + part.trim() + "'.");
            }
            String property = null;
            for (String name : MESSAGE_SCHEMA.keySet()) {
                if (name.equalsIgnoreCase(words[0])) {
                    property = name;
                }
            }
            if (property == null) {
                throw GraphError.unknownMessageProperty(words[0]);
            }
            boolean desc = false;
            if (words.length == 2) {
                if (words[1].equalsIgnoreCase("desc")) {
                    desc = true;
                } else if (!words[1].equalsIgnoreCase("asc")) {
                    throw GraphError.badRequest("Invalid $orderby direction: '" + words[1] + "'.");
                }
            }
            out.add(new Order(property, desc));
        }
        return out;
    }

    static ODataFilter parseFilter(String text, Map<String, ODataFilter.Type> schema, String type) {
        try {
            return ODataFilter.parse(text, schema);
        } catch (ODataFilter.FilterException e) {
            throw switch (e.kind) {
                case SYNTAX -> GraphError.badRequest(e.getMessage());
                case UNKNOWN_PROPERTY -> new GraphError(400, "ErrorInvalidUrlQueryFilter",
                        "The query filter contains one or more invalid nodes.");
                default -> new GraphError(400, "ErrorInvalidUrlQueryFilter", e.getMessage());
            };
        }
    }

    private Reply getMessage(GraphApi.Call c, String id) {
        MessageRecord m = message(c, id);
        List<String> select = Pages.select(c);
        long mask = GraphJson.messageMask(select);
        String context = userContext(c) + "/messages" + selectSuffix(GraphJson.MESSAGE_PROPERTIES, mask, select)
                + "/$entity";
        return GraphApi.ok(c, 200, Pages.entity(context, GraphJson.message(m, messageShape(c, mask, false))));
    }

    // ---- messages: writes -----------------------------------------------------------------------------------------

    private static JsonNode jsonBody(GraphApi.Call c) {
        if (c.r.body().length == 0) {
            throw GraphError.badRequest("Empty Payload. JSON content expected.");
        }
        try {
            JsonNode n = Json.read(c.r.body());
            if (!n.isObject()) {
                throw new IOException("not an object");
            }
            return n;
        } catch (IOException e) {
            throw GraphError.badRequest("Unable to read JSON request payload. Please ensure Content-Type header is set"
                    + " and payload is of valid JSON format.");
        }
    }

    /** An action parameter: Graph matches action parameter names without regard to case (the SDK sends PascalCase). */
    private static JsonNode param(JsonNode body, String name) {
        if (body == null || !body.isObject()) {
            return null;
        }
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) body::fields) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static String text(JsonNode body, String name, String fallback) {
        JsonNode n = param(body, name);
        return n == null || n.isNull() ? fallback : n.asText(fallback);
    }

    private Reply patchMessage(GraphApi.Call c, String id) {
        MessageRecord m = message(c, id);
        JsonNode body = jsonBody(c);
        Boolean isRead = null;
        List<String> categories = null;
        String importance = null;
        String flag = null;
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) body::fields) {
            String name = e.getKey();
            JsonNode v = e.getValue();
            if (name.startsWith("@odata.")) {
                continue;
            }
            switch (name) {
                case "isRead" -> {
                    if (!v.isBoolean()) {
                        throw GraphError.badRequest("Invalid value for property 'isRead': a boolean is expected.");
                    }
                    isRead = v.booleanValue();
                }
                case "categories" -> {
                    if (!v.isArray()) {
                        throw GraphError.badRequest("Invalid value for property 'categories': an array is expected.");
                    }
                    categories = new ArrayList<>();
                    for (JsonNode x : v) {
                        categories.add(x.asText());
                    }
                }
                case "importance" -> {
                    String imp = v.asText().toLowerCase(Locale.ROOT);
                    if (!Set.of("low", "normal", "high").contains(imp)) {
                        throw GraphError.badRequest("Invalid value for property 'importance': '" + v.asText() + "'.");
                    }
                    importance = imp;
                }
                case "flag" -> {
                    String status = v.path("flagStatus").asText("notFlagged");
                    if (!Set.of("notFlagged", "flagged", "complete").contains(status)) {
                        throw GraphError.badRequest("Invalid value for property 'flagStatus': '" + status + "'.");
                    }
                    flag = status;
                }
                case "inferenceClassification" -> {
                    // accepted; the fake keeps every message focused
                }
                default -> throw new GraphError(400, "ErrorInvalidPropertyUpdateSentMessage",
                        "Update operation is not allowed for property '" + name + "' on sent message.");
            }
        }
        MessageRecord updated = c.mailbox.update(m, isRead, categories, importance, flag);
        String context = userContext(c) + "/messages/$entity";
        return GraphApi.ok(c, 200, Pages.entity(context, GraphJson.message(updated,
                messageShape(c, GraphJson.ALL_MESSAGE, false))));
    }

    private Reply moveMessage(GraphApi.Call c, String id) {
        MessageRecord m = message(c, id);
        JsonNode body = jsonBody(c);
        String destination = text(body, "destinationId", "");
        if (destination.isEmpty()) {
            throw GraphError.badRequest("The parameter 'destinationId' is required.");
        }
        FolderState dest = folder(c, destination);
        MessageRecord moved = c.mailbox.move(m, dest);
        String context = userContext(c) + "/messages/$entity";
        return GraphApi.ok(c, 201, Pages.entity(context, GraphJson.message(moved,
                messageShape(c, GraphJson.ALL_MESSAGE, false))));
    }

    private Reply deleteMessage(GraphApi.Call c, String id) {
        c.mailbox.delete(message(c, id));
        return GraphApi.ok(c, 204, new byte[0]);
    }

    private static List<FakeMessage.Recipient> recipients(JsonNode array) {
        List<FakeMessage.Recipient> out = new ArrayList<>();
        if (array != null && array.isArray()) {
            for (JsonNode r : array) {
                JsonNode email = param(r, "emailAddress");
                String address = text(email, "address", "");
                if (!address.contains("@")) {
                    throw new GraphError(400, "ErrorInvalidRecipients",
                            "At least one recipient isn't valid., Recipient '" + address + "' is not resolved.");
                }
                String name = text(email, "name", "");
                out.add(name.isEmpty() ? FakeMessage.Recipient.of(address) : new FakeMessage.Recipient(name, address));
            }
        }
        return out;
    }

    private FakeMessage.Recipient owner(GraphApi.Call c) {
        FakeUser u = c.user;
        return new FakeMessage.Recipient(u.displayName(), u.mail().orElse(u.userPrincipalName()));
    }

    private Reply forward(GraphApi.Call c, String id) {
        MessageRecord m = message(c, id);
        JsonNode body = jsonBody(c);
        List<FakeMessage.Recipient> to = recipients(param(body, "toRecipients"));
        if (to.isEmpty()) {
            to = recipients(param(param(body, "message"), "toRecipients"));
        }
        if (to.isEmpty()) {
            throw new GraphError(400, "ErrorInvalidRecipients", "At least one recipient is required, but none were found.");
        }
        String comment = text(body, "comment", "");
        String subject = "FW: " + m.subject;
        String html = "<html><body><div>" + Html.escape(comment) + "</div><hr><div><b>From:</b> "
                + Html.escape(m.from.name()) + " &lt;" + Html.escape(m.from.address()) + "&gt;<br><b>Subject:</b> "
                + Html.escape(m.subject) + "</div>" + m.bodyHtml + "</body></html>";
        Instant now = ctx.clock().instant().truncatedTo(ChronoUnit.SECONDS);
        SentMail sent = new SentMail(SentMail.Kind.FORWARD, owner(c), to, List.of(), subject, html, comment,
                m.immutableId, now);
        send(c, sent, m.conversationKey, true);
        return GraphApi.ok(c, 202, new byte[0]);
    }

    private Reply sendMail(GraphApi.Call c) {
        JsonNode body = jsonBody(c);
        JsonNode message = param(body, "message");
        if (message == null || !message.isObject()) {
            throw GraphError.badRequest("The 'message' parameter is required.");
        }
        List<FakeMessage.Recipient> to = recipients(param(message, "toRecipients"));
        List<FakeMessage.Recipient> cc = recipients(param(message, "ccRecipients"));
        if (to.isEmpty() && cc.isEmpty()) {
            throw new GraphError(400, "ErrorInvalidRecipients", "At least one recipient is required, but none were found.");
        }
        String subject = text(message, "subject", "");
        JsonNode b = param(message, "body");
        String content = text(b, "content", "");
        String html = text(b, "contentType", "text").equalsIgnoreCase("html") ? content
                : "<html><body><pre>" + Html.escape(content) + "</pre></body></html>";
        Instant now = ctx.clock().instant().truncatedTo(ChronoUnit.SECONDS);
        SentMail sent = new SentMail(SentMail.Kind.SEND_MAIL, owner(c), to, cc, subject, html, "", null, now);
        JsonNode saveParam = param(body, "saveToSentItems");
        boolean save = saveParam == null || saveParam.isNull() || saveParam.asBoolean(true);
        send(c, sent, MessageDraft.conversationKeyOf(subject), save);
        return GraphApi.ok(c, 202, new byte[0]);
    }

    /** Records a sent message, keeps a copy in Sent Items, and delivers it to recipients in the same tenant. */
    private void send(GraphApi.Call c, SentMail sent, String conversationKey, boolean saveCopy) {
        c.mailbox.recordSent(sent);
        String imid = Ids.internetMessageId("sent:" + c.user.objectId() + ":" + c.mailbox.seq() + ":"
                + sent.subject(), domain(sent.from().address()));
        if (saveCopy) {
            c.mailbox.deliver(new MessageDraft(imid, conversationKey, sent.subject(), sent.from(), sent.toRecipients(),
                    sent.ccRecipients(), sent.sentAt(), sent.sentAt(), sent.bodyHtml(), false, "normal", true,
                    List.of(), null), c.mailbox.folder("sentitems"));
        }
        FakeTenant tenant = c.tenant;
        Map<String, MailboxState> delivered = new HashMap<>();
        List<FakeMessage.Recipient> all = new ArrayList<>(sent.toRecipients());
        all.addAll(sent.ccRecipients());
        for (FakeMessage.Recipient r : all) {
            Optional<FakeUser> u = tenant.user(r.address());
            if (u.isEmpty() || !u.get().hasMailbox() || delivered.containsKey(u.get().objectId())) {
                continue;
            }
            MailboxState box = ctx.mail(tenant).get(u.get().objectId());
            if (box == null) {
                continue;
            }
            delivered.put(u.get().objectId(), box);
            box.deliver(new MessageDraft(imid, conversationKey, sent.subject(), sent.from(), sent.toRecipients(),
                    sent.ccRecipients(), sent.sentAt(), sent.sentAt(), sent.bodyHtml(), false, "normal", false,
                    List.of(), null), box.folder("inbox"));
        }
    }

    private static String domain(String address) {
        return address.substring(address.indexOf('@') + 1);
    }

    // ---- message delta --------------------------------------------------------------------------------------------

    private long now() {
        return ctx.clock().instant().toEpochMilli();
    }

    /** The token of a delta request, checked: issued by this cloud, for this kind, mailbox and folder, not too old. */
    private Optional<SyncTokens.State> deltaToken(GraphApi.Call c, SyncTokens.Kind next, SyncTokens.Kind delta,
                                                  String folderId, String resource) {
        Optional<String> skip = c.option("skiptoken");
        Optional<String> dtok = c.option("deltatoken");
        if (skip.isEmpty()) {
            skip = c.r.query("$skipToken");
        }
        if (dtok.isEmpty()) {
            dtok = c.r.query("$deltaToken");
        }
        if (skip.isEmpty() && dtok.isEmpty()) {
            return Optional.empty();
        }
        if (skip.isEmpty() && dtok.get().isEmpty()) {
            // an empty $deltatoken is the initial request (the URL of a synchronization reset's Location)
            return Optional.empty();
        }
        String raw = skip.isPresent() ? skip.get() : dtok.get();
        SyncTokens.State s = tokens.decode(raw).orElseThrow(GraphError::syncStateInvalid);
        SyncTokens.Kind expected = skip.isPresent() ? next : delta;
        if (s.kind() != expected || !s.mailbox().equals(c.user.objectId()) || !s.folderId().equals(folderId)) {
            throw GraphError.syncStateInvalid();
        }
        Duration lifetime = ctx.deltaTokenLifetime();
        if (lifetime != null && Duration.ofMillis(now() - s.issuedAtMillis()).compareTo(lifetime) > 0) {
            throw syncReset(c, s, GraphError.syncStateNotFound(s.generation(), s.generation() + 1));
        }
        return Optional.of(s);
    }

    private static void unsupported(GraphApi.Call c, String resource, String... options) {
        List<String> found = new ArrayList<>();
        for (String o : options) {
            if (c.hasOption(o)) {
                found.add("$" + o);
            }
        }
        if (!found.isEmpty()) {
            throw GraphError.invalidUrlQuery("The following parameters are not supported with change tracking over the '"
                    + resource + "' resource: '" + String.join(", ", found) + "'.");
        }
    }

    private Reply messageDelta(GraphApi.Call c, String folderKey) {
        MailboxState box = c.mailbox;
        FolderState f = folder(c, folderKey);
        int pageSize = c.maxPageSize(10, MAX_PAGE);
        String key = String.join("\u0000", c.user.objectId(), f.id, String.valueOf(c.r.url().encodedQuery()),
                Integer.toString(pageSize), Boolean.toString(c.immutableIds()), Boolean.toString(c.textBody()),
                Boolean.toString(c.can(GraphApi.MAIL_BODY)), Integer.toString(ctx.deltaPageOverlap()),
                Double.toString(ctx.deltaPageOverlapFraction()),
                Integer.toString(ctx.filteredDeltaLimit()), Integer.toString(ctx.emptyDeltaPageEvery()),
                Double.toString(ctx.emptyDeltaPageProbability()), Boolean.toString(ctx.syncResetLocation()),
                String.valueOf(ctx.deltaTokenLifetime()), Long.toString(box.seq()), Long.toString(box.generationOf(f)),
                Long.toString(now()));
        Page page = pages.get(key);
        if (page == null) {
            page = Page.of(renderMessageDelta(c, box, f, pageSize));
            pages.put(key, page);
        }
        return GraphApi.ok(c, 200, page.bytes(), page.shared());
    }

    private byte[] renderMessageDelta(GraphApi.Call c, MailboxState box, FolderState f, int pageSize) {
        Optional<SyncTokens.State> token = deltaToken(c, SyncTokens.Kind.MESSAGES_NEXT, SyncTokens.Kind.MESSAGES_DELTA,
                f.id, "Messages");
        SyncTokens.State state;
        if (token.isPresent()) {
            state = token.get();
            long generation = box.generationOf(f);
            if (state.generation() != generation) {
                throw syncReset(c, state, GraphError.syncStateNotFound(state.generation(), generation));
            }
            if (state.kind() == SyncTokens.Kind.MESSAGES_DELTA) {
                state = new SyncTokens.State(SyncTokens.Kind.MESSAGES_NEXT, state.mailbox(), state.folderId(),
                        state.generation(), now(), state.filterOp(), state.filterEpochSecond(), state.select(), true,
                        state.until(), box.seq(), state.until(), Long.MAX_VALUE);
            }
        } else {
            unsupported(c, "Messages", "top", "skip", "search", "count", "expand");
            Optional<String> orderBy = c.option("orderby");
            if (orderBy.isPresent() && !orderBy.get().trim().replaceAll("\\s+", " ")
                    .equalsIgnoreCase("receivedDateTime desc")) {
                throw GraphError.invalidUrlQuery("The following parameters are not supported with change tracking over"
                        + " the 'Messages' resource: '$orderby'.");
            }
            int filterOp = 0;
            long filterAt = 0;
            Optional<String> filterText = c.option("filter");
            if (filterText.isPresent()) {
                ODataFilter.Node n;
                try {
                    n = ODataFilter.parse(filterText.get(), DELTA_SCHEMA).root();
                } catch (ODataFilter.FilterException e) {
                    n = null;
                }
                if (!(n instanceof ODataFilter.Compare cmp) || !(cmp.op().equals("ge") || cmp.op().equals("gt"))
                        || cmp.value() == null) {
                    throw GraphError.invalidUrlQuery("The '$filter' parameter value is not supported for 'Messages'"
                            + " resource; only a value of 'receivedDateTime ge value' is supported.");
                }
                filterOp = cmp.op().equals("ge") ? 1 : 2;
                filterAt = ((Instant) cmp.value()).getEpochSecond();
            }
            List<String> select = Pages.select(c);
            long mask = GraphJson.messageMask(select);
            state = new SyncTokens.State(SyncTokens.Kind.MESSAGES_NEXT, c.user.objectId(), f.id, box.generationOf(f),
                    now(), filterOp, filterAt, select == null ? "" : GraphJson.selectList(GraphJson.MESSAGE_PROPERTIES,
                    mask), false, 0, box.seq(), Long.MAX_VALUE, Long.MAX_VALUE);
        }
        double fraction = ctx.deltaPageOverlapFraction();
        long mask = GraphJson.messageMask(state.select().isEmpty() ? null : List.of(state.select().split(",")));
        GraphJson.MessageShape shape = messageShape(c, mask, true);
        boolean immutable = c.immutableIds();
        int op = state.filterOp();
        long at = state.filterEpochSecond();
        Predicate<Instant> receivedOk = op == 0 ? t -> true
                : op == 1 ? t -> t.getEpochSecond() >= at : t -> t.getEpochSecond() > at;
        Predicate<MessageRecord> filter = m -> receivedOk.test(m.receivedDateTime);
        String base = c.base() + "/users/" + c.user.objectId() + "/mailFolders('" + f.id + "')/messages/delta?";

        if (emptyPage(state)) {
            String link = base + "$skiptoken=" + tokens.encode(new SyncTokens.State(SyncTokens.Kind.MESSAGES_NEXT,
                    state.mailbox(), state.folderId(), state.generation(), now(), op, at, state.select(),
                    state.incremental(), state.since(), state.until(), state.cursorA(), state.cursorB(),
                    state.served(), state.page() + 1));
            return Pages.collection(c.base() + "/$metadata#Collection(message)", "@odata.nextLink", link, List.of());
        }

        List<byte[]> items = new ArrayList<>();
        long[] cursors;
        boolean more;
        int n;
        int repeated = 0;
        if (!state.incremental()) {
            // Graph: "applying $filter in delta returns only up to 5,000 messages" (the first round ends there)
            long remaining = op == 0 ? Long.MAX_VALUE : Math.max(0, ctx.filteredDeltaLimit() - state.served());
            int take = (int) Math.min(pageSize, remaining);
            List<MessageRecord> page = take == 0 ? List.of() : box.initialRound(f, state.until(),
                    new FolderState.SortKey(state.cursorA(), state.cursorB()), filter, take + 1);
            more = page.size() > take && take < remaining;
            n = Math.min(take, page.size());
            cursors = new long[] {state.cursorA(), state.cursorB()};
            for (int i = 0; i < n; i++) {
                items.add(GraphJson.message(page.get(i), shape));
            }
            if (n > 0) {
                int anchorAt = Math.max(0, n - 1 - overlap(n, pageSize, fraction));
                repeated = n - 1 - anchorAt;
                MessageRecord anchor = page.get(anchorAt);
                cursors = new long[] {anchor.receivedDateTime.getEpochSecond(), anchor.number};
            }
        } else {
            List<MailboxState.Change> page = box.changes(f, state.since(), state.until(), state.cursorA(),
                    state.cursorB(), filter, receivedOk, pageSize + 1);
            more = page.size() > pageSize;
            n = Math.min(pageSize, page.size());
            cursors = new long[] {state.cursorA(), state.cursorB()};
            for (int i = 0; i < n; i++) {
                MailboxState.Change ch = page.get(i);
                items.add(ch.message() != null ? GraphJson.message(ch.message(), shape)
                        : GraphJson.removed("message", immutable ? ch.removed().immutableId() : ch.removed().restId()));
            }
            if (n > 0) {
                int anchorAt = Math.max(0, n - 1 - overlap(n, pageSize, fraction));
                repeated = n - 1 - anchorAt;
                MailboxState.Change anchor = page.get(anchorAt);
                cursors = new long[] {anchor.seq(), anchor.number()};
            }
        }
        String linkName;
        String link;
        if (more) {
            linkName = "@odata.nextLink";
            link = base + "$skiptoken=" + tokens.encode(new SyncTokens.State(SyncTokens.Kind.MESSAGES_NEXT,
                    state.mailbox(), state.folderId(), state.generation(), now(), op, at, state.select(),
                    state.incremental(), state.since(), state.until(), cursors[0], cursors[1],
                    state.served() + n - repeated, state.page() + 1));
        } else {
            linkName = "@odata.deltaLink";
            link = base + "$deltatoken=" + tokens.encode(new SyncTokens.State(SyncTokens.Kind.MESSAGES_DELTA,
                    state.mailbox(), state.folderId(), state.generation(), now(), op, at, state.select(), true,
                    state.since(), state.until(), 0, 0));
        }
        return Pages.collection(c.base() + "/$metadata#Collection(message)", linkName, link, items);
    }

    /** How many of a page's {@code n} items the next page repeats: the larger of the count and the fraction. */
    private int overlap(int n, int pageSize, double fraction) {
        int items = Math.max(ctx.deltaPageOverlap(), (int) Math.ceil(fraction * n));
        return Math.max(0, Math.min(items, pageSize - 1));
    }

    /**
     * Whether the page at this position is one of the configured empty pages. A position that follows an empty page
     * never is again by the every-n-th rule ({@code n >= 2}); the seeded chance is below 1, so a round always ends.
     */
    private boolean emptyPage(SyncTokens.State state) {
        int every = ctx.emptyDeltaPageEvery();
        if (every >= 2 && state.page() % every == every - 1) {
            return true;
        }
        double p = ctx.emptyDeltaPageProbability();
        if (p <= 0) {
            return false;
        }
        long h = ctx.seed();
        h = h * 31 + state.mailbox().hashCode();
        h = h * 31 + state.folderId().hashCode();
        h = h * 31 + Long.hashCode(state.since());
        h = h * 31 + Long.hashCode(state.until());
        h = h * 31 + state.page();
        return new java.util.SplittableRandom(h).nextDouble() < p;
    }

    /**
     * A 410 for an expired token, with Graph's synchronization-reset {@code Location} when configured: the folder's
     * delta URL with an empty {@code $deltatoken} and the round's {@code $select} and {@code $filter}.
     */
    private GraphError syncReset(GraphApi.Call c, SyncTokens.State s, GraphError gone) {
        if (!ctx.syncResetLocation() || !(s.kind() == SyncTokens.Kind.MESSAGES_NEXT
                || s.kind() == SyncTokens.Kind.MESSAGES_DELTA)) {
            return gone;
        }
        okhttp3.HttpUrl.Builder u = okhttp3.HttpUrl.get(c.base() + "/users/" + s.mailbox() + "/mailFolders('"
                + s.folderId() + "')/messages/delta").newBuilder();
        u.addQueryParameter("$deltatoken", "");
        if (!s.select().isEmpty()) {
            u.addQueryParameter("$select", s.select());
        }
        if (s.filterOp() != 0) {
            u.addQueryParameter("$filter", "receivedDateTime " + (s.filterOp() == 1 ? "ge" : "gt") + " "
                    + Instant.ofEpochSecond(s.filterEpochSecond()));
        }
        return gone.withLocation(u.build().toString());
    }
}
