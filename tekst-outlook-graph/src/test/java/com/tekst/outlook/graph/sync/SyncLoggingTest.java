package com.tekst.outlook.graph.sync;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.tekst.outlook.testkit.FakeMailbox;
import com.tekst.outlook.testkit.FakeMessage;
import com.tekst.outlook.testkit.Fault;
import com.tekst.outlook.testkit.Faults;
import com.tekst.outlook.testkit.JournalEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Runs sync through every path that logs (pages, a malformed page, an HTML 502, a 429, an expired delta token) with
 * every logger at DEBUG, and proves that the SDK's lines about a Graph request carry {@code tenant},
 * {@code connection}, {@code mailbox} and {@code requestId} in the MDC, and that no line, MDC value, exception message
 * or listener event holds a token, the client secret, a next or delta link's token, or message content.
 */
class SyncLoggingTest {
    static final Pattern JWT_PART = Pattern.compile("eyJ[A-Za-z0-9_-]{16,}");
    static final Pattern LINK_TOKEN = Pattern.compile("(?:skiptoken|deltatoken)=([^&]+)", Pattern.CASE_INSENSITIVE);

    SyncCloud w;
    ListAppender<ILoggingEvent> appender;
    Logger root;
    Level rootLevel;

    @BeforeEach
    void capture() {
        root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        rootLevel = root.getLevel();
        root.setLevel(Level.DEBUG);
        appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        w = new SyncCloud();
    }

    @AfterEach
    void release() throws InterruptedException {
        w.close();
        root.detachAppender(appender);
        root.setLevel(rootLevel);
    }

    @Test
    void sdkLinesCarryTheRequestContextAndNothingSecretReachesAnyText() throws Exception {
        FakeMailbox alice = w.addMailbox("alice", "inbox");
        w.clock.advance(Duration.ofMinutes(30));
        for (int i = 0; i < 30; i++) {
            alice.deliver("inbox", FakeMessage.builder().from("debra@fabrikam.example")
                    .subject("CONTENT-SUBJECT-" + i).body("<p>CONTENT-BODY-" + i + " call me on 555</p>")
                    .receivedAt(w.clock.instant().minusSeconds(i)));
        }
        w.cloud.faults().add(Faults.on(Faults.mailbox(alice.objectId()).and(Faults.deltaLinkRequests())).nth(1)
                .respond(Fault.truncatedBody()));
        w.cloud.faults().add(Faults.on(Faults.mailbox(alice.objectId()).and(Faults.deltaLinkRequests())).nth(2)
                .respond(Fault.htmlBadGateway()));
        w.start(w.builder().pageSize(10));
        w.settle();
        w.advance(Duration.ofSeconds(10));
        w.advance(Duration.ofSeconds(10));
        w.cloud.faults().add(Faults.throttleMailbox(alice.objectId(), 1, Duration.ofSeconds(30)));
        w.advance(SyncCloud.POLL);
        alice.expireDeltaTokens();
        w.advance(Duration.ofSeconds(31));
        w.advance(SyncCloud.POLL);
        assertThat(w.sink.messageIds(alice.objectId())).hasSize(30);
        assertThat(w.events.expired).isNotEmpty();
        assertThat(w.events.throttled).isNotEmpty();
        assertThat(w.events.retries).hasSizeGreaterThanOrEqualTo(2);

        List<ILoggingEvent> events = List.copyOf(appender.list);

        // The SDK's lines about a Graph request of the sync: the HTTP line and the page lines.
        List<ILoggingEvent> requestLines = events.stream().filter(e -> e.getLoggerName().equals(
                "com.tekst.outlook.graph.http") || e.getLoggerName().endsWith("GraphMailSource")).toList();
        assertThat(requestLines).hasSizeGreaterThan(5);
        assertThat(requestLines).anyMatch(e -> e.getLevel() == Level.WARN); // the malformed page
        for (ILoggingEvent e : requestLines) {
            Map<String, String> mdc = e.getMDCPropertyMap();
            assertThat(mdc).as(e.getFormattedMessage())
                    .containsEntry("tenant", w.tenant.id().value())
                    .containsEntry("connection", "acme")
                    .containsEntry("mailbox", alice.address())
                    .containsKey("requestId");
            assertThat(w.cloud.journal().entries()).as("requestId is the request's client-request-id")
                    .anyMatch(j -> mdc.get("requestId").equals(j.clientRequestId().orElse(null)));
        }

        // Everything that could leak: log lines, MDC values, exceptions (with causes), listener exceptions.
        List<String> texts = new ArrayList<>();
        for (ILoggingEvent e : events) {
            texts.add(e.getFormattedMessage());
            texts.add(String.valueOf(e.getMDCPropertyMap()));
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                texts.add(t.getClassName() + ": " + t.getMessage());
            }
        }
        for (Throwable t : w.events.retries) {
            for (Throwable c = t; c != null; c = c.getCause()) {
                texts.add(c.toString());
            }
        }
        List<String> secrets = new ArrayList<>();
        secrets.add(w.cloud.clientSecret());
        for (String token : w.cloud.issuedAccessTokens()) {
            secrets.add(token.substring(token.lastIndexOf('.') + 1, token.lastIndexOf('.') + 25));
        }
        for (JournalEntry j : w.cloud.journal().entries()) {
            Matcher m = LINK_TOKEN.matcher(j.query());
            while (m.find()) {
                secrets.add(m.group(1).substring(0, Math.min(24, m.group(1).length())));
            }
        }
        assertThat(secrets).hasSizeGreaterThan(5);
        for (String text : texts) {
            assertThat(text).doesNotContainPattern(JWT_PART).doesNotContain("CONTENT-SUBJECT")
                    .doesNotContain("CONTENT-BODY").doesNotContain("debra@fabrikam");
            for (String s : secrets) {
                assertThat(text).doesNotContain(s);
            }
        }
    }
}
