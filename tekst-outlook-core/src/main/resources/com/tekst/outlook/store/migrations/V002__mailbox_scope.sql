-- Tekst Outlook SDK store, schema version 2: the mailbox scope. Runs unchanged on SQLite and PostgreSQL.
-- A mailbox answers to its object id, its primary address and its aliases (UPN, proxy addresses). The aliases are kept
-- twice, in one transaction: in the mailbox row (newline-separated, read with the record) and one row each in
-- tekst_outlook_mailbox_aliases, indexed, for the scope guard's lookup of a name.

ALTER TABLE tekst_outlook_mailboxes ADD COLUMN aliases TEXT NOT NULL DEFAULT '';

CREATE INDEX tekst_outlook_mailboxes_by_address ON tekst_outlook_mailboxes (connection_id, address);

CREATE TABLE tekst_outlook_mailbox_aliases (
    connection_id TEXT NOT NULL,
    mailbox_id TEXT NOT NULL,
    alias TEXT NOT NULL,
    PRIMARY KEY (connection_id, mailbox_id, alias)
);

CREATE INDEX tekst_outlook_mailbox_aliases_by_alias ON tekst_outlook_mailbox_aliases (connection_id, alias);

-- The connection's scope mode (RESTRICTED or ALL_MAILBOXES); no row means RESTRICTED.
CREATE TABLE tekst_outlook_scope_modes (
    connection_id TEXT NOT NULL PRIMARY KEY,
    mode TEXT NOT NULL
);
