package com.tekst.outlook;

/**
 * A request addressed a mailbox outside the connection's scope. Thrown before any network I/O: the request never left
 * the process.
 */
public class MailboxOutOfScopeException extends MailboxAccessException {
    public MailboxOutOfScopeException(String summary, ErrorDetails details) {
        super(Reason.OUT_OF_SCOPE, summary, details, null);
    }
}
