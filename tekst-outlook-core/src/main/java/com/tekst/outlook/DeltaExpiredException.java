package com.tekst.outlook;

import java.util.Locale;
import java.util.Set;

/**
 * A folder's delta state is gone: the delta link or a next link of a round can no longer be used. The engine resets
 * that folder and restarts it from the last delivered {@code receivedDateTime} minus an overlap; nothing is lost, and
 * the overlap is delivered again with the same ids.
 *
 * <p>A {@link com.tekst.outlook.sync.MailSource} throws this for HTTP 410 Gone (with or without a {@code Location} carrying an empty
 * {@code $deltatoken}) and for the error codes {@code SyncStateNotFound}, {@code ResyncRequired} and
 * {@code SyncStateInvalid} in any case ({@link #isDeltaExpiryCode(String)}), whatever the HTTP status.
 */
public class DeltaExpiredException extends OutlookException {
    private static final Set<String> CODES = Set.of("syncstatenotfound", "resyncrequired", "syncstateinvalid");

    /**
     * @param summary what happened, without the link (links carry tokens)
     * @param details tenant, mailbox, request ids, error code
     * @param cause   the underlying failure, or {@code null}
     */
    public DeltaExpiredException(String summary, ErrorDetails details, Throwable cause) {
        super(summary, details, cause);
    }

    /** Whether a Graph error code means the delta state expired: compared case-insensitively. */
    public static boolean isDeltaExpiryCode(String errorCode) {
        return errorCode != null && CODES.contains(errorCode.toLowerCase(Locale.ROOT));
    }

    /** Not retryable as such: the same link fails again. The engine recovers by resetting the folder. */
    @Override
    public boolean isRetryable() {
        return false;
    }
}
