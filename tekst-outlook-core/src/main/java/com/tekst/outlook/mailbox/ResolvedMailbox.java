package com.tekst.outlook.mailbox;

import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxId;
import java.util.List;
import java.util.Objects;

/**
 * A mailbox resolved through Microsoft Graph: every name it answers to and its type.
 *
 * @param mailboxId          the mailbox owner's Entra object id (lower case): the canonical identity
 * @param address           the primary SMTP address
 * @param userPrincipalName the user principal name, as the directory gives it
 * @param aliases           the other names it answers to: the user principal name when it differs from the address
 *                          and is a valid address, and its secondary SMTP (proxy) addresses
 * @param displayName       the display name (may be empty)
 * @param type              from {@code mailboxSettings.userPurpose}
 */
public record ResolvedMailbox(MailboxId mailboxId, MailboxAddress address, String userPrincipalName,
                              List<MailboxAddress> aliases, String displayName, MailboxType type) {
    public ResolvedMailbox {
        Objects.requireNonNull(mailboxId, "mailboxId");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(type, "type");
        userPrincipalName = userPrincipalName == null ? "" : userPrincipalName;
        aliases = List.copyOf(aliases);
        displayName = displayName == null ? "" : displayName;
    }
}
