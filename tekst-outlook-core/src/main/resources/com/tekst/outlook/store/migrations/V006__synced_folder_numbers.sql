-- Tekst Outlook SDK store, schema version 6: synced messages keyed by a folder number. Runs unchanged on SQLite and
-- PostgreSQL.

-- One row per folder that has (or had) synced messages. Its number keys the folder's synced messages, so a synced
-- message's row and its two index entries hold a number instead of the connection, mailbox and folder ids: about
-- half the bytes written per acknowledged message. Numbers are assigned by the store (the largest plus one) and
-- never reused while the row exists.
CREATE TABLE tekst_outlook_synced_folders (
    folder_no BIGINT NOT NULL PRIMARY KEY,
    connection_id TEXT NOT NULL,
    mailbox_id TEXT NOT NULL,
    folder_id TEXT NOT NULL,
    UNIQUE (connection_id, mailbox_id, folder_id)
);

INSERT INTO tekst_outlook_synced_folders (folder_no, connection_id, mailbox_id, folder_id)
    SELECT ROW_NUMBER() OVER (ORDER BY connection_id, mailbox_id, folder_id), connection_id, mailbox_id, folder_id
    FROM (SELECT DISTINCT connection_id, mailbox_id, folder_id FROM tekst_outlook_synced_messages) AS folders;

CREATE TABLE tekst_outlook_synced_messages_v6 (
    folder_no BIGINT NOT NULL,
    message_id TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (folder_no, message_id)
);

INSERT INTO tekst_outlook_synced_messages_v6 (folder_no, message_id, received_at)
    SELECT f.folder_no, m.message_id, m.received_at
    FROM tekst_outlook_synced_messages m
    JOIN tekst_outlook_synced_folders f
        ON f.connection_id = m.connection_id AND f.mailbox_id = m.mailbox_id AND f.folder_id = m.folder_id;

DROP TABLE tekst_outlook_synced_messages;

ALTER TABLE tekst_outlook_synced_messages_v6 RENAME TO tekst_outlook_synced_messages;

CREATE INDEX tekst_outlook_synced_messages_by_received
    ON tekst_outlook_synced_messages (folder_no, received_at);
