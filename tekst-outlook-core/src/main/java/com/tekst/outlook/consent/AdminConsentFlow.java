package com.tekst.outlook.consent;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionPermissions;
import com.tekst.outlook.TenantHint;
import java.net.URI;

/**
 * The admin-consent step of an organization-wide connection, in three calls:
 *
 * <pre>{@code
 * ConsentRequest request = flow.begin(connectionId, redirectUri);     // 1. send the admin to request.consentUrl()
 * ConsentOutcome outcome = flow.complete(connectionId,                 // 2. on the redirect back
 *         ConsentCallback.fromQueryString(httpRequest.getQueryString()));
 * if (outcome instanceof ConsentOutcome.Granted granted) {
 *     ConsentVerification v = flow.verify(granted);                    // 3. prove it with an app-only token
 * }
 * }</pre>
 *
 * <p>{@code complete} never trusts the {@code tenant} parameter of the redirect: it only checks that the callback
 * belongs to this flow ({@code state}) and reads Microsoft's answer. {@code verify} proves the consent by acquiring a
 * token for that tenant and checking the granted application permissions; only then is the tenant id stored.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface AdminConsentFlow {

    /**
     * Starts (or restarts) consent for a connection: records the connection as pending if it is new, stores a single-use
     * nonce, and returns Microsoft's admin-consent URL for {@link com.tekst.outlook.TenantHint#ORGANIZATIONS}.
     *
     * @param connection  the connection being set up
     * @param redirectUri where Microsoft sends the administrator back; must be registered on the application
     */
    default ConsentRequest begin(ConnectionId connection, URI redirectUri) {
        return begin(connection, redirectUri, TenantHint.ORGANIZATIONS);
    }

    /**
     * As {@link #begin(ConnectionId, URI)}, sending the administrator to a given directory (a tenant id or a verified
     * domain the user typed). The hint is never stored as the tenant. A new connection asks for the client's default
     * {@link ConnectionPermissions}; an existing one keeps its own.
     */
    ConsentRequest begin(ConnectionId connection, URI redirectUri, TenantHint hint);

    /**
     * As {@link #begin(ConnectionId, URI, TenantHint)}, for a connection that asks for these permissions: they are
     * stored with the connection (replacing its earlier ones, its tenant and status unchanged) and {@link #verify}
     * judges the consent by them.
     */
    ConsentRequest begin(ConnectionId connection, URI redirectUri, TenantHint hint, ConnectionPermissions permissions);

    /**
     * Reads Microsoft's redirect back. Never throws for bad input: a callback that cannot be trusted or parsed is a
     * {@link ConsentOutcome.Rejected}, and the nonce of a well-signed {@code state} is consumed either way.
     *
     * @param expectedConnection the connection the browser session is setting up
     * @param callback           the redirect's query parameters
     */
    ConsentOutcome complete(ConnectionId expectedConnection, ConsentCallback callback);

    /**
     * Proves a granted consent: acquires an app-only token for the tenant and checks its roles against the
     * connection's {@link ConnectionPermissions#tokenPermissions()}. A connection whose mailbox permissions come from
     * RBAC for Applications ({@link com.tekst.outlook.MailAccess#EXCHANGE_RBAC}) also reads one of its mailboxes'
     * Inbox id (no content), when it has mailboxes, to prove that Exchange grants the mail role. Right after consent,
     * "application not found in the directory" answers are retried within a propagation window. On
     * {@link ConsentVerification.Status#VERIFIED} the connection is stored as connected to the tenant; otherwise its
     * status records why, and the unverified tenant is not stored.
     */
    ConsentVerification verify(ConsentOutcome.Granted granted);
}
