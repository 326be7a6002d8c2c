package com.tekst.outlook.graph.internal.mailbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.tekst.outlook.MailboxAccessException;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.OutlookException;
import com.tekst.outlook.graph.internal.http.GraphCall;
import com.tekst.outlook.graph.internal.http.GraphUrls;
import com.tekst.outlook.graph.internal.scope.GuardTicket;
import com.tekst.outlook.FolderNotFoundException;
import com.tekst.outlook.mailbox.FolderRef;
import com.tekst.outlook.mailbox.FolderSelection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import okhttp3.HttpUrl;

/**
 * Resolves {@link FolderSelection}s of one mailbox to {@link FolderRef}s (id and display path) through
 * {@code mailFolders} and {@code childFolders}, reading only folder metadata ({@code id}, {@code displayName},
 * {@code parentFolderId}).
 *
 * <ul>
 *   <li>By id: the folder is read; its path is built by walking {@code parentFolderId} up to the root of the visible
 *       tree ({@code msgfolderroot}), at most {@value FolderSelection#MAX_DEPTH} levels. A well-known name
 *       ({@code inbox}, {@code archive}…) is kept as the id, any case, so it stays stable.</li>
 *   <li>By path: the first segment is a well-known name (also in its English display form, "Sent Items"…) or the
 *       display name of a top-level folder; each further segment the display name of a child folder, matched with
 *       {@code $filter=displayName eq '…'} (quotes doubled).</li>
 * </ul>
 * Folders reached twice are kept once, in the order given. Internal.
 */
final class FolderResolver {
    /** Graph's well-known folder names a user may choose, by their lower-case name and English display name. */
    static final Map<String, String> WELL_KNOWN = new LinkedHashMap<>();

    static {
        WELL_KNOWN.put("inbox", "inbox");
        WELL_KNOWN.put("archive", "archive");
        WELL_KNOWN.put("sentitems", "sentitems");
        WELL_KNOWN.put("sent items", "sentitems");
        WELL_KNOWN.put("deleteditems", "deleteditems");
        WELL_KNOWN.put("deleted items", "deleteditems");
        WELL_KNOWN.put("drafts", "drafts");
        WELL_KNOWN.put("junkemail", "junkemail");
        WELL_KNOWN.put("junk email", "junkemail");
        WELL_KNOWN.put("outbox", "outbox");
        WELL_KNOWN.put("conversationhistory", "conversationhistory");
        WELL_KNOWN.put("conversation history", "conversationhistory");
    }

    private static final String FIELDS = "id,displayName,parentFolderId";

    private final MailboxGraph graph;
    private final MailboxGraph.Target target;
    private final String objectId;
    private final MailboxAddress mailbox;
    private final GuardTicket ticket;
    private String rootId;

    /**
     * @param ticket a folder-lookup ticket for a mailbox not yet in the scope, or {@code null} for one that is
     */
    FolderResolver(MailboxGraph graph, MailboxGraph.Target target, String objectId, MailboxAddress mailbox,
                   GuardTicket ticket) {
        this.graph = graph;
        this.target = target;
        this.objectId = objectId;
        this.mailbox = mailbox;
        this.ticket = ticket;
    }

    List<FolderRef> resolve(List<FolderSelection> selections) {
        if (selections == null || selections.isEmpty()) {
            throw new com.tekst.outlook.InvalidValueException("folders", "must name at least one folder");
        }
        Map<String, FolderRef> byCanonicalId = new LinkedHashMap<>();
        for (FolderSelection s : selections) {
            Resolved r = s instanceof FolderSelection.ById byId ? byId(byId) : byPath((FolderSelection.ByPath) s);
            byCanonicalId.putIfAbsent(r.canonicalId(), r.ref());
        }
        return List.copyOf(byCanonicalId.values());
    }

    private record Resolved(String canonicalId, FolderRef ref) {
    }

    private Resolved byId(FolderSelection.ById selection) {
        String wellKnown = WELL_KNOWN.get(selection.id().toLowerCase(Locale.ROOT));
        String key = wellKnown != null && !selection.id().contains(" ") ? wellKnown : selection.id();
        JsonNode folder = folder(key, selection);
        String id = folder.path("id").asText("");
        List<String> names = new ArrayList<>();
        names.add(folder.path("displayName").asText(""));
        String parent = folder.path("parentFolderId").asText("");
        for (int depth = 0; !parent.isEmpty() && !parent.equals(root()); depth++) {
            if (depth >= com.tekst.outlook.mailbox.FolderSelection.MAX_DEPTH) {
                break;
            }
            JsonNode p = folder(parent, selection);
            names.add(0, p.path("displayName").asText(""));
            parent = p.path("parentFolderId").asText("");
        }
        return new Resolved(id, new FolderRef(key.equals(wellKnown) ? wellKnown : id, String.join("/", names)));
    }

