/**
 * Where the SDK keeps its state: the {@link com.tekst.outlook.store.OutlookStore} SPI and its implementations.
 *
 * <p>What is stored: connections (id, type, tenant id, status), the mailboxes of each connection, per-folder sync
 * checkpoints, backfill cursors and single-use consent nonces. No token, secret or message content is ever stored.
 */
package com.tekst.outlook.store;
