package com.tekst.outlook.internal.sync;

import com.tekst.outlook.sync.MailMessage;
import com.tekst.outlook.sync.ReceivedRange;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * One pass of a folder's reconciliation, in memory (a pass cut short by a restart starts again: its checkpoint's
 * {@code reconciledAt} moves only when a pass completes). Step-owned, like the rest of a {@link LiveTask}.
 */
final class Reconciliation {
    /** When the pass started: written as the checkpoint's {@code reconciledAt} when it completes. */
    final Instant startedAt;
    /** The lower bound of the synced window: what the folder's delta and completed backfill cover. */
    final Instant from;
    final boolean fromInclusive;
    /** The upper bound of the next listing, {@code null} for none (the first page). */
    Instant upTo;
    boolean upToInclusive;

    // the page being judged: set after its listing, cleared when its outcome is acknowledged
    /** The range whose ids were compared, or {@code null} when the next step lists. */
    ReceivedRange judged;
    /** Whether the judged page is the pass's last. */
    boolean last;
    /** Where the listing continues after the judged page. */
    Instant nextUpTo;
    boolean nextUpToInclusive;
    /** Ids listed in the judged range that the store did not have: fetched in full by the next step. */
    Set<String> missing = Set.of();
    /** Ids the store had in the judged range that were not listed: reported removed. */
    List<String> gone = List.of();
    /** The missing messages once fetched (a page the sink refused is delivered again as is). */
    List<MailMessage> found;

    // totals of the pass
    long listed;
    int added;
    int removed;

    Reconciliation(Instant startedAt, Instant from, boolean fromInclusive) {
        this.startedAt = startedAt;
        this.from = from;
        this.fromInclusive = fromInclusive;
    }

    ReceivedRange listing() {
        return new ReceivedRange(from, fromInclusive, upTo, upToInclusive);
    }
}
