package com.tekst.outlook.testkit.internal.mail;

import com.fasterxml.jackson.core.JsonGenerator;
import com.tekst.outlook.testkit.FakeMessage;
import com.tekst.outlook.testkit.SentMail;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The contents of one Exchange mailbox: the folder tree (well-known folders plus custom ones), the messages, and the
 * change log delta queries read (a change sequence number per change, tombstones for messages that left a folder,
 * sync-state generations for expiring delta tokens). Every method holds the mailbox's lock, so tests mutate it while
 * clients read it. Internal.
 */
public final class MailboxState {
    /** A folder that was deleted, for folder delta rounds. */
    public record FolderTombstone(long seq, int number, String id) {
    }

    /** One entry of an incremental delta round: a current message version or a removal. */
    public record Change(long seq, long number, MessageRecord message, Tombstone removed) {
    }

    /** One entry of an incremental folder delta round: a current folder or a removal. */
    public record FolderChange(long seq, int number, FolderView folder, FolderTombstone removed) {
    }

    /** A consistent snapshot of a folder's properties. */
    public record FolderView(int number, String id, String wellKnownName, String displayName, String parentFolderId,
                             boolean hidden, int childFolderCount, int unreadItemCount, int totalItemCount,
                             long changeSeq, String path) {
    }

    private record WellKnown(int number, String name, String displayName, boolean hidden, int parent) {
    }

    /** The folders every mailbox starts with. Number 1 is the root of the visible tree ({@code msgfolderroot}). */
    private static final List<WellKnown> STANDARD = List.of(
            new WellKnown(1, "msgfolderroot", "Top of Information Store", false, 0),
            new WellKnown(2, "inbox", "Inbox", false, 1),
            new WellKnown(3, "drafts", "Drafts", false, 1),
            new WellKnown(4, "sentitems", "Sent Items", false, 1),
            new WellKnown(5, "deleteditems", "Deleted Items", false, 1),
            new WellKnown(6, "outbox", "Outbox", false, 1),
            new WellKnown(7, "junkemail", "Junk Email", false, 1),
            new WellKnown(8, "archive", "Archive", false, 1),
            new WellKnown(9, "conversationhistory", "Conversation History", false, 1),
            new WellKnown(10, null, "Conversation Action Settings", true, 1),
            new WellKnown(11, null, "Quick Step Settings", true, 1),
            new WellKnown(20, "recoverableitemsroot", "Recoverable Items", true, 0),
            new WellKnown(21, "recoverableitemsdeletions", "Deletions", true, 20));

    public final UUID guid;
    public final String ownerObjectId;
    private final Supplier<Instant> clock;
    private final Map<String, FolderState> folders = new LinkedHashMap<>();
    private final Map<Integer, FolderState> foldersByNumber = new HashMap<>();
    private final Map<String, FolderState> wellKnown = new HashMap<>();
    private final Map<Long, MessageRecord> byNumber = new HashMap<>();
    private final Map<String, MessageRecord> byRestId = new HashMap<>();
    private final Map<String, MessageRecord> byImmutableId = new HashMap<>();
    private final TreeMap<Long, MessageRecord> byChangeSeq = new TreeMap<>();
    private final TreeMap<Long, FolderTombstone> folderTombstones = new TreeMap<>();
    private final List<SentMail> sent = new ArrayList<>();
    private final String rootParentId;
    private long seq;
    private long nextMessageNumber = 1;
    private int nextFolderNumber = 100;
    private long treeGeneration = 1;

    public MailboxState(String tenantId, String ownerObjectId, Supplier<Instant> clock) {
        this.guid = Ids.mailboxGuid(tenantId, ownerObjectId);
        this.ownerObjectId = ownerObjectId;
        this.clock = clock;
        this.rootParentId = Ids.folderId(guid, 0);
        for (WellKnown w : STANDARD) {
            String parent = w.parent() == 0 ? rootParentId : Ids.folderId(guid, w.parent());
            FolderState f = new FolderState(w.number(), Ids.folderId(guid, w.number()), w.name(), w.displayName(),
                    parent, w.hidden(), 0, Instant.EPOCH);
            folders.put(f.id, f);
            foldersByNumber.put(f.number, f);
            if (w.name() != null) {
                wellKnown.put(w.name(), f);
            }
        }
    }

