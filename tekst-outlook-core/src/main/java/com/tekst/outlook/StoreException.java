package com.tekst.outlook;


/**
 * A store could not read or write its state: the database failed, refused a statement, or holds something this SDK
 * cannot read.
 *
 * <p>The message names the operation and, for a database error, its SQLState and vendor code. It never contains a
 * stored value such as a delta or next link (those are opaque tokens), nor a JDBC URL (it may carry a password). The
 * cause, when present, is the database's exception reduced to its first line for the same reason.
 *
 * <p>{@link #isRetryable()} is {@code true} when repeating the call later may succeed as it is: the database was busy
 * (SQLite) or aborted the transaction (PostgreSQL serialization failure or deadlock) after bounded retries inside the
 * store, or the connection to the database failed.
 */
public class StoreException extends OutlookException {
    private final boolean retryable;

    public StoreException(String summary, Throwable cause) {
        this(summary, cause, false);
    }

    public StoreException(String summary, Throwable cause, boolean retryable) {
        super(summary, ErrorDetails.NONE, cause);
        this.retryable = retryable;
    }

    @Override
    public boolean isRetryable() {
        return retryable;
    }
}
