package com.tekst.outlook.graph;

import com.tekst.outlook.InvalidValueException;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a Microsoft cloud's identity platform and Graph live: the global cloud, a national cloud, or a fake one for
 * tests.
 *
 * @param loginBaseUrl the identity platform, e.g. {@code https://login.microsoftonline.com} (no trailing slash)
 * @param graphBaseUrl Graph's versioned root, e.g. {@code https://graph.microsoft.com/v1.0} (no trailing slash)
 */
public record CloudEndpoints(URI loginBaseUrl, URI graphBaseUrl) {
    /** Microsoft's global cloud. */
    public static final CloudEndpoints GLOBAL = new CloudEndpoints(URI.create("https://login.microsoftonline.com"),
            URI.create("https://graph.microsoft.com/v1.0"));
    /** US Government L4 (GCC High). */
    public static final CloudEndpoints US_GOVERNMENT = new CloudEndpoints(
            URI.create("https://login.microsoftonline.us"), URI.create("https://graph.microsoft.us/v1.0"));
    /** US Government L5 (DoD). */
    public static final CloudEndpoints US_GOVERNMENT_DOD = new CloudEndpoints(
            URI.create("https://login.microsoftonline.us"), URI.create("https://dod-graph.microsoft.us/v1.0"));
    /** Microsoft 365 operated by 21Vianet (China). */
    public static final CloudEndpoints CHINA = new CloudEndpoints(URI.create("https://login.chinacloudapi.cn"),
            URI.create("https://microsoftgraph.chinacloudapi.cn/v1.0"));

    /**
     * @throws InvalidValueException unless both URLs are absolute https URLs without query, fragment or user info
     */
    public CloudEndpoints {
        loginBaseUrl = check("login base URL", loginBaseUrl);
        graphBaseUrl = check("Graph base URL", graphBaseUrl);
    }

    /** Endpoints of another cloud, such as the testkit's fake. */
    public static CloudEndpoints of(URI loginBaseUrl, URI graphBaseUrl) {
        return new CloudEndpoints(loginBaseUrl, graphBaseUrl);
    }

    /** Whether the identity platform is one of Microsoft's own hosts (msal4j trusts those for instance discovery). */
    public boolean isMicrosoftLoginHost() {
        String host = loginBaseUrl.getHost().toLowerCase(Locale.ROOT);
        return host.equals("login.microsoftonline.com") || host.equals("login.microsoft.com")
                || host.equals("login.windows.net") || host.equals("login.microsoftonline.us")
                || host.equals("login.chinacloudapi.cn") || host.equals("login.microsoftonline.de");
    }

    /**
     * The scope that requests every application permission granted on Microsoft Graph in this cloud:
     * {@code https://graph.microsoft.com/.default} for the global cloud and for endpoints that are not Microsoft's own
     * (a fake cloud stands in for the global one), {@code https://graph.microsoft.us/.default} and so on for the
     * national clouds.
     */
    public String graphScope() {
        String host = graphBaseUrl.getHost().toLowerCase(Locale.ROOT);
        boolean national = host.equals("graph.microsoft.us") || host.equals("dod-graph.microsoft.us")
                || host.equals("microsoftgraph.chinacloudapi.cn") || host.equals("graph.microsoft.de");
        return "https://" + (national ? host : "graph.microsoft.com") + "/.default";
    }

    private static URI check(String what, URI uri) {
        Objects.requireNonNull(uri, what);
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getRawQuery() != null
                || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new InvalidValueException(what, "must be an absolute https URL without query, fragment or user"
                    + " info", uri.toString());
        }
        String s = uri.toString();
        return s.endsWith("/") ? URI.create(s.substring(0, s.length() - 1)) : uri;
    }
}
