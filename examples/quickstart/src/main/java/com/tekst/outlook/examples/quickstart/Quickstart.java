package com.tekst.outlook.examples.quickstart;

import com.tekst.outlook.Connection;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionStatus;
import com.tekst.outlook.OutlookException;
import com.tekst.outlook.consent.ConsentCallback;
import com.tekst.outlook.consent.ConsentOutcome;
import com.tekst.outlook.consent.ConsentRequest;
import com.tekst.outlook.consent.ConsentVerification;
import com.tekst.outlook.graph.AppCredential;
import com.tekst.outlook.graph.CloudEndpoints;
import com.tekst.outlook.graph.OutlookClient;
import com.tekst.outlook.graph.StateKey;
import com.tekst.outlook.store.InMemoryOutlookStore;
import com.tekst.outlook.testkit.FakeApp;
import com.tekst.outlook.testkit.FakeMicrosoftCloud;
import com.tekst.outlook.testkit.FakeTenant;
import java.io.PrintStream;
import java.net.URI;
import java.util.Optional;

/**
 * Connects an organization-wide Outlook account end to end, on a fake Microsoft cloud started in this process:
 * begin (the consent link) → the tenant's administrator accepts → complete (the redirect back) → verify (a real
 * app-only token from the fake, checked for its permissions) → the stored connection.
 *
 * <p>Exits 0 only when the connection was verified and stored as CONNECTED.
 */
public final class Quickstart {
    static final URI REDIRECT_URI = URI.create("https://app.tekst.example/outlook/consent/callback");
    static final String ADMINISTRATOR = "admin@contoso.onmicrosoft.com";

    private Quickstart() {
    }

    public static void main(String[] args) {
        System.exit(run(System.out));
    }

    /** Runs the walk-through, printing to {@code out}; returns the process exit status. */
    static int run(PrintStream out) {
        return run(out, ADMINISTRATOR);
    }

    /**
     * As {@link #run(PrintStream)}, with {@code account} answering the consent page: the administrator connects,
     * anyone else gets Microsoft's "admin approval required" and a non-zero status.
     */
    static int run(PrintStream out, String account) {
        InMemoryOutlookStore store = new InMemoryOutlookStore();
        try (FakeMicrosoftCloud cloud = FakeMicrosoftCloud.builder()
                .app(FakeApp.builder().displayName("Tekst Outlook").redirectUri(REDIRECT_URI.toString()))
                .tenant(FakeTenant.builder("contoso").displayName("Contoso Ltd").administrator(ADMINISTRATOR)
                        .user("alice@contoso.onmicrosoft.com"))
                .start();
             OutlookClient client = OutlookClient.builder()
                     .clientId(cloud.app().clientId())
                     .credential(AppCredential.secret(cloud.clientSecret()))
                     .stateKeys(StateKey.random())
                     .store(store)
                     .cloud(CloudEndpoints.of(cloud.loginBaseUrl(), cloud.graphBaseUrl()))
                     .trustManager(cloud.trustManager())
                     .clock(cloud.clock())
                     .sleeper(cloud.clock())
                     .build()) {
            FakeTenant contoso = cloud.findTenant("contoso.onmicrosoft.com").orElseThrow();
            out.println("Fake Microsoft cloud at " + cloud.loginBaseUrl() + ", tenant " + contoso.displayName() + " ("
                    + contoso.id() + "), application " + cloud.app().clientId());

            ConnectionId connection = ConnectionId.of("contoso-outlook");
            ConsentRequest request = client.adminConsent().begin(connection, REDIRECT_URI);
            out.println("1. begin:    send the administrator to " + request);

            URI back = cloud.adminConsent(request.consentUrl(), account, true);
            out.println("2. consent:  " + account + " pressed Accept; Microsoft redirects to " + back.getScheme()
                    + "://" + back.getAuthority() + back.getPath() + "?…");

            ConsentOutcome outcome = client.adminConsent().complete(connection,
                    ConsentCallback.fromQueryString(back.getRawQuery()));
            out.println("3. complete: " + outcome.message());
            if (!(outcome instanceof ConsentOutcome.Granted granted)) {
                out.println("FAILED: the callback was not a granted consent");
                return 1;
            }

            ConsentVerification verification = client.adminConsent().verify(granted);
            out.println("4. verify:   " + verification.status() + ": " + verification.detail());

            Optional<Connection> stored = store.findConnection(connection);
            out.println("5. stored:   " + stored.map(Connection::toString).orElse("nothing"));
            boolean connected = verification.isVerified() && stored.isPresent()
                    && stored.get().status() == ConnectionStatus.CONNECTED
                    && stored.get().tenant().equals(Optional.of(contoso.id()));
            out.println(connected ? "OK: connection " + connection + " is verified and CONNECTED to tenant "
                    + contoso.id() : "FAILED: the connection was not verified");
            return connected ? 0 : 1;
        } catch (OutlookException e) {
            out.println("FAILED: " + e.getMessage());
            return 2;
        }
    }
}
