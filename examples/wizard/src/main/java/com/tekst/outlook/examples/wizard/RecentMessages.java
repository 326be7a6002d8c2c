package com.tekst.outlook.examples.wizard;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.sync.EmailAddress;
import com.tekst.outlook.sync.MailMessage;
import com.tekst.outlook.sync.MessagePage;
import com.tekst.outlook.sync.MessageSink;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The wizard's sink: counts what arrived per connection and keeps the newest messages for the status page. */
final class RecentMessages implements MessageSink {
    /** What the status page shows of a message: never its body. */
    record Shown(String mailbox, String subject, String from, java.time.Instant received) {
    }

    private final int keep;
    private final Map<ConnectionId, Deque<Shown>> newest = new ConcurrentHashMap<>();
    private final Map<ConnectionId, AtomicLong> counts = new ConcurrentHashMap<>();

    RecentMessages(int keep) {
        this.keep = keep;
    }

    @Override
    public void accept(MessagePage page) {
        Deque<Shown> list = newest.computeIfAbsent(page.connection(), c -> new ArrayDeque<>());
        counts.computeIfAbsent(page.connection(), c -> new AtomicLong()).addAndGet(page.messages().size());
        synchronized (list) {
            for (MailMessage m : page.messages()) {
                list.addFirst(new Shown(page.mailbox().value(), m.subject() == null ? "" : m.subject(),
                        m.from().map(EmailAddress::address).orElse(""), m.receivedDateTime()));
            }
            List<Shown> sorted = new ArrayList<>(list);
            sorted.sort((a, b) -> b.received().compareTo(a.received()));
            list.clear();
            sorted.stream().limit(keep).forEach(list::addLast);
        }
    }

    List<Shown> newest(ConnectionId connection) {
        Deque<Shown> list = newest.get(connection);
        if (list == null) {
            return List.of();
        }
        synchronized (list) {
            return List.copyOf(list);
        }
    }

    long count(ConnectionId connection) {
        AtomicLong c = counts.get(connection);
        return c == null ? 0 : c.get();
    }
}
