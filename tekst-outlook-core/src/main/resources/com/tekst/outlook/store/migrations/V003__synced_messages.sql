-- Tekst Outlook SDK store, schema version 3: what the sink received, and backfill paged by key. Runs unchanged on
-- SQLite and PostgreSQL.

-- One row per message the sink acknowledged for a folder, while it is believed to be in that folder: the sync engine
-- reconciles these against Graph to report removals of mail of any age and to find mail it never delivered. Written
-- in the same transaction as the checkpoint or cursor of the page that delivered (or removed) the message.
CREATE TABLE tekst_outlook_synced_messages (
    connection_id TEXT NOT NULL,
    mailbox_id TEXT NOT NULL,
    folder_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (connection_id, mailbox_id, folder_id, message_id)
);

CREATE INDEX tekst_outlook_synced_messages_by_received
    ON tekst_outlook_synced_messages (connection_id, mailbox_id, folder_id, received_at);

-- When the folder's synced messages were last reconciled (NULL: never; 0: due at once).
ALTER TABLE tekst_outlook_folder_checkpoints ADD COLUMN reconciled_at BIGINT;

-- A backfill pages by key, not by link: the next page lists from position_at down (position_inclusive 1: le, 0: lt),
-- skipping position_ids (newline-separated ids already delivered at exactly position_at). NULL position_at: before
-- the first page (lt until_at). A cursor written by schema 2 starts its listing again from the newest end.
ALTER TABLE tekst_outlook_backfill_cursors ADD COLUMN position_at BIGINT;

ALTER TABLE tekst_outlook_backfill_cursors ADD COLUMN position_inclusive INTEGER NOT NULL DEFAULT 0;

ALTER TABLE tekst_outlook_backfill_cursors ADD COLUMN position_ids TEXT NOT NULL DEFAULT '';

ALTER TABLE tekst_outlook_backfill_cursors DROP COLUMN next_link;
