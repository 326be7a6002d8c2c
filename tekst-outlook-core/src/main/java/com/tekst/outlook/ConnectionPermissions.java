package com.tekst.outlook;

import java.util.Objects;
import java.util.Set;

/**
 * What a connection may do and where its mailbox permissions come from.
 *
 * @param profile    the permissions it asks for
 * @param mailAccess where the mailbox permissions come from
 */
public record ConnectionPermissions(PermissionProfile profile, MailAccess mailAccess) {
    /** {@link PermissionProfile#READ_ONLY} consented in Entra ID: what a connection gets unless told otherwise. */
    public static final ConnectionPermissions DEFAULT =
            new ConnectionPermissions(PermissionProfile.READ_ONLY, MailAccess.ENTRA_PERMISSIONS);

    public ConnectionPermissions {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(mailAccess, "mailAccess");
    }

    /** The profile consented in Entra ID. */
    public static ConnectionPermissions entra(PermissionProfile profile) {
        return new ConnectionPermissions(profile, MailAccess.ENTRA_PERMISSIONS);
    }

    /** The profile's mailbox permissions granted by Exchange RBAC for Applications. */
    public static ConnectionPermissions exchangeRbac(PermissionProfile profile) {
        return new ConnectionPermissions(profile, MailAccess.EXCHANGE_RBAC);
    }

    /** The permissions the connection's app-only token must carry ({@link PermissionProfile#tokenPermissions}). */
    public Set<String> tokenPermissions() {
        return profile.tokenPermissions(mailAccess);
    }
}
