package com.tekst.outlook.store;

/**
 * The right of one sync engine to run on a single-engine store ({@link OutlookStore#lockSingleEngine}), held until
 * closed. Closing twice does nothing.
 */
@FunctionalInterface
public interface EngineLock extends AutoCloseable {
    /** A lock for a store that needs none (in memory, or leased per mailbox). */
    EngineLock NONE = () -> { };

    /** Releases the lock. */
    @Override
    void close();
}
