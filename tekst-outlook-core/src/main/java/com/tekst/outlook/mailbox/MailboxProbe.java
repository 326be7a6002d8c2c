package com.tekst.outlook.mailbox;

import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxId;
import java.util.Objects;
import java.util.Optional;

/**
 * One probe of a restriction verification: a read of one cheap, content-free resource of a mailbox (its Inbox's id).
 *
 * <br>{@code mailboxId}: the mailbox owner's object id
 * <br>{@code mailbox}: the mailbox's address
 * <br>{@code inScope}: whether the mailbox is in the connection's scope (must be readable) or a canary (must be denied)
 * <br>{@code outcome}: what Graph answered
 * <br>{@code errorCode}: Graph's error code, or {@code null}
 * <br>{@code requestId}: Graph's {@code request-id}, or {@code null}
 */
public final class MailboxProbe {
    private final MailboxId mailboxId;
    private final MailboxAddress mailbox;
    private final boolean inScope;
    private final Outcome outcome;
    private final String errorCode;
    private final String requestId;

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

    public MailboxProbe(MailboxId mailboxId, MailboxAddress mailbox, boolean inScope, Outcome outcome, String errorCode, String requestId) {
        Objects.requireNonNull(mailboxId, "mailboxId");
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(outcome, "outcome");
        this.mailboxId = mailboxId;
        this.mailbox = mailbox;
        this.inScope = inScope;
        this.outcome = outcome;
        this.errorCode = errorCode;
        this.requestId = requestId;
    }

    public MailboxId mailboxId() {
        return mailboxId;
    }

    public MailboxAddress mailbox() {
        return mailbox;
    }

    public boolean inScope() {
        return inScope;
    }

    public Outcome outcome() {
        return outcome;
    }

    public Optional<String> errorCode() {
        return Optional.ofNullable(errorCode);
    }

    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MailboxProbe o && Objects.equals(mailboxId, o.mailboxId) && Objects.equals(mailbox, o.mailbox) && Objects.equals(inScope, o.inScope) && Objects.equals(outcome, o.outcome) && Objects.equals(errorCode, o.errorCode) && Objects.equals(requestId, o.requestId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mailboxId, mailbox, inScope, outcome, errorCode, requestId);
    }

    @Override
    public String toString() {
        return "MailboxProbe[" + "mailboxId=" + mailboxId + ", " + "mailbox=" + mailbox + ", " + "inScope=" + inScope + ", " + "outcome=" + outcome + ", " + "errorCode=" + errorCode + ", " + "requestId=" + requestId + "]";
    }

    /** Whether the outcome is what the restriction should produce (readable in scope, denied outside). */
    public boolean asExpected() {
        return inScope ? outcome == Outcome.READABLE : outcome == Outcome.DENIED;
    }

}
