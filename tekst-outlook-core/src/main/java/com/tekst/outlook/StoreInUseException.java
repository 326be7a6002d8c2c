package com.tekst.outlook;

/**
 * A sync engine refused to start because another engine already runs on the same single-engine store (an SQLite
 * file). The message names the store ({@link #store()}: the file) and the holder ({@link #holder()}: process id,
 * host and since when, as the holder recorded them). SQLite is the embedded default for one process; run several
 * engines on PostgreSQL, where they share the mailboxes through leases.
 */
public class StoreInUseException extends StoreException {
    private final String store;
    private final String holder;

    /**
     * A refused start.
     *
     * @param store  what the store is, for an operator (the database file's path)
     * @param holder who holds it, as recorded by the holder (process id, host, start time)
     */
    public StoreInUseException(String store, String holder) {
        super("another sync engine already runs on " + store + " (held by " + holder + "): an SQLite store serves"
                + " one engine; stop that one first, or share a PostgreSQL store between engines", null);
        this.store = store;
        this.holder = holder;
    }

    /** The store another engine holds (the SQLite file's path). */
    public String store() {
        return store;
    }

    /** Who holds it: process id, host and since when, as the holder recorded them. */
    public String holder() {
        return holder;
    }
}
