package com.tekst.outlook.examples.wizard;

import static com.tekst.outlook.examples.wizard.WizardHttp.hidden;
import static com.tekst.outlook.examples.wizard.WizardHttp.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wizard over HTTP as a browser drives it: the whole flow, restarts, and every kind of bad input. */
class WizardHttpTest {
    @TempDir
    Path data;
    WizardApp app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    private WizardApp start() throws Exception {
        app = new WizardApp(new WizardApp.Settings(0, data, null, null, null, null, Duration.ofMillis(500)));
        return app;
    }

    /** Connect → the fake's consent page → Accept → the callback; returns the page it ends on. */
    static HttpResponse<String> consent(WizardHttp web, boolean accept) throws Exception {
        web.get("/connect");
        HttpResponse<String> toConsent = web.post("/connect", "type", "ORGANIZATION_WIDE");
        assertThat(toConsent.statusCode()).isEqualTo(303);
        HttpResponse<String> consentPage = web.get(toConsent.headers().firstValue("Location").orElseThrow());
        assertThat(text(consentPage.body())).contains("Permissions requested", "admin@contoso.com");
        HttpResponse<String> back = web.post("/fake-microsoft/adminconsent", "q", hidden(consentPage.body(), "q"),
                "accept", Boolean.toString(accept));
        assertThat(back.statusCode()).isEqualTo(303);
        return web.get(back.headers().firstValue("Location").orElseThrow());
    }

    static String connectionPath(String page) {
        Matcher m = Pattern.compile("href=\"(/c/[^\"/]+)/mailboxes\"").matcher(page);
        assertThat(m.find()).as("a link to choose mailboxes").isTrue();
        return m.group(1);
    }

