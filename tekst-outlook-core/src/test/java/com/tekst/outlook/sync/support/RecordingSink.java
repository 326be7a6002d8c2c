package com.tekst.outlook.sync.support;

import com.tekst.outlook.MailboxId;
import com.tekst.outlook.sync.MailMessage;
import com.tekst.outlook.sync.MessagePage;
import com.tekst.outlook.sync.MessageSink;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** A sink that records every page it receives (acknowledged or not) and can be told to fail or to run a hook. */
public final class RecordingSink implements MessageSink {
    /** A received page and whether the sink acknowledged it (returned normally). */
    public record Received(MessagePage page, boolean acknowledged) {
    }

    public interface Behaviour {
        /** Throw to leave the page unacknowledged. */
        void on(MessagePage page, int deliveryNumber) throws Exception;
    }

    private final List<Received> received = new ArrayList<>();
    private volatile Behaviour behaviour = (p, n) -> { };

    public void behave(Behaviour b) {
        this.behaviour = b;
    }

    public void onPage(Consumer<MessagePage> hook) {
        this.behaviour = (p, n) -> hook.accept(p);
    }

    @Override
    public void accept(MessagePage page) throws Exception {
        int number;
        synchronized (this) {
            number = received.size() + 1;
        }
        try {
            behaviour.on(page, number);
        } catch (Exception | Error e) {
            synchronized (this) {
                received.add(new Received(page, false));
            }
            throw e;
        }
        synchronized (this) {
            received.add(new Received(page, true));
        }
    }

    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    public synchronized List<MessagePage> pages() {
        return received.stream().map(Received::page).toList();
    }

    public synchronized List<MessagePage> pages(MessagePage.Kind kind) {
        return received.stream().map(Received::page).filter(p -> p.kind() == kind).toList();
    }

    public synchronized List<MessagePage> pages(MailboxId mailboxId) {
        return received.stream().map(Received::page).filter(p -> p.mailboxId().equals(mailboxId)).toList();
    }

    /** Every message id delivered (acknowledged or not) for the mailbox. */
    public synchronized Set<String> messageIds(MailboxId mailboxId) {
        Set<String> ids = new LinkedHashSet<>();
        for (Received r : received) {
            if (r.page().mailboxId().equals(mailboxId)) {
                r.page().messages().forEach(m -> ids.add(m.id()));
            }
        }
        return ids;
    }

    /** Every message delivered for the mailbox and folder, in order, including redeliveries. */
    public synchronized List<MailMessage> messages(MailboxId mailboxId, String folderId, MessagePage.Kind kind) {
        List<MailMessage> out = new ArrayList<>();
        for (Received r : received) {
            MessagePage p = r.page();
            if (p.mailboxId().equals(mailboxId) && p.folder().id().equals(folderId) && p.kind() == kind) {
                out.addAll(p.messages());
            }
        }
        return out;
    }

    public synchronized List<String> removals(MailboxId mailboxId, String folderId) {
        List<String> out = new ArrayList<>();
        for (Received r : received) {
            MessagePage p = r.page();
            if (p.mailboxId().equals(mailboxId) && p.folder().id().equals(folderId)) {
                out.addAll(p.removedIds());
            }
        }
        return out;
    }

    public synchronized int count() {
        return received.size();
    }
}
