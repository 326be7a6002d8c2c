package com.tekst.outlook.testkit.internal.identity;

import com.tekst.outlook.testkit.FakeApp;
import com.tekst.outlook.testkit.FakeTenant;
import com.tekst.outlook.testkit.FakeUser;
import com.tekst.outlook.testkit.internal.CloudContext;
import com.tekst.outlook.testkit.internal.FakeRequest;
import com.tekst.outlook.testkit.internal.Html;
import com.tekst.outlook.testkit.internal.Reply;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Microsoft's admin-consent endpoints: {@code /{tenant}/v2.0/adminconsent} and the older {@code /{tenant}/adminconsent}.
 *
 * <p>{@code GET} renders a consent page (the app's name and the application permissions it requests, a sign-in
 * account field, Accept and Cancel); the page's form {@code POST}s back to the same path, which records consent or
 * redirects with Microsoft's error parameters. The checks follow Microsoft's order: the client id and the redirect URI
 * are validated first and their failures are shown as an error page, never redirected (Microsoft never sends a browser
 * to an unregistered URI); every later failure is redirected to the application with {@code error},
 * {@code error_description} ({@code AADSTSnnnn: …} with trace id, correlation id and timestamp), {@code error_uri} and
 * {@code state}. Internal.
 */
final class AdminConsentEndpoint {
    private static final Set<String> GRAPH_DEFAULT_SCOPES =
            Set.of("https://graph.microsoft.com/.default", "00000003-0000-0000-c000-000000000000/.default");
    private static final DateTimeFormatter AAD_TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    /** What the consent page says each application permission allows, as Microsoft's consent screen words it. */
    private static final Map<String, String> PERMISSION_DESCRIPTIONS = Map.of(
            "Mail.Read", "Read mail in all mailboxes",
            "Mail.ReadBasic", "Read basic mail in all mailboxes",
            "Mail.ReadBasic.All", "Read basic mail in all mailboxes",
            "Mail.ReadWrite", "Read and write mail in all mailboxes",
            "Mail.Send", "Send mail as any user",
            "MailboxSettings.Read", "Read all user mailbox settings",
            "MailboxSettings.ReadWrite", "Read and write all user mailbox settings",
            "User.Read.All", "Read all users' full profiles");

    private final CloudContext ctx;

    AdminConsentEndpoint(CloudContext ctx) {
        this.ctx = ctx;
    }

    /** {@code /{tenant}/v2.0/adminconsent} or {@code /{tenant}/adminconsent}. */
    static boolean handles(FakeRequest r) {
        List<String> s = r.segments();
        return (s.size() == 3 && s.get(1).equals("v2.0") && s.get(2).equals("adminconsent"))
                || (s.size() == 2 && s.get(1).equals("adminconsent"));
    }

    /** The request's parameters: the query of a GET, the form of a POST. */
    private record Params(boolean v2, String tenantSegment, String clientId, String scope, String redirectUri,
                          String state, String login, String action) {
    }

