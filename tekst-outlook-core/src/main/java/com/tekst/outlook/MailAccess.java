package com.tekst.outlook;

/**
 * Where a connection's mailbox permissions come from. It decides how consent is verified and which restriction the
 * tenant can apply.
 */
public enum MailAccess {
    /**
     * The profile's Graph application permissions, consented tenant-wide in Entra ID. The administrator restricts them
     * with an application access policy; RBAC for Applications cannot narrow them (it only adds).
     */
    ENTRA_PERMISSIONS,
    /**
     * Exchange Online RBAC for Applications: the administrator assigns the profile's Exchange application roles over a
     * management scope and the application holds no tenant-wide mail permission in Entra ID (only
     * {@code User.Read.All}). The token's {@code roles} never show the mailbox permissions; consent verification
     * proves them with a content-free read of an in-scope mailbox.
     */
    EXCHANGE_RBAC
}
