package com.tekst.outlook.testkit.internal.mail;

import com.tekst.outlook.mailbox.MailboxType;
import com.tekst.outlook.testkit.FakeMessage;
import com.tekst.outlook.testkit.FakeUser;
import com.tekst.outlook.testkit.internal.Html;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What {@code TenantGenerator} makes, drawn from its seed with {@link Random} (whose algorithm Java specifies, so the
 * same seed gives the same tenant on every JVM): accounts, custom folders, and threads of messages with HTML bodies.
 * Internal.
 */
public final class MailGenerator {
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

    public MailGenerator(long seed, int userMailboxes, int sharedMailboxes, int messagesPerMailbox, Instant from,
                         Instant to, int bodySize) {
        this.seed = seed;
        this.userMailboxes = userMailboxes;
        this.sharedMailboxes = sharedMailboxes;
        this.messagesPerMailbox = messagesPerMailbox;
        this.from = from;
        this.to = to;
        this.bodySize = bodySize;
    }

    /**
     * Adds the accounts and fills their mailboxes.
     *
     * @param domain    the domain of the generated addresses
     * @param addUser   adds an account to the tenant
     * @param exists    whether an account by this name exists already
     * @param mailboxes the mailbox of an account by object id
     */
    public void populate(String domain, Function<FakeUser.Builder, FakeUser> addUser, Predicate<String> exists,
                         Function<String, MailboxState> mailboxes) {
        Random random = new Random(seed);
        List<FakeUser> people = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        Set<String> aliases = new HashSet<>();
        for (int i = 0; i < userMailboxes; i++) {
            String first = FIRST[random.nextInt(FIRST.length)];
            String last = LAST[random.nextInt(LAST.length)];
            String local = (first + "." + last).toLowerCase(Locale.ROOT);
            String candidate = local;
            for (int n = 2; taken.contains(candidate) || exists.test(candidate + "@" + domain); n++) {
                candidate = local + n;
            }
            taken.add(candidate);
            FakeUser.Builder b = FakeUser.builder(candidate + "@" + domain).displayName(first + " " + last);
            String alias = first.toLowerCase(Locale.ROOT) + "@" + domain;
            if (aliases.add(alias) && !exists.test(alias)) {
                b.alias(alias);
            }
            people.add(addUser.apply(b));
        }
        List<FakeUser> shared = new ArrayList<>();
        for (int i = 0; i < sharedMailboxes; i++) {
            String local = SHARED[i % SHARED.length] + (i >= SHARED.length ? Integer.toString(i / SHARED.length + 1)
                    : "");
            String display = Character.toUpperCase(local.charAt(0)) + local.substring(1);
            shared.add(addUser.apply(FakeUser.builder(local + "@" + domain).displayName(display)
                    .mailboxType(MailboxType.SHARED)));
        }
        List<FakeUser> all = new ArrayList<>(people);
        all.addAll(shared);
        List<FakeMessage.Recipient> contacts = contacts(new Random(seed ^ 0x636F6E74L));
        for (int i = 0; i < all.size(); i++) {
            FakeUser owner = all.get(i);
            fill(mailboxes.apply(owner.objectId()), owner, people, contacts,
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
}