    private Instant now() {
        return clock.get();
    }

    // ---- folders ---------------------------------------------------------------------------------------------------

    /** The root of the visible folder tree ({@code msgfolderroot}). */
    public synchronized FolderState root() {
        return wellKnown.get("msgfolderroot");
    }

    /** A folder by well-known name (any case) or id (exact). */
    public synchronized FolderState folder(String idOrWellKnownName) {
        FolderState f = wellKnown.get(idOrWellKnownName.toLowerCase(Locale.ROOT));
        return f != null ? f : folders.get(idOrWellKnownName);
    }

    /** A folder by well-known name, id, or display-name path such as {@code Inbox/Projects} (any case). */
    public synchronized FolderState resolveFolder(String name) {
        FolderState f = folder(name);
        if (f != null) {
            return f;
        }
        FolderState current = root();
        for (String part : name.split("/")) {
            FolderState next = null;
            for (FolderState c : folders.values()) {
                if (c.parentId.equals(current.id) && c.displayName.equalsIgnoreCase(part.trim())) {
                    next = c;
                    break;
                }
            }
            if (next == null) {
                return null;
            }
            current = next;
        }
        return current;
    }

    /** Whether the folder is in the visible tree (a descendant of {@code msgfolderroot}, or the root itself). */
    public synchronized boolean isInVisibleTree(FolderState f) {
        FolderState cur = f;
        while (cur != null) {
            if (cur.number == 1) {
                return true;
            }
            cur = folders.get(cur.parentId);
        }
        return false;
    }

    public synchronized FolderView view(FolderState f) {
        int children = 0;
        for (FolderState c : folders.values()) {
            if (c.parentId.equals(f.id)) {
                children++;
            }
        }
        return new FolderView(f.number, f.id, f.wellKnownName, f.displayName, f.parentId, f.hidden, children,
                f.unread, f.messages.size(), f.changeSeq, path(f));
    }

    private String path(FolderState f) {
        List<String> parts = new ArrayList<>();
        FolderState cur = f;
        while (cur != null && cur.number != 1 && cur.number != 0) {
            parts.add(0, cur.displayName);
            cur = folders.get(cur.parentId);
        }
        return String.join("/", parts);
    }

    /** Every folder, in creation order. */
    public synchronized List<FolderView> allFolders() {
        List<FolderView> out = new ArrayList<>();
        for (FolderState f : folders.values()) {
            out.add(view(f));
        }
        return out;
    }

    /** The children of a folder, sorted by display name (as Graph lists them). */
    public synchronized List<FolderView> children(FolderState parent, boolean includeHidden) {
        List<FolderView> out = new ArrayList<>();
        for (FolderState f : folders.values()) {
            if (f.parentId.equals(parent.id) && (includeHidden || !f.hidden)) {
                out.add(view(f));
            }
        }
        out.sort(Comparator.comparing((FolderView v) -> v.displayName().toLowerCase(Locale.ROOT))
                .thenComparingInt(FolderView::number));
        return out;
    }

    /** Every non-hidden folder below {@code msgfolderroot} with change sequence up to {@code until}, by number. */
    public synchronized List<FolderView> visibleTree(long until) {
        List<FolderView> out = new ArrayList<>();
        for (FolderState f : folders.values()) {
            if (f.number != 1 && !f.hidden && f.changeSeq <= until && isInVisibleTree(f)) {
                out.add(view(f));
            }
        }
        out.sort(Comparator.comparingInt(FolderView::number));
        return out;
    }