    @Test
    void theConnectPageOffersThePermissionProfilesAndRefusesAnUnknownOne() throws Exception {
        WizardHttp web = new WizardHttp(start().baseUrl());
        String page = web.get("/connect").body();
        assertThat(page).contains("<option value=\"READ_ONLY\" selected>", "<option value=\"PROCESS_AND_FORWARD\"",
                "<option value=\"MINIMAL\"");
        HttpResponse<String> bogus = web.post("/connect", "type", "ORGANIZATION_WIDE", "profile", "EVERYTHING");
        assertThat(bogus.statusCode()).isEqualTo(400);
        assertThat(text(bogus.body())).contains("Choose one of the permission profiles offered");
        HttpResponse<String> process = web.post("/connect", "type", "ORGANIZATION_WIDE", "profile", "PROCESS");
        assertThat(process.statusCode()).isEqualTo(303);
        HttpResponse<String> consentPage = web.get(process.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> back = web.post("/fake-microsoft/adminconsent", "q", hidden(consentPage.body(), "q"),
                "accept", "true");
        String after = text(web.get(back.headers().firstValue("Location").orElseThrow()).body());
        assertThat(after).as("the fake tenant consents to READ_ONLY's permissions only")
                .contains("Admin consent is missing permissions: [Mail.ReadWrite]");
    }

    @Test
    void theWholeWizardEndsConnectedWithBackfillAndLiveMail() throws Exception {
        WizardHttp web = new WizardHttp(start().baseUrl());
        HttpResponse<String> granted = consent(web, true);
        assertThat(text(granted.body())).contains("Admin consent granted and verified", "CONNECTED");
        String c = connectionPath(granted.body());

        assertThat(text(web.get(c + "/mailboxes?q=").body())).contains("Type at least one character");
        String results = web.get(c + "/mailboxes?q=s").body();
        assertThat(text(results)).contains("support@contoso.com", "SHARED");
        assertThat(text(web.post(c + "/mailboxes/add", "address", "support@contoso.com", "folders", "").body()))
                .contains("Added support@contoso.com (shared mailbox, 1 folder(s))");
        assertThat(text(web.post(c + "/mailboxes/add", "address", "support@contoso.com").body()))
                .as("a double submit").contains("support@contoso.com is already chosen");
        assertThat(text(web.post(c + "/mailboxes/add", "address", "room.berlin@contoso.com").body()))
                .contains("room mailbox");
        assertThat(text(web.post(c + "/mailboxes/add", "address", "nobody@contoso.com").body()))
                .contains("Cannot add nobody@contoso.com");
        assertThat(text(web.post(c + "/mailboxes/add", "address", "not an address").body()))
                .contains("Not a mailbox address: not an address");
        String scope = web.get(c + "/mailboxes").body();
        assertThat(text(scope)).contains("New-ApplicationAccessPolicy", "Copy", "Verify restriction");
        assertThat(text(web.post(c + "/restriction/verify").body())).contains("Restriction: NOT_ENFORCED");
        web.post(c + "/restriction/apply-in-fake");
        assertThat(text(web.post(c + "/restriction/verify").body())).contains("Restriction: ENFORCED");

        HttpResponse<String> finished = web.post(c + "/finish", "backfill", "12m");
        assertThat(finished.statusCode()).isEqualTo(303);
        String status = awaitStatus(web, c, page -> text(page).contains("(COMPLETE)")
                && text(page).contains("customer"));
        assertThat(text(status)).contains("CONNECTED", "support@contoso.com", "room.berlin@contoso.com");
        assertThat(status).contains("<progress class=\"backfill\"");
        assertThat(text(web.post(c + "/finish", "backfill", "12m").headers().firstValue("Location").orElseThrow()))
                .endsWith("?notice=again");
        assertThat(text(web.get(c + "?notice=again").body())).contains("Setup was already finished");

        String report = web.follow(c + "/diagnostics").body();
        assertThat(report).isNotEmpty();
        HttpResponse<String> diag = web.post(c + "/diagnostics");
        assertThat(diag.statusCode()).isEqualTo(303);
        assertThat(text(web.get(c).body())).contains("Diagnostics", "PASS", "Tenant reachable and known");
    }

    @Test
    void aRestartResumesFromTheSqliteFile() throws Exception {
        WizardHttp web = new WizardHttp(start().baseUrl());
        String c = connectionPath(consent(web, true).body());
        web.post(c + "/mailboxes/add", "address", "support@contoso.com");
        web.post(c + "/finish", "backfill", "skip");
        awaitStatus(web, c, page -> text(page).contains("IDLE") || text(page).contains("SYNCING"));
        app.close();

        WizardHttp again = new WizardHttp(start().baseUrl());
        assertThat(text(again.get("/").body())).contains(c.substring(3), "CONNECTED");
        String status = awaitStatus(again, c, page -> text(page).contains("customer"));
        assertThat(text(status)).contains("support@contoso.com", "CONNECTED");
    }

    @Test
    void cancellingOnTheConsentPageSaysAdminConsentIsMissingWithARetryLink() throws Exception {
        WizardHttp web = new WizardHttp(start().baseUrl());
        HttpResponse<String> page = consent(web, false);
        assertThat(text(page.body())).contains("Admin consent is missing");
        assertThat(page.body()).contains("id=\"retry\" href=\"/connect\"");
    }

    @Test
    void aForgedOrReplayedCallbackIsRejectedVisibly() throws Exception {
        WizardHttp web = new WizardHttp(start().baseUrl());
        HttpResponse<String> noPending = web.get("/callback?admin_consent=True&tenant=x&state=forged");
        assertThat(noPending.statusCode()).isEqualTo(400);
        assertThat(text(noPending.body())).contains("Consent callback rejected", "no connection waiting");

        web.get("/connect");
        web.post("/connect", "type", "ORGANIZATION_WIDE");
        HttpResponse<String> forged = web.get("/callback?admin_consent=True"
                + "&tenant=54891521-740d-3296-9f5a-fc4fa0bbae11&state=v1.forged.state");
        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(text(forged.body())).contains("Consent callback rejected").doesNotContain("Exception");

        HttpResponse<String> noState = web.get("/callback?admin_consent=True&error_description=%3Cscript%3Ex");
        assertThat(noState.statusCode()).isEqualTo(400);
        assertThat(text(noState.body())).contains("Consent callback rejected");
        assertThat(noState.body()).doesNotContain("<script>");
    }

    @Test
    void aReplayedGrantIsRejected() throws Exception {
        WizardHttp web = new WizardHttp(start().baseUrl());
        web.get("/connect");
        HttpResponse<String> toConsent = web.post("/connect", "type", "ORGANIZATION_WIDE");
        HttpResponse<String> consentPage = web.get(toConsent.headers().firstValue("Location").orElseThrow());
        String callback = web.post("/fake-microsoft/adminconsent", "q", hidden(consentPage.body(), "q"),
                "accept", "true").headers().firstValue("Location").orElseThrow();
        assertThat(web.get(callback).statusCode()).isEqualTo(200);
        HttpResponse<String> replay = web.get(callback);
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(text(replay.body())).contains("Consent callback rejected");
    }

    @Test
    void formsWithoutTheSessionsCsrfTokenAreRefused() throws Exception {
        WizardHttp web = new WizardHttp(start().baseUrl());
        web.get("/");
        HttpResponse<String> r = web.postRaw("/connect", "type=ORGANIZATION_WIDE");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(text(r.body())).contains("CSRF");
        WizardHttp stranger = new WizardHttp(app.baseUrl());
        assertThat(stranger.postRaw("/connect", "csrf=guess&type=ORGANIZATION_WIDE").statusCode()).isEqualTo(403);
    }

    @Test
    void unknownConnectionsPagesAndPersonalAccountsGetAPageNotAStackTrace() throws Exception {
        WizardHttp web = new WizardHttp(start().baseUrl());
        assertThat(web.get("/c/no-such-connection").statusCode()).isEqualTo(404);
        assertThat(web.get("/c/%00bad/mailboxes").statusCode()).isEqualTo(404);
        assertThat(web.get("/nowhere").statusCode()).isEqualTo(404);
        String types = web.get("/connect").body();
        assertThat(text(types)).contains("Organization-wide", "(recommended)", "not available yet");
        HttpResponse<String> personal = web.post("/connect", "type", "PERSONAL");
        assertThat(personal.statusCode()).isEqualTo(400);
        assertThat(text(personal.body())).contains("not built yet").doesNotContain("Exception");
    }

    private static String awaitStatus(WizardHttp web, String c, Predicate<String> done) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        String page = web.get(c).body();
        while (!done.test(page)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the status page did not get there in 60 s:\n" + text(page));
            }
            Thread.sleep(250);
            page = web.get(c).body();
        }
        return page;
    }
}
