package com.tekst.outlook.internal.sync;

import com.tekst.outlook.mailbox.FolderRef;
import com.tekst.outlook.store.BackfillCursor;
import com.tekst.outlook.sync.BackfillPage;
import com.tekst.outlook.sync.MessagePage;

/** A folder's backfill. Exists while its cursor is running; paused, cancelled and complete backfills have none. */
final class BackfillTask extends FolderTask {
    // step-owned
    BackfillCursor cursor;
    BackfillPage pending;
    /** The page size asked for: the configured one, raised while one instant holds more messages than a page. */
    int top;

    BackfillTask(MailboxState mailbox, FolderRef folder) {
        super(mailbox, folder);
    }

    @Override
    MessagePage.Kind kind() {
        return MessagePage.Kind.BACKFILL;
    }

    @Override
    boolean needsCall() {
        return pending == null;
    }
}
