/**
 * Where the SDK keeps its state: the {@link com.tekst.outlook.store.OutlookStore} SPI and its implementations.
 *
 * <p>What is stored: connections (id, type, tenant id, status), the mailboxes of each connection, per-folder sync
 * checkpoints, backfill cursors and single-use consent nonces. No token, secret or message content is ever stored.
 *
 * <p>Implementations: {@link com.tekst.outlook.store.InMemoryOutlookStore} for tests and demos;
 * {@link com.tekst.outlook.store.JdbcOutlookStore} on an SQLite file (embedded default) or PostgreSQL (production),
 * with versioned schema migrations shipped in the jar. Database failures surface as
 * {@link com.tekst.outlook.StoreException}.
 */
package com.tekst.outlook.store;
