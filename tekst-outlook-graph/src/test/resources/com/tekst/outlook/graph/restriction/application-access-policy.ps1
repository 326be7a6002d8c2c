# Tekst Outlook: restrict the application to the 3 mailboxes of one connection.
# Mechanism: an Exchange application access policy (RestrictAccess on a mail-enabled security group).
# Run in Exchange Online PowerShell as an Exchange administrator, after Connect-ExchangeOnline.
# Changes take 30 minutes to 2 hours to reach Microsoft Graph; the tests at the end show them sooner.

$ErrorActionPreference = 'Stop'

$AppId = 'b2094c09-0651-49c4-b2c2-ed3b739e2a8c'
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

# 2. The application access policy: the application reaches the members of the group only.
New-ApplicationAccessPolicy -AppId $AppId -PolicyScopeGroupId $GroupAddress -AccessRight RestrictAccess -Description 'Tekst Outlook: only the mailboxes of connection contoso-main'

# 3. Tests: AccessCheckResult must be Granted for the first, Denied for the second.
Test-ApplicationAccessPolicy -Identity 'alice.smith@contoso.com' -AppId $AppId
Test-ApplicationAccessPolicy -Identity 'ceo@contoso.com' -AppId $AppId
