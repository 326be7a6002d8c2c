package com.tekst.outlook.testkit.internal.graph;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.tekst.outlook.testkit.FakeUser;
import com.tekst.outlook.testkit.internal.CloudContext;
import com.tekst.outlook.testkit.internal.Reply;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * The directory side: {@code GET /users} (paging with {@code $top} and an opaque {@code $skiptoken},
 * {@code $filter} with {@code startswith}/{@code eq}/{@code or}/{@code and} and
 * {@code proxyAddresses/any(x:x eq 'smtp:…')}, {@code $select}) and
 * {@code GET /users/{id | userPrincipalName}}. Not Outlook resources: no mailbox restriction and no Exchange
 * throttling apply. Internal.
 */
final class DirectoryRoutes {
    static final Map<String, ODataFilter.Type> USER_SCHEMA = new LinkedHashMap<>();

    static {
        for (String p : List.of("displayName", "mail", "userPrincipalName", "givenName", "surname", "id",
                "userType", "mailNickname", "jobTitle", "usageLocation")) {
            USER_SCHEMA.put(p, ODataFilter.Type.STRING);
        }
        USER_SCHEMA.put("accountEnabled", ODataFilter.Type.BOOLEAN);
        USER_SCHEMA.put("proxyAddresses", ODataFilter.Type.STRING_COLLECTION);
    }

    private final CloudContext ctx;
    private final SyncTokens tokens;

    DirectoryRoutes(CloudContext ctx, SyncTokens tokens) {
        this.ctx = ctx;
        this.tokens = tokens;
    }

    Reply handle(GraphApi.Call c) {
        if (!c.r.method().equals("GET")) {
            throw GraphError.methodNotAllowed(c.r.method());
        }
        if (!c.can(GraphApi.DIRECTORY_READ)) {
            throw GraphError.directoryAccessDenied();
        }
        return c.route.kind() == GraphApi.Route.Kind.USERS ? list(c) : get(c);
    }

    private Reply get(GraphApi.Call c) {
        if (c.user == null) {
            throw GraphError.directoryNotFound(c.route.userKey());
        }
        List<String> select = Pages.select(c);
        List<String> props = GraphJson.userSelect(select);
        String context = c.base() + "/$metadata#users" + (select == null ? "" : "(" + String.join(",", props) + ")")
                + "/$entity";
        return GraphApi.ok(c, 200, Pages.entity(context, write(c.user, props)));
    }

    private Reply list(GraphApi.Call c) {
        int pageSize = Pages.top(c, 999, true).orElse(100);
        List<String> select = Pages.select(c);
        List<String> props = GraphJson.userSelect(select);
        if (c.hasOption("orderby") || c.hasOption("search")) {
            throw new GraphError(400, "Request_UnsupportedQuery", "Sorting and search require the ConsistencyLevel"
                    + " header set to eventual, which this endpoint does not model.");
        }
        ODataFilter filter = null;
        Optional<String> filterText = c.option("filter");
        if (filterText.isPresent()) {
            try {
                filter = ODataFilter.parse(filterText.get(), USER_SCHEMA);
            } catch (ODataFilter.FilterException e) {
                throw switch (e.kind) {
                    case SYNTAX -> GraphError.badRequest(e.getMessage());
                    case UNKNOWN_PROPERTY -> new GraphError(400, "Request_BadRequest", "Property '" + e.property
                            + "' does not exist as a declared property or extension property.");
                    default -> new GraphError(400, "Request_UnsupportedQuery", "Unsupported Query.");
                };
            }
            checkDirectoryFunctions(filter.root());
        }
        int start = 0;
        Optional<String> skipToken = c.option("skiptoken");
        if (skipToken.isPresent()) {
            SyncTokens.State s = tokens.decode(skipToken.get())
                    .filter(t -> t.kind() == SyncTokens.Kind.USERS_NEXT && t.mailbox().equals(c.tenant.id().value()))
                    .orElseThrow(() -> new GraphError(400, "Directory_ExpiredPageToken",
                            "The specified page token value has expired and can no longer be included in your request."));
            start = (int) s.cursorA();
        }
        List<FakeUser> matching = new ArrayList<>();
        for (FakeUser u : c.tenant.users()) {
            Map<String, Object> values = GraphJson.userValues(u);
            if (filter == null || filter.test(values::get)) {
                matching.add(u);
            }
        }
        List<byte[]> items = new ArrayList<>();
        for (int i = start; i < Math.min(matching.size(), start + pageSize); i++) {
            items.add(write(matching.get(i), props));
        }
        boolean more = start + pageSize < matching.size();
        String link = null;
        if (more) {
            HttpUrl.Builder b = HttpUrl.get(c.base() + "/users").newBuilder();
            for (String name : c.r.url().queryParameterNames()) {
                if (name.equalsIgnoreCase("$skiptoken") || name.equalsIgnoreCase("skiptoken")) {
                    continue;
                }
                for (String v : c.r.url().queryParameterValues(name)) {
                    b.addQueryParameter(name, v);
                }
            }
            b.addQueryParameter("$skiptoken", tokens.encode(new SyncTokens.State(SyncTokens.Kind.USERS_NEXT,
                    c.tenant.id().value(), "", 0, ctx.clock().instant().toEpochMilli(), 0, 0, "", false, 0, 0,
                    start + pageSize, 0)));
            link = b.build().toString();
        }
        String context = c.base() + "/$metadata#users" + (select == null ? "" : "(" + String.join(",", props) + ")");
        return GraphApi.ok(c, 200, Pages.collection(context, more ? "@odata.nextLink" : null, link, items));
    }

    /** The directory supports {@code startswith} but not {@code endswith}/{@code contains} without advanced queries. */
    private static void checkDirectoryFunctions(ODataFilter.Node n) {
        if (n instanceof ODataFilter.Or o) {
            checkDirectoryFunctions(o.left());
            checkDirectoryFunctions(o.right());
        } else if (n instanceof ODataFilter.And a) {
            checkDirectoryFunctions(a.left());
            checkDirectoryFunctions(a.right());
        } else if (n instanceof ODataFilter.Not x) {
            checkDirectoryFunctions(x.inner());
        } else if (n instanceof ODataFilter.Call call && !call.function().equals("startswith")) {
            throw new GraphError(400, "Request_UnsupportedQuery", "Unsupported Query.");
        }
    }

    private static byte[] write(FakeUser u, List<String> props) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = GraphJson.FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            GraphJson.writeUser(g, u, props);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
