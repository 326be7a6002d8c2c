package com.tekst.outlook.testkit;

import com.tekst.outlook.MailboxId;
import com.tekst.outlook.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Every request the fake cloud answered, in arrival order, for assertions. Thread-safe. Keeps at most
 * {@link #capacity()} entries (the oldest are dropped first) so a long-running fake does not grow without bound.
 */
public final class RequestJournal {
    private final int capacity;
    private final ArrayList<JournalEntry> entries = new ArrayList<>();
    private long dropped;

    RequestJournal(int capacity) {
        this.capacity = capacity;
    }

    synchronized void record(JournalEntry entry) {
        if (entries.size() >= capacity) {
            int drop = Math.max(1, capacity / 10);
            entries.subList(0, drop).clear();
            dropped += drop;
        }
        entries.add(entry);
    }

    /** The most entries kept. */
    public int capacity() {
        return capacity;
    }

    /** How many old entries were dropped to stay within the capacity. */
    public synchronized long dropped() {
        return dropped;
    }

    /** Every entry, oldest first. */
    public synchronized List<JournalEntry> entries() {
        return List.copyOf(entries);
    }

    /** The entries matching {@code filter}, oldest first. */
    public synchronized List<JournalEntry> entries(Predicate<JournalEntry> filter) {
        List<JournalEntry> out = new ArrayList<>();
        for (JournalEntry e : entries) {
            if (filter.test(e)) {
                out.add(e);
            }
        }
        return out;
    }

    /** The entries that addressed a tenant. */
    public List<JournalEntry> forTenant(TenantId tenant) {
        return entries(e -> tenant.equals(e.tenant().orElse(null)));
    }

    /** The Graph entries that addressed a mailbox (by object id). */
    public List<JournalEntry> forMailbox(MailboxId mailboxObjectId) {
        return entries(e -> mailboxObjectId.equals(e.mailbox().orElse(null)));
    }

    /** The token requests (identity platform {@code /oauth2/v2.0/token}) for a tenant. */
    public List<JournalEntry> tokenRequests(TenantId tenant) {
        return entries(e -> e.kind() == JournalEntry.Kind.IDENTITY && e.path().endsWith("/oauth2/v2.0/token")
                && tenant.equals(e.tenant().orElse(null)));
    }

    public synchronized int size() {
        return entries.size();
    }

    /** Forgets every entry. */
    public synchronized void clear() {
        entries.clear();
        dropped = 0;
    }
}
