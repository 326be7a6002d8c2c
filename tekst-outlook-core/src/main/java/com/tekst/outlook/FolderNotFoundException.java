package com.tekst.outlook;

import com.tekst.outlook.mailbox.FolderSelection;


/**
 * A folder chosen by id or path does not exist in the mailbox (or the path names no folder). Nothing was changed.
 */
public class FolderNotFoundException extends OutlookException {
    private final FolderSelection folder;

    public FolderNotFoundException(FolderSelection folder, String summary, ErrorDetails details) {
        super(summary, details);
        this.folder = folder;
    }

    /** The selection that named no folder. */
    public FolderSelection folder() {
        return folder;
    }
}
