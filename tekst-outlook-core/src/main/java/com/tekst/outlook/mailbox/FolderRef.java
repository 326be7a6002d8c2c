package com.tekst.outlook.mailbox;

import java.util.Objects;

/**
 * A mail folder chosen for sync: its Graph id (or a well-known name such as {@code inbox}) and a display path such as
 * {@code Inbox/Invoices}.
 *
 * @param id   the folder id or well-known name; 1 to 512 characters, no control characters
 * @param path the display path, for people; may be empty
 */
public record FolderRef(String id, String path) {
    /** The Inbox, by its well-known name. */
    public static final FolderRef INBOX = new FolderRef("inbox", "Inbox");

    public FolderRef {
        Objects.requireNonNull(id, "id");
        path = path == null ? "" : path;
        if (id.isEmpty() || id.length() > 512 || id.chars().anyMatch(Character::isISOControl)) {
            throw new com.tekst.outlook.InvalidValueException("folder id",
                    "must be 1-512 characters without control characters", id);
        }
    }
}
