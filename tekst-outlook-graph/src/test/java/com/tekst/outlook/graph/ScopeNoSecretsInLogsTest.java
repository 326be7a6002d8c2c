package com.tekst.outlook.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.microsoft.graph.models.Message;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxIdentityChangedException;
import com.tekst.outlook.mailbox.FolderSelection;
import com.tekst.outlook.mailbox.MailboxSearch;
import com.tekst.outlook.mailbox.MailboxSearchPage;
import com.tekst.outlook.mailbox.MailboxType;
import com.tekst.outlook.mailbox.RestrictionCheck;
import com.tekst.outlook.mailbox.RestrictionMechanism;
import com.tekst.outlook.mailbox.RestrictionScriptRequest;
import com.tekst.outlook.testkit.FakeMailbox;
import com.tekst.outlook.testkit.FakeMessage;
import com.tekst.outlook.testkit.FakeTenant;
import com.tekst.outlook.testkit.FakeUser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Runs every mailbox-scope path — search with paging, resolution and its failures, adding with folders, scripts,
 * verification, the bound Graph SDK client reading whole messages, guard refusals — with the root logger at DEBUG, and
 * proves that no access token, client secret, search skip token, message subject or body reaches a log line, an MDC
 * value or an exception message.
 */
class ScopeNoSecretsInLogsTest {
    static final Pattern JWT_PART = Pattern.compile("eyJ[A-Za-z0-9_-]{16,}");

    ScopeTenantFixture fx;
    ListAppender<ILoggingEvent> appender;
    Logger root;
    Level rootLevel;
    final List<String> texts = new ArrayList<>();
    final List<String> secrets = new ArrayList<>();

    @BeforeEach
    void capture() {
        root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        rootLevel = root.getLevel();
        root.setLevel(Level.DEBUG);
        appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        fx = new ScopeTenantFixture();
    }

    @AfterEach
    void release() {
        fx.close();
        root.detachAppender(appender);
        root.setLevel(rootLevel);
    }

    void thrown(Throwable t) {
        assertThat(t).isNotNull();
        for (Throwable c = t; c != null; c = c.getCause()) {
            texts.add(c.toString());
        }
    }

    @Test
    void noTokenSecretSkipTokenOrMessageContentIsLogged() {
        secrets.add(fx.cloud.clientSecret());
        ConnectionId connection = fx.connect(fx.contoso);
        FakeMailbox shared = fx.ofType(MailboxType.SHARED).get(0);

        // discovery, with a page cursor whose skip token must stay out of the logs
        MailboxSearchPage page = fx.client.mailboxDirectory().search(connection, MailboxSearch.all().withPageSize(5));
        String cursor = page.next().orElseThrow();
        String skipToken = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 4)[3];
        secrets.add(skipToken);
        fx.client.mailboxDirectory().search(connection, MailboxSearch.all().withPageSize(5).after(cursor));
        thrown(catchThrowable(() -> fx.client.mailboxDirectory().resolve(connection,
                MailboxAddress.of("unlicensed@contoso.com"))));

        // the scope, scripts, verification
        fx.client.mailboxScope().add(connection, MailboxAddress.of(shared.address()),
                List.of(FolderSelection.inbox(), FolderSelection.byPath("Inbox/Projects")));
        thrown(catchThrowable(() -> fx.client.mailboxScope().add(connection, MailboxAddress.of(shared.address()
                .replace("@", "x@")))));
        texts.add(fx.client.tenantRestriction().script(connection, RestrictionScriptRequest.applicationAccessPolicy(
                "Tekst", MailboxAddress.of("tekst@contoso.com"), MailboxAddress.of("ceo@contoso.com"))).toString());
        fx.contoso.restrict(fx.cloud.app(), FakeTenant.RestrictionMechanism.APPLICATION_ACCESS_POLICY);
        fx.contoso.addToRestrictionGroup(fx.cloud.app(), shared.objectId().value());
        texts.add(fx.client.tenantRestriction().verify(connection, RestrictionCheck.automatic()
                .forMechanism(RestrictionMechanism.APPLICATION_ACCESS_POLICY)).toString());

        // actions reading whole messages, and refusals
        GraphServiceClient graph = fx.client.graphServiceClient(connection);
        List<Message> messages = graph.users().byUserId(shared.objectId().value()).messages().get().getValue();
        assertThat(messages).isNotEmpty().allSatisfy(m -> assertThat(m.getBody().getContent()).isNotBlank());
        for (FakeMessage m : shared.messages()) {
            secrets.add(m.subject());
            String body = m.body().replaceAll("<[^>]+>", " ").strip();
            secrets.add(body.substring(0, Math.min(40, body.length())));
        }
        thrown(catchThrowable(() -> graph.users().byUserId(ScopeTenantFixture.ALICE_MAIL).messages().get()));
        thrown(catchThrowable(() -> graph.me().messages().get()));

        // a name pinned to its object id, then given to a new hire: lookups, the refusal and the flag
        fx.contoso.addUser(FakeUser.builder("bob@contoso.com"));
        fx.contoso.addToRestrictionGroup(fx.cloud.app(), "bob@contoso.com");
        fx.client.mailboxScope().add(connection, MailboxAddress.of("bob@contoso.com"));
        graph.users().byUserId("bob@contoso.com").messages().get();
        fx.contoso.removeUser("bob@contoso.com");
        FakeUser newHire = fx.contoso.addUser(FakeUser.builder("bob@contoso.com"));
        FakeMessage forNewHire = fx.contoso.mailbox(newHire.objectId()).deliver(FakeMessage.builder()
                .from("carol@example.com").subject("Offer letter for the new hire").body("<p>Salary 123456</p>"));
        secrets.add(forNewHire.subject());
        secrets.add("Salary 123456");
        Throwable changed = catchThrowable(() -> graph.users().byUserId("bob@contoso.com").messages().get());
        assertThat(changed).isInstanceOf(MailboxIdentityChangedException.class);
        thrown(changed);

        for (ILoggingEvent e : appender.list) {
            texts.add(e.getFormattedMessage());
            texts.add(String.valueOf(e.getMDCPropertyMap()));
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                texts.add(t.getClassName() + ": " + t.getMessage());
            }
        }
        assertThat(appender.list).as("the Graph exchanges were logged at DEBUG")
                .anyMatch(e -> e.getLoggerName().equals("com.tekst.outlook.graph.http")
                        && e.getFormattedMessage().contains("/users"));
        assertThat(appender.list).as("the identity change was logged")
                .anyMatch(e -> e.getLoggerName().endsWith("ScopeGuard")
                        && e.getFormattedMessage().contains("MAILBOX_IDENTITY_CHANGED"));
        assertThat(appender.list).as("the guard's refusals were logged")
                .anyMatch(e -> e.getLoggerName().endsWith("ScopeGuard") && e.getFormattedMessage().contains("refused"));
        for (String token : fx.cloud.issuedAccessTokens()) {
            String signature = token.substring(token.lastIndexOf('.') + 1);
            secrets.add(signature.substring(0, 24));
        }
        assertThat(fx.cloud.issuedAccessTokens()).isNotEmpty();
        assertThat(secrets).hasSizeGreaterThan(5).allSatisfy(s -> assertThat(s).hasSizeGreaterThan(8));
        for (String text : texts) {
            assertThat(text).doesNotContainPattern(JWT_PART);
            for (String s : secrets) {
                assertThat(text).doesNotContain(s);
            }
        }
    }
}
