package com.tekst.outlook.store;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.MailboxId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One mailbox's lease as granted to a worker: the right to sync the mailbox while the lease lasts, and the fencing
 * epoch that every write of the holder carries. A new grant (to any worker) has a higher epoch than every earlier one,
 * so a write made under an older epoch is refused ({@link com.tekst.outlook.LeaseLostException}).
 *
 * @param connection the mailbox's connection
 * @param mailboxId  the mailbox
 * @param workerId   the worker holding it
 * @param epoch      the fencing epoch of this grant, at least 1
 * @param fenceUntil a {@code Retry-After} fence recorded with the lease (no call for the mailbox before it), or
 *                   {@code null}
 * @param signals    how many control calls from any engine asked the owner to look at the mailbox again
 */
public record MailboxLease(ConnectionId connection, MailboxId mailboxId, String workerId, long epoch,
                           Instant fenceUntil, long signals) {
    /** Validates the lease. */
    public MailboxLease {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(mailboxId, "mailboxId");
        Objects.requireNonNull(workerId, "workerId");
        if (epoch < 1) {
            throw new IllegalArgumentException("a granted lease has an epoch of at least 1");
        }
        if (signals < 0) {
            throw new IllegalArgumentException("signals must not be negative");
        }
    }

    /** The {@code Retry-After} fence recorded with the lease, if any. */
    public Optional<Instant> fence() {
        return Optional.ofNullable(fenceUntil);
    }
}
