package com.tekst.outlook.internal.sync;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;

/**
 * Makes "no acknowledgement after {@code stopNow()} returned" exact: every checkpoint and cursor write runs under the
 * read side of a lock and only while not killed; {@link #kill()} takes the write side, so when it returns, writes in
 * progress have finished and none can start.
 */
final class CommitGate {
    enum Result { WRITTEN, CONFLICT, KILLED }

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
        } finally {
            lock.readLock().unlock();
        }
    }
}
