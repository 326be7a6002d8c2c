package com.tekst.outlook.mailbox;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.MailboxAccessException;
import com.tekst.outlook.MailboxAddress;

/**
 * The tenant's mailboxes, for the mailbox picker: search by prefix, and resolve a name to a mailbox.
 *
 * <p>Reads the tenant's directory ({@code /users}, application permission {@code User.Read.All}) and each mailbox's
 * {@code mailboxSettings.userPurpose} ({@code MailboxSettings.Read}) for its type; reads no mail. These
 * {@code userPurpose} reads are the only mailbox requests the SDK's scope guard lets through for mailboxes outside
 * the connection's scope. Needs an organization-wide connection whose consent was verified. Thread-safe.
 */
public interface MailboxDirectory {

    /**
     * One page of the tenant's accounts whose display name, mail or user principal name starts with the search's
     * prefix (ignoring case), in directory order, each with its mailbox type. Users without an Exchange Online
     * mailbox are listed with {@link MailboxCandidate.Availability#NO_EXCHANGE_MAILBOX}. Continue with
     * {@link MailboxSearch#after(String)} and the page's {@link MailboxSearchPage#next() cursor}.
     */
    MailboxSearchPage search(ConnectionId connection, MailboxSearch search);

    /**
     * Resolves a primary SMTP address, alias (proxy address), user principal name or object id, in any case, to the
     * mailbox, with its canonical object id, primary address, aliases and type.
     *
     * @throws MailboxAccessException with reason {@code NOT_FOUND} (no such account in the tenant),
     *                                {@code NOT_ENABLED} (the account has no Exchange Online mailbox: unlicensed,
     *                                on-premises, soft-deleted, a guest) or {@code ACCESS_DENIED} with
     *                                {@link MailboxAccessException.Denial#TENANT_POLICY} (the tenant's restriction,
     *                                e.g. 403 "Access to OData is disabled.") or
     *                                {@link MailboxAccessException.Denial#MISSING_PERMISSION}
     */
    ResolvedMailbox resolve(ConnectionId connection, MailboxAddress mailbox);
}
