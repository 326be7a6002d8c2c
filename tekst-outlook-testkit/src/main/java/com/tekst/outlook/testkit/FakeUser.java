package com.tekst.outlook.testkit;

import com.tekst.outlook.mailbox.MailboxType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A directory object of a fake tenant that may own a mailbox: a user, or the account behind a shared, room or equipment
 * mailbox. Immutable; a tenant's mutable state (consent, restriction group, mailbox contents) lives in
 * {@link FakeTenant}.
 */
public final class FakeUser {
    /** Why a user has no Exchange Online mailbox; Graph answers {@code MailboxNotEnabledForRESTAPI} for all of them. */
    public enum NoMailboxReason {
        /** No Exchange Online license. */
        UNLICENSED,
        /** The mailbox is in on-premises Exchange. */
        ON_PREMISES,
        /** The mailbox was soft-deleted. */
        SOFT_DELETED,
        /** A guest account from another directory. */
        GUEST
    }

    private final String objectId;
    private final String userPrincipalName;
    private final String mail;
    private final String displayName;
    private final List<String> aliases;
    private final boolean administrator;
    private final MailboxType mailboxType;
    private final NoMailboxReason noMailboxReason;

    FakeUser(String objectId, Builder b) {
        this.objectId = objectId;
        this.userPrincipalName = b.userPrincipalName;
        this.mail = b.noMailboxReason == null ? b.mail : null;
        this.displayName = b.displayName;
        this.aliases = List.copyOf(b.aliases);
        this.administrator = b.administrator;
        this.mailboxType = b.noMailboxReason == null ? b.mailboxType : null;
        this.noMailboxReason = b.noMailboxReason;
    }

    /** The Entra object id (a lower-case GUID). */
    public String objectId() {
        return objectId;
    }

    public String userPrincipalName() {
        return userPrincipalName;
    }

    /** The primary SMTP address; empty for a user without a mailbox. */
    public Optional<String> mail() {
        return Optional.ofNullable(mail);
    }

    public String displayName() {
        return displayName;
    }

    /** Secondary SMTP addresses (proxy addresses) that also reach this mailbox. */
    public List<String> aliases() {
        return aliases;
    }

    /** Whether this account can grant tenant-wide admin consent (a Global Administrator, say). */
    public boolean isAdministrator() {
        return administrator;
    }

    /** Whether the account has an Exchange Online mailbox. */
    public boolean hasMailbox() {
        return noMailboxReason == null;
    }

    /** The mailbox type ({@code userPurpose}); empty without a mailbox. */
    public Optional<MailboxType> mailboxType() {
        return Optional.ofNullable(mailboxType);
    }

    /** Why there is no mailbox; empty when there is one. */
    public Optional<NoMailboxReason> noMailboxReason() {
        return Optional.ofNullable(noMailboxReason);
    }

    /** This account without its mailbox (same object id, UPN and name). */
    FakeUser withoutMailbox(NoMailboxReason reason) {
        Builder b = new Builder(userPrincipalName);
        if (mail != null) {
            b.mail = mail;
        }
        b.displayName = displayName;
        b.aliases.addAll(aliases);
        b.administrator = administrator;
        b.noMailboxReason = reason;
        return new FakeUser(objectId, b);
    }

    /** This account with other secondary addresses (same object id, UPN, mailbox). */
    FakeUser withAliases(List<String> newAliases) {
        Builder b = new Builder(userPrincipalName);
        b.mail = mail;
        b.displayName = displayName;
        b.aliases.addAll(newAliases);
        b.administrator = administrator;
        b.mailboxType = mailboxType == null ? MailboxType.USER : mailboxType;
        b.noMailboxReason = noMailboxReason;
        return new FakeUser(objectId, b);
    }

    /** Whether {@code name} is this account's object id, UPN, primary address or an alias (any case). */
    public boolean isNamed(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals(objectId) || n.equals(userPrincipalName.toLowerCase(Locale.ROOT))
                || (mail != null && n.equals(mail.toLowerCase(Locale.ROOT)))) {
            return true;
        }
        for (String alias : aliases) {
            if (n.equals(alias.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "FakeUser[" + userPrincipalName + ", " + (hasMailbox() ? mailboxType : "no mailbox: " + noMailboxReason)
                + "]";
    }

    /** A user with a user mailbox. */
    public static Builder builder(String userPrincipalName) {
        return new Builder(userPrincipalName);
    }

    /** Builder for {@link FakeUser}. */
    public static final class Builder {
        final String userPrincipalName;
        String objectId;
        String mail;
        String displayName;
        final List<String> aliases = new ArrayList<>();
        boolean administrator;
        MailboxType mailboxType = MailboxType.USER;
        NoMailboxReason noMailboxReason;

        private Builder(String userPrincipalName) {
            Objects.requireNonNull(userPrincipalName, "userPrincipalName");
            if (!userPrincipalName.contains("@")) {
                throw new IllegalArgumentException("a user principal name looks like name@domain");
            }
            this.userPrincipalName = userPrincipalName;
            this.mail = userPrincipalName;
            String local = userPrincipalName.substring(0, userPrincipalName.indexOf('@'));
            this.displayName = Character.toUpperCase(local.charAt(0)) + local.substring(1).replace('.', ' ');
        }

        /** A fixed object id; derived from the tenant and UPN when not set. */
        public Builder objectId(String value) {
            this.objectId = Objects.requireNonNull(value).toLowerCase(Locale.ROOT);
            return this;
        }

        /** The primary SMTP address, when it differs from the UPN. */
        public Builder mail(String value) {
            this.mail = Objects.requireNonNull(value);
            return this;
        }

        public Builder displayName(String value) {
            this.displayName = Objects.requireNonNull(value);
            return this;
        }

        /** A secondary SMTP address of the mailbox. */
        public Builder alias(String value) {
            this.aliases.add(Objects.requireNonNull(value));
            return this;
        }

        /** Makes the account able to grant tenant-wide admin consent. */
        public Builder administrator() {
            this.administrator = true;
            return this;
        }

        /** The mailbox type: user (default), shared, room, equipment. */
        public Builder mailboxType(MailboxType value) {
            this.mailboxType = Objects.requireNonNull(value);
            this.noMailboxReason = null;
            return this;
        }

        /** No Exchange Online mailbox, for this reason. */
        public Builder withoutMailbox(NoMailboxReason reason) {
            this.noMailboxReason = Objects.requireNonNull(reason);
            return this;
        }
    }
}
