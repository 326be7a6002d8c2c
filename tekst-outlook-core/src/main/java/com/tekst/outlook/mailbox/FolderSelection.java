package com.tekst.outlook.mailbox;

import com.tekst.outlook.InvalidValueException;
import java.util.List;

/**
 * A folder to sync, as a user picks it: by Graph folder id (or well-known name such as {@code inbox}), or by display
 * path such as {@code Inbox/Invoices/2026}. {@link MailboxScope} resolves a selection to a {@link FolderRef} (id and
 * path) through the mailbox's {@code mailFolders} and {@code childFolders}.
 *
 * <p>A path is matched segment by segment against display names, ignoring case; {@code /} separates segments, so a
 * folder whose name contains {@code /} is chosen by id. The first segment may also be a well-known folder name
 * ({@code inbox}, {@code archive}, {@code sentitems}…), which also works in mailboxes whose folder names are localized.
 */
public sealed interface FolderSelection permits FolderSelection.ById, FolderSelection.ByPath {
    /** The most segments a path may have. */
    int MAX_DEPTH = 32;
    /** The longest folder id or path segment accepted. */
    int MAX_LENGTH = 512;

    /** The Inbox (well-known name {@code inbox}). */
    static FolderSelection inbox() {
        return new ById("inbox");
    }

    /**
     * A folder by id or well-known name.
     *
     * @throws InvalidValueException if empty, longer than {@value #MAX_LENGTH} characters, {@code .} or {@code ..}, or
     *                               with a control character or {@code / \ %} (no Graph folder id contains them)
     */
    static FolderSelection byId(String id) {
        return new ById(id);
    }

    /**
     * A folder by display path, such as {@code Inbox/Invoices/2026}.
     *
     * @throws InvalidValueException if empty, with an empty segment (leading, trailing or double {@code /}), more than
     *                               {@value #MAX_DEPTH} segments, a segment longer than {@value #MAX_LENGTH}
     *                               characters, or a control character
     */
    static FolderSelection byPath(String path) {
        return new ByPath(path);
    }

    /** A folder by id or well-known name. */
    record ById(String id) implements FolderSelection {
        public ById {
            if (id == null) {
                throw new InvalidValueException("folder id", "must not be null");
            }
            if (id.isEmpty() || id.length() > MAX_LENGTH || id.equals(".") || id.equals("..")
                    || id.chars().anyMatch(c -> Character.isISOControl(c) || c == '/' || c == '\\' || c == '%')) {
                throw new InvalidValueException("folder id", "must be a Graph folder id or well-known name (1-"
                        + MAX_LENGTH + " characters, no control characters, no / \\ %, not . or ..)", id);
            }
        }
    }

    /** A folder by display path; {@link #segments()} are the display names from the top. */
    record ByPath(String path) implements FolderSelection {
        public ByPath {
            if (path == null) {
                throw new InvalidValueException("folder path", "must not be null");
            }
            if (path.isEmpty() || path.chars().anyMatch(Character::isISOControl)) {
                throw new InvalidValueException("folder path",
                        "must be display names separated by '/', without control characters", path);
            }
            List<String> segments = List.of(path.split("/", -1));
            if (segments.size() > MAX_DEPTH) {
                throw new InvalidValueException("folder path", "has more than " + MAX_DEPTH + " levels", path);
            }
            for (String segment : segments) {
                if (segment.isEmpty() || segment.length() > MAX_LENGTH) {
                    throw new InvalidValueException("folder path", "must not have an empty segment or one longer"
                            + " than " + MAX_LENGTH + " characters", path);
                }
            }
        }

        /** The display names from the top level down. */
        public List<String> segments() {
            return List.of(path.split("/", -1));
        }
    }

    /** The text the user gave: the id or the path. */
    default String text() {
        return this instanceof ById byId ? byId.id() : ((ByPath) this).path();
    }
}
