-- Tekst Outlook SDK store, schema version 4: what a connection may do, the restriction an administrator applied, and
-- the folder events diagnostics count. Runs unchanged on SQLite and PostgreSQL.

-- The connection's permission profile and where its mailbox permissions come from (enum names). Connections stored
-- by schema 3 asked for READ_ONLY consented in Entra ID.
ALTER TABLE tekst_outlook_connections ADD COLUMN permission_profile TEXT NOT NULL DEFAULT 'READ_ONLY';

ALTER TABLE tekst_outlook_connections ADD COLUMN mail_access TEXT NOT NULL DEFAULT 'ENTRA_PERMISSIONS';

-- When the administrator applied the tenant-side restriction, and which one (one row per connection, the latest).
CREATE TABLE tekst_outlook_applied_restrictions (
    connection_id TEXT NOT NULL PRIMARY KEY,
    mechanism TEXT NOT NULL,
    applied_at BIGINT NOT NULL
);

-- Folder events diagnostics count over a recent window (a delta token reset, a sink failure); rows older than seven
-- days are deleted when a newer event of the folder is recorded.
CREATE TABLE tekst_outlook_folder_events (
    connection_id TEXT NOT NULL,
    mailbox_id TEXT NOT NULL,
    folder_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    at BIGINT NOT NULL
);

CREATE INDEX tekst_outlook_folder_events_by_folder
    ON tekst_outlook_folder_events (connection_id, mailbox_id, folder_id, kind, at);