    /** Folder changes in {@code (since, until]} after the cursor, by (seq, number). */
    public synchronized List<FolderChange> folderChanges(long since, long until, long afterSeq, long afterNumber,
                                                         int limit) {
        List<FolderChange> all = new ArrayList<>();
        for (FolderState f : folders.values()) {
            if (f.number != 1 && !f.hidden && f.changeSeq > since && f.changeSeq <= until && isInVisibleTree(f)) {
                all.add(new FolderChange(f.changeSeq, f.number, view(f), null));
            }
        }
        for (FolderTombstone t : folderTombstones.subMap(since, false, until, true).values()) {
            all.add(new FolderChange(t.seq(), t.number(), null, t));
        }
        all.sort(Comparator.comparingLong(FolderChange::seq).thenComparingLong(FolderChange::number));
        List<FolderChange> out = new ArrayList<>();
        for (FolderChange c : all) {
            if (c.seq() > afterSeq || (c.seq() == afterSeq && c.number() > afterNumber)) {
                out.add(c);
                if (out.size() >= limit) {
                    break;
                }
            }
        }
        return out;
    }

    /** Creates a folder under {@code parent}; display names are unique among siblings (any case). */
    public synchronized FolderState createFolder(FolderState parent, String displayName, boolean hidden) {
        Objects.requireNonNull(displayName, "displayName");
        if (displayName.isBlank() || displayName.contains("/")) {
            throw new IllegalArgumentException("a folder name is not blank and has no '/': " + displayName);
        }
        for (FolderState c : folders.values()) {
            if (c.parentId.equals(parent.id) && c.displayName.equalsIgnoreCase(displayName)) {
                throw new IllegalArgumentException("a folder named " + displayName + " exists in " + parent.displayName);
            }
        }
        long s = ++seq;
        int n = nextFolderNumber++;
        FolderState f = new FolderState(n, Ids.folderId(guid, n), null, displayName, parent.id, hidden, s, now());
        folders.put(f.id, f);
        foldersByNumber.put(n, f);
        parent.changeSeq = s;
        return f;
    }

    public synchronized void renameFolder(FolderState f, String displayName) {
        if (f.wellKnownName != null) {
            throw new IllegalArgumentException("a well-known folder cannot be renamed: " + f.wellKnownName);
        }
        f.displayName = Objects.requireNonNull(displayName);
        f.changeSeq = ++seq;
    }

    /** Deletes a custom folder, its subfolders and their messages for good. */
    public synchronized void deleteFolder(FolderState f) {
        if (f.wellKnownName != null || f.number < 100) {
            throw new IllegalArgumentException("a well-known folder cannot be deleted: " + f.displayName);
        }
        for (FolderState c : new ArrayList<>(folders.values())) {
            if (c.parentId.equals(f.id)) {
                deleteFolder(c);
            }
        }
        long s = ++seq;
        for (MessageRecord m : new ArrayList<>(f.messages.values())) {
            unindex(m);
        }
        folders.remove(f.id);
        foldersByNumber.remove(f.number);
        folderTombstones.put(s, new FolderTombstone(s, f.number, f.id));
        FolderState parent = folders.get(f.parentId);
        if (parent != null) {
            parent.changeSeq = s;
        }
    }

    // ---- messages --------------------------------------------------------------------------------------------------

    /** Puts a new message into a folder. */
    public synchronized MessageRecord deliver(MessageDraft d, FolderState f) {
        long n = nextMessageNumber++;
        long s = ++seq;
        Instant created = d.createdAt() != null ? d.createdAt() : now();
        String imid = d.internetMessageId() != null ? d.internetMessageId()
                : Ids.internetMessageId(guid + ":" + n + ":" + d.subject(), domainOf(d.from().address()));
        MessageRecord m = new MessageRecord(n, Ids.immutableId(guid, n), Ids.restId(guid, f.number, n, 0), 0, f.id,
                f.number, s, 1, Ids.changeKey(guid, n, 1), created, created, imid, d.conversationKey(),
                Ids.conversationId(guid, d.conversationKey()), Ids.conversationIndex(d.conversationKey(), n),
                d.subject(), d.from(), d.to(), d.cc(), d.received(), d.sent(), d.bodyHtml(), preview(d.bodyHtml()),
                d.hasAttachments(), d.importance(), d.isRead(), d.categories(), "notFlagged");
        index(m);
        f.changeSeq = s;
        return m;
    }

    /** A message by REST id or immutable id (exact, case-sensitive), or {@code null}. */
    public synchronized MessageRecord find(String id) {
        MessageRecord m = byRestId.get(id);
        return m != null ? m : byImmutableId.get(id);
    }

