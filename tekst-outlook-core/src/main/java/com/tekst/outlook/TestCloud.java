package com.tekst.outlook;

import java.net.URI;
import java.time.Clock;
import javax.net.ssl.X509TrustManager;

/**
 * A stand-in for Microsoft's cloud in tests: what a client needs to talk to it. The testkit's
 * {@code FakeMicrosoftCloud} implements it, and {@code OutlookClient.builder(TestCloud)} (in
 * {@code tekst-outlook-graph}) returns a client builder wired to it, so neither module depends on the other.
 */
public interface TestCloud {
    /** The application (client) id of the app registration the cloud serves. */
    String clientId();

    /** A client secret of that app registration, valid now. */
    String clientSecret();

    /** The identity platform's base URL (the cloud's {@code login.microsoftonline.com}). */
    URI loginBaseUrl();

    /** Graph's versioned root (the cloud's {@code https://graph.microsoft.com/v1.0}). */
    URI graphBaseUrl();

    /** Trusts the cloud's TLS certificate. */
    X509TrustManager trustManager();

    /** The cloud's clock, which a client reads for every time-based decision. */
    Clock clock();

    /** How a client waits (between retries) in the cloud's time. */
    Sleeper sleeper();
}
