package com.tekst.outlook.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A message the sink acknowledged for one folder: its immutable id and {@code receivedDateTime}. The store keeps one
 * per (folder, id) while the message is believed to be in the folder, so that the sync engine can report the removal
 * of any message it delivered, whatever its age, and find messages of the folder it never delivered.
 *
 * @param id         the message's immutable id
 * @param receivedAt its {@code receivedDateTime}
 */
public record SyncedMessage(String id, Instant receivedAt) {
    /** @throws IllegalArgumentException for an empty id */
    public SyncedMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(receivedAt, "receivedAt");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("a message id must not be empty");
        }
    }
}