    Reply handle(FakeRequest r) {
        boolean post = r.method().equals("POST");
        if (!post && !r.method().equals("GET")) {
            return errorPage(405, 900561, "The endpoint only accepts GET and POST requests. Received a " + r.method()
                    + " request.", r);
        }
        Params p = params(r, post);
        ctx.tenant(p.tenantSegment()).ifPresent(t -> r.tenant = t.id());

        // 1. The application and the redirect URI. Failures are shown, never redirected.
        if (p.clientId() == null) {
            return errorPage(400, 900144, "The request body must contain the following parameter: 'client_id'.", r);
        }
        Optional<FakeApp> app = ctx.app(p.clientId());
        if (app.isEmpty()) {
            return errorPage(400, 700016, "Application with identifier '" + p.clientId() + "' was not found in the"
                    + " directory '" + directoryName(p.tenantSegment()) + "'. This can happen if the application has"
                    + " not been installed by the administrator of the tenant or consented to by any user in the"
                    + " tenant. You may have sent your authentication request to the wrong tenant.", r);
        }
        FakeApp a = app.get();
        if (p.redirectUri() == null) {
            return errorPage(400, 900144, "The request body must contain the following parameter: 'redirect_uri'.",
                    r);
        }
        if (!isAbsolute(p.redirectUri())) {
            return errorPage(400, 90102, "'redirect_uri' value must be a valid absolute URI.", r);
        }
        if (!a.acceptsRedirect(p.redirectUri())) {
            return errorPage(400, 50011, "The redirect URI '" + p.redirectUri() + "' specified in the request does"
                    + " not match the redirect URIs configured for the application '" + a.clientId() + "'. Make sure"
                    + " the redirect URI sent in the request matches one added to your application in the Azure"
                    + " portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix"
                    + " this.", r);
        }

        // 2. The directory. v2 refuses /common (and /consumers) with the answer seen in the field.
        String segment = p.tenantSegment().toLowerCase(Locale.ROOT);
        boolean anyOrganization = segment.equals("organizations") || (!p.v2() && segment.equals("common"));
        if (!anyOrganization && (segment.equals("common") || segment.equals("consumers"))) {
            return errorRedirect(p, "invalid_request", 0,
                    "The provided request must include a 'response_type' input parameter.", r);
        }
        Optional<FakeTenant> target = anyOrganization ? Optional.empty() : ctx.tenant(segment);
        if (!anyOrganization && target.isEmpty()) {
            return errorPage(400, 90002, "Tenant '" + p.tenantSegment() + "' not found. Check to make sure you have"
                    + " the correct tenant ID and are signing into the correct cloud.", r);
        }
        if (!a.isMultiTenant()) {
            if (anyOrganization) {
                return errorRedirect(p, "invalid_request", 50194, "Application '" + a.clientId() + "'("
                        + a.displayName() + ") is not configured as a multi-tenant application. Usage of the"
                        + " /common endpoint is not supported for such applications created after '10/15/2018'. Use"
                        + " a tenant-specific endpoint or configure the application to be multi-tenant.", r);
            }
            return errorRedirect(p, "unauthorized_client", 700016, "Application with identifier '" + a.clientId()
                    + "' was not found in the directory '" + target.get().displayName() + "'. This can happen if the"
                    + " application has not been installed by the administrator of the tenant or consented to by any"
                    + " user in the tenant. You may have sent your authentication request to the wrong tenant.", r);
        }

        // 3. The scope (v2 only): application permissions need {resource}/.default.
        if (p.v2()) {
            Optional<Reply> scopeProblem = checkScope(p, target, r);
            if (scopeProblem.isPresent()) {
                return scopeProblem.get();
            }
        }

        if (!post) {
            return page(p, a, target, null, r);
        }

        // 4. The administrator's answer.
        if ("cancel".equalsIgnoreCase(p.action())) {
            if (!p.v2()) {
                return redirect(p.redirectUri(), params("error", "permission_denied",
                        "error_description", "The admin canceled the request", "state", p.state()));
            }
            return errorRedirect(p, "access_denied", 65004, "User declined to consent to access the app.", r);
        }
        if (!"accept".equalsIgnoreCase(p.action())) {
            return page(p, a, target, "Choose Accept or Cancel.", r);
        }
        if (p.login() == null) {
            return page(p, a, target, "Enter the account of an administrator of the organization.", r);
        }
        Optional<FakeTenant> home = ctx.tenants().stream().filter(t -> t.user(p.login()).isPresent()).findFirst();
        if (home.isEmpty()) {
            return errorPage(400, 50034, "The user account " + p.login() + " does not exist in the directory. To"
                    + " sign into this application, the account must be added to the directory.", r);
        }
        FakeTenant homeTenant = home.get();
        r.tenant = homeTenant.id();
        if (target.isPresent() && !target.get().id().equals(homeTenant.id())) {
            r.tenant = target.get().id();
            return errorRedirect(p, "access_denied", 50020, "User account '{EmailHidden}' from identity provider"
                    + " 'https://sts.windows.net/" + homeTenant.id() + "/' does not exist in tenant '"
                    + target.get().displayName() + "' and cannot access the application '" + a.clientId() + "'("
                    + a.displayName() + ") in that tenant. The account needs to be added as an external user in the"
                    + " tenant first. Sign out and sign in again with a different Azure Active Directory user account.",
                    r);
        }
        FakeUser user = homeTenant.user(p.login()).orElseThrow();
        if (!user.isAdministrator()) {
            return errorRedirect(p, "access_denied", 90094, "The grant requires admin permission.", r);
        }
        homeTenant.grantConsent(a);
        if (p.v2()) {
            return redirect(p.redirectUri(), params("admin_consent", "True", "tenant", homeTenant.id().value(),
                    "scope", p.scope(), "state", p.state()));
        }
        return redirect(p.redirectUri(), params("tenant", homeTenant.id().value(), "state", p.state(),
                "admin_consent", "True"));
    }

