-- Tekst Outlook SDK store, schema version 5: several sync engines on one PostgreSQL store (docs/design/015). Runs
-- unchanged on SQLite and PostgreSQL; on SQLite the tables stay empty (one engine per file, held by a file lock).

-- One row per running engine. Times are epoch microseconds of the database's clock (PostgreSQL clock_timestamp()),
-- never of an engine's JVM: clock skew between pods does not matter. A worker whose expires_at passed is dead.
CREATE TABLE tekst_outlook_workers (
    worker_id TEXT NOT NULL PRIMARY KEY,
    description TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    heartbeat_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

-- One row per mailbox of a connection: who may sync it (worker_id, until expires_at, database time) and the fencing
-- epoch, incremented by every grant. Fenced writes (checkpoints, cursors, mailbox status) check worker and epoch
-- under a share lock of this row. fence_until: a Retry-After (epoch microseconds) that outlives the lease;
-- signals: incremented by a control call from any engine (syncNow, pause, resume, backfill), read by the owner.
CREATE TABLE tekst_outlook_leases (
    connection_id TEXT NOT NULL,
    mailbox_id TEXT NOT NULL,
    worker_id TEXT,
    epoch BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    fence_until BIGINT,
    signals BIGINT NOT NULL,
    PRIMARY KEY (connection_id, mailbox_id)
);

CREATE INDEX tekst_outlook_leases_by_worker ON tekst_outlook_leases (worker_id);

-- Mailboxes stored before this version get their (free) lease row; saveMailbox adds one for every new mailbox.
INSERT INTO tekst_outlook_leases (connection_id, mailbox_id, worker_id, epoch, expires_at, fence_until, signals)
    SELECT connection_id, mailbox_id, NULL, 0, 0, NULL, 0 FROM tekst_outlook_mailboxes;
