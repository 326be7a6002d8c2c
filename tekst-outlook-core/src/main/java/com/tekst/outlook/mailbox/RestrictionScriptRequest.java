package com.tekst.outlook.mailbox;

import com.tekst.outlook.InvalidValueException;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.TenantId;
import java.util.Locale;
import java.util.Objects;

/**
 * What the generated restriction script needs besides the connection's mailboxes.
 *
 * @param mechanism                the mechanism
 * @param groupName                the display name of the mail-enabled security group holding the mailboxes (created
 *                                 by the script unless it exists); 1 to {@value #MAX_GROUP_NAME} characters without
 *                                 control characters (quotes, {@code $}, backticks and the like are escaped)
 * @param groupAddress             the group's primary SMTP address (the application access policy's
 *                                 {@code PolicyScopeGroupId})
 * @param servicePrincipalObjectId for {@link RestrictionMechanism#RBAC_FOR_APPLICATIONS}: the object id of the
 *                                 application's service principal in the customer's tenant (Entra admin center →
 *                                 Enterprise applications → the app → Overview → Object ID; not the app
 *                                 registration's object id); {@code null} for an application access policy
 * @param outOfScopeExample        a mailbox of the tenant outside the scope: the script's last test must show it denied
 */
public record RestrictionScriptRequest(RestrictionMechanism mechanism, String groupName, MailboxAddress groupAddress,
                                       String servicePrincipalObjectId, MailboxAddress outOfScopeExample) {
    /** Exchange limits a group's name to 64 characters. */
    public static final int MAX_GROUP_NAME = 64;

    public RestrictionScriptRequest {
        Objects.requireNonNull(mechanism, "mechanism");
        Objects.requireNonNull(groupAddress, "groupAddress");
        Objects.requireNonNull(outOfScopeExample, "outOfScopeExample");
        if (groupName == null || groupName.isBlank() || groupName.length() > MAX_GROUP_NAME
                || groupName.chars().anyMatch(c -> Character.isISOControl(c)
                        || Character.getType(c) == Character.LINE_SEPARATOR
                        || Character.getType(c) == Character.PARAGRAPH_SEPARATOR)) {
            throw new InvalidValueException("group name", "must be 1-" + MAX_GROUP_NAME
                    + " characters without control characters (line breaks, tabs)", groupName);
        }
        if (groupAddress.isObjectId()) {
            throw new InvalidValueException("group address", "must be the group's SMTP address, not an object id");
        }
        if (outOfScopeExample.isObjectId()) {
            throw new InvalidValueException("out-of-scope example", "must be a mailbox address, not an object id");
        }
        if (mechanism == RestrictionMechanism.RBAC_FOR_APPLICATIONS) {
            if (!TenantId.isValid(servicePrincipalObjectId)) {
                throw new InvalidValueException("service principal object id", "must be the object id (GUID) of the"
                        + " application's enterprise application in the customer's tenant", servicePrincipalObjectId);
            }
            servicePrincipalObjectId = servicePrincipalObjectId.strip().toLowerCase(Locale.ROOT);
        } else if (servicePrincipalObjectId != null) {
            throw new InvalidValueException("service principal object id",
                    "is only used with RBAC for Applications");
        }
    }

    /**
     * An application access policy on the group {@code groupName} ({@code groupAddress}).
     *
     * @param groupName         the display name of the mail-enabled security group holding the mailboxes (the script
     *                          creates it unless it exists)
     * @param groupAddress      the group's primary SMTP address: the policy's {@code PolicyScopeGroupId}
     * @param outOfScopeExample a mailbox of the tenant outside the scope: the script's last test must show it denied
     */
    public static RestrictionScriptRequest applicationAccessPolicy(String groupName, MailboxAddress groupAddress,
                                                                   MailboxAddress outOfScopeExample) {
        return new RestrictionScriptRequest(RestrictionMechanism.APPLICATION_ACCESS_POLICY, groupName, groupAddress,
                null, outOfScopeExample);
    }

    /** RBAC for Applications scoped to the members of the group {@code groupName} ({@code groupAddress}). */
    public static RestrictionScriptRequest rbacForApplications(String groupName, MailboxAddress groupAddress,
                                                               String servicePrincipalObjectId,
                                                               MailboxAddress outOfScopeExample) {
        return new RestrictionScriptRequest(RestrictionMechanism.RBAC_FOR_APPLICATIONS, groupName, groupAddress,
                servicePrincipalObjectId, outOfScopeExample);
    }
}
