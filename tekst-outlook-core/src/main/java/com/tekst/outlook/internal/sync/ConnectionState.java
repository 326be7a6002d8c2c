package com.tekst.outlook.internal.sync;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionPermissions;
import com.tekst.outlook.ConnectionStatus;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.TenantId;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** What the engine knows about one connection. Fields are guarded by the scheduler's lock. */
final class ConnectionState {
    final ConnectionId id;
    /** Serializes this connection's status writes (store, then event), so they happen in the order decided. */
    final Object statusLock = new Object();
    final Map<MailboxId, MailboxState> mailboxes = new LinkedHashMap<>();
    /** Mailboxes of the connection another engine holds the lease of (seen in the store, not worked on here). */
    final Set<MailboxId> elsewhere = new HashSet<>();

    TenantId tenant;
    Instant connectedAt;
    ConnectionPermissions permissions = ConnectionPermissions.DEFAULT;
    ConnectionStatus status;
    /** No call for any mailbox of this connection before this instant (token-endpoint throttling). */
    Instant fenceUntil = Instant.MIN;
    /** The scheduler sequence of the engine's last change to this state; a store read older than it is stale. */
    long changedSeq;
    boolean removed;
    /** When a folder of the connection last synced successfully; guarded by {@link #statusLock} ({@link Staleness}). */
    Instant lastSuccessAt;
    /** Whether the listener was told the connection is stale; guarded by {@link #statusLock}. */
    boolean stale;

    ConnectionState(ConnectionId id) {
        this.id = id;
    }

    boolean active() {
        return !removed && tenant != null && (status == ConnectionStatus.CONNECTED
                || status == ConnectionStatus.DEGRADED);
    }
}
