/**
 * Step 3 of the wizard over Microsoft Graph: the mailbox directory (search, resolve), the connection's scope (add,
 * remove, folders, mode) and the tenant-side restriction (scripts, verification by probing). Internal.
 */
package com.tekst.outlook.graph.internal.mailbox;
