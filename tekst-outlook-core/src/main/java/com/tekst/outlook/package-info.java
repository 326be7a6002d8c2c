/**
 * The Tekst Outlook SDK's core API: value types, the connection status model and the exception hierarchy.
 *
 * <p>Everything in this package and its sub-packages is free of Microsoft Graph, msal4j, OkHttp and Jackson types;
 * the {@code tekst-outlook-graph} module implements the interfaces declared here. Parameters and return values are
 * non-null unless documented otherwise; {@link java.util.Optional} is used only as a return type.
 */
package com.tekst.outlook;
