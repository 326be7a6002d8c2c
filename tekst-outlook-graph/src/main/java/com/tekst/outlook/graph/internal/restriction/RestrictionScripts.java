package com.tekst.outlook.graph.internal.restriction;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.PermissionProfile;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.TenantId;
import com.tekst.outlook.mailbox.RestrictionMechanism;
import com.tekst.outlook.mailbox.RestrictionScript;
import com.tekst.outlook.mailbox.RestrictionScriptRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes the Exchange Online PowerShell that restricts the application to a connection's mailboxes, for an
 * application access policy or RBAC for Applications. Pure: no network, the same input gives the same text.
 *
 * <p><b>Escaping.</b> Every value (application id, service principal id, group name and address, mailbox addresses,
 * the connection id) appears only as a single-quoted PowerShell string assigned to a variable or passed as an
 * argument, with each single-quote character doubled: {@code '} and the typographic {@code ‘ ’ ‚ ‛}, which PowerShell
 * also treats as single quotes. Inside single quotes PowerShell expands nothing ({@code $()}, backticks, {@code ;}
 * and double quotes are text). No value is written into a comment or a double-quoted string, and values cannot hold
 * line breaks (the request refuses control characters; addresses never have them). Internal.
 */
public final class RestrictionScripts {
    private RestrictionScripts() {
    }

    /**
     * The script for {@code mailboxes} (at least one, in the order given).
     *
     * @param appId the application (client) id, a GUID
     */
    public static RestrictionScript generate(String appId, ConnectionId connection, List<MailboxAddress> mailboxes,
                                             RestrictionScriptRequest request) {
        return generate(appId, connection, mailboxes, request, PermissionProfile.READ_ONLY);
    }

    /**
     * The script for {@code mailboxes}; RBAC for Applications assigns the Exchange application roles of
     * {@code profile}.
     */
    public static RestrictionScript generate(String appId, ConnectionId connection, List<MailboxAddress> mailboxes,
                                             RestrictionScriptRequest request, PermissionProfile profile) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(request, "request");
        if (!TenantId.isValid(appId)) {
            throw new IllegalArgumentException("the application id is a GUID");
        }
        if (mailboxes.isEmpty()) {
            throw new IllegalArgumentException("a restriction script needs at least one mailbox");
        }
        boolean rbac = request.mechanism() == RestrictionMechanism.RBAC_FOR_APPLICATIONS;
        Script s = new Script();
        s.comment("Tekst Outlook: restrict the application to the " + mailboxes.size() + " mailbox"
                + (mailboxes.size() == 1 ? "" : "es") + " of one connection.");
        s.comment(rbac ? "Mechanism: RBAC for Applications (a management scope and application role assignments)."
                : "Mechanism: an Exchange application access policy (RestrictAccess on a mail-enabled security group).");
        s.comment("Run in Exchange Online PowerShell as an Exchange administrator, after Connect-ExchangeOnline.");
        s.comment("Changes take 30 minutes to 2 hours to reach Microsoft Graph; the tests at the end show them sooner.");
        if (rbac) {
            s.blank();
            s.comment("WARNING: RBAC for Applications adds to the application permissions consented in Microsoft Entra");
            s.comment("ID. While the application also holds tenant-wide Mail.Read (or Mail.ReadBasic.All, Mail.ReadWrite,");
            s.comment("MailboxSettings.Read) there, this scope restricts NOTHING: the grants add up. After running this");
            s.comment("script, remove the admin consent of those permissions in Entra ID (Enterprise applications, the");
            s.comment("application, Permissions). Tekst's restriction verification reports it while they are granted.");
        }
        s.blank();
        s.line("$ErrorActionPreference = 'Stop'");
        s.blank();
        s.line("$AppId = " + quote(appId));
        if (rbac) {
            s.comment("The object id of the application's enterprise application (service principal) in this tenant:");
            s.comment("Entra admin center, Enterprise applications, the application, Overview, Object ID.");
            s.line("$ServicePrincipalObjectId = " + quote(request.servicePrincipalObjectId()));
            s.line("$ScopeName = " + quote("Tekst Outlook " + connection.value()));
        }
        s.line("$GroupName = " + quote(request.groupName()));
        s.line("$GroupAddress = " + quote(request.groupAddress().value()));
        s.line("$Mailboxes = @(");
        for (int i = 0; i < mailboxes.size(); i++) {
            s.line("    " + quote(mailboxes.get(i).value()) + (i == mailboxes.size() - 1 ? "" : ","));
        }
        s.line(")");
        s.blank();
        s.comment("1. The mail-enabled security group holding the mailboxes (created unless it exists).");
        s.line("if (-not (Get-DistributionGroup -Identity $GroupAddress -ErrorAction SilentlyContinue)) {");
        s.line("    New-DistributionGroup -Name $GroupName -PrimarySmtpAddress $GroupAddress -Type Security | Out-Null");
        s.line("}");
        s.line("$Members = @(Get-DistributionGroupMember -Identity $GroupAddress -ResultSize Unlimited |");
        s.line("    ForEach-Object { $_.PrimarySmtpAddress.ToString().ToLowerInvariant() })");
        s.line("foreach ($Mailbox in $Mailboxes) {");
        s.line("    if ($Members -notcontains $Mailbox) {");
        s.line("        Add-DistributionGroupMember -Identity $GroupAddress -Member $Mailbox"
                + " -BypassSecurityGroupManagerCheck");
        s.line("    }");
        s.line("}");
        s.blank();
        MailboxAddress inScope = mailboxes.get(0);
        MailboxAddress outOfScope = request.outOfScopeExample();
        if (rbac) {
            s.comment("2. Exchange's pointer to the application's service principal (once per tenant).");
            s.line("if (-not (Get-ServicePrincipal -Identity $AppId -ErrorAction SilentlyContinue)) {");
            s.line("    New-ServicePrincipal -AppId $AppId -ObjectId $ServicePrincipalObjectId | Out-Null");
            s.line("}");
            s.blank();
            s.comment("3. The management scope: the members of the group.");
            s.line("$GroupDn = (Get-DistributionGroup -Identity $GroupAddress).DistinguishedName");
            s.line("$Filter = 'MemberOfGroup -eq ''{0}''' -f $GroupDn.Replace(\"'\", \"''\")");
            s.line("New-ManagementScope -Name $ScopeName -RecipientRestrictionFilter $Filter | Out-Null");
            s.blank();
            s.comment("4. The application roles Tekst needs, within the scope only.");
            for (String role : profile.exchangeRoles()) {
                s.line("New-ManagementRoleAssignment -App $AppId -Role " + quote(role)
                        + " -CustomResourceScope $ScopeName | Out-Null");
            }
            s.blank();
            s.comment("5. Tests (they bypass Exchange's cache): InScope must be True for the first, False for the second.");
            s.line("Test-ServicePrincipalAuthorization -Identity $AppId -Resource " + quote(inScope.value()));
            s.line("Test-ServicePrincipalAuthorization -Identity $AppId -Resource " + quote(outOfScope.value()));
        } else {
            s.comment("2. The application access policy: the application reaches the members of the group only.");
            s.line("New-ApplicationAccessPolicy -AppId $AppId -PolicyScopeGroupId $GroupAddress -AccessRight RestrictAccess"
                    + " -Description " + quote("Tekst Outlook: only the mailboxes of connection " + connection.value()));
            s.blank();
            s.comment("3. Tests: AccessCheckResult must be Granted for the first, Denied for the second.");
            s.line("Test-ApplicationAccessPolicy -Identity " + quote(inScope.value()) + " -AppId $AppId");
            s.line("Test-ApplicationAccessPolicy -Identity " + quote(outOfScope.value()) + " -AppId $AppId");
        }
        List<String> warnings = new ArrayList<>();
        if (rbac) {
            warnings.add("RBAC for Applications restricts nothing while the application also holds tenant-wide"
                    + " Mail.Read (or Mail.ReadBasic.All, Mail.ReadWrite, MailboxSettings.Read) consented in Entra ID:"
                    + " the grants add up. Remove that admin consent after running the script.");
            warnings.add("The script needs the object id of the application's enterprise application in your tenant"
                    + " (Entra admin center > Enterprise applications > the application > Overview > Object ID).");
        } else {
            warnings.add("Microsoft is replacing application access policies by RBAC for Applications; existing"
                    + " policies keep working.");
        }
        warnings.add("Changes take 30 minutes to 2 hours to reach Microsoft Graph. Verify the restriction after that.");
        warnings.add("When you add a mailbox to Tekst later, add it to the group " + request.groupAddress()
                + " as well, or Microsoft will deny Tekst access to it.");
        String fileName = rbac ? "tekst-outlook-restrict-rbac-for-applications.ps1"
                : "tekst-outlook-restrict-application-access-policy.ps1";
        return new RestrictionScript(request.mechanism(), fileName, s.text(), mailboxes, warnings);
    }

    /**
     * A PowerShell single-quoted string: every single-quote character PowerShell recognizes ({@code '} U+0027 and
     * {@code ‘ ’ ‚ ‛} U+2018–U+201B) doubled, nothing else changed.
     */
    public static String quote(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\'' || (c >= '\u2018' && c <= '\u201b')) {
                sb.append(c);
            }
            sb.append(c);
        }
        return sb.append('\'').toString();
    }

    private static final class Script {
        private final StringBuilder text = new StringBuilder();

        void line(String line) {
            text.append(line).append('\n');
        }

        void comment(String comment) {
            for (int i = 0; i < comment.length(); i++) {
                if (Character.isISOControl(comment.charAt(i))) {
                    throw new IllegalArgumentException("a comment holds no control character");
                }
            }
            line("# " + comment);
        }

        void blank() {
            text.append('\n');
        }

        String text() {
            return text.toString();
        }
    }
}
