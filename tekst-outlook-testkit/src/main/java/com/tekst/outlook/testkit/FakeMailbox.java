package com.tekst.outlook.testkit;

import com.tekst.outlook.MailboxId;
import com.tekst.outlook.testkit.internal.mail.FolderState;
import com.tekst.outlook.testkit.internal.mail.MailboxState;
import com.tekst.outlook.testkit.internal.mail.MessageRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The Exchange Online mailbox of an account of a {@link FakeTenant}: folders and messages that the fake Graph serves,
 * and that a test changes while a client syncs ({@link #deliver}, {@link #move}, {@link #delete},
 * {@link #markRead}, {@link #categorize}, folder changes, {@link #expireDeltaTokens()}).
 *
 * <pre>{@code
 * FakeMailbox alice = tenant.mailbox("alice@contoso.com");
 * FakeMessage m = alice.deliver(FakeMessage.builder().from("bob@fabrikam.com").subject("Invoice 42"));
 * alice.move(m, "archive");          // Graph reports a removal in inbox's delta and an add in archive's
 * alice.markRead(m);                 // accepts the old snapshot: messages are found by immutable id
 * }</pre>
 *
 * <p>Every mailbox starts with Exchange's well-known folders ({@code inbox}, {@code drafts}, {@code sentitems},
 * {@code deleteditems}, {@code outbox}, {@code junkemail}, {@code archive}, {@code conversationhistory}, the hidden
 * {@code Conversation Action Settings} and {@code Quick Step Settings}, and outside the visible tree
 * {@code recoverableitemsdeletions}). Folders are named by well-known name (any case), id, or display-name path such as
 * {@code "Inbox/Projects"}; messages by REST id or immutable id (exact, case-sensitive) or by a {@link FakeMessage}.
 *
 * <p>Thread-safe: every operation is atomic with respect to the Graph requests being served.
 */
public final class FakeMailbox {
    private final FakeUser owner;
    private final MailboxState state;
    private final Supplier<Instant> clock;

    FakeMailbox(FakeUser owner, MailboxState state, Supplier<Instant> clock) {
        this.owner = owner;
        this.state = state;
        this.clock = clock;
    }

    MailboxState state() {
        return state;
    }

    /** The account this mailbox belongs to. */
    public FakeUser owner() {
        return owner;
    }

    /** The owner's object id, which Graph requests should address the mailbox by: the SDK's {@link MailboxId}. */
    public MailboxId objectId() {
        return MailboxId.of(owner.objectId());
    }

    /** The primary SMTP address. */
    public String address() {
        return owner.mail().orElse(owner.userPrincipalName());
    }

    // ---- folders ---------------------------------------------------------------------------------------------------

    /** A folder by well-known name, id or display-name path; {@link IllegalArgumentException} when there is none. */
    public FakeFolder folder(String name) {
        return findFolder(name).orElseThrow(() -> new IllegalArgumentException("no folder " + name + " in " + address()));
    }

    /** A folder by well-known name, id or display-name path. */
    public Optional<FakeFolder> findFolder(String name) {
        FolderState f = state.resolveFolder(Objects.requireNonNull(name, "name"));
        return f == null ? Optional.empty() : Optional.of(new FakeFolder(state.view(f)));
    }

    /** Every folder below the root of the visible tree (hidden ones included), in creation order. */
    public List<FakeFolder> folders() {
        List<FakeFolder> out = new ArrayList<>();
        for (MailboxState.FolderView v : state.allFolders()) {
            FolderState f = state.folder(v.id());
            if (v.number() != 1 && f != null && state.isInVisibleTree(f)) {
                out.add(new FakeFolder(v));
            }
        }
        return out;
    }

    /** Creates a folder below {@code parent} (a well-known name, id or path), as a user or a rule would. */
    public FakeFolder createFolder(String parent, String displayName) {
        FolderState p = requireFolder(parent);
        return new FakeFolder(state.view(state.createFolder(p, displayName, false)));
    }

    /** Renames a custom folder (folder delta reports it as changed). */
    public FakeFolder renameFolder(String folder, String displayName) {
        FolderState f = requireFolder(folder);
        state.renameFolder(f, displayName);
        return new FakeFolder(state.view(f));
    }

    /** Deletes a custom folder with its subfolders and messages (folder delta reports it as removed). */
    public void deleteFolder(String folder) {
        state.deleteFolder(requireFolder(folder));
    }

    // ---- messages --------------------------------------------------------------------------------------------------

    /** Delivers a message to the inbox. */
    public FakeMessage deliver(FakeMessage.Builder message) {
        return deliver("inbox", message);
    }

    /** Puts a message into a folder (a delivery, or a rule filing it there). */
    public FakeMessage deliver(String folder, FakeMessage.Builder message) {
        FolderState f = requireFolder(folder);
        return new FakeMessage(state.deliver(message.toDraft(clock.get()), f));
    }

    /** The current version of a message, by REST id or immutable id; {@link IllegalArgumentException} when gone. */
    public FakeMessage message(String id) {
        return findMessage(id).orElseThrow(() -> new IllegalArgumentException("no message " + id + " in " + address()));
    }

    /** The current version of a message, by REST id or immutable id. */
    public Optional<FakeMessage> findMessage(String id) {
        MessageRecord m = state.find(Objects.requireNonNull(id, "id"));
        return m == null ? Optional.empty() : Optional.of(new FakeMessage(m));
    }

    /** The current version of a message given any earlier snapshot of it. */
    public Optional<FakeMessage> current(FakeMessage message) {
        MessageRecord m = state.byNumber(message.record().number);
        return m == null ? Optional.empty() : Optional.of(new FakeMessage(m));
    }

    /** Every message of the visible folder tree (not Recoverable Items), newest first. */
    public List<FakeMessage> messages() {
        return snapshot(state.visibleFolders());
    }

    /** The messages of one folder, newest first. */
    public List<FakeMessage> messages(String folder) {
        return snapshot(List.of(requireFolder(folder)));
    }

    /** How many messages the mailbox holds, Recoverable Items included. */
    public int messageCount() {
        return state.messageCount();
    }

    /** Moves a message to a folder; it gets a new REST id (its immutable id stays). */
    public FakeMessage move(String id, String folder) {
        return new FakeMessage(state.move(require(id), requireFolder(folder)));
    }

    /** Moves a message, given any snapshot of it, to a folder. */
    public FakeMessage move(FakeMessage message, String folder) {
        return move(message.immutableId(), folder);
    }

    /** Deletes a message as Graph's {@code DELETE} does: out of its folder, into Recoverable Items. */
    public void delete(String id) {
        state.delete(require(id));
    }

    /** Deletes a message, given any snapshot of it. */
    public void delete(FakeMessage message) {
        delete(message.immutableId());
    }

    /** Marks a message read. */
    public FakeMessage markRead(String id) {
        return markRead(id, true);
    }

    /** Marks a message read, given any snapshot of it. */
    public FakeMessage markRead(FakeMessage message) {
        return markRead(message.immutableId(), true);
    }

    /** Marks a message read or unread. */
    public FakeMessage markRead(String id, boolean read) {
        return new FakeMessage(state.update(require(id), read, null, null, null));
    }

    /** Replaces a message's categories. */
    public FakeMessage categorize(String id, String... categories) {
        return new FakeMessage(state.update(require(id), null, List.of(categories), null, null));
    }

    /** Replaces the categories of a message, given any snapshot of it. */
    public FakeMessage categorize(FakeMessage message, String... categories) {
        return categorize(message.immutableId(), categories);
    }

    // ---- delta and sent mail ---------------------------------------------------------------------------------------

    /**
     * Expires every delta and skip token of this mailbox (message and folder delta): their next use is answered
     * {@code 410 Gone} with {@code SyncStateNotFound}, as when Exchange evicts sync state.
     */
    public void expireDeltaTokens() {
        state.expireSyncState();
    }

    /** Expires the message delta and skip tokens of one folder. */
    public void expireDeltaTokens(String folder) {
        state.expireSyncState(requireFolder(folder));
    }

    /** What clients sent from this mailbox ({@code sendMail}, {@code forward}), oldest first. */
    public List<SentMail> sentMail() {
        return state.sent();
    }

    @Override
    public String toString() {
        return "FakeMailbox[" + address() + ", messages=" + state.messageCount() + "]";
    }

    private List<FakeMessage> snapshot(List<FolderState> folders) {
        List<MessageRecord> records = state.messagesIn(folders);
        records.sort(Comparator.comparing((MessageRecord m) -> m.receivedDateTime).reversed()
                .thenComparing(m -> -m.number));
        List<FakeMessage> out = new ArrayList<>(records.size());
        for (MessageRecord m : records) {
            out.add(new FakeMessage(m));
        }
        return out;
    }

    private FolderState requireFolder(String name) {
        FolderState f = state.resolveFolder(Objects.requireNonNull(name, "folder"));
        if (f == null) {
            throw new IllegalArgumentException("no folder " + name + " in " + address());
        }
        return f;
    }

    private MessageRecord require(String id) {
        MessageRecord m = state.find(Objects.requireNonNull(id, "id"));
        if (m == null) {
            throw new IllegalArgumentException("no message " + id + " in " + address());
        }
        return m;
    }
}
