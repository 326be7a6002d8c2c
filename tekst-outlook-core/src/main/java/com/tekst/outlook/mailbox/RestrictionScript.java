package com.tekst.outlook.mailbox;

import com.tekst.outlook.MailboxAddress;
import java.util.List;
import java.util.Objects;

/**
 * Exchange Online PowerShell an administrator runs (after {@code Connect-ExchangeOnline}) to restrict the application
 * to the connection's mailboxes, with the warnings to show next to it.
 *
 * <p>Every value in the script (application id, group, addresses) is a single-quoted PowerShell string with its
 * quote characters doubled, so no value can run code.
 *
 * @param mechanism the mechanism
 * @param fileName  a suggested file name ({@code .ps1})
 * @param text      the script
 * @param mailboxes the mailboxes the script puts into the group, in order
 * @param warnings  what an administrator must know before running it, in plain words
 */
public record RestrictionScript(RestrictionMechanism mechanism, String fileName, String text,
                                List<MailboxAddress> mailboxes, List<String> warnings) {
    public RestrictionScript {
        Objects.requireNonNull(mechanism, "mechanism");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(text, "text");
        mailboxes = List.copyOf(mailboxes);
        warnings = List.copyOf(warnings);
    }

    @Override
    public String toString() {
        return "RestrictionScript[" + mechanism + ", " + mailboxes.size() + " mailboxes, " + text.length()
                + " characters]";
    }
}
