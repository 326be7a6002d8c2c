/**
 * The Microsoft Graph implementation of the Tekst Outlook SDK: app-only tokens with msal4j, the admin-consent flow,
 * mailbox scope and sync over OkHttp. Implementation classes live in {@code com.tekst.outlook.graph.internal} and are
 * not API.
 */
package com.tekst.outlook.graph;
