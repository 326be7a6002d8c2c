package com.tekst.outlook.testkit;

import com.tekst.outlook.mailbox.MailboxType;
import com.tekst.outlook.testkit.internal.Html;
import com.tekst.outlook.testkit.internal.mail.FolderState;
import com.tekst.outlook.testkit.internal.mail.Ids;
import com.tekst.outlook.testkit.internal.mail.MailboxState;
import com.tekst.outlook.testkit.internal.mail.MessageDraft;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

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
    private static final String[] FIRST = {"Adele", "Alex", "Allan", "Bianca", "Christie", "Debra", "Diego", "Emily",
        "Enrico", "Grady", "Henrietta", "Irvin", "Isaiah", "Johanna", "Joni", "Lee", "Lidia", "Lynne", "Megan",
        "Miriam", "Nestor", "Patti", "Pradeep", "Sara", "Tomas", "Wilna", "Yuki", "Zoran", "Ines", "Mateo"};
    private static final String[] LAST = {"Vance", "Wilber", "Deyoung", "Pino", "Cline", "Berry", "Siciliani",
        "Braun", "Lambert", "Archie", "Gonzales", "Sink", "Lee", "Lauer", "Sherman", "Gu", "Holloway", "Robbins",
        "Bowen", "Graham", "Wilke", "Fernandez", "Gupta", "Davis", "Novak", "Okafor", "Tanaka", "Petrov", "Moreau",
        "Jensen"};
    private static final String[] SHARED = {"support", "sales", "billing", "info", "hr", "operations", "invoices",
        "helpdesk", "orders", "recruiting"};
    private static final String[] PARTNER_DOMAINS = {"fabrikam.com", "northwindtraders.com", "adventure-works.com",
        "tailspintoys.com", "wingtiptoys.com", "litwareinc.com", "proseware.com", "woodgrovebank.com"};
    private static final String[] TOPICS = {"Invoice", "Purchase order", "Shipment", "Quarterly review",
        "Contract renewal", "Support ticket", "Meeting notes", "Price list", "Delivery schedule", "Onboarding",
        "Expense report", "Project kickoff", "Service outage", "Warranty claim", "Budget approval", "Travel booking"};
    private static final String[] QUALIFIERS = {"for March", "overdue", "updated", "- action needed", "follow-up",
        "draft", "final version", "question", "reminder", "confirmation", "Q3", "Q4", "next steps", "status"};
    private static final String[] SENTENCES = {
        "Thanks for getting back to us so quickly about this.",
        "Please find the details below and let me know if anything is missing.",
        "We reviewed the figures with the finance team this morning and they look correct.",
        "Could you confirm the delivery address and the preferred time window?",
        "The attached document contains the revised terms we discussed on the call.",
        "Our warehouse reported a delay of two business days because of the weather.",
        "I have copied my colleague who will take over while I am out of office.",
        "The reference number for this request is listed in the subject line.",
        "We would appreciate a reply before the end of the week so we can plan the next steps.",
        "As agreed, the payment terms are thirty days from the invoice date.",
        "The team has prepared a short summary of the open questions.",
        "Let us know whether the proposed dates work for your side.",
        "We noticed a small discrepancy between the order and the packing slip.",
        "The new price list applies to all orders placed after the first of the month.",
        "If you have any questions, do not hesitate to contact our support desk.",
        "The meeting room is booked and the agenda is attached to the invitation.",
        "I checked with the carrier and the parcel is currently in transit.",
        "Please review the changes highlighted in yellow and approve if you agree.",
        "We are happy to extend the trial period by another two weeks.",
        "The system maintenance window is scheduled for Saturday night.",
        "Attached you will find the signed copy for your records.",
        "Unfortunately the item you ordered is temporarily out of stock.",
        "Our records show that the account was updated on Tuesday.",
        "We will send a confirmation as soon as the transfer has been processed.",
        "Here is the link to the shared folder with the latest drafts.",
        "The auditors asked for the original receipts for these expenses."};
    private static final String[] CATEGORIES = {"Red category", "Orange category", "Yellow category",
        "Green category", "Blue category", "Purple category"};

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

    public long seed() {
        return seed;
    }

    public int userMailboxes() {
        return userMailboxes;
    }

    public int sharedMailboxes() {
        return sharedMailboxes;
    }

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
        Random random = new Random(seed);
        String domain = tenant.primaryDomain();
        List<FakeUser> people = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        Set<String> aliases = new HashSet<>();
        for (int i = 0; i < userMailboxes; i++) {
            String first = FIRST[random.nextInt(FIRST.length)];
            String last = LAST[random.nextInt(LAST.length)];
            String local = (first + "." + last).toLowerCase(Locale.ROOT);
            String candidate = local;
            for (int n = 2; taken.contains(candidate) || tenant.user(candidate + "@" + domain).isPresent(); n++) {
                candidate = local + n;
            }
            taken.add(candidate);
            FakeUser.Builder b = FakeUser.builder(candidate + "@" + domain).displayName(first + " " + last);
            String alias = first.toLowerCase(Locale.ROOT) + "@" + domain;
            if (aliases.add(alias) && tenant.user(alias).isEmpty()) {
                b.alias(alias);
            }
            people.add(tenant.addUser(b));
        }
        List<FakeUser> shared = new ArrayList<>();
        for (int i = 0; i < sharedMailboxes; i++) {
            String local = SHARED[i % SHARED.length] + (i >= SHARED.length ? Integer.toString(i / SHARED.length + 1)
                    : "");
            String display = Character.toUpperCase(local.charAt(0)) + local.substring(1);
            shared.add(tenant.addUser(FakeUser.builder(local + "@" + domain).displayName(display)
                    .mailboxType(MailboxType.SHARED)));
        }
        List<FakeUser> all = new ArrayList<>(people);
        all.addAll(shared);
        List<FakeMessage.Recipient> contacts = contacts(new Random(seed ^ 0x636F6E74L));
        for (int i = 0; i < all.size(); i++) {
            FakeUser owner = all.get(i);
            fill(tenant.mailboxState(owner.objectId()), owner, people, contacts,
                    new Random(seed * 1_000_003L + i), i);
        }
    }

    private static List<FakeMessage.Recipient> contacts(Random random) {
        List<FakeMessage.Recipient> out = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            String first = FIRST[random.nextInt(FIRST.length)];
            String last = LAST[random.nextInt(LAST.length)];
            String domain = PARTNER_DOMAINS[i % PARTNER_DOMAINS.length];
            out.add(new FakeMessage.Recipient(first + " " + last,
                    (first.charAt(0) + last).toLowerCase(Locale.ROOT) + "@" + domain));
        }
        return out;
    }

    private void fill(MailboxState box, FakeUser owner, List<FakeUser> people, List<FakeMessage.Recipient> contacts,
                      Random random, int mailboxIndex) {
        FolderState inbox = box.folder("inbox");
        FolderState projects = box.createFolder(inbox, "Projects", false);
        FolderState projectsArchive = box.createFolder(projects, "Archive 2025", false);
        FolderState receipts = box.createFolder(inbox, "Receipts", false);
        FolderState sent = box.folder("sentitems");
        FolderState archive = box.folder("archive");
        FolderState junk = box.folder("junkemail");
        FolderState deleted = box.folder("deleteditems");
        FakeMessage.Recipient me = new FakeMessage.Recipient(owner.displayName(),
                owner.mail().orElse(owner.userPrincipalName()));

        long span = Math.max(1, Duration.between(from, to).getSeconds());
        long[] times = new long[messagesPerMailbox];
        for (int i = 0; i < times.length; i++) {
            times[i] = from.getEpochSecond() + (long) (random.nextDouble() * span);
        }
        Arrays.sort(times);

        List<String[]> threads = new ArrayList<>();  // {conversationKey, subject, counterpartAddress, name}
        for (int i = 0; i < messagesPerMailbox; i++) {
            Instant received = Instant.ofEpochSecond(times[i]);
            FakeMessage.Recipient counterpart;
            if (!people.isEmpty() && random.nextInt(10) < 3) {
                FakeUser colleague = people.get(random.nextInt(people.size()));
                counterpart = colleague.objectId().equals(owner.objectId()) ? contacts.get(random.nextInt(
                        contacts.size())) : new FakeMessage.Recipient(colleague.displayName(),
                        colleague.mail().orElse(colleague.userPrincipalName()));
            } else {
                counterpart = contacts.get(random.nextInt(contacts.size()));
            }
            String subject;
            String key;
            if (!threads.isEmpty() && random.nextInt(100) < 35) {
                String[] t = threads.get(threads.size() - 1 - random.nextInt(Math.min(10, threads.size())));
                key = t[0];
                subject = "RE: " + t[1];
                counterpart = new FakeMessage.Recipient(t[3], t[2]);
            } else {
                subject = TOPICS[random.nextInt(TOPICS.length)] + " " + (1000 + random.nextInt(9000)) + " "
                        + QUALIFIERS[random.nextInt(QUALIFIERS.length)];
                key = MessageDraft.conversationKeyOf(subject) + "#" + mailboxIndex + "." + i;
                threads.add(new String[] {key, subject, counterpart.address(), counterpart.name()});
            }
            int where = random.nextInt(100);
            boolean outgoing = where < 10;
            FolderState folder;
            if (outgoing) {
                folder = sent;
            } else if (where < 75) {
                folder = inbox;
            } else if (where < 85) {
                folder = archive;
            } else if (where < 91) {
                folder = projects;
            } else if (where < 93) {
                folder = projectsArchive;
            } else if (where < 96) {
                folder = receipts;
            } else if (where < 98) {
                folder = deleted;
            } else {
                folder = junk;
            }
            FakeMessage.Recipient sender = outgoing ? me : counterpart;
            List<FakeMessage.Recipient> toList = List.of(outgoing ? counterpart : me);
            List<FakeMessage.Recipient> ccList = new ArrayList<>();
            if (!people.isEmpty() && random.nextInt(100) < 20) {
                FakeUser c = people.get(random.nextInt(people.size()));
                ccList.add(new FakeMessage.Recipient(c.displayName(), c.mail().orElse(c.userPrincipalName())));
            }
            boolean recent = Duration.between(received, to).toDays() < 7;
            boolean read = outgoing || random.nextInt(100) < (recent ? 40 : 92);
            List<String> categories = random.nextInt(100) < 10
                    ? List.of(CATEGORIES[random.nextInt(CATEGORIES.length)]) : List.of();
            int imp = random.nextInt(100);
            String importance = imp < 5 ? "high" : imp < 8 ? "low" : "normal";
            boolean attachments = random.nextInt(100) < 12;
            Instant sentAt = received.minusSeconds(1 + random.nextInt(90));
            String body = body(random, sender, toList.get(0), subject);
            String imid = Ids.internetMessageId("gen:" + seed + ":" + owner.objectId() + ":" + i,
                    sender.address().substring(sender.address().indexOf('@') + 1));
            box.deliver(new MessageDraft(imid, key, subject, sender, toList, ccList, received, sentAt, body,
                    attachments, importance, read, categories, received), folder);
        }
    }

    private String body(Random random, FakeMessage.Recipient sender, FakeMessage.Recipient recipient,
                        String subject) {
        StringBuilder sb = new StringBuilder(bodySize + 512);
        sb.append("<html><head>\r\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\r\n")
                .append("<style type=\"text/css\" style=\"display:none\">\r\n<!--\r\np\r\n\t{margin-top:0;\r\n")
                .append("\tmargin-bottom:0}\r\n-->\r\n</style>\r\n</head>\r\n<body dir=\"ltr\">\r\n")
                .append("<div class=\"elementToProof\" style=\"font-family:Aptos,Calibri,Helvetica,sans-serif;")
                .append(" font-size:12pt; color:rgb(0,0,0)\">\r\nHi ")
                .append(Html.escape(recipient.name().split(" ")[0])).append(",</div>\r\n");
        String closing = "<div style=\"font-family:Aptos,Calibri,Helvetica,sans-serif; font-size:12pt\">\r\n"
                + "Kind regards,<br>\r\n" + Html.escape(sender.name()) + "<br>\r\n" + Html.escape(sender.address())
                + "</div>\r\n</body>\r\n</html>\r\n";
        sb.append("<div style=\"font-family:Aptos,Calibri,Helvetica,sans-serif; font-size:12pt\">\r\n<p>Regarding ")
                .append(Html.escape(subject)).append(":</p>\r\n");
        while (sb.length() + closing.length() < bodySize) {
            sb.append("<p>");
            int n = 2 + random.nextInt(3);
            for (int s = 0; s < n; s++) {
                if (s > 0) {
                    sb.append(' ');
                }
                sb.append(SENTENCES[random.nextInt(SENTENCES.length)]);
            }
            sb.append("</p>\r\n");
        }
        sb.append("</div>\r\n").append(closing);
        return sb.toString();
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
