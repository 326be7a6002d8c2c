package com.tekst.outlook.examples.wizard;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A browser-like HTTP client for the wizard: one cookie jar, no automatic redirects, the page's CSRF token. */
final class WizardHttp {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final URI base;
    private String csrf;

    WizardHttp(URI base) {
        this.base = base;
    }

    HttpResponse<String> get(String pathOrUrl) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(resolve(pathOrUrl)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        remember(r.body());
        return r;
    }

    /** GET, following redirects within the wizard. */
    HttpResponse<String> follow(String pathOrUrl) throws IOException, InterruptedException {
        HttpResponse<String> r = get(pathOrUrl);
        for (int i = 0; i < 5 && r.statusCode() == 303; i++) {
            r = get(r.headers().firstValue("Location").orElseThrow());
        }
        return r;
    }

    HttpResponse<String> post(String path, String... pairs) throws IOException, InterruptedException {
        List<String> form = new ArrayList<>();
        form.add("csrf=" + enc(csrf == null ? "" : csrf));
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            form.add(enc(pairs[i]) + "=" + enc(pairs[i + 1]));
        }
        return postRaw(path, String.join("&", form));
    }

    HttpResponse<String> postRaw(String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        remember(r.body());
        return r;
    }

    private void remember(String body) {
        Matcher m = CSRF.matcher(body);
        if (m.find()) {
            csrf = m.group(1);
        }
    }

    private URI resolve(String pathOrUrl) {
        return pathOrUrl.startsWith("http") ? URI.create(pathOrUrl) : base.resolve(pathOrUrl);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The first value of a hidden input of a page. */
    static String hidden(String page, String name) {
        Matcher m = Pattern.compile("name=\"" + Pattern.quote(name) + "\" value=\"([^\"]*)\"").matcher(page);
        if (!m.find()) {
            throw new AssertionError("no hidden input " + name + " in the page");
        }
        return m.group(1).replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&lt;", "<").replace("&gt;", ">");
    }

    /** The page's text without tags. */
    static String text(String page) {
        return page.replaceAll("<style>.*?</style>", " ").replaceAll("<[^>]+>", " ").replace("&lt;", "<")
                .replace("&gt;", ">").replace("&amp;", "&").replace("&quot;", "\"").replaceAll("\\s+", " ");
    }
}
