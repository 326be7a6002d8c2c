package com.tekst.outlook.examples.wizard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.tekst.outlook.Connection;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionPermissions;
import com.tekst.outlook.ConnectionStatus;
import com.tekst.outlook.ConnectionType;
import com.tekst.outlook.InvalidValueException;
import com.tekst.outlook.MailboxAccessException;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.OutlookException;
import com.tekst.outlook.PermissionProfile;
import com.tekst.outlook.TenantHint;
import com.tekst.outlook.consent.ConsentCallback;
import com.tekst.outlook.consent.ConsentOutcome;
import com.tekst.outlook.consent.ConsentRequest;
import com.tekst.outlook.consent.ConsentVerification;
import com.tekst.outlook.diagnostics.CheckResult;
import com.tekst.outlook.diagnostics.DiagnosticReport;
import com.tekst.outlook.graph.OutlookClient;
import com.tekst.outlook.mailbox.FolderSelection;
import com.tekst.outlook.mailbox.MailboxCandidate;
import com.tekst.outlook.mailbox.MailboxSearch;
import com.tekst.outlook.mailbox.RestrictionCheck;
import com.tekst.outlook.mailbox.RestrictionMechanism;
import com.tekst.outlook.mailbox.RestrictionScriptRequest;
import com.tekst.outlook.mailbox.RestrictionVerification;
import com.tekst.outlook.mailbox.ScopedMailbox;
import com.tekst.outlook.store.OutlookStore;
import com.tekst.outlook.sync.BackfillWindow;
import com.tekst.outlook.sync.ConnectionProgress;
import com.tekst.outlook.sync.FolderProgress;
import com.tekst.outlook.sync.MailboxProgress;
import com.tekst.outlook.sync.SyncEngine;
import com.tekst.outlook.testkit.FakeMicrosoftCloud;
import com.tekst.outlook.testkit.FakeTenant;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static com.tekst.outlook.examples.wizard.Html.esc;

/**
 * The wizard's pages. Every state-changing request is a POST carrying the session's CSRF token; every bad input
 * (a forged or replayed consent callback, an unknown connection or mailbox, an empty search, a form sent twice) ends
 * on a page that says what went wrong, never on a stack trace.
 */
