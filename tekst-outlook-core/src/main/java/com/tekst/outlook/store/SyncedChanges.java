package com.tekst.outlook.store;

import java.util.List;

/**
 * What one acknowledged page changes in a folder's {@linkplain SyncedMessage synced messages}: messages delivered
 * (inserted, or their {@code receivedAt} replaced) and ids reported removed (deleted from the folder's set). Written in
 * the same transaction as the checkpoint or cursor it comes with, so the set always matches what was acknowledged.
 *
 * @param added   messages delivered by the page
 * @param removed ids the page reported as removed from the folder
 */
public record SyncedChanges(List<SyncedMessage> added, List<String> removed) {
    /** No change. */
    public static final SyncedChanges NONE = new SyncedChanges(List.of(), List.of());

    public SyncedChanges {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
    }

    /** Whether there is nothing to write. */
    public boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty();
    }
}
