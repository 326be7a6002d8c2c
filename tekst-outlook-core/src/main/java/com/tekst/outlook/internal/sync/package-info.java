/**
 * The sync engine's implementation: scheduling, per-mailbox limits, timers, live and backfill units of work. Not API;
 * see {@link com.tekst.outlook.sync.SyncEngine} and {@code docs/design/010-sync-engine-time.md}.
 */
package com.tekst.outlook.internal.sync;
