package com.tekst.outlook.graph.internal.scope;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.TenantId;
import com.tekst.outlook.store.OutlookStore;
import java.net.URI;
import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * Makes the {@link ScopeGuard} of each connection and the {@link GuardTicket}s its guards honour. One per
 * {@code OutlookClient}; thread-safe.
 *
 * <pre>{@code
 * ScopeGuard guard = guards.forConnection(connection, tenant);
 * OkHttpClient client = graphHttp.client(List.of(guard, limiter.interceptor(...)));
 * }</pre>
 * Internal.
 */
public final class ScopeGuards {
    private final OutlookStore store;
    private final HttpUrl graphBase;
    private final GuardTicket ownerLookup = new GuardTicket(this, GuardTicket.Purpose.OWNER_LOOKUP, null);

    /**
     * @param store        where the scope (mode and mailboxes with their names) is read, on every request
     * @param graphBaseUrl Graph's versioned root: requests elsewhere are refused
     */
    public ScopeGuards(OutlookStore store, URI graphBaseUrl) {
        this.store = Objects.requireNonNull(store, "store");
        this.graphBase = HttpUrl.get(Objects.requireNonNull(graphBaseUrl, "graphBaseUrl").toString());
    }

    /** The guard of one connection (cheap; guards hold no state besides the connection). */
    public ScopeGuard forConnection(ConnectionId connection, TenantId tenant) {
        return new ScopeGuard(this, connection, tenant);
    }

    /** A ticket for a content-free read of any mailbox: {@link GuardTicket.Purpose#MAILBOX_TYPE} or {@code RESTRICTION_PROBE}. */
    public GuardTicket ticket(GuardTicket.Purpose purpose) {
        if (purpose == GuardTicket.Purpose.OWNER_LOOKUP) {
            throw new IllegalArgumentException("owner lookups are the guard's own");
        }
        if (purpose == GuardTicket.Purpose.FOLDER_LOOKUP) {
            throw new IllegalArgumentException("a folder lookup ticket names its mailbox: use folderLookup(objectId)");
        }
        return new GuardTicket(this, purpose, null);
    }

    /** The marker of the guards' own owner lookups (one instance). */
    GuardTicket ownerLookup() {
        return ownerLookup;
    }

    /** A ticket for reading the folder tree of one mailbox (by object id) that is being added. */
    public GuardTicket folderLookup(String objectId) {
        return new GuardTicket(this, GuardTicket.Purpose.FOLDER_LOOKUP, Objects.requireNonNull(objectId, "objectId"));
    }

    OutlookStore store() {
        return store;
    }

    HttpUrl graphBase() {
        return graphBase;
    }
}
