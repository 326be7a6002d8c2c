package com.tekst.outlook.diagnostics;

import com.tekst.outlook.ConnectionId;

/**
 * Explains a connection end to end: tenant, credential, consent, permissions, each mailbox, the tenant-side
 * restriction, and the sync of each folder. Implemented by the graph module ({@code OutlookClient.diagnostics()}).
 *
 * <p>Diagnostics change nothing (no status, checkpoint or scope is written) and read no message content. Their Graph
 * requests go through the scope guard and the per-mailbox limiter like every other request: a mailbox that is
 * throttled is reported as such and not asked. Thread-safe.
 */
public interface ConnectionDiagnostics {
    /**
     * Runs every check for the connection.
     *
     * @throws com.tekst.outlook.OutlookClientException if the connection is unknown
     */
    DiagnosticReport run(ConnectionId connection);

    /**
     * As {@link #run(ConnectionId)}; when admin consent is missing (never granted, revoked, or without the permissions
     * the connection's profile needs), that check's remediation carries a fresh admin-consent link
     * ({@link Remediation#link()}) back to {@code consentRedirectUri}, made as {@code AdminConsentFlow.begin} makes it.
     * The only thing written is that link's single-use consent nonce.
     *
     * @throws com.tekst.outlook.InvalidValueException if the redirect URI is not one {@code begin} accepts
     */
    DiagnosticReport run(ConnectionId connection, java.net.URI consentRedirectUri);
}
