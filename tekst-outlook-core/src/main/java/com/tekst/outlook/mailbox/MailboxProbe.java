package com.tekst.outlook.mailbox;

import com.tekst.outlook.MailboxAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * One probe of a restriction verification: a read of one cheap, content-free resource of a mailbox (its Inbox's id).
 *
 * @param objectId  the mailbox owner's object id
 * @param mailbox   the mailbox's address
 * @param inScope   whether the mailbox is in the connection's scope (must be readable) or a canary (must be denied)
 * @param outcome   what Graph answered
 * @param errorCode Graph's error code, or {@code null}
 * @param requestId Graph's {@code request-id}, or {@code null}
 */
public record MailboxProbe(String objectId, MailboxAddress mailbox, boolean inScope, Outcome outcome,
                           String errorCode, String requestId) {
    /** What Graph answered to a probe. */
    public enum Outcome {
        /** 200: the application reaches the mailbox. */
        READABLE,
        /** 403: the tenant's restriction (or a missing permission) denies it. */
        DENIED,
        /** No Exchange Online mailbox: tells nothing about the restriction. */
        NOT_ENABLED,
        /** No such account: tells nothing about the restriction. */
        NOT_FOUND,
        /** Throttled, a service error or a connection failure: tells nothing; verify again. */
        FAILED
    }

    public MailboxProbe {
        Objects.requireNonNull(objectId, "objectId");
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(outcome, "outcome");
    }

    /** Whether the outcome is what the restriction should produce (readable in scope, denied outside). */
    public boolean asExpected() {
        return inScope ? outcome == Outcome.READABLE : outcome == Outcome.DENIED;
    }

    public Optional<String> code() {
        return Optional.ofNullable(errorCode);
    }
}
