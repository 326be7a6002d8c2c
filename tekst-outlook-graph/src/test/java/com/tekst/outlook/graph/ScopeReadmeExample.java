package com.tekst.outlook.graph;

import com.microsoft.graph.models.Message;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.MailboxAccessException;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.FolderNotFoundException;
import com.tekst.outlook.mailbox.FolderSelection;
import com.tekst.outlook.mailbox.MailboxCandidate;
import com.tekst.outlook.mailbox.MailboxSearch;
import com.tekst.outlook.mailbox.RestrictionCheck;
import com.tekst.outlook.mailbox.RestrictionMechanism;
import com.tekst.outlook.mailbox.RestrictionScriptRequest;
import com.tekst.outlook.mailbox.RestrictionVerification;
import com.tekst.outlook.mailbox.ScopedMailbox;
import java.util.ArrayList;
import java.util.List;

/**
 * The "Mailbox scope" snippet of tekst-outlook-graph/README.md, kept compiling here and run by
 * {@link ScopeReadmeExampleTest}.
 */
final class ScopeReadmeExample {
    private final OutlookClient client;

    ScopeReadmeExample(OutlookClient client) {
        this.client = client;
    }

    // README: begin
    /** The picker: the tenant's mailboxes whose name, address or UPN starts with what the user typed. */
    List<MailboxCandidate> search(ConnectionId connection, String typed) {
        return client.mailboxDirectory().search(connection, MailboxSearch.prefix(typed)).mailboxes();
    }

    /** Adds a mailbox (by address, alias, UPN or object id) with its Inbox and more folders, or says why not. */
    String add(ConnectionId connection, String mailbox, String... folderPaths) {
        List<FolderSelection> folders = new ArrayList<>(List.of(FolderSelection.inbox()));
        for (String path : folderPaths) {
            folders.add(FolderSelection.byPath(path)); // e.g. "Inbox/Invoices/2026"
        }
        try {
            ScopedMailbox added = client.mailboxScope().add(connection, MailboxAddress.of(mailbox), folders);
            return "Added " + added.address() + " (" + added.type() + ", " + added.folders().size() + " folders)";
        } catch (MailboxAccessException e) {
            return switch (e.reason()) {
                case NOT_FOUND -> "No such mailbox";
                case NOT_ENABLED -> "This user has no Exchange Online mailbox";
                default -> "Access denied (" + e.denial().map(Enum::name).orElse("unknown") + ")";
            };
        } catch (FolderNotFoundException e) {
            return "No folder " + e.folder().text();
        }
    }

    /** The PowerShell the administrator runs: an application access policy on a mail-enabled security group. */
    String restrictionScript(ConnectionId connection) {
        return client.tenantRestriction().script(connection, RestrictionScriptRequest.applicationAccessPolicy(
                "Tekst mailboxes",                                // the group's display name (created if missing)
                MailboxAddress.of("tekst-mailboxes@contoso.com"), // the group's address: the policy's scope
                MailboxAddress.of("ceo@contoso.com")              // a mailbox outside the scope: the script's
        )).text();                                                    // last test shows it denied
    }

    /** Later (propagation takes 30 minutes to 2 hours): did it take effect? */
    RestrictionVerification.Verdict verifyRestriction(ConnectionId connection) {
        RestrictionVerification result = client.tenantRestriction().verify(connection,
                RestrictionCheck.automatic().forMechanism(RestrictionMechanism.APPLICATION_ACCESS_POLICY));
        return result.verdict(); // ENFORCED, NOT_ENFORCED, MISCONFIGURED or INCONCLUSIVE; recheckAt() says when
    }

    /** Acts on mail through the Graph SDK without handling tokens; other mailboxes are refused before any I/O. */
    void categorize(ConnectionId connection, String mailbox, String messageId) {
        Message patch = new Message();
        patch.setCategories(List.of("Tekst"));
        client.graphServiceClient(connection).users().byUserId(mailbox).messages().byMessageId(messageId)
                .patch(patch);
    }
    // README: end
}
