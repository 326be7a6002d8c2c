package com.tekst.outlook.store;

import java.util.List;
import java.util.Objects;

/**
 * What a worker holds after a heartbeat ({@link WorkerLeases#heartbeat}).
 *
 * @param workerId    the worker
 * @param held        the leases it holds now: renewed or newly granted, ordered by connection and mailbox
 * @param liveWorkers the workers whose heartbeat has not expired, this one included
 * @param mailboxes   how many mailboxes the store holds (leased or not)
 * @param fairShare   how many mailboxes one worker should hold: {@code ceil(mailboxes / liveWorkers)}
 */
public record LeaseState(String workerId, List<MailboxLease> held, int liveWorkers, int mailboxes, int fairShare) {
    /** Validates and copies. */
    public LeaseState {
        Objects.requireNonNull(workerId, "workerId");
        held = List.copyOf(held);
        if (liveWorkers < 1 || mailboxes < 0 || fairShare < 0) {
            throw new IllegalArgumentException("liveWorkers must be at least 1, mailboxes and fairShare not negative");
        }
    }

    /** How many leases the worker holds above its fair share (0 when at or below it). */
    public int excess() {
        return Math.max(0, held.size() - fairShare);
    }
}
