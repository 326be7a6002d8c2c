package com.tekst.outlook;

import java.util.Optional;

/**
 * One mailbox cannot be reached; the connection's other mailboxes are unaffected.
 */
public class MailboxAccessException extends OutlookException {
    /** Why the mailbox cannot be reached. */
    public enum Reason {
        /** Denied by the tenant's restriction (application access policy / RBAC for Applications) or a permission. */
        ACCESS_DENIED,
        /** No such user or mailbox ({@code ErrorInvalidUser}, {@code Request_ResourceNotFound}). */
        NOT_FOUND,
        /** The user has no Exchange Online mailbox ({@code MailboxNotEnabledForRESTAPI}). */
        NOT_ENABLED,
        /** Outside the connection's mailbox scope; refused by the SDK before any request was sent. */
        OUT_OF_SCOPE
    }

    /** For {@link Reason#ACCESS_DENIED}: who denied it, as far as Microsoft's answer tells. */
    public enum Denial {
        /**
         * The tenant restricts the application to other mailboxes: Exchange's 403 "Access to OData is disabled." of an
         * application access policy, a 403 although the token carries the permission the request needs (a policy
         * excludes the mailbox), or, for a connection whose mailbox permissions come from RBAC for Applications
         * ({@link MailAccess#EXCHANGE_RBAC}), a 403 for a mailbox outside the role assignment's management scope.
         * RBAC for Applications only adds to the permissions consented in Entra ID: while the token carries a
         * tenant-wide mail permission, an RBAC scope denies nothing.
         */
        TENANT_POLICY,
        /** The application lacks the permission the request needs (its token does not carry it). */
        MISSING_PERMISSION
    }

    private final Reason reason;
    private final Denial denial;

    public MailboxAccessException(Reason reason, String summary, ErrorDetails details, Throwable cause) {
        this(reason, null, summary, details, cause);
    }

    /**
     * @param denial for {@link Reason#ACCESS_DENIED}, who denied it, or {@code null} when not known; must be
     *               {@code null} for the other reasons
     */
    public MailboxAccessException(Reason reason, Denial denial, String summary, ErrorDetails details,
                                  Throwable cause) {
        super(summary, details, cause);
        if (denial != null && reason != Reason.ACCESS_DENIED) {
            throw new IllegalArgumentException("a denial goes with ACCESS_DENIED only");
        }
        this.reason = reason;
        this.denial = denial;
    }

    public Reason reason() {
        return reason;
    }

    /** For {@link Reason#ACCESS_DENIED}: a tenant policy or a missing permission, when Microsoft's answer tells. */
    public Optional<Denial> denial() {
        return Optional.ofNullable(denial);
    }
}
