/** The Exchange Online PowerShell that restricts the application to a connection's mailboxes. Internal. */
package com.tekst.outlook.graph.internal.restriction;
