package com.tekst.outlook.sync;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionPermissions;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.TenantId;
import java.util.Objects;

/**
 * The mailbox a {@link MailSource} call is for: which connection and tenant (for the token), which mailbox (for the
 * request path and the scope guard).
 *
 * @param connection the connection
 * @param tenant     the connection's verified tenant
 * @param mailboxId  the mailbox owner's Entra object id (lower case), used in {@code /users/{id}/...}
 * @param address     the mailbox's primary address, for logs and error details
 * @param permissions the connection's permissions: a {@link com.tekst.outlook.PermissionProfile#MINIMAL} connection
 *                    asks for no body; with {@link com.tekst.outlook.MailAccess#EXCHANGE_RBAC} a 403 for the mailbox
 *                    denies that mailbox only
 */
public record MailboxTarget(ConnectionId connection, TenantId tenant, MailboxId mailboxId, MailboxAddress address,
                            ConnectionPermissions permissions) {
    /** A target of a connection with {@link ConnectionPermissions#DEFAULT}. */
    public MailboxTarget(ConnectionId connection, TenantId tenant, MailboxId mailboxId, MailboxAddress address) {
        this(connection, tenant, mailboxId, address, ConnectionPermissions.DEFAULT);
    }

    /** @throws NullPointerException for a {@code null} component */
    public MailboxTarget {
        Objects.requireNonNull(permissions, "permissions");
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(mailboxId, "mailboxId");
        Objects.requireNonNull(address, "address");
    }
}
