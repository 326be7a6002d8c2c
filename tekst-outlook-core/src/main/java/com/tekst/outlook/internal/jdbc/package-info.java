/**
 * Internal: the machinery behind {@link com.tekst.outlook.store.JdbcOutlookStore} (connections, transactions and
 * retries, SQL dialects, schema migrations, the instant codec) and its tables by concern: {@link ConnectionTables},
 * {@link SyncStateTables}, {@link JdbcLeases}. Not API: it changes without notice.
 */
package com.tekst.outlook.internal.jdbc;
