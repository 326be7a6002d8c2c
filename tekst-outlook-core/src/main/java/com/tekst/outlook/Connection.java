package com.tekst.outlook;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A stored connection: its id, type, the tenant it is bound to once consent is verified, and its status.
 *
 * <p>For an organization-wide connection the tenant id is the only thing identifying the customer that the SDK stores;
 * no token, secret or user account is kept.
 *
 * @param id          the connection id
 * @param type        organization-wide or personal
 * @param tenant      the verified tenant, or {@code null} while consent is pending; see {@link #tenantId()}
 * @param status      the current status
 * @param createdAt   when the connection was started
 * @param connectedAt when consent was first verified, or {@code null}; see {@link #connectedSince()}
 */
public record Connection(ConnectionId id, ConnectionType type, TenantId tenant, ConnectionStatus status,
                         Instant createdAt, Instant connectedAt) {

    public Connection {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        if (tenant == null && (status == ConnectionStatus.CONNECTED || status == ConnectionStatus.DEGRADED
                || status == ConnectionStatus.CONSENT_REVOKED)) {
            throw new InvalidValueException("connection", "status " + status + " needs a verified tenant");
        }
        if ((tenant == null) != (connectedAt == null)) {
            throw new InvalidValueException("connection", "a verified tenant and its connection time go together");
        }
    }

    /** A new connection waiting for consent. */
    public static Connection pending(ConnectionId id, ConnectionType type, Instant now) {
        return new Connection(id, type, null, ConnectionStatus.PENDING_CONSENT, now, null);
    }

    /** The verified tenant, once consent was verified. */
    public Optional<TenantId> tenantId() {
        return Optional.ofNullable(tenant);
    }

    /** When consent was first verified. */
    public Optional<Instant> connectedSince() {
        return Optional.ofNullable(connectedAt);
    }

    /** This connection with another status. */
    public Connection withStatus(ConnectionStatus newStatus) {
        return new Connection(id, type, tenant, newStatus, createdAt, connectedAt);
    }

    /**
     * This connection bound to a verified tenant and {@link ConnectionStatus#CONNECTED}; the first connection time is
     * kept on re-consent.
     */
    public Connection connectedTo(TenantId verifiedTenant, Instant now) {
        return new Connection(id, type, verifiedTenant, ConnectionStatus.CONNECTED, createdAt,
                connectedAt != null ? connectedAt : now);
    }
}
