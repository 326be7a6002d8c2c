# Tekst Outlook: restrict the application to the 3 mailboxes of one connection.
# Mechanism: RBAC for Applications (a management scope and application role assignments).
# Run in Exchange Online PowerShell as an Exchange administrator, after Connect-ExchangeOnline.
# Changes take 30 minutes to 2 hours to reach Microsoft Graph; the tests at the end show them sooner.

# WARNING: RBAC for Applications adds to the application permissions consented in Microsoft Entra
# ID. While the application also holds tenant-wide Mail.Read (or Mail.ReadBasic.All, Mail.ReadWrite,
# MailboxSettings.Read) there, this scope restricts NOTHING: the grants add up. After running this
# script, remove the admin consent of those permissions in Entra ID (Enterprise applications, the
# application, Permissions). Tekst's restriction verification reports it while they are granted.

$ErrorActionPreference = 'Stop'

$AppId = 'b2094c09-0651-49c4-b2c2-ed3b739e2a8c'
# The object id of the application's enterprise application (service principal) in this tenant:
# Entra admin center, Enterprise applications, the application, Overview, Object ID.
$ServicePrincipalObjectId = '4f1e0a3c-2b7d-4c8e-9a6f-1d2c3b4a5e6f'
$ScopeName = 'Tekst Outlook contoso-main'
$GroupName = 'Tekst mailboxes'
$GroupAddress = 'tekst-mailboxes@contoso.com'
$Mailboxes = @(
    'alice.smith@contoso.com',
    'invoices@contoso.com',
    'support@contoso.com'
)

# 1. The mail-enabled security group holding the mailboxes (created unless it exists).
if (-not (Get-DistributionGroup -Identity $GroupAddress -ErrorAction SilentlyContinue)) {
    New-DistributionGroup -Name $GroupName -PrimarySmtpAddress $GroupAddress -Type Security | Out-Null
}
$Members = @(Get-DistributionGroupMember -Identity $GroupAddress -ResultSize Unlimited |
    ForEach-Object { $_.PrimarySmtpAddress.ToString().ToLowerInvariant() })
foreach ($Mailbox in $Mailboxes) {
    if ($Members -notcontains $Mailbox) {
        Add-DistributionGroupMember -Identity $GroupAddress -Member $Mailbox -BypassSecurityGroupManagerCheck
    }
}

# 2. Exchange's pointer to the application's service principal (once per tenant).
if (-not (Get-ServicePrincipal -Identity $AppId -ErrorAction SilentlyContinue)) {
    New-ServicePrincipal -AppId $AppId -ObjectId $ServicePrincipalObjectId | Out-Null
}

# 3. The management scope: the members of the group.
$GroupDn = (Get-DistributionGroup -Identity $GroupAddress).DistinguishedName
$Filter = 'MemberOfGroup -eq ''{0}''' -f $GroupDn.Replace("'", "''")
New-ManagementScope -Name $ScopeName -RecipientRestrictionFilter $Filter | Out-Null

# 4. The application roles Tekst needs, within the scope only.
New-ManagementRoleAssignment -App $AppId -Role 'Application Mail.Read' -CustomResourceScope $ScopeName | Out-Null
New-ManagementRoleAssignment -App $AppId -Role 'Application MailboxSettings.Read' -CustomResourceScope $ScopeName | Out-Null

# 5. Tests (they bypass Exchange's cache): InScope must be True for the first, False for the second.
Test-ServicePrincipalAuthorization -Identity $AppId -Resource 'alice.smith@contoso.com'
Test-ServicePrincipalAuthorization -Identity $AppId -Resource 'ceo@contoso.com'
