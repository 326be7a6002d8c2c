/**
 * Step 3 of the connection wizard: the mailboxes a connection may reach and processes.
 */
package com.tekst.outlook.mailbox;
