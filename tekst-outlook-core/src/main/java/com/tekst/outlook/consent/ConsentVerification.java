package com.tekst.outlook.consent;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionStatus;
import com.tekst.outlook.TenantId;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.Collections;

/**
 * The result of proving a consent with an app-only token.
 *
 * <br>{@code connection}: the connection
 * <br>{@code tenant}: the tenant that was checked (the claimed tenant; stored only when {@code VERIFIED})
 * <br>{@code status}: the verdict
 * <br>{@code grantedPermissions}: the application permissions ({@code roles}) in the token; empty when no token was issued
 * <br>{@code missingPermissions}: required permissions not granted; non-empty only for {@code PERMISSIONS_MISSING}
 * <br>{@code retryAfter}: for {@code THROTTLED}: how long to wait; {@code null} otherwise
 * <br>{@code detail}: an operator-readable sentence; never contains a token or secret
 */
public final class ConsentVerification {
    private final ConnectionId connection;
    private final TenantId tenant;
    private final Status status;
    private final Set<String> grantedPermissions;
    private final Set<String> missingPermissions;
    private final Duration retryAfter;
    private final String detail;

    /** The verdict. */
    public enum Status {
        /** A token was issued for the tenant and carries every required permission. */
        VERIFIED,
        /** No consent for the application exists in the tenant (it never consented, or not yet propagated). */
        CONSENT_MISSING,
        /** Consent exists but lacks some required application permissions. */
        PERMISSIONS_MISSING,
        /** The application's own secret or certificate was refused. */
        CREDENTIAL_INVALID,
        /** The tenant does not exist. */
        TENANT_NOT_FOUND,
        /** The application is disabled. */
        APP_DISABLED,
        /** The identity platform throttled the check; try again after {@code retryAfter}. */
        THROTTLED,
        /**
         * The connection is already bound to another tenant; consent granted in a different tenant never rebinds it
         * (its mailboxes and checkpoints belong to the first tenant). Start a new connection for the other tenant.
         * Nothing was requested or stored.
         */
        TENANT_MISMATCH
    }

    public ConsentVerification(ConnectionId connection, TenantId tenant, Status status, Set<String> grantedPermissions, Set<String> missingPermissions, Duration retryAfter, String detail) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(status, "status");
        grantedPermissions = Collections.unmodifiableSet(new TreeSet<>(grantedPermissions));
        missingPermissions = Collections.unmodifiableSet(new TreeSet<>(missingPermissions));
        detail = detail == null ? "" : detail;
        if (status == Status.PERMISSIONS_MISSING && missingPermissions.isEmpty()) {
            throw new IllegalArgumentException("PERMISSIONS_MISSING needs the missing permissions");
        }
        if (status == Status.THROTTLED && retryAfter == null) {
            throw new IllegalArgumentException("THROTTLED needs retryAfter");
        }
        this.connection = connection;
        this.tenant = tenant;
        this.status = status;
        this.grantedPermissions = grantedPermissions;
        this.missingPermissions = missingPermissions;
        this.retryAfter = retryAfter;
        this.detail = detail;
    }

    public boolean isVerified() {
        return status == Status.VERIFIED;
    }


    /**
     * The connection status this verdict leads to; empty for {@code THROTTLED} and {@code TENANT_MISMATCH}, which
     * change nothing.
     */
    public Optional<ConnectionStatus> connectionStatus() {
        return switch (status) {
            case VERIFIED -> Optional.of(ConnectionStatus.CONNECTED);
            case CONSENT_MISSING, PERMISSIONS_MISSING -> Optional.of(ConnectionStatus.CONSENT_MISSING);
            case CREDENTIAL_INVALID -> Optional.of(ConnectionStatus.CREDENTIAL_INVALID);
            case TENANT_NOT_FOUND -> Optional.of(ConnectionStatus.TENANT_NOT_FOUND);
            case APP_DISABLED -> Optional.of(ConnectionStatus.APP_DISABLED);
            case THROTTLED, TENANT_MISMATCH -> Optional.empty();
        };
    }

    public ConnectionId connection() {
        return connection;
    }

    public TenantId tenant() {
        return tenant;
    }

    public Status status() {
        return status;
    }

    public Set<String> grantedPermissions() {
        return grantedPermissions;
    }

    public Set<String> missingPermissions() {
        return missingPermissions;
    }

    /** For {@code THROTTLED}: how long to wait before verifying again. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public String detail() {
        return detail;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ConsentVerification o && java.util.Objects.equals(connection, o.connection) && java.util.Objects.equals(tenant, o.tenant) && java.util.Objects.equals(status, o.status) && java.util.Objects.equals(grantedPermissions, o.grantedPermissions) && java.util.Objects.equals(missingPermissions, o.missingPermissions) && java.util.Objects.equals(retryAfter, o.retryAfter) && java.util.Objects.equals(detail, o.detail);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(connection, tenant, status, grantedPermissions, missingPermissions, retryAfter, detail);
    }

    @Override
    public String toString() {
        return "ConsentVerification[" + "connection=" + connection + ", " + "tenant=" + tenant + ", " + "status=" + status + ", " + "grantedPermissions=" + grantedPermissions + ", " + "missingPermissions=" + missingPermissions + ", " + "retryAfter=" + retryAfter + ", " + "detail=" + detail + "]";
    }
}
