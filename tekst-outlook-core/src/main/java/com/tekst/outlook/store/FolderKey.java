package com.tekst.outlook.store;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.MailboxId;
import java.util.Objects;

/**
 * Identifies one synced folder: connection, mailbox (object id) and folder id.
 */
public record FolderKey(ConnectionId connection, MailboxId mailboxId, String folderId) {
    public FolderKey {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(mailboxId, "mailboxId");
        Objects.requireNonNull(folderId, "folderId");
    }
}
