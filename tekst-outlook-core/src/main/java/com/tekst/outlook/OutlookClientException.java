package com.tekst.outlook;

/**
 * The SDK was used or configured wrongly; no request reached Microsoft. Not retryable.
 */
public class OutlookClientException extends OutlookException {
    public OutlookClientException(String summary, Throwable cause) {
        super(summary, ErrorDetails.NONE, cause);
    }

    public OutlookClientException(String summary) {
        this(summary, null);
    }
}
