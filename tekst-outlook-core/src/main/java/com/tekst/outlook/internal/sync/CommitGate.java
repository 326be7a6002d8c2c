package com.tekst.outlook.internal.sync;

import com.tekst.outlook.LeaseLostException;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;

/**
 * Makes "no acknowledgement after {@code stopNow()} returned" exact: every checkpoint and cursor write runs under the
 * read side of a lock and only while not killed; {@link #kill()} takes the write side, so when it returns, writes in
 * progress have finished and none can start. A write the store refused because the engine no longer holds the
 * mailbox's lease ({@link LeaseLostException}) is {@link Result#LOST}: nothing was written.
 */
final class CommitGate {
    enum Result {
        WRITTEN, CONFLICT, KILLED, LOST;

        /** Killed or lost: the step abandons its page unacknowledged. */
        boolean abandoned() {
            return this == KILLED || this == LOST;
        }
    }

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean killed;

    boolean killed() {
        return killed;
    }

    void kill() {
        lock.writeLock().lock();
        try {
            killed = true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Runs a compare-and-set write unless killed. */
    Result write(BooleanSupplier compareAndSet) {
        lock.readLock().lock();
        try {
            if (killed) {
                return Result.KILLED;
            }
            return compareAndSet.getAsBoolean() ? Result.WRITTEN : Result.CONFLICT;
        } catch (LeaseLostException e) {
            return Result.LOST;
        } finally {
            lock.readLock().unlock();
        }
    }
}
