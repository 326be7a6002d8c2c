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
 * @param connection         the connection
 * @param tenant             the tenant that was checked (the claimed tenant; stored only when {@code VERIFIED})
 * @param status             the verdict
 * @param grantedPermissions the application permissions ({@code roles}) in the token; empty when no token was issued
 * @param missingPermissions required permissions not granted; non-empty only for {@code PERMISSIONS_MISSING}
 * @param retryAfter         for {@code THROTTLED}: how long to wait; {@code null} otherwise
 * @param detail             an operator-readable sentence; never contains a token or secret
 */
public record ConsentVerification(ConnectionId connection, TenantId tenant, Status status,
                                  Set<String> grantedPermissions, Set<String> missingPermissions,
                                  Duration retryAfter, String detail) {
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

    public ConsentVerification {
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
    }

    public boolean isVerified() {
        return status == Status.VERIFIED;
    }

    /** For {@code THROTTLED}: how long to wait before verifying again. */
    public Optional<Duration> retryAfterDuration() {
        return Optional.ofNullable(retryAfter);
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
}