    public synchronized MessageRecord byNumber(long number) {
        return byNumber.get(number);
    }

    /** Moves a message to another folder: it gets a new REST id, and leaves a tombstone behind. */
    public synchronized MessageRecord move(MessageRecord m, FolderState dest) {
        MessageRecord current = requireCurrent(m);
        if (current.folderId.equals(dest.id)) {
            return current;
        }
        long s = ++seq;
        FolderState src = folders.get(current.folderId);
        src.tombstones.put(s, new Tombstone(s, current.number, current.restId, current.immutableId,
                current.receivedDateTime));
        int loc = current.location + 1;
        MessageRecord next = current.next(Ids.restId(guid, dest.number, current.number, loc), loc, dest.id,
                dest.number, s, Ids.changeKey(guid, current.number, current.version + 1), now(), current.isRead,
                current.categories, current.importance, current.flagStatus);
        unindex(current);
        index(next);
        src.changeSeq = s;
        dest.changeSeq = s;
        return next;
    }

    /**
     * Deletes a message as Graph's {@code DELETE} does: into Recoverable Items (Deletions), out of the visible tree.
     * A message already there is purged.
     */
    public synchronized void delete(MessageRecord m) {
        MessageRecord current = requireCurrent(m);
        FolderState deletions = wellKnown.get("recoverableitemsdeletions");
        if (current.folderId.equals(deletions.id)) {
            long s = ++seq;
            deletions.tombstones.put(s, new Tombstone(s, current.number, current.restId, current.immutableId,
                    current.receivedDateTime));
            unindex(current);
            deletions.changeSeq = s;
        } else {
            move(current, deletions);
        }
    }

    /** Changes flags of a message; every update is a new version (new change key), as every save in Exchange. */
    public synchronized MessageRecord update(MessageRecord m, Boolean isRead, List<String> categories,
                                             String importance, String flagStatus) {
        MessageRecord current = requireCurrent(m);
        long s = ++seq;
        boolean read = isRead != null ? isRead : current.isRead;
        MessageRecord next = current.next(current.restId, current.location, current.folderId, current.folderNumber,
                s, Ids.changeKey(guid, current.number, current.version + 1), now(), read,
                categories != null ? categories : current.categories,
                importance != null ? importance : current.importance,
                flagStatus != null ? flagStatus : current.flagStatus);
        unindex(current);
        index(next);
        if (read != current.isRead) {
            folders.get(current.folderId).changeSeq = s;
        }
        return next;
    }

    private MessageRecord requireCurrent(MessageRecord m) {
        MessageRecord current = byNumber.get(m.number);
        if (current == null) {
            throw new IllegalArgumentException("the message is no longer in the mailbox: " + m.restId);
        }
        return current;
    }

    private void index(MessageRecord m) {
        byNumber.put(m.number, m);
        byRestId.put(m.restId, m);
        byImmutableId.put(m.immutableId, m);
        byChangeSeq.put(m.changeSeq, m);
        FolderState f = folders.get(m.folderId);
        f.messages.put(FolderState.SortKey.of(m), m);
        if (!m.isRead) {
            f.unread++;
        }
    }

    private void unindex(MessageRecord m) {
        byNumber.remove(m.number);
        byRestId.remove(m.restId);
        byImmutableId.remove(m.immutableId);
        byChangeSeq.remove(m.changeSeq);
        FolderState f = folders.get(m.folderId);
        if (f != null) {
            f.messages.remove(FolderState.SortKey.of(m));
            if (!m.isRead) {
                f.unread--;
            }
        }
    }

    /** The messages of these folders right now (any order). */
    public synchronized List<MessageRecord> messagesIn(List<FolderState> in) {
        List<MessageRecord> out = new ArrayList<>();
        for (FolderState f : in) {
            out.addAll(f.messages.values());
        }
        return out;
    }

    /** Every folder of the visible tree, root included. */
    public synchronized List<FolderState> visibleFolders() {
        List<FolderState> out = new ArrayList<>();
        for (FolderState f : folders.values()) {
            if (isInVisibleTree(f)) {
                out.add(f);
            }
        }
        return out;
    }

