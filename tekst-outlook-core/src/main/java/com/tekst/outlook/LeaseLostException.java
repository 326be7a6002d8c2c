package com.tekst.outlook;

/**
 * A fenced store write was refused: the engine that made it no longer holds the mailbox's lease with the epoch it
 * wrote under (the lease expired, or another engine was granted it since). Nothing of the write was stored. The sync
 * engine reacts by stopping its work on that mailbox; whoever holds the lease now continues from the stored
 * checkpoints, so the refused page is delivered again by the new owner (delivery is at-least-once).
 *
 * <p>The message names the connection, the mailbox and the epoch; {@link #details()} carries the connection and the
 * mailbox.
 */
public class LeaseLostException extends OutlookException {
    private final long epoch;

    /**
     * A refused write.
     *
     * @param connection the mailbox's connection
     * @param mailboxId  the mailbox
     * @param epoch      the epoch the write was made under
     */
    public LeaseLostException(ConnectionId connection, MailboxId mailboxId, long epoch) {
        super("the lease of mailbox " + mailboxId + " of connection " + connection + " at epoch " + epoch
                + " is no longer held by this engine: the write was refused",
                ErrorDetails.NONE.withConnection(connection).withMailbox(MailboxAddress.of(mailboxId.value())));
        this.epoch = epoch;
    }

    /** The epoch the refused write was made under. */
    public long epoch() {
        return epoch;
    }
}
