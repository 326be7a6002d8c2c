package com.tekst.outlook.sync;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.tekst.outlook.Connection;
import com.tekst.outlook.ErrorDetails;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.MalformedResponseException;
import com.tekst.outlook.ThrottledException;
import com.tekst.outlook.sync.support.SyncFixture;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Sync logs carry tenant, connection and mailbox in the MDC and never message content or link tokens. */
class SyncLoggingTest {
    @Test
    void logsNameTheMailboxButNeverContentOrLinks() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger("com.tekst.outlook");
        Level level = logger.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.TRACE);
        try (SyncFixture fx = new SyncFixture()) {
            Connection c = fx.connect("c1", 1);
            MailboxId mb = fx.addMailbox(c, 1, "inbox");
            fx.graph.deliver(mb, "inbox", 40, fx.clock.instant(), Duration.ofSeconds(1));
            fx.graph.deliver(mb, "inbox", 40, SyncFixture.CONNECTED_AT.minusSeconds(5), Duration.ofMinutes(1));
            fx.graph.failNext(mb, () -> new MalformedResponseException("truncated JSON", ErrorDetails.NONE, null),
                    () -> new ThrottledException(ThrottledException.Scope.MAILBOX_BUDGET, Duration.ofSeconds(3),
                            "Too many requests", ErrorDetails.NONE, null),
                    () -> new IllegalStateException("GET " + "https://graph.fake/?$skiptoken=SKIP-SECRET-x failed"));
            fx.sink.behave((page, n) -> {
                if (n == 2) {
                    throw new IllegalStateException("could not store SUBJECT-SECRET-1");
                }
            });
            SyncEngine engine = fx.build(fx.builder().pageSize(10).backfillPageSize(10));
            engine.startBackfill(c.id(), mb, BackfillWindow.last30Days());
            engine.start();
            for (int i = 0; i < 6; i++) {
                fx.advance(Duration.ofSeconds(20));
            }
            fx.graph.expireDeltaState(mb, "inbox");
            fx.advance(SyncFixture.POLL);
            assertThat(fx.sink.messageIds(mb)).hasSize(80);
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(level);
        }

        assertThat(appender.list).isNotEmpty();
        for (ILoggingEvent event : appender.list) {
            String text = event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
                    : ThrowableProxyUtil.asString(event.getThrowableProxy())) + event.getMDCPropertyMap();
            assertThat(text).as(event.getFormattedMessage()).doesNotContain("SECRET");
        }
        assertThat(appender.list).filteredOn(e -> e.getLoggerName().startsWith("com.tekst.outlook.internal.sync")
                        && e.getThreadName().startsWith("tekst-sync-worker"))
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.getMDCPropertyMap()).containsKeys("tenant", "connection", "mailbox")
                        .containsEntry("mailbox", "user1@contoso.example")
                        .containsEntry("connection", "c1"));
        assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(m -> m.contains("delta state of folder inbox expired"))
                .anyMatch(m -> m.contains("throttled (MAILBOX_BUDGET)"))
                .anyMatch(m -> m.contains("failed with java.lang.IllegalStateException"))
                .anyMatch(m -> m.contains("sink did not acknowledge"));
    }
}
