package com.tekst.outlook.testkit;

import com.tekst.outlook.testkit.internal.mail.MailGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Fills a {@link FakeTenant} with realistic mailboxes and mail, deterministically from a seed: the same generator
 * gives the same accounts, folders, messages and ids, byte for byte, on every run and machine. Used through
 * {@link FakeTenant.Builder#generate(TenantGenerator)}:
 *
 * <pre>{@code
 * FakeTenant.builder("contoso").consentGranted()
 *         .generate(TenantGenerator.builder(42).userMailboxes(5).sharedMailboxes(2).messagesPerMailbox(200)
 *                 .between(Instant.parse("2025-10-01T00:00:00Z"), Instant.parse("2026-01-05T09:00:00Z")).build());
 * }</pre>
 *
 * <p>What it makes: user mailboxes ({@code first.last@domain}, with a first-name alias when unique), shared mailboxes
 * ({@code support@}, {@code sales@}...); in each mailbox the folders {@code Inbox/Projects},
 * {@code Inbox/Projects/Archive 2025} and {@code Inbox/Receipts}; messages spread over the time range, in threads
 * (replies share a {@code conversationId} and carry {@code RE:}), from external contacts and colleagues, mostly in the
 * inbox, some in Sent Items, Archive, the custom folders, Junk Email and Deleted Items, with HTML bodies of about
 * {@link Builder#bodySize(int) bodySize} bytes, read flags, categories, attachments and importance drawn from the seed.
 * Immutable and thread-safe.
 */
public final class TenantGenerator {
    private final long seed;
    private final int userMailboxes;
    private final int sharedMailboxes;
    private final int messagesPerMailbox;
    private final Instant from;
    private final Instant to;
    private final int bodySize;

    private TenantGenerator(Builder b) {
        this.seed = b.seed;
        this.userMailboxes = b.userMailboxes;
        this.sharedMailboxes = b.sharedMailboxes;
        this.messagesPerMailbox = b.messagesPerMailbox;
        this.from = b.from;
        this.to = b.to;
        this.bodySize = b.bodySize;
    }

    /** A generator drawing everything from {@code seed}. */
    public static Builder builder(long seed) {
        return new Builder(seed);
    }

    /** The seed everything is drawn from. */
    public long seed() {
        return seed;
    }

    /** How many user mailboxes it makes. */
    public int userMailboxes() {
        return userMailboxes;
    }

    /** How many shared mailboxes it makes. */
    public int sharedMailboxes() {
        return sharedMailboxes;
    }

    /** How many messages each mailbox gets. */
    public int messagesPerMailbox() {
        return messagesPerMailbox;
    }

    /** Start of the received-time range (inclusive). */
    public Instant from() {
        return from;
    }

    /** End of the received-time range (exclusive). */
    public Instant to() {
        return to;
    }

    // ---- generation ------------------------------------------------------------------------------------------------

    /** Adds the accounts and fills their mailboxes. Called once by {@link FakeTenant}'s constructor. */
    void populate(FakeTenant tenant) {
        new MailGenerator(seed, userMailboxes, sharedMailboxes, messagesPerMailbox, from, to, bodySize)
                .populate(tenant.primaryDomain(), tenant::addUser, name -> tenant.user(name).isPresent(),
                        tenant::mailboxState);
    }

    @Override
    public String toString() {
        return "TenantGenerator[seed=" + seed + ", users=" + userMailboxes + ", shared=" + sharedMailboxes
                + ", messages=" + messagesPerMailbox + ", " + from + ".." + to + "]";
    }

    /** Builder for {@link TenantGenerator}. */
    public static final class Builder {
        private final long seed;
        private int userMailboxes = 3;
        private int sharedMailboxes = 1;
        private int messagesPerMailbox = 50;
        private Instant from = FakeClock.DEFAULT_START.minus(Duration.ofDays(90));
        private Instant to = FakeClock.DEFAULT_START;
        private int bodySize = 2048;

        private Builder(long seed) {
            this.seed = seed;
        }

        /** User mailboxes to create (default 3). */
        public Builder userMailboxes(int value) {
            this.userMailboxes = nonNegative(value, "userMailboxes");
            return this;
        }

        /** Shared mailboxes to create in addition (default 1). */
        public Builder sharedMailboxes(int value) {
            this.sharedMailboxes = nonNegative(value, "sharedMailboxes");
            return this;
        }

        /** Messages in each generated mailbox (default 50). */
        public Builder messagesPerMailbox(int value) {
            this.messagesPerMailbox = nonNegative(value, "messagesPerMailbox");
            return this;
        }

        /**
         * The range received times are spread over, {@code from} inclusive, {@code to} exclusive (default: the 90
         * days before {@link FakeClock#DEFAULT_START}).
         */
        public Builder between(Instant from, Instant to) {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            if (!from.isBefore(to)) {
                throw new IllegalArgumentException("from must be before to: " + from + " .. " + to);
            }
            this.from = from;
            this.to = to;
            return this;
        }

        /** The approximate size of each HTML body in bytes (default 2048, at least 256). */
        public Builder bodySize(int value) {
            if (value < 256) {
                throw new IllegalArgumentException("bodySize must be at least 256: " + value);
            }
            this.bodySize = value;
            return this;
        }

        /** The generator (immutable; use it for as many tenants as you like). */
        public TenantGenerator build() {
            return new TenantGenerator(this);
        }

        private static int nonNegative(int value, String name) {
            if (value < 0) {
                throw new IllegalArgumentException(name + " must not be negative: " + value);
            }
            return value;
        }
    }
}