final class WizardServer implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(WizardServer.class);
    private static final Pattern CONNECTION_PATH = Pattern.compile("^/c/([^/]+)(/.*)?$");
    private static final String COOKIE = "tekst_wizard";
    private static final int MAX_FORM_BYTES = 16 * 1024;

    private final OutlookClient client;
    private final SyncEngine engine;
    private final OutlookStore store;
    private final RecentMessages recent;
    private final URI callback;
    private final FakeMicrosoftCloud cloud;
    private final FakeTenant fakeTenant;
    private final String fakeAdmin;
    private final SecureRandom random = new SecureRandom();
    /** session id → CSRF token. */
    private final Map<String, String> sessions = new ConcurrentHashMap<>();
    /** session id → the connection whose consent this browser started (the callback must come back to it). */
    private final Map<String, ConnectionId> pending = new ConcurrentHashMap<>();
    private final Map<ConnectionId, DiagnosticReport> reports = new ConcurrentHashMap<>();
    private final Map<ConnectionId, RestrictionVerification> restrictions = new ConcurrentHashMap<>();

    WizardServer(OutlookClient client, SyncEngine engine, OutlookStore store, RecentMessages recent, URI callback,
                 FakeMicrosoftCloud cloud, FakeTenant fakeTenant, String fakeAdmin) {
        this.client = client;
        this.engine = engine;
        this.store = store;
        this.recent = recent;
        this.callback = callback;
        this.cloud = cloud;
        this.fakeTenant = fakeTenant;
        this.fakeAdmin = fakeAdmin;
    }

    /** A response: status, page or redirect. */
    private record Reply(int status, String body, String location) {
        static Reply page(String html) {
            return new Reply(200, html, null);
        }

        static Reply error(int status, String title, String message) {
            return new Reply(status, Html.page(title, Html.error(message) + "<p><a href=\"/\">Back to"
                    + " Integrations</a></p>"), null);
        }

        static Reply redirect(String location) {
            return new Reply(303, "", location);
        }
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        String session = session(ex);
        Reply reply;
        try {
            reply = route(ex, session);
        } catch (InvalidValueException e) {
            reply = Reply.error(400, "Invalid input", e.getMessage());
        } catch (OutlookException e) {
            LOG.warn("request {} {} failed: {}", ex.getRequestMethod(), ex.getRequestURI().getPath(), e.getMessage());
            reply = Reply.error(502, "Microsoft 365 answered with an error", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("request {} {} failed", ex.getRequestMethod(), ex.getRequestURI().getPath(), e);
            reply = Reply.error(500, "Something went wrong", "The wizard could not complete this step ("
                    + e.getClass().getSimpleName() + "). The log has the details.");
        }
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("X-Frame-Options", "DENY");
        ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; style-src 'unsafe-inline';"
                + " script-src 'unsafe-inline'; form-action 'self' " + (cloud == null
                ? "https://login.microsoftonline.com" : "'self'"));
        if (reply.location() != null) {
            ex.getResponseHeaders().set("Location", reply.location());
        }
        ex.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
        ex.close();
    }

    private Reply route(HttpExchange ex, String session) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        Map<String, String> query = parse(ex.getRequestURI().getRawQuery());
        boolean post = method.equals("POST");
        if (!post && !method.equals("GET")) {
            return Reply.error(405, "Not allowed", "Use the wizard's links and buttons.");
        }
        Map<String, String> form = Map.of();
        if (post) {
            form = parse(readForm(ex));
            if (!constantTimeEquals(sessions.get(session), form.get("csrf"))) {
                return Reply.error(403, "Request refused", "This form was not sent from this wizard session (a"
                        + " missing or wrong CSRF token). Reload the page and try again.");
            }
        }
        if (path.equals("/") && !post) {
            return Reply.page(integrations(session));
        }
        if (path.equals("/connect")) {
            return post ? connect(session, form) : Reply.page(chooseType(session));
        }
        if (path.equals("/fake-microsoft/adminconsent") && cloud != null) {
            return post ? fakeConsentAnswer(form) : Reply.page(fakeConsentPage(session, ex.getRequestURI().getRawQuery()));
        }
        if (path.equals(callback.getRawPath()) && !post) {
            return consentCallback(session, ex.getRequestURI().getRawQuery());
        }
        Matcher m = CONNECTION_PATH.matcher(path);
        if (m.matches()) {
            ConnectionId id;
            try {
                id = ConnectionId.of(URLDecoder.decode(m.group(1), StandardCharsets.UTF_8));
            } catch (InvalidValueException e) {
                return Reply.error(404, "Unknown connection", "There is no such connection.");
            }
            Optional<Connection> connection = store.findConnection(id);
            if (connection.isEmpty()) {
                return Reply.error(404, "Unknown connection", "There is no connection " + id.value() + ".");
            }
            String rest = m.group(2) == null ? "" : m.group(2);
            return switch ((post ? "POST " : "GET ") + rest) {
                case "GET " -> Reply.page(status(session, connection.get(), "again".equals(query.get("notice"))));
                case "GET /mailboxes" -> Reply.page(mailboxes(session, connection.get(), query.get("q"), null, null));
                case "POST /mailboxes/add" -> addMailbox(session, connection.get(), form);
                case "POST /mailboxes/remove" -> removeMailbox(session, connection.get(), form);
                case "POST /restriction/apply-in-fake" -> applyInFake(session, connection.get());
                case "POST /restriction/verify" -> verifyRestriction(session, connection.get());
                case "POST /finish" -> finish(session, connection.get(), form);
                case "POST /diagnostics" -> diagnostics(connection.get());
                default -> Reply.error(404, "Not found", "The wizard has no such page.");
            };
        }
        return Reply.error(404, "Not found", "The wizard has no such page.");
    }

    // ---- step 1: Integrations → Connect integration → Outlook → account type --------------------------------------

    private String integrations(String session) {
        StringBuilder rows = new StringBuilder();
        for (Connection c : store.listConnections()) {
            rows.append("<tr><td><a href=\"/c/").append(esc(c.id().value())).append("\">").append(esc(c.id().value()))
                    .append("</a></td><td>Outlook (").append(esc(c.type().displayName())).append(")</td><td class=\"")
                    .append(esc(c.status())).append("\">").append(esc(c.status())).append("</td><td>")
                    .append(esc(c.tenant().map(Object::toString).orElse("—"))).append("</td></tr>");
        }
        String list = rows.isEmpty() ? "<p class=\"muted\">No integration yet.</p>"
                : "<table><tr><th>Connection</th><th>Integration</th><th>Status</th><th>Tenant</th></tr>" + rows
                + "</table>";
        return Html.page("Integrations", list + "<p><a id=\"connect-integration\" href=\"/connect\">Connect"
                + " integration</a></p>");
    }

    private String chooseType(String session) {
        StringBuilder cards = new StringBuilder();
        for (ConnectionType type : ConnectionType.values()) {
            boolean available = type == ConnectionType.ORGANIZATION_WIDE;
            cards.append("<div class=\"card\" id=\"type-").append(type.name()).append("\"><h2>")
                    .append(esc(type.displayName())).append(type.isRecommended() ? " (recommended)" : "")
                    .append(available ? "" : " — not available yet").append("</h2><p>").append(esc(type.description()))
                    .append("</p><p class=\"muted\">Who acts: ").append(esc(type.whoMustAct())).append(". Survives"
                    + " password rotation and MFA: ").append(type.survivesPasswordRotationAndMfa() ? "yes" : "no")
                    .append(". Stored: ").append(esc(type.whatIsStored())).append("</p>");
            if (available) {
                StringBuilder profiles = new StringBuilder("<p><label>Permissions: <select name=\"profile\" id=\"profile\">");
                for (PermissionProfile p : PermissionProfile.values()) {
                    profiles.append("<option value=\"").append(p.name()).append('"')
                            .append(p == PermissionProfile.READ_ONLY ? " selected" : "").append('>')
                            .append(esc(p.name() + " (" + String.join(", ", p.graphPermissions()) + ")"))
                            .append("</option>");
                }
                profiles.append("</select></label></p>");
                cards.append(Html.form("/connect", csrf(session), "connect-" + type.name(),
                        "<input type=\"hidden\" name=\"type\" value=\"" + type.name() + "\">" + profiles,
                        "Connect " + type.displayName()));
            }
            cards.append("</div>");
        }
        return Html.page("Connect Outlook", "<p>Choose how Tekst connects to Microsoft 365.</p>" + cards);
    }

    private Reply connect(String session, Map<String, String> form) {
        if (!ConnectionType.ORGANIZATION_WIDE.name().equals(form.get("type"))) {
            return Reply.error(400, "Not available", "Only organization-wide connections are available; a personal"
                    + " connection (one user's sign-in) is not built yet.");
        }
        PermissionProfile profile;
        try {
            profile = PermissionProfile.valueOf(form.getOrDefault("profile", PermissionProfile.READ_ONLY.name()));
        } catch (IllegalArgumentException e) {
            return Reply.error(400, "Unknown permissions", "Choose one of the permission profiles offered.");
        }
        ConnectionId id = ConnectionId.random();
        ConsentRequest request = client.adminConsent().begin(id, callback, TenantHint.ORGANIZATIONS,
                ConnectionPermissions.entra(profile));
        pending.put(session, id);
        if (cloud == null) {
            return Reply.redirect(request.consentUrl().toString());
        }
        return Reply.redirect("/fake-microsoft/adminconsent?" + request.consentUrl().getRawQuery());
    }

    // ---- step 2: consent ------------------------------------------------------------------------------------------

    /** The fake tenant's consent page, as Microsoft's would ask its administrator. */
    private String fakeConsentPage(String session, String rawQuery) {
        String q = rawQuery == null ? "" : rawQuery;
        return Html.page("Microsoft (fake): Permissions requested", "<div class=\"card\"><p><b>Tekst</b> asks for"
                + " these application permissions in <b>" + esc(fakeTenant.displayName()) + "</b>: "
                + esc(String.join(", ", cloud.app().requestedPermissions())) + ".</p><p>Signed in as <b>"
                + esc(fakeAdmin) + "</b> (Global Administrator of the fake tenant). Accepting grants consent on"
                + " behalf of the whole organization.</p>"
                + Html.form("/fake-microsoft/adminconsent", csrf(session), "consent-accept",
                "<input type=\"hidden\" name=\"q\" value=\"" + esc(q) + "\"><input type=\"hidden\" name=\"accept\""
                        + " value=\"true\">", "Accept")
                + " " + Html.form("/fake-microsoft/adminconsent", csrf(session), "consent-cancel",
                "<input type=\"hidden\" name=\"q\" value=\"" + esc(q) + "\"><input type=\"hidden\" name=\"accept\""
                        + " value=\"false\">", "Cancel") + "</div>");
    }

    private Reply fakeConsentAnswer(Map<String, String> form) {
        URI consentUrl = URI.create(cloud.loginBaseUrl().toString().replaceAll("/$", "")
                + "/organizations/v2.0/adminconsent?" + form.getOrDefault("q", ""));
        URI back;
        try {
            back = cloud.adminConsent(consentUrl, fakeAdmin, "true".equals(form.get("accept")));
        } catch (IllegalArgumentException | IllegalStateException e) {
            return Reply.error(400, "Consent page error", "The consent page refused the request: "
                    + e.getMessage());
        }
        return Reply.redirect(back.toString());
    }

    private Reply consentCallback(String session, String rawQuery) {
        ConsentCallback callback;
        try {
            callback = ConsentCallback.fromQueryString(rawQuery == null ? "" : rawQuery);
        } catch (InvalidValueException e) {
            return Reply.error(400, "Consent callback rejected", e.getMessage());
        }
        ConnectionId expected = pending.get(session);
        if (expected == null) {
            return Reply.error(400, "Consent callback rejected", "This browser has no connection waiting for"
                    + " consent (the link was opened elsewhere, already used, or the wizard restarted). Start again"
                    + " from Connect integration.");
        }
        ConsentOutcome outcome = client.adminConsent().complete(expected, callback);
        if (!(outcome instanceof ConsentOutcome.Rejected)) {
            pending.remove(session, expected);
        }
        if (outcome instanceof ConsentOutcome.Rejected rejected) {
            return Reply.error(400, "Consent callback rejected", rejected.message());
        }
        if (outcome instanceof ConsentOutcome.Denied denied) {
            return new Reply(200, Html.page("Admin consent is missing", Html.error(denied.message())
                    + "<p><a id=\"retry\" href=\"/connect\">Try again</a> (an administrator of the organization must"
                    + " accept)</p>"), null);
        }
        ConsentOutcome.Granted granted = (ConsentOutcome.Granted) outcome;
        ConsentVerification verification = client.adminConsent().verify(granted);
        String id = granted.connection().value();
        if (!verification.isVerified()) {
            return new Reply(200, Html.page("Consent not verified", Html.error(verification.detail())
                    + "<p><a id=\"retry\" href=\"/connect\">Try again</a></p>"), null);
        }
        return Reply.page(Html.page("Granted", Html.notice("Admin consent granted and verified: the connection is "
                + ConnectionStatus.CONNECTED + ".") + "<p><a id=\"choose-mailboxes\" href=\"/c/" + esc(id)
                + "/mailboxes\">Choose mailboxes</a></p>"));
    }

    // ---- step 3: choose mailboxes, restriction --------------------------------------------------------------------

    private String mailboxes(String session, Connection c, String q, String notice, String error) {
        String id = esc(c.id().value());
        StringBuilder body = new StringBuilder();
        if (notice != null) {
            body.append(Html.notice(notice));
        }
        if (error != null) {
            body.append(Html.error(error));
        }
        body.append("<form method=\"get\" action=\"/c/").append(id).append("/mailboxes\" id=\"search\">"
                + "<input name=\"q\" id=\"q\" placeholder=\"name or address\" value=\"").append(esc(q == null ? "" : q))
                .append("\"><button type=\"submit\">Search</button></form>");
        List<ScopedMailbox> scope = client.mailboxScope().list(c.id());
        Set<MailboxId> inScope = new HashSet<>();
        scope.forEach(s -> inScope.add(s.mailboxId()));
        if (q != null) {
            if (q.isBlank()) {
                body.append(Html.error("Type at least one character of a name or address to search."));
            } else {
                List<MailboxCandidate> found = client.mailboxDirectory().search(c.id(), MailboxSearch.prefix(q.strip()))
                        .mailboxes();
                body.append("<table id=\"results\"><tr><th>Mailbox</th><th>Type</th><th></th></tr>");
                for (MailboxCandidate m : found) {
                    String address = m.address().map(MailboxAddress::value).orElse(m.userPrincipalName());
                    body.append("<tr><td>").append(esc(m.displayName())).append(" &lt;").append(esc(address))
                            .append("&gt;</td><td>").append(esc(m.type())).append("</td><td>");
                    if (inScope.contains(m.mailboxId())) {
                        body.append("added");
                    } else if (m.isSelectable()) {
                        body.append(Html.form("/c/" + c.id().value() + "/mailboxes/add", csrf(session),
                                "add-" + address, "<input type=\"hidden\" name=\"address\" value=\"" + esc(address)
                                        + "\"><input name=\"folders\" placeholder=\"more folders: Inbox/Invoices, …\">",
                                "Add"));
                    } else {
                        body.append("<span class=\"muted\">").append(esc(m.availability())).append("</span>");
                    }
                    body.append("</td></tr>");
                }
                body.append("</table>").append(found.isEmpty() ? "<p class=\"muted\">No mailbox matches.</p>" : "");
            }
        }
        body.append("<h2>Chosen mailboxes</h2>");
        if (scope.isEmpty()) {
            body.append("<p class=\"muted\">None yet: search and add the user, shared and other mailboxes Tekst"
                    + " should process.</p>");
        } else {
            body.append("<table id=\"scope\"><tr><th>Mailbox</th><th>Type</th><th>Folders</th><th></th></tr>");
            for (ScopedMailbox s : scope) {
                body.append("<tr><td>").append(esc(s.address().value())).append("</td><td>").append(esc(s.type()))
                        .append("</td><td>").append(esc(String.join(", ", s.folders().stream()
                                .map(f -> f.path().isEmpty() ? f.id() : f.path()).toList()))).append("</td><td>")
                        .append(Html.form("/c/" + c.id().value() + "/mailboxes/remove", csrf(session),
                                "remove-" + s.address().value(), "<input type=\"hidden\" name=\"address\" value=\""
                                        + esc(s.address().value()) + "\">", "Remove")).append("</td></tr>");
            }
            body.append("</table>");
            body.append(restrictionSection(session, c, scope));
            body.append("<h2>Finish</h2>").append(Html.form("/c/" + c.id().value() + "/finish", csrf(session),
                    "finish", "<label>Backfill of historical mail: <select name=\"backfill\" id=\"backfill\">"
                            + "<option value=\"30d\">30 days</option><option value=\"90d\" selected>90 days</option>"
                            + "<option value=\"12m\">12 months</option><option value=\"all\">everything</option>"
                            + "<option value=\"skip\">skip (new mail only)</option></select></label> ", "Finish"));
        }
        return Html.page("Choose mailboxes", body.toString());
    }

    private String restrictionSection(String session, Connection c, List<ScopedMailbox> scope) {
        String domain = scope.get(0).address().value().substring(scope.get(0).address().value().indexOf('@') + 1);
        String script;
        try {
            MailboxAddress outside = outsideExample(c, scope, domain);
            script = client.tenantRestriction().script(c.id(), RestrictionScriptRequest.applicationAccessPolicy(
                    "Tekst mailboxes", MailboxAddress.of("tekst-mailboxes@" + domain), outside)).text();
        } catch (OutlookException e) {
            script = "# The script could not be generated: " + e.getMessage();
        }
        StringBuilder out = new StringBuilder("<h2>Restrict Tekst to these mailboxes</h2><p>A Microsoft 365"
                + " administrator runs this in Exchange Online PowerShell (an application access policy on a"
                + " mail-enabled security group). Exchange takes 30 minutes to 2 hours to apply it.</p>"
                + "<pre id=\"script\">").append(esc(script)).append("</pre><button type=\"button\" id=\"copy\""
                + " onclick=\"navigator.clipboard.writeText(document.getElementById('script').innerText);"
                + "this.innerText='Copied'\">Copy</button> ");
        if (cloud != null) {
            out.append(Html.form("/c/" + c.id().value() + "/restriction/apply-in-fake", csrf(session), "apply-in-fake",
                    "", "Apply it in the fake tenant (what the script does)")).append(" ");
        }
        out.append(Html.form("/c/" + c.id().value() + "/restriction/verify", csrf(session), "verify-restriction", "",
                "Verify restriction"));
        RestrictionVerification v = restrictions.get(c.id());
        if (v != null) {
            out.append("<p id=\"restriction-verdict\">Restriction: <b class=\"").append(v.verdict() == RestrictionVerification.Verdict.ENFORCED
                    ? "PASS" : "WARN").append("\">").append(esc(v.verdict())).append("</b>").append(v.findings().isEmpty()
                    ? "" : " (" + esc(v.findings()) + ")").append(" — checked ").append(esc(v.checkedAt()))
                    .append(", check again after ").append(esc(v.recheckAt())).append(". <span class=\"muted\">")
                    .append(esc(v.propagationNote())).append("</span></p>");
        }
        return out.toString();
    }

    /** A mailbox of the tenant outside the scope, for the script's last test (one directory search). */
    private MailboxAddress outsideExample(Connection c, List<ScopedMailbox> scope, String domain) {
        Set<MailboxId> ids = new HashSet<>();
        scope.forEach(s -> ids.add(s.mailboxId()));
        for (String prefix : List.of("a", "m", "s", "j")) {
            for (MailboxCandidate m : client.mailboxDirectory().search(c.id(), MailboxSearch.prefix(prefix))
                    .mailboxes()) {
                if (!ids.contains(m.mailboxId()) && m.isSelectable() && m.address().isPresent()) {
                    return m.address().get();
                }
            }
        }
        return MailboxAddress.of("someone.else@" + domain);
    }

    private Reply addMailbox(String session, Connection c, Map<String, String> form) {
        String raw = form.getOrDefault("address", "").strip();
        if (raw.isEmpty()) {
            return Reply.page(mailboxes(session, c, null, null, "Choose a mailbox to add."));
        }
        MailboxAddress address;
        try {
            address = MailboxAddress.of(raw);
        } catch (InvalidValueException e) {
            return Reply.page(mailboxes(session, c, null, null, "Not a mailbox address: " + raw));
        }
        if (client.mailboxScope().find(c.id(), address).isPresent()) {
            return Reply.page(mailboxes(session, c, null, address.value() + " is already chosen.", null));
        }
        List<FolderSelection> folders = new ArrayList<>(List.of(FolderSelection.inbox()));
        for (String path : form.getOrDefault("folders", "").split(",")) {
            if (!path.isBlank()) {
                folders.add(FolderSelection.byPath(path.strip()));
            }
        }
        try {
            ScopedMailbox added = client.mailboxScope().add(c.id(), address, folders);
            return Reply.page(mailboxes(session, c, null, "Added " + added.address().value() + " ("
                    + added.type().name().toLowerCase(Locale.ROOT) + " mailbox, " + added.folders().size()
                    + " folder(s)).", null));
        } catch (MailboxAccessException e) {
            return Reply.page(mailboxes(session, c, null, null, "Cannot add " + address.value() + ": "
                    + e.summary()));
        } catch (OutlookException e) {
            return Reply.page(mailboxes(session, c, null, null, "Cannot add " + address.value() + ": "
                    + e.getMessage()));
        }
    }

    private Reply removeMailbox(String session, Connection c, Map<String, String> form) {
        MailboxAddress address = MailboxAddress.of(form.getOrDefault("address", ""));
        boolean removed = client.mailboxScope().remove(c.id(), address);
        return Reply.page(mailboxes(session, c, null, removed ? "Removed " + address.value() + "." : null,
                removed ? null : address.value() + " is not chosen."));
    }

    private Reply applyInFake(String session, Connection c) {
        List<ScopedMailbox> scope = client.mailboxScope().list(c.id());
        fakeTenant.restrict(cloud.app(), FakeTenant.RestrictionMechanism.APPLICATION_ACCESS_POLICY);
        fakeTenant.addToRestrictionGroup(cloud.app(), scope.stream().map(s -> s.address().value())
                .toArray(String[]::new));
        client.tenantRestriction().recordApplied(c.id(), RestrictionMechanism.APPLICATION_ACCESS_POLICY);
        return Reply.page(mailboxes(session, c, null, "The fake tenant now has an application access policy on "
                + scope.size() + " mailbox(es), as the script would create.", null));
    }

    private Reply verifyRestriction(String session, Connection c) {
        RestrictionVerification v = client.tenantRestriction().verify(c.id(), RestrictionCheck.automatic());
        restrictions.put(c.id(), v);
        return Reply.page(mailboxes(session, c, null, "Restriction: " + v.verdict() + ".", null));
    }

    // ---- step 4: finish, status ------------------------------------------------------------------------------------

    private Reply finish(String session, Connection c, Map<String, String> form) {
        String choice = form.getOrDefault("backfill", "");
        BackfillWindow window = switch (choice) {
            case "30d" -> BackfillWindow.last30Days();
            case "90d" -> BackfillWindow.last90Days();
            case "12m" -> BackfillWindow.last12Months();
            case "all" -> BackfillWindow.everything();
            case "skip" -> null;
            default -> throw new InvalidValueException("backfill", "must be 30d, 90d, 12m, all or skip", choice);
        };
        boolean again = !finished.add(c.id());
        // a second Finish (a double submit, or Finish after adding mailboxes) is harmless: a backfill already running
        // or complete is not started over
        if (window == null) {
            client.finishSetup(engine, c.id());
        } else {
            client.finishSetup(engine, c.id(), window);
        }
        return Reply.redirect("/c/" + c.id().value() + (again ? "?notice=again" : ""));
    }

    private final Set<ConnectionId> finished = ConcurrentHashMap.newKeySet();

    private Reply diagnostics(Connection c) {
        reports.put(c.id(), client.diagnostics().run(c.id()));
        return Reply.redirect("/c/" + c.id().value() + "#diagnostics");
    }

    private String status(String session, Connection c, boolean finishedAgain) {
        StringBuilder body = new StringBuilder();
        if (finishedAgain) {
            body.append(Html.notice("Setup was already finished: sync continues; nothing was started twice."));
        }
        Optional<ConnectionProgress> progress = engine.progress(c.id());
        ConnectionStatus status = progress.map(ConnectionProgress::status).orElse(c.status());
        body.append("<p>Connection <b>").append(esc(c.id().value())).append("</b>: <b id=\"connection-status\" class=\"")
                .append(esc(status)).append("\">").append(esc(status)).append("</b>").append(status.stopsSync()
                ? " — " + esc(status.remediation()) : "").append("</p>");
        body.append("<p><a href=\"/c/").append(esc(c.id().value())).append("/mailboxes\">Choose mailboxes</a></p>");
        body.append("<h2>Mailboxes</h2><table id=\"mailboxes\"><tr><th>Mailbox</th><th>Status</th><th>Folder</th>"
                + "<th>Backfill</th></tr>");
        for (MailboxProgress m : progress.map(ConnectionProgress::mailboxes).orElse(List.of())) {
            for (FolderProgress f : m.folders()) {
                body.append("<tr><td>").append(esc(m.address().value())).append("</td><td class=\"mailbox-status\">")
                        .append(esc(m.status())).append("</td><td>").append(esc(f.folder().path().isEmpty()
                                ? f.folder().id() : f.folder().path())).append("</td><td>");
                f.backfill().ifPresentOrElse(b -> {
                    boolean complete = b.state() == com.tekst.outlook.store.BackfillCursor.State.COMPLETE;
                    long max = complete ? Math.max(b.delivered(), 1) : Math.max(Math.max(b.estimatedTotal().orElse(0),
                            b.delivered()), 1);
                    body.append("<progress class=\"backfill\" max=\"").append(max).append("\" value=\"")
                            .append(complete ? max : b.delivered()).append("\"></progress> ").append(b.delivered())
                            .append(complete || b.estimatedTotal().orElse(0) <= 0 ? "" : " of about " + b.estimatedTotal().getAsLong())
                            .append(" messages (").append(esc(b.state())).append(")");
                }, () -> body.append("<span class=\"muted\">none</span>"));
                body.append("</td></tr>");
            }
        }
        body.append("</table><h2>Newest synced messages</h2><p class=\"muted\" id=\"synced-count\">")
                .append(recent.count(c.id())).append(" messages delivered since the app started</p>"
                        + "<table id=\"messages\"><tr><th>Received</th><th>Mailbox</th><th>From</th><th>Subject</th></tr>");
        for (RecentMessages.Shown m : recent.newest(c.id())) {
            body.append("<tr><td>").append(esc(m.received())).append("</td><td>").append(esc(m.mailbox()))
                    .append("</td><td>").append(esc(m.from())).append("</td><td>").append(esc(m.subject()))
                    .append("</td></tr>");
        }
        body.append("</table><h2 id=\"diagnostics\">Diagnostics</h2>").append(Html.form("/c/" + c.id().value()
                + "/diagnostics", csrf(session), "run-diagnostics", "", "Run diagnostics"));
        DiagnosticReport report = reports.get(c.id());
        if (report != null) {
            body.append("<table id=\"report\"><tr><th>Result</th><th>Check</th><th>Summary</th><th>What to do</th></tr>");
            for (CheckResult r : report.checks()) {
                body.append("<tr><td class=\"").append(r.outcome()).append("\">").append(r.outcome()).append("</td><td>")
                        .append(esc(r.check().title())).append(r.subject().map(s -> " (" + esc(s) + ")").orElse(""))
                        .append("</td><td>").append(esc(r.summary())).append("</td><td>")
                        .append(esc(r.remediation().map(x -> x.text()).orElse(""))).append("</td></tr>");
            }
            body.append("</table>");
        }
        return Html.page("Outlook status", body.toString(), 3);
    }

    // ---- sessions, forms -------------------------------------------------------------------------------------------

    private String session(HttpExchange ex) {
        String cookie = ex.getRequestHeaders().getFirst("Cookie");
        if (cookie != null) {
            for (String part : cookie.split(";")) {
                String[] kv = part.strip().split("=", 2);
                if (kv.length == 2 && kv[0].equals(COOKIE) && sessions.containsKey(kv[1])) {
                    return kv[1];
                }
            }
        }
        String id = token();
        sessions.put(id, token());
        ex.getResponseHeaders().add("Set-Cookie", COOKIE + "=" + id + "; Path=/; HttpOnly; SameSite=Lax");
        return id;
    }

    private String csrf(String session) {
        return sessions.get(session);
    }

    private String token() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static boolean constantTimeEquals(String expected, String given) {
        return expected != null && given != null && MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    private static String readForm(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_FORM_BYTES + 1);
            if (bytes.length > MAX_FORM_BYTES) {
                throw new InvalidValueException("form", "is larger than " + MAX_FORM_BYTES + " bytes", "…");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    static Map<String, String> parse(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                out.putIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new InvalidValueException("form", "is not URL-encoded", "…");
            }
        }
        return out;
    }
}
