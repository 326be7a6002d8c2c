package com.tekst.outlook.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.consent.ConsentCallback;
import com.tekst.outlook.consent.ConsentOutcome;
import com.tekst.outlook.consent.ConsentRequest;
import com.tekst.outlook.consent.ConsentVerification;
import com.tekst.outlook.testkit.Fault;
import com.tekst.outlook.testkit.Faults;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Runs every consent and token flow with the root logger (msal4j included) at DEBUG and proves that no client
 * secret, access token, client assertion, {@code state} or private key appears in any log line, MDC value, exception
 * message (with causes) or {@code toString()}.
 */
class NoSecretsInLogsTest {
    /**
     * Any base64url-encoded JSON object of some length, i.e. any part of a JWT's header or payload: access tokens and
     * the client assertions msal4j signs.
     */
    static final Pattern JWT_PART = Pattern.compile("eyJ[A-Za-z0-9_-]{16,}");
    /** Any consent state. */
    static final Pattern STATE = Pattern.compile("v1\\.[A-Za-z0-9_-]{40,}\\.[A-Za-z0-9_-]{20,}");

    FakeCloudFixture fx;
    ListAppender<ILoggingEvent> appender;
    Logger root;
    Level rootLevel;
    final List<String> secrets = new ArrayList<>();
    final List<String> texts = new ArrayList<>();

    @BeforeEach
    void capture() {
        root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        rootLevel = root.getLevel();
        root.setLevel(Level.DEBUG);
        ((Logger) LoggerFactory.getLogger("com.microsoft.aad.msal4j")).setLevel(Level.DEBUG);
        appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        fx = new FakeCloudFixture();
    }

    @AfterEach
    void release() {
        fx.close();
        root.detachAppender(appender);
        root.setLevel(rootLevel);
        ((Logger) LoggerFactory.getLogger("com.microsoft.aad.msal4j")).setLevel(null);
    }

    ConsentRequest begin(OutlookClient client, ConnectionId connection) {
        ConsentRequest request = client.adminConsent().begin(connection, FakeCloudFixture.REDIRECT);
        addState(request.state());
        texts.add(request.toString());
        return request;
    }

    /** The whole state, its MAC, and a stretch of its nonce (the payload's first 12 characters are the key id). */
    void addState(String state) {
        secrets.add(state);
        String[] parts = state.split("\\.");
        secrets.add(parts[2]);
        secrets.add(parts[1].substring(12, 36));
    }

    ConsentOutcome complete(OutlookClient client, ConnectionId connection, URI back) {
        ConsentCallback callback = ConsentCallback.fromQueryString(back.getRawQuery());
        texts.add(callback.toString());
        ConsentOutcome outcome = client.adminConsent().complete(connection, callback);
        texts.add(outcome.toString());
        texts.add(outcome.message());
        return outcome;
    }

    ConsentVerification verify(OutlookClient client, ConsentOutcome outcome) {
        ConsentVerification v = client.adminConsent().verify((ConsentOutcome.Granted) outcome);
        texts.add(v.toString());
        return v;
    }

    void thrown(Throwable t) {
        assertThat(t).isNotNull();
        for (Throwable c = t; c != null; c = c.getCause()) {
            texts.add(c.toString());
        }
    }

