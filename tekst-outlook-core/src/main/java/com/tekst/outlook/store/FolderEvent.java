package com.tekst.outlook.store;

/** Folder events the sync engine records so that diagnostics can count them over a recent window. */
public enum FolderEvent {
    /** Microsoft Graph expired the folder's delta token; the folder was synced again from its last received time. */
    DELTA_RESET,
    /** The sink threw for a page of the folder; the page was not acknowledged and is delivered again. */
    SINK_FAILURE
}
