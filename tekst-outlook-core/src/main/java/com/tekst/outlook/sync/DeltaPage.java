package com.tekst.outlook.sync;

import java.util.Optional;
import java.util.Objects;
import java.util.List;

/**
 * One page of a folder's message delta, as a {@link MailSource} returns it: messages (added or changed), ids of
 * removed messages ({@code @removed}), and exactly one of a next link (more pages in this round) or a delta link
 * (the round is complete; the link starts the next round).
 *
 * <p>{@link #toString()} never shows the links.
 *
 * <br>{@code messages}: added or changed messages, in the order received
 * <br>{@code removedIds}: ids of items reported with {@code @removed} (deleted, or moved out of the folder)
 * <br>{@code nextLink}: {@code @odata.nextLink}, or {@code null} on the last page of a round
 * <br>{@code deltaLink}: {@code @odata.deltaLink}, or {@code null} before the last page
 */
public final class DeltaPage {
    private final List<MailMessage> messages;
    private final List<String> removedIds;
    private final String nextLink;
    private final String deltaLink;

    /**
     * @throws IllegalArgumentException unless exactly one non-blank link is given
     */
    public DeltaPage(List<MailMessage> messages, List<String> removedIds, String nextLink, String deltaLink) {
        messages = List.copyOf(messages);
        removedIds = List.copyOf(removedIds);
        if ((nextLink == null) == (deltaLink == null)) {
            throw new IllegalArgumentException("a delta page has exactly one of a next link and a delta link");
        }
        if ((nextLink != null && nextLink.isBlank()) || (deltaLink != null && deltaLink.isBlank())) {
            throw new IllegalArgumentException("a link must not be blank");
        }
        this.messages = messages;
        this.removedIds = removedIds;
        this.nextLink = nextLink;
        this.deltaLink = deltaLink;
    }

    public List<MailMessage> messages() {
        return messages;
    }

    public List<String> removedIds() {
        return removedIds;
    }

    public Optional<String> nextLink() {
        return Optional.ofNullable(nextLink);
    }

    public Optional<String> deltaLink() {
        return Optional.ofNullable(deltaLink);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DeltaPage o && Objects.equals(messages, o.messages) && Objects.equals(removedIds, o.removedIds) && Objects.equals(nextLink, o.nextLink) && Objects.equals(deltaLink, o.deltaLink);
    }

    @Override
    public int hashCode() {
        return Objects.hash(messages, removedIds, nextLink, deltaLink);
    }

    /** A page with more pages after it. */
    public static DeltaPage next(List<MailMessage> messages, List<String> removedIds, String nextLink) {
        return new DeltaPage(messages, removedIds, nextLink, null);
    }

    /** The last page of a round. */
    public static DeltaPage last(List<MailMessage> messages, List<String> removedIds, String deltaLink) {
        return new DeltaPage(messages, removedIds, null, deltaLink);
    }

    /** Whether this page ends the round (it carries the delta link). */
    public boolean isLast() {
        return deltaLink != null;
    }

    @Override
    public String toString() {
        return "DeltaPage[" + messages.size() + " messages, " + removedIds.size() + " removals, "
                + (isLast() ? "last (delta link)" : "more (next link)") + "]";
    }
}
