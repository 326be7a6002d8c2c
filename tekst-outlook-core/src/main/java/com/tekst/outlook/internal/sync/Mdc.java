package com.tekst.outlook.internal.sync;

import org.slf4j.MDC;

/** Puts {@code tenant}, {@code connection} and {@code mailbox} into the MDC for a unit of work, and restores them. */
final class Mdc implements AutoCloseable {
    static final String TENANT = "tenant";
    static final String CONNECTION = "connection";
    static final String MAILBOX = "mailbox";

    private final String previousTenant;
    private final String previousConnection;
    private final String previousMailbox;

    private Mdc(String tenant, String connection, String mailbox) {
        previousTenant = MDC.get(TENANT);
        previousConnection = MDC.get(CONNECTION);
        previousMailbox = MDC.get(MAILBOX);
        put(TENANT, tenant);
        put(CONNECTION, connection);
        put(MAILBOX, mailbox);
    }

    static Mdc of(MailboxState m) {
        ConnectionState c = m.connection;
        return new Mdc(c.tenant == null ? null : c.tenant.value(), c.id.value(), m.address.value());
    }

    static Mdc of(ConnectionState c) {
        return new Mdc(c.tenant == null ? null : c.tenant.value(), c.id.value(), null);
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    @Override
    public void close() {
        put(TENANT, previousTenant);
        put(CONNECTION, previousConnection);
        put(MAILBOX, previousMailbox);
    }
}
