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
 * <br>{@code id}: the connection id
 * <br>{@code type}: organization-wide or personal
 * <br>{@code tenant}: the verified tenant, or {@code null} while consent is pending
 * <br>{@code status}: the current status
 * <br>{@code createdAt}: when the connection was started
 * <br>{@code connectedAt}: when consent was first verified, or {@code null}
 * <br>{@code permissions}: the permission profile and where its mailbox permissions come from
 */
public final class Connection {
    private final ConnectionId id;
    private final ConnectionType type;
    private final TenantId tenant;
    private final ConnectionStatus status;
    private final Instant createdAt;
    private final Instant connectedAt;
    private final ConnectionPermissions permissions;

    public Connection(ConnectionId id, ConnectionType type, TenantId tenant, ConnectionStatus status, Instant createdAt,
                      Instant connectedAt, ConnectionPermissions permissions) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(permissions, "permissions");
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
        this.id = id;
        this.type = type;
        this.tenant = tenant;
        this.status = status;
        this.createdAt = createdAt;
        this.connectedAt = connectedAt;
        this.permissions = permissions;
    }

    public ConnectionId id() {
        return id;
    }

    public ConnectionType type() {
        return type;
    }

    /** The verified tenant, once consent was verified. */
    public Optional<TenantId> tenant() {
        return Optional.ofNullable(tenant);
    }

    public ConnectionStatus status() {
        return status;
    }

    public Instant createdAt() {
        return createdAt;
    }

    /** When consent was first verified. */
    public Optional<Instant> connectedAt() {
        return Optional.ofNullable(connectedAt);
    }

    /** The permission profile and where its mailbox permissions come from. */
    public ConnectionPermissions permissions() {
        return permissions;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Connection o && Objects.equals(id, o.id) && Objects.equals(type, o.type) && Objects.equals(tenant, o.tenant) && Objects.equals(status, o.status) && Objects.equals(createdAt, o.createdAt) && Objects.equals(connectedAt, o.connectedAt) && permissions.equals(o.permissions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, type, tenant, status, createdAt, connectedAt, permissions);
    }

    @Override
    public String toString() {
        return "Connection[" + "id=" + id + ", " + "type=" + type + ", " + "tenant=" + tenant + ", " + "status=" + status + ", " + "createdAt=" + createdAt + ", " + "connectedAt=" + connectedAt + ", permissions=" + permissions + "]";
    }

    /** A new connection waiting for consent, with {@link ConnectionPermissions#DEFAULT}. */
    public static Connection pending(ConnectionId id, ConnectionType type, Instant now) {
        return pending(id, type, ConnectionPermissions.DEFAULT, now);
    }

    /** A new connection waiting for consent to the given permissions. */
    public static Connection pending(ConnectionId id, ConnectionType type, ConnectionPermissions permissions,
                                     Instant now) {
        return new Connection(id, type, null, ConnectionStatus.PENDING_CONSENT, now, null, permissions);
    }

    /** This connection asking for other permissions (its status and tenant unchanged). */
    public Connection withPermissions(ConnectionPermissions newPermissions) {
        return new Connection(id, type, tenant, status, createdAt, connectedAt, newPermissions);
    }

    /** This connection with another status. */
    public Connection withStatus(ConnectionStatus newStatus) {
        return new Connection(id, type, tenant, newStatus, createdAt, connectedAt, permissions);
    }

    /**
     * This connection bound to a verified tenant and {@link ConnectionStatus#CONNECTED}; the first connection time is
     * kept on re-consent.
     */
    public Connection connectedTo(TenantId verifiedTenant, Instant now) {
        return new Connection(id, type, verifiedTenant, ConnectionStatus.CONNECTED, createdAt,
                connectedAt != null ? connectedAt : now, permissions);
    }
}