    /** Every current message, by number. */
    public synchronized List<MessageRecord> allMessages() {
        List<MessageRecord> out = new ArrayList<>(byNumber.values());
        out.sort(Comparator.comparingLong(m -> m.number));
        return out;
    }

    public synchronized int messageCount() {
        return byNumber.size();
    }

    // ---- delta -----------------------------------------------------------------------------------------------------

    /** The latest change sequence number. */
    public synchronized long seq() {
        return seq;
    }

    public synchronized long treeGeneration() {
        return treeGeneration;
    }

    /** The sync-state generation of a folder's message delta tokens. */
    public synchronized long generationOf(FolderState f) {
        return f.generation;
    }

    /** Invalidates every delta and skip token of this mailbox (the next use answers 410 SyncStateNotFound). */
    public synchronized void expireSyncState() {
        treeGeneration++;
        for (FolderState f : folders.values()) {
            f.generation++;
        }
    }

    /** Invalidates the message delta and skip tokens of one folder. */
    public synchronized void expireSyncState(FolderState f) {
        f.generation++;
    }

    /**
     * A page of an initial round: messages now in the folder whose current version is not newer than {@code until},
     * that pass the filter, after the cursor, newest first; at most {@code limit}.
     */
    public synchronized List<MessageRecord> initialRound(FolderState f, long until, FolderState.SortKey after,
                                                         Predicate<MessageRecord> filter, int limit) {
        List<MessageRecord> out = new ArrayList<>(Math.min(limit, 1024));
        NavigableMap<FolderState.SortKey, MessageRecord> tail = f.messages.tailMap(after, false);
        for (MessageRecord m : tail.values()) {
            if (m.changeSeq <= until && filter.test(m)) {
                out.add(m);
                if (out.size() >= limit) {
                    break;
                }
            }
        }
        return out;
    }

    /**
     * A page of an incremental round: messages of the folder changed in {@code (since, until]} and removals from it,
     * by (seq, number), after the cursor; at most {@code limit}.
     */
    public synchronized List<Change> changes(FolderState f, long since, long until, long afterSeq, long afterNumber,
                                             Predicate<MessageRecord> filter, Predicate<Instant> removedFilter,
                                             int limit) {
        long from = Math.max(since, afterSeq - 1);
        List<Change> all = new ArrayList<>();
        for (MessageRecord m : byChangeSeq.subMap(from, false, until, true).values()) {
            if (m.folderId.equals(f.id) && filter.test(m)) {
                all.add(new Change(m.changeSeq, m.number, m, null));
            }
        }
        for (Tombstone t : f.tombstones.subMap(from, false, until, true).values()) {
            if (removedFilter.test(t.receivedDateTime())) {
                all.add(new Change(t.seq(), t.number(), null, t));
            }
        }
        all.sort(Comparator.comparingLong(Change::seq).thenComparingLong(Change::number));
        List<Change> out = new ArrayList<>();
        for (Change c : all) {
            if (c.seq() > afterSeq || (c.seq() == afterSeq && c.number() > afterNumber)) {
                out.add(c);
                if (out.size() >= limit) {
                    break;
                }
            }
        }
        return out;
    }

    // ---- sent mail -------------------------------------------------------------------------------------------------

    public synchronized void recordSent(SentMail mail) {
        sent.add(mail);
    }

    public synchronized List<SentMail> sent() {
        return List.copyOf(sent);
    }

    // ---- export ----------------------------------------------------------------------------------------------------

