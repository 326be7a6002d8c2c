package com.tekst.outlook;

/**
 * Microsoft's service failed or answered something the SDK cannot use: a 5xx, a dropped connection, an unexpected
 * error code. Transient failures are {@link #isRetryable() retryable}.
 */
public class ServiceException extends OutlookException {
    private final boolean retryable;

    public ServiceException(boolean retryable, String summary, ErrorDetails details, Throwable cause) {
        super(summary, details, cause);
        this.retryable = retryable;
    }

    @Override
    public boolean isRetryable() {
        return retryable;
    }
}