    private Optional<Reply> checkScope(Params p, Optional<FakeTenant> target, FakeRequest r) {
        if (p.scope() == null) {
            return Optional.of(errorRedirect(p, "invalid_request", 900144,
                    "The request body must contain the following parameter: 'scope'.", r));
        }
        List<String> scopes = List.of(p.scope().trim().split("\\s+"));
        for (String s : scopes) {
            if (!s.endsWith("/.default")) {
                return Optional.of(errorRedirect(p, "invalid_scope", 70011, "The provided value for the input"
                        + " parameter 'scope' is not valid. The scope '" + s + "' does not end with '/.default':"
                        + " application permissions are requested with the resource's /.default scope.", r));
            }
            if (!GRAPH_DEFAULT_SCOPES.contains(s.toLowerCase(Locale.ROOT))) {
                return Optional.of(errorRedirect(p, "invalid_resource", 500011, "The resource principal named "
                        + s.substring(0, s.length() - "/.default".length()) + " was not found in the tenant named "
                        + target.map(FakeTenant::displayName).orElse("organizations") + ". This can happen if the"
                        + " application has not been installed by the administrator of the tenant.", r));
            }
        }
        return Optional.empty();
    }

    // ---- parameters ------------------------------------------------------------------------------------------------

    private static Params params(FakeRequest r, boolean post) {
        boolean v2 = r.segments().size() == 3;
        Map<String, List<String>> source = post ? r.form() : query(r);
        return new Params(v2, r.segment(0), first(source, "client_id"), first(source, "scope"),
                first(source, "redirect_uri"), first(source, "state"), first(source, "login"),
                first(source, "action"));
    }

