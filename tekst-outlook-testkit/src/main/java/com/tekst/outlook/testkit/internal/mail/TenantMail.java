package com.tekst.outlook.testkit.internal.mail;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** The Exchange side of a fake tenant: one {@link MailboxState} per account with a mailbox. Thread-safe. Internal. */
public final class TenantMail {
    private final String tenantId;
    private final Supplier<Instant> clock;
    private final Map<String, MailboxState> mailboxes = new ConcurrentHashMap<>();

    public TenantMail(String tenantId, Supplier<Instant> clock) {
        this.tenantId = tenantId;
        this.clock = clock;
    }

    /** Creates the (empty, standard-folder) mailbox of an account, or returns the one it has. */
    public MailboxState create(String objectId) {
        return mailboxes.computeIfAbsent(objectId, id -> new MailboxState(tenantId, id, clock));
    }

    /** The mailbox of an account, or {@code null}. */
    public MailboxState get(String objectId) {
        return mailboxes.get(objectId);
    }

    public void remove(String objectId) {
        mailboxes.remove(objectId);
    }
}
