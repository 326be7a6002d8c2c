package com.tekst.outlook.sync.support;

import com.tekst.outlook.ErrorDetails;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.mailbox.FolderRef;
import com.tekst.outlook.sync.BackfillPage;
import com.tekst.outlook.sync.BackfillRequest;
import com.tekst.outlook.DeltaExpiredException;
import com.tekst.outlook.sync.DeltaPage;
import com.tekst.outlook.sync.DeltaRequest;
import com.tekst.outlook.sync.EmailAddress;
import com.tekst.outlook.sync.MailMessage;
import com.tekst.outlook.sync.MailSource;
import com.tekst.outlook.sync.MailboxTarget;
import com.tekst.outlook.sync.MessageBody;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A scripted {@link MailSource} that behaves like Graph's message delta and list endpoints for a few mailboxes:
 * per-folder delta rounds snapshotted at their first request, pages by page size, opaque deterministic links (the same
 * link always yields the same page and the same next link), {@code @removed} for deletions and moves out, moves that
 * keep the id, {@code receivedDateTime ge} filters, newest-first listings, token expiry, and scripted faults. It counts
 * calls and in-flight calls per mailbox, and can hold calls to create concurrency on purpose.
 *
 * <p>Links and message content carry the marker {@code SECRET} so that log tests can prove none of it is logged.
 */
public final class FakeGraph implements MailSource {
    public enum CallKind {
        DELTA_INITIAL, DELTA_LINK, BACKFILL_FIRST, BACKFILL_NEXT, COUNT,
        /** A listing of ids only (the required fields): a reconciliation page. */
        RECONCILE_IDS,
        /** A listing of a bounded range in full after a reconciliation page found messages missing. */
        RECONCILE_FETCH
    }

    /** One call as received, with the clock's time and the request (for assertions). */
    public record Call(long seq, MailboxId mailboxId, String folderId, CallKind kind, Instant at, Object request,
                       boolean failed) {
        public boolean isDelta() {
            return kind == CallKind.DELTA_INITIAL || kind == CallKind.DELTA_LINK;
        }

        public boolean isBackfill() {
            return kind == CallKind.BACKFILL_FIRST || kind == CallKind.BACKFILL_NEXT || kind == CallKind.COUNT;
        }
    }

    private static final String BASE = "https://graph.fake/v1.0/users/";

    private final TestClock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<MailboxId, Mailbox> mailboxes = new LinkedHashMap<>();
    private final Map<String, Supplier<RuntimeException>> tenantFaults = new HashMap<>();
    private final List<Call> calls = new ArrayList<>();
    private final Map<String, Object> tokens = new HashMap<>();
    private Predicate<Call> hold = c -> false;
    private Consumer<Call> onCall = c -> { };
    private long seq;
    private int rounds;
    private int messageCounter;

    private static final class Mailbox {
        final MailboxId id;
        final Map<String, Folder> folders = new LinkedHashMap<>();
        final List<Supplier<RuntimeException>> nextFaults = new ArrayList<>();
        Predicate<CallKind> faultFilter = k -> true;
        Supplier<RuntimeException> persistentFault;
        int inFlight;
        int maxInFlight;
        int backfillInFlight;
        int maxBackfillInFlight;

        Mailbox(MailboxId id) {
            this.id = id;
        }
    }

    private static final class Folder {
        final String id;
        final Map<String, MailMessage> messages = new LinkedHashMap<>();
        final List<String[]> changes = new ArrayList<>(); // {seq, id}
        long changeSeq;
        int generation;

        Folder(String id) {
            this.id = id;
        }
    }

    private record Round(MailboxId mailboxId, String folderId, int id, List<Object> items, Instant since,
                         long watermark, int generation) {
    }

    private record PageToken(Round round, int offset) {
    }

    private record DeltaToken(MailboxId mailboxId, String folderId, Instant since, long watermark, int generation) {
    }

    public FakeGraph(TestClock clock) {
        this.clock = clock;
    }

    // ---- the tenant model ------------------------------------------------------------------------------------------

