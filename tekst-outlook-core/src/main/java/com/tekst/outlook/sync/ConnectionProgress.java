package com.tekst.outlook.sync;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionStatus;
import java.util.List;
import java.util.Objects;

/**
 * Where one connection stands, with its mailboxes.
 *
 * @param connection the connection
 * @param status     its status (see {@link ConnectionStatus#remediation()})
 * @param mailboxes  its mailboxes
 */
public record ConnectionProgress(ConnectionId connection, ConnectionStatus status, List<MailboxProgress> mailboxes) {
    /** @throws NullPointerException for a {@code null} component */
    public ConnectionProgress {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(status, "status");
        mailboxes = List.copyOf(mailboxes);
    }
}
