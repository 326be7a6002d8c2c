package com.tekst.outlook.graph.internal.sync;

/**
 * A Graph page that cannot be used. The message says where (item, field, byte offset) and never quotes content.
 * Checked, so every caller turns it into a {@link com.tekst.outlook.MalformedResponseException} with the request's
 * details. Internal.
 */
final class PageFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    PageFormatException(String reason) {
        super(reason, null, false, false);
    }
}