    public void addMailbox(MailboxId mailboxId, String... folderIds) {
        lock.lock();
        try {
            Mailbox m = mailboxes.computeIfAbsent(mailboxId, Mailbox::new);
            for (String f : folderIds) {
                m.folders.computeIfAbsent(f, Folder::new);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Delivers {@code count} messages into a folder, received at the given instants (one per message). */
    public List<String> deliver(MailboxId mailboxId, String folderId, List<Instant> receivedAt) {
        lock.lock();
        try {
            List<String> ids = new ArrayList<>();
            Folder f = folder(mailboxId, folderId);
            for (Instant at : receivedAt) {
                int n = ++messageCounter;
                String id = "AAMkImmutable" + mailboxId.value().substring(30) + "-" + n;
                MailMessage msg = MailMessage.builder(id, folderId, at)
                        .internetMessageId("<" + n + "@fake.example>")
                        .conversationId("conv-" + (n % 7))
                        .subject("SUBJECT-SECRET-" + n)
                        .from(new EmailAddress("Sender " + n, "sender" + n + "@external.example"))
                        .addTo(EmailAddress.of("to@contoso.example"))
                        .bodyPreview("PREVIEW-SECRET-" + n)
                        .body(MessageBody.html("<p>BODY-SECRET-" + n + "</p>"))
                        .build();
                f.messages.put(id, msg);
                change(f, id);
                ids.add(id);
            }
            return ids;
        } finally {
            lock.unlock();
        }
    }

    /** Delivers {@code count} messages received {@code spacing} apart, the last one at {@code newest}. */
    public List<String> deliver(MailboxId mailboxId, String folderId, int count, Instant newest, Duration spacing) {
        List<Instant> times = new ArrayList<>();
        for (int i = count - 1; i >= 0; i--) {
            times.add(newest.minus(spacing.multipliedBy(i)));
        }
        return deliver(mailboxId, folderId, times);
    }

    public void markRead(MailboxId mailboxId, String messageId) {
        lock.lock();
        try {
            Folder f = folderOf(mailboxId, messageId);
            MailMessage m = f.messages.get(messageId);
            f.messages.put(messageId, new MailMessage(m.id(), m.internetMessageId(), m.conversationId(), m.folderId(),
                    m.subject(), m.from().orElse(null), m.to(), m.cc(), m.receivedDateTime(), m.bodyPreview(), m.body().orElse(null), true,
                    m.categories(), m.hasAttachments()));
            change(f, messageId);
        } finally {
            lock.unlock();
        }
    }

    /** Moves a message to another folder of the mailbox; the immutable id stays. */
    public void move(MailboxId mailboxId, String messageId, String toFolderId) {
        lock.lock();
        try {
            Folder from = folderOf(mailboxId, messageId);
            Folder to = folder(mailboxId, toFolderId);
            MailMessage m = from.messages.remove(messageId);
            change(from, messageId);
            to.messages.put(messageId, new MailMessage(m.id(), m.internetMessageId(), m.conversationId(),
                    toFolderId, m.subject(), m.from().orElse(null), m.to(), m.cc(), m.receivedDateTime(), m.bodyPreview(),
                    m.body().orElse(null), m.isRead(), m.categories(), m.hasAttachments()));
            change(to, messageId);
        } finally {
            lock.unlock();
        }
    }

    public void delete(MailboxId mailboxId, String messageId) {
        lock.lock();
        try {
            Folder f = folderOf(mailboxId, messageId);
            f.messages.remove(messageId);
            change(f, messageId);
        } finally {
            lock.unlock();
        }
    }

    /** Every id currently in the folder. */
    public Set<String> idsIn(MailboxId mailboxId, String folderId) {
        lock.lock();
        try {
            return new LinkedHashSet<>(folder(mailboxId, folderId).messages.keySet());
        } finally {
            lock.unlock();
        }
    }

    /** Invalidates every next and delta link issued so far for the folder (Graph's delta-token eviction). */
    public void expireDeltaState(MailboxId mailboxId, String folderId) {
        lock.lock();
        try {
            folder(mailboxId, folderId).generation++;
        } finally {
            lock.unlock();
        }
    }

    // ---- faults and holds ------------------------------------------------------------------------------------------

    /** The next calls to the mailbox fail with these exceptions, one per call, in order. */
    @SafeVarargs
    public final void failNext(MailboxId mailboxId, Supplier<RuntimeException>... faults) {
        failNext(mailboxId, k -> true, faults);
    }

    /** The next calls of the given kinds fail with these exceptions, one per call, in order. */
    @SafeVarargs
    public final void failNext(MailboxId mailboxId, Predicate<CallKind> kinds, Supplier<RuntimeException>... faults) {
        lock.lock();
        try {
            Mailbox m = mailbox(mailboxId);
            m.nextFaults.addAll(List.of(faults));
            m.faultFilter = kinds;
        } finally {
            lock.unlock();
        }
    }

    /** Every call to the mailbox fails with this until cleared ({@code null}). */
    public void failAlways(MailboxId mailboxId, Supplier<RuntimeException> fault) {
        lock.lock();
        try {
            mailbox(mailboxId).persistentFault = fault;
        } finally {
            lock.unlock();
        }
    }

    /** Every call for the tenant fails with this (consent revoked, secret expired...) until cleared. */
    public void failTenant(String tenantId, Supplier<RuntimeException> fault) {
        lock.lock();
        try {
            if (fault == null) {
                tenantFaults.remove(tenantId);
            } else {
                tenantFaults.put(tenantId, fault);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Calls matching the predicate block (counted as in flight) until {@link #release()}. */
    public void hold(Predicate<Call> which) {
        lock.lock();
        try {
            hold = which;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public void release() {
        hold(c -> false);
    }

    /** Runs on every call as it arrives (before faults), on the calling thread, outside the fake's lock. */
    public void onCall(Consumer<Call> hook) {
        lock.lock();
        try {
            onCall = hook;
        } finally {
            lock.unlock();
        }
    }

    /** Waits (real time, bounded) until the condition over the recorded state holds. */
    public boolean await(Predicate<FakeGraph> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!condition.test(this)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    // ---- what was seen ---------------------------------------------------------------------------------------------

    public List<Call> calls() {
        lock.lock();
        try {
            return List.copyOf(calls);
        } finally {
            lock.unlock();
        }
    }

    public List<Call> calls(MailboxId mailboxId) {
        return calls().stream().filter(c -> c.mailboxId().equals(mailboxId)).toList();
    }

    public int inFlight(MailboxId mailboxId) {
        lock.lock();
        try {
            return mailbox(mailboxId).inFlight;
        } finally {
            lock.unlock();
        }
    }

    public int backfillInFlight(MailboxId mailboxId) {
        lock.lock();
        try {
            return mailbox(mailboxId).backfillInFlight;
        } finally {
            lock.unlock();
        }
    }

    public int maxInFlight(MailboxId mailboxId) {
        lock.lock();
        try {
            return mailbox(mailboxId).maxInFlight;
        } finally {
            lock.unlock();
        }
    }

    public int maxBackfillInFlight(MailboxId mailboxId) {
        lock.lock();
        try {
            return mailbox(mailboxId).maxBackfillInFlight;
        } finally {
            lock.unlock();
        }
    }

    // ---- MailSource ------------------------------------------------------------------------------------------------

    @Override
    public DeltaPage fetchDelta(DeltaRequest request) {
        MailboxTarget target = request.mailbox();
        Call call = enter(target, request.folder(), request.isInitial() ? CallKind.DELTA_INITIAL
                : CallKind.DELTA_LINK, request);
        try {
            lock.lock();
            try {
                Folder f = folder(target.mailboxId(), request.folder().id());
                Round round;
                int offset;
                if (request.isInitial()) {
                    round = newRound(target.mailboxId(), f, request.receivedSince().orElse(null), null);
                    offset = 0;
                } else {
                    Object token = tokens.get(request.link().orElse(null));
                    if (token instanceof PageToken p && p.round().folderId().equals(f.id)) {
                        if (p.round().generation() < f.generation) {
                            throw expired();
                        }
                        round = p.round();
                        offset = p.offset();
                    } else if (token instanceof DeltaToken d && d.folderId().equals(f.id)) {
                        if (d.generation() < f.generation) {
                            throw expired();
                        }
                        round = newRound(target.mailboxId(), f, d.since(), d);
                        offset = 0;
                    } else {
                        throw new IllegalStateException("not a link of this folder");
                    }
                }
                return page(round, offset, request.pageSize());
            } finally {
                lock.unlock();
            }
        } catch (RuntimeException e) {
            markFailed(call);
            throw e;
        } finally {
            leave(target, call);
        }
    }

    @Override
    public BackfillPage fetchBackfill(BackfillRequest request) {
        MailboxTarget target = request.mailbox();
        Call call = enter(target, request.folder(), kind(request), request);
        try {
            lock.lock();
            try {
                // like Graph: every query lists the folder as it is now
                Folder f = folder(target.mailboxId(), request.folder().id());
                List<MailMessage> items = f.messages.values().stream()
                        .filter(m -> request.range().contains(m.receivedDateTime()))
                        .sorted(Comparator.comparing(MailMessage::receivedDateTime).reversed()
                                .thenComparing(MailMessage::id))
                        .toList();
                int end = Math.min(items.size(), request.top());
                return new BackfillPage(items.subList(0, end), end < items.size());
            } finally {
                lock.unlock();
            }
        } catch (RuntimeException e) {
            markFailed(call);
            throw e;
        } finally {
            leave(target, call);
        }
    }

    /**
     * What the engine's listings look like: a reconciliation lists ids (the required fields only), then a range it
     * judged in full (lower bound exclusive, or no upper bound); a backfill starts below the connection time
     * ({@code lt}) and continues from the oldest instant it delivered ({@code le}).
     */
    private static CallKind kind(BackfillRequest request) {
        if (request.select().equals(MailMessage.REQUIRED_FIELDS)) {
            return CallKind.RECONCILE_IDS;
        }
        if (!request.range().fromInclusive() || request.range().upTo().isEmpty()) {
            return CallKind.RECONCILE_FETCH;
        }
        return request.range().upToInclusive() ? CallKind.BACKFILL_NEXT : CallKind.BACKFILL_FIRST;
    }

    @Override
    public long folderItemCount(MailboxTarget mailbox, FolderRef folder) {
        Call call = enter(mailbox, folder, CallKind.COUNT, null);
        try {
            lock.lock();
            try {
                return folder(mailbox.mailboxId(), folder.id()).messages.size();
            } finally {
                lock.unlock();
            }
        } catch (RuntimeException e) {
            markFailed(call);
            throw e;
        } finally {
            leave(mailbox, call);
        }
    }

    // ---- internals -------------------------------------------------------------------------------------------------

    private Call enter(MailboxTarget target, FolderRef folder, CallKind kind, Object request) {
        Call call;
        Consumer<Call> hook;
        lock.lock();
        try {
            Mailbox m = mailbox(target.mailboxId());
            call = new Call(++seq, target.mailboxId(), folder.id(), kind, clock.instant(), request, false);
            calls.add(call);
            m.inFlight++;
            m.maxInFlight = Math.max(m.maxInFlight, m.inFlight);
            if (call.isBackfill()) {
                m.backfillInFlight++;
                m.maxBackfillInFlight = Math.max(m.maxBackfillInFlight, m.backfillInFlight);
            }
            changed.signalAll();
            hook = onCall;
        } finally {
            lock.unlock();
        }
        try {
            hook.accept(call);
            lock.lock();
            try {
                while (hold.test(call)) {
                    changed.await();
                }
                Supplier<RuntimeException> tenantFault = tenantFaults.get(target.tenant().value());
                if (tenantFault != null) {
                    throw tenantFault.get();
                }
                Mailbox m = mailbox(target.mailboxId());
                if (m.persistentFault != null) {
                    throw m.persistentFault.get();
                }
                if (!m.nextFaults.isEmpty() && m.faultFilter.test(kind)) {
                    throw m.nextFaults.remove(0).get();
                }
            } finally {
                lock.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            markFailed(call);
            leave(target, call);
            throw new IllegalStateException("interrupted");
        } catch (RuntimeException e) {
            markFailed(call);
            leave(target, call);
            throw e;
        }
        return call;
    }

    private void markFailed(Call call) {
        lock.lock();
        try {
            int i = calls.indexOf(call);
            if (i >= 0 && !calls.get(i).failed()) {
                calls.set(i, new Call(call.seq(), call.mailboxId(), call.folderId(), call.kind(), call.at(),
                        call.request(), true));
            }
        } finally {
            lock.unlock();
        }
    }

    private void leave(MailboxTarget target, Call call) {
        lock.lock();
        try {
            Mailbox m = mailbox(target.mailboxId());
            m.inFlight--;
            if (call.isBackfill()) {
                m.backfillInFlight--;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private Round newRound(MailboxId mailboxId, Folder f, Instant since, DeltaToken from) {
        List<Object> items = new ArrayList<>();
        if (from == null) {
            f.messages.values().stream()
                    .filter(m -> !m.receivedDateTime().isBefore(since))
                    .sorted(Comparator.comparing(MailMessage::receivedDateTime).reversed()
                            .thenComparing(MailMessage::id))
                    .forEach(items::add);
        } else {
            Set<String> changedIds = new LinkedHashSet<>();
            for (String[] c : f.changes) {
                if (Long.parseLong(c[0]) > from.watermark()) {
                    changedIds.add(c[1]);
                }
            }
            for (String id : changedIds) {
                MailMessage m = f.messages.get(id);
                if (m != null && !m.receivedDateTime().isBefore(since)) {
                    items.add(m);
                } else {
                    items.add(new Removed(id));
                }
            }
        }
        return new Round(mailboxId, f.id, ++rounds, items, since, f.changeSeq, f.generation);
    }

    private record Removed(String id) {
    }

    private DeltaPage page(Round round, int offset, int pageSize) {
        int end = Math.min(round.items().size(), offset + pageSize);
        List<MailMessage> messages = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (Object item : round.items().subList(offset, end)) {
            if (item instanceof MailMessage m) {
                messages.add(m);
            } else {
                removed.add(((Removed) item).id());
            }
        }
        String prefix = BASE + round.mailboxId() + "/mailFolders/" + round.folderId() + "/messages/delta?";
        if (end < round.items().size()) {
            String next = prefix + "$skiptoken=SKIP-SECRET-r" + round.id() + "-o" + end;
            tokens.put(next, new PageToken(round, end));
            return DeltaPage.next(messages, removed, next);
        }
        String delta = prefix + "$deltatoken=DELTA-SECRET-r" + round.id();
        tokens.put(delta, new DeltaToken(round.mailboxId(), round.folderId(), round.since(), round.watermark(),
                round.generation()));
        return DeltaPage.last(messages, removed, delta);
    }

    private static DeltaExpiredException expired() {
        return new DeltaExpiredException("the delta state of the folder expired",
                ErrorDetails.NONE.withErrorCode("SyncStateNotFound").withHttpStatus(410), null);
    }

    private void change(Folder f, String id) {
        f.changeSeq++;
        f.changes.add(new String[] {Long.toString(f.changeSeq), id});
    }

    private Mailbox mailbox(MailboxId id) {
        Mailbox m = mailboxes.get(id);
        if (m == null) {
            throw new IllegalStateException("the fake has no mailbox " + id);
        }
        return m;
    }

    private Folder folder(MailboxId mailboxId, String folderId) {
        Folder f = mailbox(mailboxId).folders.get(folderId);
        if (f == null) {
            throw new IllegalStateException("the fake mailbox has no folder " + folderId);
        }
        return f;
    }

    private Folder folderOf(MailboxId mailboxId, String messageId) {
        for (Folder f : mailbox(mailboxId).folders.values()) {
            if (f.messages.containsKey(messageId)) {
                return f;
            }
        }
        throw new IllegalStateException("no such message");
    }
}