    @Test
    void noSecretTokenAssertionOrStateReachesALogLineAnExceptionOrAToString() {
        String secret = fx.cloud.clientSecret();
        secrets.add(secret);
        OutlookClient client = fx.client();
        texts.add(client.toString());

        // 1. A full round trip: begin, accept, complete, verify; and a replay of the same callback.
        ConnectionId acme = ConnectionId.of("acme");
        ConsentRequest request = begin(client, acme);
        URI back = fx.answer(request, FakeCloudFixture.CONTOSO_ADMIN, true);
        ConsentOutcome granted = complete(client, acme, back);
        assertThat(verify(client, granted).isVerified()).isTrue();
        complete(client, acme, back);

        // 2. Declined, forged, expired and wrong-connection callbacks.
        ConnectionId beta = ConnectionId.of("beta");
        complete(client, beta, fx.answer(begin(client, beta), FakeCloudFixture.CONTOSO_ADMIN, false));
        ConsentRequest forgedRequest = begin(client, beta);
        String forged = forgedRequest.state().substring(0, forgedRequest.state().length() - 2) + "AA";
        addState(forged);
        complete(client, beta, URI.create("https://x/cb?admin_consent=True&tenant=" + fx.contoso.id() + "&state="
                + forged));
        ConsentRequest expiring = begin(client, beta);
        fx.clock.advance(Duration.ofMinutes(11));
        complete(client, beta, fx.answer(expiring, FakeCloudFixture.CONTOSO_ADMIN, true));
        complete(client, ConnectionId.of("gamma"), fx.answer(begin(client, beta), FakeCloudFixture.CONTOSO_ADMIN, true));

        // 3. Verification failures: forged tenant with propagation retries, throttling, 5xx, wrong and expired secret.
        ConsentOutcome fabrikam = new ConsentOutcome.Granted(ConnectionId.of("delta"), fx.fabrikam.id(), "");
        verify(client, fabrikam);
        ConnectionId epsilon = ConnectionId.of("epsilon");
        ConsentOutcome epsilonGranted = complete(client, epsilon,
                fx.answer(begin(client, epsilon), FakeCloudFixture.CONTOSO_ADMIN, true));
        fx.cloud.faults().add(Faults.on(Faults.tokenRequests()).respond(Fault.throttle(Duration.ofSeconds(5))));
        verify(client, epsilonGranted);
        fx.clock.advance(Duration.ofSeconds(5));
        fx.cloud.faults().add(Faults.on(Faults.tokenRequests()).times(3).respond(Fault.serviceUnavailable()));
        thrown(catchThrowable(() -> client.adminConsent().verify((ConsentOutcome.Granted) epsilonGranted)));

        String wrongSecret = "wrong~secret~value~0123456789abcdefghij";
        secrets.add(wrongSecret);
        OutlookClient wrong = fx.client(b -> b.credential(AppCredential.secret(wrongSecret)));
        verify(wrong, epsilonGranted);
        thrown(catchThrowable(() -> AppCredential.secret(" " + wrongSecret)));

        // 4. Certificate credentials (client assertions), then an expired secret.
        HeldCertificate cert = new HeldCertificate.Builder().rsa2048().build();
        fx.cloud.app().addCertificate(cert.certificate());
        for (String line : cert.privateKeyPkcs8Pem().split("\n")) {
            if (!line.startsWith("-----") && line.length() >= 40) {
                secrets.add(line);
            }
        }
        AppCredential certificate = AppCredential.pem(cert.privateKeyPkcs8Pem(), cert.certificatePem());
        texts.add(certificate.toString());
        OutlookClient withCertificate = fx.client(b -> b.credential(certificate));
        assertThat(verify(withCertificate, epsilonGranted).isVerified()).isTrue();
        HeldCertificate unregistered = new HeldCertificate.Builder().rsa2048().build();
        OutlookClient withUnknownCertificate = fx.client(b -> b.credential(
                AppCredential.certificate(unregistered.keyPair().getPrivate(), unregistered.certificate())));
        verify(withUnknownCertificate, epsilonGranted);
        fx.cloud.app().expireSecrets();
        verify(client, epsilonGranted);

        // Collect what was logged: message, MDC, exceptions with causes.
        List<ILoggingEvent> events = List.copyOf(appender.list);
        for (ILoggingEvent e : events) {
            texts.add(e.getFormattedMessage());
            texts.add(String.valueOf(e.getMDCPropertyMap()));
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                texts.add(t.getClassName() + ": " + t.getMessage());
            }
        }

        assertThat(events).as("our DEBUG lines were captured")
                .anyMatch(e -> e.getLoggerName().startsWith("com.tekst") && e.getLevel() == Level.DEBUG);
        assertThat(events).as("msal4j's lines were captured")
                .anyMatch(e -> e.getLoggerName().startsWith("com.microsoft.aad.msal4j"));
        assertThat(events).as("msal4j never tried instance discovery against login.microsoftonline.com")
                .noneMatch(e -> e.getFormattedMessage().contains("instance discovery")
                        || e.getFormattedMessage().contains("login.microsoftonline.com/common/discovery"));
        List<String> tokens = fx.cloud.issuedAccessTokens();
        assertThat(tokens).as("tokens were issued").hasSizeGreaterThanOrEqualTo(3);
        for (String token : tokens) {
            String signature = token.substring(token.lastIndexOf('.') + 1);
            secrets.add(signature.substring(0, 24));
            secrets.add(signature.substring(signature.length() - 24));
        }
        assertThat(secrets).hasSizeGreaterThan(10);
        for (String text : texts) {
            assertThat(text).doesNotContainPattern(JWT_PART).doesNotContainPattern(STATE);
            for (String s : secrets) {
                assertThat(text).doesNotContain(s);
            }
        }
        assertThat(Set.copyOf(texts)).hasSizeGreaterThan(50);
    }
}
