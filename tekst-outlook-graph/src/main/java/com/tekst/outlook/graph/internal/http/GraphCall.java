package com.tekst.outlook.graph.internal.http;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.MailAccess;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.TenantId;
import java.util.Objects;

/**
 * What a Graph request is for, attached to the OkHttp {@link okhttp3.Request} as its tag: the tenant whose token it
 * needs, the connection and (when it addresses one) the mailbox. Interceptors read it; error mapping puts it into
 * {@link com.tekst.outlook.ErrorDetails}. Internal.
 *
 * @param tenant     the tenant (required)
 * @param connection the connection, or {@code null}
 * @param mailboxId  the mailbox owner's object id, or {@code null}
 * @param mailbox    the mailbox address for messages, or {@code null}
 * @param mailAccess where the connection's mailbox permissions come from: with
 *                   {@link MailAccess#EXCHANGE_RBAC} the token carries no mail permission by design, so a 403 for a
 *                   mailbox denies that mailbox only
 */
public record GraphCall(TenantId tenant, ConnectionId connection, String mailboxId, MailboxAddress mailbox,
                        MailAccess mailAccess) {
    public GraphCall {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(mailAccess, "mailAccess");
    }

    public static GraphCall forTenant(TenantId tenant, ConnectionId connection) {
        return new GraphCall(tenant, connection, null, null, MailAccess.ENTRA_PERMISSIONS);
    }

    public GraphCall withMailbox(String id, MailboxAddress address) {
        return new GraphCall(tenant, connection, id, address, mailAccess);
    }

    public GraphCall withMailAccess(MailAccess access) {
        return new GraphCall(tenant, connection, mailboxId, mailbox, access);
    }
}
