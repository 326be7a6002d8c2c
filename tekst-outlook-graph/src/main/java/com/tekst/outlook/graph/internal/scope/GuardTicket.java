package com.tekst.outlook.graph.internal.scope;

import java.util.Objects;

/**
 * Lets one content-free request for a mailbox outside the scope through the {@link ScopeGuard}, for a purpose the
 * SDK itself needs. Attached to an OkHttp request as its tag ({@code tag(GuardTicket.class, ticket)}); only
 * {@link ScopeGuards#ticket} makes one, and a guard honours only the tickets of its own {@link ScopeGuards}, so code
 * outside the SDK (a caller of the bound {@code GraphServiceClient}, a request option) cannot forge one. Even with a
 * ticket, the request must have the exact shape of its purpose. Internal.
 */
public final class GuardTicket {
    /** What a ticket allows, besides the connection's own mailboxes. */
    public enum Purpose {
        /** {@code GET /users/{id}/mailboxSettings/userPurpose} (or {@code mailboxSettings?$select=userPurpose}) of any mailbox: the picker's type. */
        MAILBOX_TYPE,
        /** {@code GET /users/{id}/mailFolders/inbox?$select=id} of any mailbox: a restriction verification probe. */
        RESTRICTION_PROBE,
        /**
         * {@code GET} of {@code mailFolders}, {@code mailFolders/{id}} and {@code mailFolders/{id}/childFolders} of
         * one mailbox (by object id): resolving the folders of a mailbox being added.
         */
        FOLDER_LOOKUP,
        /**
         * Marks the guard's own owner lookup of a name ({@code GET /users?$select=id&$filter=…}, a directory read
         * that passes without a ticket); it lets no mailbox request through.
         */
        OWNER_LOOKUP
    }

    private final ScopeGuards issuer;
    private final Purpose purpose;
    private final String objectId;

    GuardTicket(ScopeGuards issuer, Purpose purpose, String objectId) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.purpose = Objects.requireNonNull(purpose, "purpose");
        this.objectId = objectId;
    }

    ScopeGuards issuer() {
        return issuer;
    }

    public Purpose purpose() {
        return purpose;
    }

    /** For {@link Purpose#FOLDER_LOOKUP}: the only mailbox it is good for. */
    String objectId() {
        return objectId;
    }

    @Override
    public String toString() {
        return "GuardTicket[" + purpose + "]";
    }
}