    private static Map<String, List<String>> query(FakeRequest r) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String name : r.url().queryParameterNames()) {
            out.put(name, r.queryValues(name));
        }
        return out;
    }

    /** The first non-blank value, or {@code null}. */
    private static String first(Map<String, List<String>> source, String name) {
        List<String> values = source.get(name);
        if (values == null || values.isEmpty() || values.get(0) == null || values.get(0).isBlank()) {
            return null;
        }
        return values.get(0).trim();
    }

    private static boolean isAbsolute(String uri) {
        try {
            URI u = new URI(uri);
            return u.isAbsolute() && u.getHost() != null && u.getRawFragment() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private String directoryName(String tenantSegment) {
        return ctx.tenant(tenantSegment).map(FakeTenant::displayName).orElse(tenantSegment);
    }

    // ---- answers ---------------------------------------------------------------------------------------------------

    /** Name/value pairs; {@code null} values are left out. */
    private static List<String[]> params(String... nameValues) {
        List<String[]> out = new ArrayList<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            if (nameValues[i + 1] != null) {
                out.add(new String[] {nameValues[i], nameValues[i + 1]});
            }
        }
        return out;
    }

    private static Reply redirect(String redirectUri, List<String[]> params) {
        StringBuilder location = new StringBuilder(redirectUri);
        char sep = redirectUri.contains("?") ? '&' : '?';
        for (String[] p : params) {
            location.append(sep).append(p[0]).append('=').append(URLEncoder.encode(p[1], StandardCharsets.UTF_8));
            sep = '&';
        }
        return Reply.redirect(location.toString()).withHeader("Cache-Control", "no-store, no-cache");
    }

    /**
     * Microsoft's error redirect: {@code error}, {@code error_description} ({@code AADSTSnnnn: message} and the trace
     * block), {@code error_uri}, and on v2 {@code admin_consent=True}; never a {@code tenant}. A zero code leaves out
     * the {@code AADSTS} prefix and {@code error_uri}, as the field answer for {@code /common} does.
     */
    private Reply errorRedirect(Params p, String error, int aadsts, String message, FakeRequest r) {
        if (aadsts == 0) {
            return redirect(p.redirectUri(), params("error", error, "error_description", message, "state", p.state()));
        }
        String description = "AADSTS" + aadsts + ": " + message + traceBlock(r);
        return redirect(p.redirectUri(), params("error", error, "error_description", description,
                "error_uri", "https://login.microsoftonline.com/error?code=" + aadsts,
                "admin_consent", p.v2() ? "True" : null, "state", p.state()));
    }

    private String traceBlock(FakeRequest r) {
        String traceId = ctx.tokens().nextUuid();
        r.requestId = traceId;
        String correlationId = r.header("client-request-id").orElseGet(() -> ctx.tokens().nextUuid());
        return "\r\nTrace ID: " + traceId + "\r\nCorrelation ID: " + correlationId + "\r\nTimestamp: "
                + AAD_TIMESTAMP.format(ctx.clock().instant());
    }

    /** Microsoft's sign-in error page: the AADSTS line, trace ids, and no redirect. */
    private Reply errorPage(int status, int aadsts, String message, FakeRequest r) {
        String trace = traceBlock(r).strip().replace("\r\n", "<br>");
        String body = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in to your account"
                + "</title></head>\n<body>\n<h1>Sign in</h1>\n<p>Sorry, but we&#39;re having trouble signing you in.</p>\n"
                + "<p class=\"error\" id=\"error\">AADSTS" + aadsts + ": " + Html.escape(message) + "</p>\n"
                + "<p class=\"trace\">" + trace + "</p>\n</body></html>\n";
        return secured(Reply.text(status, "text/html; charset=utf-8", body));
    }

    /** The consent page: the app, its application permissions, the account, Accept and Cancel. */
    private Reply page(Params p, FakeApp app, Optional<FakeTenant> target, String problem, FakeRequest r) {
        String account = p.login() != null ? p.login()
                : target.flatMap(FakeTenant::administrator).map(FakeUser::userPrincipalName).orElse("");
        StringBuilder permissions = new StringBuilder();
        for (String permission : new TreeSet<>(app.requestedPermissions())) {
            permissions.append("<li><span class=\"permission\">").append(Html.escape(permission))
                    .append("</span> <span class=\"type\">(Application)</span> ")
                    .append(Html.escape(PERMISSION_DESCRIPTIONS.getOrDefault(permission, permission)))
                    .append("</li>\n");
        }
        String action = "/" + p.tenantSegment() + (p.v2() ? "/v2.0" : "") + "/adminconsent";
        StringBuilder hidden = new StringBuilder();
        hiddenField(hidden, "client_id", p.clientId());
        hiddenField(hidden, "redirect_uri", p.redirectUri());
        hiddenField(hidden, "scope", p.scope());
        hiddenField(hidden, "state", p.state());
        String organization = target.map(FakeTenant::displayName).orElse("your organization");
        String body = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Permissions requested"
                + "</title></head>\n<body>\n<h1>Permissions requested</h1>\n"
                + "<p class=\"app\" id=\"app\">" + Html.escape(app.displayName()) + "</p>\n"
                + "<p>This application would like to:</p>\n<ul id=\"permissions\">\n" + permissions + "</ul>\n"
                + "<p>If you accept, this app will get access to the specified resources for all users in "
                + Html.escape(organization) + ". No one else will be prompted to review these permissions.</p>\n"
                + (problem == null ? "" : "<p class=\"error\" id=\"error\">" + Html.escape(problem) + "</p>\n")
                + "<form method=\"post\" action=\"" + Html.escape(action) + "\">\n" + hidden
                + "<label for=\"login\">Sign in as</label>\n"
                + "<input type=\"email\" id=\"login\" name=\"login\" value=\"" + Html.escape(account) + "\">\n"
                + "<button type=\"submit\" name=\"action\" value=\"accept\" id=\"accept\">Accept</button>\n"
                + "<button type=\"submit\" name=\"action\" value=\"cancel\" id=\"cancel\">Cancel</button>\n"
                + "</form>\n</body></html>\n";
        return secured(Reply.text(problem == null ? 200 : 400, "text/html; charset=utf-8", body));
    }

    private static void hiddenField(StringBuilder sb, String name, String value) {
        if (value != null) {
            sb.append("<input type=\"hidden\" name=\"").append(name).append("\" value=\"").append(Html.escape(value))
                    .append("\">\n");
        }
    }

    private static Reply secured(Reply reply) {
        return reply.withHeader("Cache-Control", "no-store, no-cache")
                .withHeader("Content-Security-Policy", "default-src 'none'")
                .withHeader("X-Frame-Options", "DENY");
    }
}
