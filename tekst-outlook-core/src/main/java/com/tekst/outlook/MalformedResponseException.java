package com.tekst.outlook;

/**
 * A response could not be parsed: truncated JSON, wrong types, missing ids, an HTML page where JSON was expected.
 * Nothing from such a response is used; no checkpoint advances. Retryable, since a gateway's bad answer usually is.
 */
public class MalformedResponseException extends ServiceException {
    public MalformedResponseException(String summary, ErrorDetails details, Throwable cause) {
        super(true, summary, details, cause);
    }
}
