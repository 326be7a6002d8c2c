package com.tekst.outlook.testkit.internal.graph;

/**
 * An error a Graph route answers, in Graph's JSON shape ({@code {"error":{"code","message","innerError"}}}).
 * Thrown by routes, rendered by {@link GraphApi}. Internal.
 */
final class GraphError extends RuntimeException {
    final int status;
    final String code;
    final long retryAfterSeconds;
    /** A {@code Location} header to answer with, or null. */
    final String location;

    GraphError(int status, String code, String message) {
        this(status, code, message, -1);
    }

    GraphError(int status, String code, String message, long retryAfterSeconds) {
        this(status, code, message, retryAfterSeconds, null);
    }

    private GraphError(int status, String code, String message, long retryAfterSeconds, String location) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
        this.location = location;
    }

    /** This error with a {@code Location} header. */
    GraphError withLocation(String url) {
        return new GraphError(status, code, getMessage(), retryAfterSeconds, url);
    }

    // ---- the shapes Graph and Exchange answer with ------------------------------------------------------------------

    static GraphError badRequest(String message) {
        return new GraphError(400, "BadRequest", message);
    }

    static GraphError invalidUrlQuery(String message) {
        return new GraphError(400, "ErrorInvalidUrlQuery", message);
    }

    static GraphError resourceNotFoundForSegment(String segment) {
        return new GraphError(400, "BadRequest", "Resource not found for the segment '" + segment + "'.");
    }

    static GraphError methodNotAllowed(String method) {
        return new GraphError(405, "BadRequest", "The HTTP method '" + method
                + "' is not supported for this resource.");
    }

    static GraphError mailAccessDenied() {
        return new GraphError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
    }

    static GraphError directoryAccessDenied() {
        return new GraphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
    }

    static GraphError odataDisabled() {
        return new GraphError(403, "ErrorAccessDenied", "Access to OData is disabled.");
    }

    static GraphError invalidUser(String name) {
        return new GraphError(404, "ErrorInvalidUser", "The requested user '" + name + "' is invalid.");
    }

    static GraphError directoryNotFound(String name) {
        return new GraphError(404, "Request_ResourceNotFound", "Resource '" + name
                + "' does not exist or one of its queried reference-property objects are not present.");
    }

    static GraphError mailboxNotEnabled() {
        return new GraphError(404, "MailboxNotEnabledForRESTAPI",
                "The mailbox is either inactive, soft-deleted, or is hosted on-premise.");
    }

    static GraphError itemNotFound() {
        return new GraphError(404, "ErrorItemNotFound", "The specified object was not found in the store.");
    }

    static GraphError folderNotFound() {
        return new GraphError(404, "ErrorFolderNotFound", "The specified folder could not be found in the store.");
    }

    static GraphError idMalformed() {
        return new GraphError(400, "ErrorInvalidIdMalformed", "Id is malformed.");
    }

    static GraphError inefficientFilter() {
        return new GraphError(400, "InefficientFilter", "The restriction or sort order is too complex for this operation.");
    }

    static GraphError unknownMessageProperty(String property) {
        return new GraphError(400, "RequestBroker--ParseUri", "Could not find a property named '" + property
                + "' on type 'microsoft.graph.message'.");
    }

    static GraphError unknownProperty(String type, String property) {
        return new GraphError(400, "RequestBroker--ParseUri", "Could not find a property named '" + property
                + "' on type 'microsoft.graph." + type + "'.");
    }

    static GraphError syncStateNotFound(long generation, long highest) {
        return new GraphError(410, "SyncStateNotFound", "The sync state generation is not found; generation="
                + generation + ";[highest=" + highest + "][" + highest + "][" + Math.max(1, highest - 2) + "]["
                + Math.max(1, highest - 1) + "].");
    }

    static GraphError syncStateInvalid() {
        return new GraphError(400, "ErrorInvalidSyncStateData",
                "The sync state data is corrupt or otherwise invalid.");
    }
}