    /** Writes the folders and messages as canonical JSON (sorted by number), for comparing tenants. */
    public synchronized void writeJson(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("mailboxGuid", guid.toString());
        g.writeArrayFieldStart("folders");
        List<FolderState> fs = new ArrayList<>(folders.values());
        fs.sort(Comparator.comparingInt(f -> f.number));
        for (FolderState f : fs) {
            g.writeStartObject();
            g.writeStringField("id", f.id);
            g.writeStringField("wellKnownName", f.wellKnownName);
            g.writeStringField("displayName", f.displayName);
            g.writeStringField("parentFolderId", f.parentId);
            g.writeBooleanField("isHidden", f.hidden);
            g.writeNumberField("totalItemCount", f.messages.size());
            g.writeNumberField("unreadItemCount", f.unread);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("messages");
        for (MessageRecord m : allMessages()) {
            g.writeStartObject();
            g.writeStringField("id", m.restId);
            g.writeStringField("immutableId", m.immutableId);
            g.writeStringField("changeKey", m.changeKey);
            g.writeStringField("parentFolderId", m.folderId);
            g.writeStringField("internetMessageId", m.internetMessageId);
            g.writeStringField("conversationId", m.conversationId);
            g.writeStringField("subject", m.subject);
            writeRecipient(g, "from", m.from);
            g.writeArrayFieldStart("toRecipients");
            for (FakeMessage.Recipient r : m.toRecipients) {
                writeRecipient(g, null, r);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("ccRecipients");
            for (FakeMessage.Recipient r : m.ccRecipients) {
                writeRecipient(g, null, r);
            }
            g.writeEndArray();
            g.writeStringField("receivedDateTime", m.receivedDateTime.toString());
            g.writeStringField("sentDateTime", m.sentDateTime.toString());
            g.writeStringField("createdDateTime", m.createdDateTime.toString());
            g.writeStringField("lastModifiedDateTime", m.lastModifiedDateTime.toString());
            g.writeBooleanField("isRead", m.isRead);
            g.writeBooleanField("hasAttachments", m.hasAttachments);
            g.writeStringField("importance", m.importance);
            g.writeArrayFieldStart("categories");
            for (String c : m.categories) {
                g.writeString(c);
            }
            g.writeEndArray();
            g.writeStringField("bodyPreview", m.bodyPreview);
            g.writeStringField("body", m.bodyHtml);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeRecipient(JsonGenerator g, String field, FakeMessage.Recipient r) throws IOException {
        if (field != null) {
            g.writeObjectFieldStart(field);
        } else {
            g.writeStartObject();
        }
        g.writeStringField("name", r.name());
        g.writeStringField("address", r.address());
        g.writeEndObject();
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    static String domainOf(String address) {
        int at = address.indexOf('@');
        return at < 0 ? "example.invalid" : address.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    /** Graph's {@code bodyPreview}: the body's text, whitespace collapsed, at most 255 characters. */
    public static String preview(String html) {
        String text = htmlToText(html).replaceAll("\\s+", " ").trim();
        return text.length() <= 255 ? text : text.substring(0, 255);
    }

    /** The text of an HTML body (tags dropped, block ends as line breaks, common entities decoded). */
    public static String htmlToText(String html) {
        StringBuilder sb = new StringBuilder(html.length());
        int i = 0;
        boolean skip = false;
        while (i < html.length()) {
            char c = html.charAt(i);
            if (c == '<') {
                int end = html.indexOf('>', i);
                if (end < 0) {
                    break;
                }
                String tag = html.substring(i + 1, end).trim().toLowerCase(Locale.ROOT);
                if (tag.startsWith("style") || tag.startsWith("head") || tag.startsWith("script")) {
                    skip = true;
                } else if (tag.startsWith("/style") || tag.startsWith("/head") || tag.startsWith("/script")) {
                    skip = false;
                } else if (tag.startsWith("/p") || tag.startsWith("br") || tag.startsWith("/div")
                        || tag.startsWith("/li") || tag.startsWith("/tr")) {
                    sb.append("\r\n");
                }
                i = end + 1;
                continue;
            }
            if (!skip) {
                if (c == '&') {
                    int semi = html.indexOf(';', i);
                    if (semi > i && semi - i <= 8) {
                        String entity = html.substring(i + 1, semi);
                        String decoded = switch (entity) {
                            case "amp" -> "&";
                            case "lt" -> "<";
                            case "gt" -> ">";
                            case "quot" -> "\"";
                            case "#39", "apos" -> "'";
                            case "nbsp" -> " ";
                            default -> null;
                        };
                        if (decoded != null) {
                            sb.append(decoded);
                            i = semi + 1;
                            continue;
                        }
                    }
                }
                sb.append(c);
            }
            i++;
        }
        return sb.toString().trim();
    }
}