    private Resolved byPath(FolderSelection.ByPath selection) {
        List<String> segments = selection.segments();
        String first = segments.get(0);
        String wellKnown = WELL_KNOWN.get(first.toLowerCase(Locale.ROOT));
        JsonNode current = wellKnown != null ? folder(wellKnown, selection) : child(null, first, selection);
        List<String> names = new ArrayList<>();
        names.add(current.path("displayName").asText(first));
        for (String segment : segments.subList(1, segments.size())) {
            current = child(current.path("id").asText(""), segment, selection);
            names.add(current.path("displayName").asText(segment));
        }
        String id = current.path("id").asText("");
        boolean isWellKnown = segments.size() == 1 && wellKnown != null;
        return new Resolved(id, new FolderRef(isWellKnown ? wellKnown : id, String.join("/", names)));
    }

    private String root() {
        if (rootId == null) {
            rootId = folder("msgfolderroot", null).path("id").asText("");
        }
        return rootId;
    }

    /** {@code mailFolders/{key}?$select=id,displayName,parentFolderId}; a missing folder is FolderNotFound. */
    private JsonNode folder(String key, FolderSelection selection) {
        HttpUrl.Builder url = graph.urls.user(objectId, "mailFolders", key);
        GraphUrls.option(url, "$select", FIELDS);
        return read(url.build(), selection);
    }

    /** The child of {@code parentId} (or the top-level folder) named {@code name}, ignoring case. */
    private JsonNode child(String parentId, String name, FolderSelection selection) {
        HttpUrl.Builder url = parentId == null ? graph.urls.user(objectId, "mailFolders")
                : graph.urls.user(objectId, "mailFolders", parentId, "childFolders");
        GraphUrls.option(url, "$filter", "displayName eq " + GraphUrls.literal(name));
        GraphUrls.option(url, "$select", FIELDS);
        JsonNode page = read(url.build(), selection);
        for (JsonNode f : page.path("value")) {
            if (f.path("displayName").asText("").equalsIgnoreCase(name)) {
                return f;
            }
        }
        throw notFound(selection);
    }

    private JsonNode read(HttpUrl url, FolderSelection selection) {
        GraphCall call = target.call().withMailbox(objectId, mailbox);
        try {
            return graph.get(target, url, call, ticket);
        } catch (MailboxAccessException e) {
            if (selection != null && e.reason() == MailboxAccessException.Reason.NOT_FOUND
                    && e.details().errorCode().map(c -> c.equalsIgnoreCase("ErrorFolderNotFound")).orElse(false)) {
                throw notFound(selection);
            }
            throw graph.refine403(e, target, java.util.Set.of("Mail.Read", "Mail.ReadWrite",
                    "Mail.ReadBasic", "Mail.ReadBasic.All"), "the folders of mailbox " + mailbox);
        } catch (OutlookException e) {
            if (selection != null && e.details().httpStatus().orElse(0) == 400 && e.details().errorCode()
                    .map(c -> c.equalsIgnoreCase("ErrorInvalidIdMalformed")).orElse(false)) {
                throw notFound(selection);
            }
            throw graph.refine403(e, target, java.util.Set.of("Mail.Read", "Mail.ReadWrite",
                    "Mail.ReadBasic", "Mail.ReadBasic.All"), "the folders of mailbox " + mailbox);
        }
    }

    private FolderNotFoundException notFound(FolderSelection selection) {
        String kind = selection instanceof FolderSelection.ById ? "id" : "path";
        return new FolderNotFoundException(selection, "Mailbox " + mailbox + " has no folder with the " + kind + " '"
                + shorten(selection.text()) + "'; nothing was changed", target.details().withMailbox(mailbox));
    }

    private static String shorten(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(s.length(), 120); i++) {
            char c = s.charAt(i);
            sb.append(Character.isISOControl(c) ? '?' : c);
        }
        return s.length() > 120 ? sb + "…" : sb.toString();
    }
}
