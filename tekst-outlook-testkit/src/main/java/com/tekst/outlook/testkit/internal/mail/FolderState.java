package com.tekst.outlook.testkit.internal.mail;

import java.time.Instant;
import java.util.TreeMap;

/**
 * A mail folder's mutable state. Only touched while holding its {@link MailboxState}'s lock. Internal.
 */
public final class FolderState {
    /** Where a message sorts in its folder: newest first, then highest number first. */
    public record SortKey(long receivedEpochSecond, long number) implements Comparable<SortKey> {
        public static SortKey of(MessageRecord m) {
            return new SortKey(m.receivedDateTime.getEpochSecond(), m.number);
        }

        /** Before every message. */
        public static final SortKey START = new SortKey(Long.MAX_VALUE, Long.MAX_VALUE);

        @Override
        public int compareTo(SortKey o) {
            int c = Long.compare(o.receivedEpochSecond, receivedEpochSecond);
            return c != 0 ? c : Long.compare(o.number, number);
        }
    }

    public final int number;
    public final String id;
    /** Well-known name ({@code inbox}, {@code sentitems}...), or {@code null}. */
    public final String wellKnownName;
    String displayName;
    String parentId;
    final boolean hidden;
    long changeSeq;
    long generation = 1;
    int unread;
    /** Messages in this folder, newest first. */
    final TreeMap<SortKey, MessageRecord> messages = new TreeMap<>();
    /** Messages that left this folder, by change sequence number. */
    final TreeMap<Long, Tombstone> tombstones = new TreeMap<>();
    final Instant createdAt;

    FolderState(int number, String id, String wellKnownName, String displayName, String parentId, boolean hidden,
                long changeSeq, Instant createdAt) {
        this.number = number;
        this.id = id;
        this.wellKnownName = wellKnownName;
        this.displayName = displayName;
        this.parentId = parentId;
        this.hidden = hidden;
        this.changeSeq = changeSeq;
        this.createdAt = createdAt;
    }

    public String displayName() {
        return displayName;
    }

    public String parentId() {
        return parentId;
    }

    public boolean hidden() {
        return hidden;
    }

    public long changeSeq() {
        return changeSeq;
    }

    public long generation() {
        return generation;
    }

    public int totalItemCount() {
        return messages.size();
    }

    public int unreadItemCount() {
        return unread;
    }
}
