-- Tekst Outlook SDK store, schema version 1. Runs unchanged on SQLite and PostgreSQL.
-- Instants are epoch microseconds (BIGINT). Enums are stored by name. Links are TEXT: they can be several KB long.
-- No foreign keys: the store SPI lets dependants be written before their parent (as the in-memory store does);
-- deleting a connection or a mailbox deletes its dependants explicitly, in the same transaction.

CREATE TABLE tekst_outlook_connections (
    connection_id TEXT NOT NULL PRIMARY KEY,
    type TEXT NOT NULL,
    tenant_id TEXT,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    connected_at BIGINT
);

CREATE TABLE tekst_outlook_consent_nonces (
    digest TEXT NOT NULL PRIMARY KEY,
    connection_id TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    issued_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE INDEX tekst_outlook_consent_nonces_by_connection ON tekst_outlook_consent_nonces (connection_id);

CREATE INDEX tekst_outlook_consent_nonces_by_expiry ON tekst_outlook_consent_nonces (expires_at);

CREATE TABLE tekst_outlook_mailboxes (
    connection_id TEXT NOT NULL,
    mailbox_id TEXT NOT NULL,
    address TEXT NOT NULL,
    display_name TEXT NOT NULL,
    type TEXT NOT NULL,
    status TEXT NOT NULL,
    status_until BIGINT,
    status_detail TEXT NOT NULL,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (connection_id, mailbox_id)
);

-- The folders a mailbox syncs, in the order of MailboxRecord.folders() (position 0, 1, 2...).
CREATE TABLE tekst_outlook_mailbox_folders (
    connection_id TEXT NOT NULL,
    mailbox_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    folder_id TEXT NOT NULL,
    path TEXT NOT NULL,
    PRIMARY KEY (connection_id, mailbox_id, position)
);

CREATE TABLE tekst_outlook_folder_checkpoints (
    connection_id TEXT NOT NULL,
    mailbox_id TEXT NOT NULL,
    folder_id TEXT NOT NULL,
    delta_link TEXT,
    next_link TEXT,
    last_received_at BIGINT,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (connection_id, mailbox_id, folder_id)
);

CREATE TABLE tekst_outlook_backfill_cursors (
    connection_id TEXT NOT NULL,
    mailbox_id TEXT NOT NULL,
    folder_id TEXT NOT NULL,
    from_at BIGINT NOT NULL,
    until_at BIGINT NOT NULL,
    next_link TEXT,
    delivered BIGINT NOT NULL,
    estimated_total BIGINT NOT NULL,
    state TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (connection_id, mailbox_id, folder_id)
);
