package com.tekst.outlook.mailbox;

import java.util.Objects;
import com.tekst.outlook.InvalidValueException;
import java.util.Optional;

/**
 * A mailbox search: a prefix of display name, mail or user principal name (empty for every account), a page size,
 * and where to continue.
 *
 * <br>{@code prefix}: what the names start with, ignoring case; surrounding white space is removed; at most
 *                 {@value #MAX_PREFIX} characters, no control characters
 * <br>{@code pageSize}: accounts per page, 1 to {@value #MAX_PAGE_SIZE}
 * <br>{@code cursor}: the previous page's {@link MailboxSearchPage#next() cursor} for the same prefix, or {@code null} for
 *                 the first page; see {@link #after(String)}
 */
public final class MailboxSearch {
    private final String prefix;
    private final int pageSize;
    private final String cursor;

    public static final int DEFAULT_PAGE_SIZE = 25;
    public static final int MAX_PAGE_SIZE = 100;
    public static final int MAX_PREFIX = 256;
    static final int MAX_CURSOR = 8192;

    public MailboxSearch(String prefix, int pageSize, String cursor) {
        if (prefix == null) {
            throw new InvalidValueException("search prefix", "must not be null");
        }
        prefix = prefix.strip();
        if (prefix.length() > MAX_PREFIX || prefix.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidValueException("search prefix", "must be at most " + MAX_PREFIX
                    + " characters without control characters", prefix);
        }
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new InvalidValueException("page size", "must be between 1 and " + MAX_PAGE_SIZE,
                    Integer.toString(pageSize));
        }
        if (cursor != null && (cursor.isEmpty() || cursor.length() > MAX_CURSOR)) {
            throw new InvalidValueException("search cursor", "must be a cursor of a previous page", cursor);
        }
        this.prefix = prefix;
        this.pageSize = pageSize;
        this.cursor = cursor;
    }

    public String prefix() {
        return prefix;
    }

    public int pageSize() {
        return pageSize;
    }

    /** Where this search continues; empty for the first page. */
    public Optional<String> cursor() {
        return Optional.ofNullable(cursor);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MailboxSearch o && Objects.equals(prefix, o.prefix) && Objects.equals(pageSize, o.pageSize) && Objects.equals(cursor, o.cursor);
    }

    @Override
    public int hashCode() {
        return Objects.hash(prefix, pageSize, cursor);
    }

    @Override
    public String toString() {
        return "MailboxSearch[" + "prefix=" + prefix + ", " + "pageSize=" + pageSize + ", " + "cursor=" + cursor + "]";
    }

    /** The first page of accounts whose names start with {@code prefix}, {@value #DEFAULT_PAGE_SIZE} per page. */
    public static MailboxSearch prefix(String prefix) {
        return new MailboxSearch(prefix, DEFAULT_PAGE_SIZE, null);
    }

    /** Every account, {@value #DEFAULT_PAGE_SIZE} per page. */
    public static MailboxSearch all() {
        return prefix("");
    }

    public MailboxSearch withPageSize(int size) {
        return new MailboxSearch(prefix, size, cursor);
    }

    /** The page after the one that returned {@code nextCursor}. */
    public MailboxSearch after(String nextCursor) {
        return new MailboxSearch(prefix, pageSize, nextCursor);
    }

}
