package com.tekst.outlook.mailbox;

/**
 * How a tenant's Exchange Online administrator restricts the application to the connection's mailboxes.
 */
public enum RestrictionMechanism {
    /**
     * An Exchange application access policy ({@code New-ApplicationAccessPolicy -AccessRight RestrictAccess}) scoped
     * to a mail-enabled security group. It restricts the application's Entra-consented mail permissions. Microsoft
     * announced RBAC for Applications as its replacement; it still works.
     */
    APPLICATION_ACCESS_POLICY,
    /**
     * RBAC for Applications: management role assignments ({@code Application Mail.Read}, …) with a management scope.
     * They add to the application's Entra-consented permissions: while the application also holds tenant-wide
     * {@code Mail.Read} (or another mail permission) in Entra ID, the scope restricts nothing.
     */
    RBAC_FOR_APPLICATIONS
}
