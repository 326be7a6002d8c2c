package com.tekst.outlook.internal.sync;

import com.tekst.outlook.store.BackfillPosition;
import com.tekst.outlook.store.SyncedChanges;
import com.tekst.outlook.store.SyncedMessage;
import com.tekst.outlook.sync.BackfillPage;
import com.tekst.outlook.sync.MailMessage;
import com.tekst.outlook.sync.ReceivedRange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Paging a listing by key: a page listed {@code receivedDateTime} from a bound down, newest first; the next page asks
 * again from the oldest instant of this one ({@code le}), skipping the ids of that instant already seen. Unlike an
 * offset ({@code $skip}), no bound moves when other messages are deleted or moved meanwhile, so a message that stays
 * in the folder cannot be skipped. Only more than {@link #MAX_TOP} messages received at one instant cannot be paged
 * this way; such an instant is passed ({@link Step#saturated()}).
 */
final class Keyset {
    /** Graph's largest {@code $top} for listing messages. */
    static final int MAX_TOP = 1000;

    private Keyset() {
    }

    /**
     * What a page means for the listing.
     *
     * @param fresh     the page's messages inside the range that were not delivered before (not among the ids
     *                  already seen at the bound)
     * @param complete  whether the range is exhausted: the page had fewer than {@code top} messages and Graph said
     *                  none follow
     * @param saturated whether the page held only messages of the bound's instant already seen: the listing makes no
     *                  progress at this {@code top}
     * @param next      where the next page starts (when saturated: past the instant)
     */
    record Step(List<MailMessage> fresh, boolean complete, boolean saturated, BackfillPosition next) {
    }

    static Step advance(ReceivedRange range, Set<String> seenAtBound, BackfillPage page, int top) {
        Instant bound = range.upTo().orElse(null);
        List<MailMessage> inRange = new ArrayList<>(page.messages().size());
        List<MailMessage> fresh = new ArrayList<>(page.messages().size());
        Instant oldest = null;
        for (MailMessage message : page.messages()) {
            Instant received = message.receivedDateTime();
            if (!range.contains(received)) {
                continue; // not what was asked for: never let it move the bound
            }
            inRange.add(message);
            if (oldest == null || received.isBefore(oldest)) {
                oldest = received;
            }
            if (!(received.equals(bound) && seenAtBound.contains(message.id()))) {
                fresh.add(message);
            }
        }
        boolean complete = inRange.isEmpty() || (page.messages().size() < top && !page.more());
        if (complete) {
            return new Step(fresh, true, false, null);
        }
        Set<String> atOldest = new TreeSet<>();
        if (oldest.equals(bound)) {
            atOldest.addAll(seenAtBound);
        }
        for (MailMessage message : inRange) {
            if (message.receivedDateTime().equals(oldest)) {
                atOldest.add(message.id());
            }
        }
        boolean saturated = fresh.isEmpty() && oldest.equals(bound);
        BackfillPosition next = saturated ? new BackfillPosition(oldest, false, Set.of())
                : new BackfillPosition(oldest, true, atOldest);
        return new Step(fresh, false, saturated, next);
    }

    /** The synced-message changes of delivering {@code messages}. */
    static SyncedChanges synced(List<MailMessage> messages) {
        return synced(messages, List.of());
    }

    static SyncedChanges synced(List<MailMessage> messages, List<String> removed) {
        if (messages.isEmpty() && removed.isEmpty()) {
            return SyncedChanges.NONE;
        }
        List<SyncedMessage> added = new ArrayList<>(messages.size());
        for (MailMessage message : messages) {
            added.add(new SyncedMessage(message.id(), message.receivedDateTime()));
        }
        return new SyncedChanges(added, removed);
    }
}
