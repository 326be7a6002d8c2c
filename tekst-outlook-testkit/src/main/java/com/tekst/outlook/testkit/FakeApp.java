package com.tekst.outlook.testkit;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An application registration in the fake cloud: Tekst's multi-tenant app, with its client id, client secrets
 * (each with an expiry), certificates, the application permissions it requests, and whether it is enabled.
 *
 * <p>Thread-safe: tests may expire a secret or disable the app while a client is using it.
 */
public final class FakeApp {
    /** The application permissions Tekst's app requests by default. */
    public static final Set<String> DEFAULT_PERMISSIONS = Set.of("Mail.Read", "User.Read.All", "MailboxSettings.Read");

    /** A client secret and when it expires. The value is what a client sends as {@code client_secret}. */
    public record Secret(String value, Instant expiresAt) {
        public Secret {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }

        @Override
        public String toString() {
            return "Secret[expiresAt=" + expiresAt + "]";
        }
    }

    private final String clientId;
    private final String displayName;
    private final Set<String> requestedPermissions;
    private final boolean multiTenant;
    private final List<Secret> secrets = new CopyOnWriteArrayList<>();
    private final List<X509Certificate> certificates = new CopyOnWriteArrayList<>();
    private final Set<String> redirectUris;
    private final Clock clock;
    private volatile boolean disabled;

    FakeApp(String clientId, String displayName, Set<String> requestedPermissions, boolean multiTenant,
            Set<String> redirectUris, Clock clock) {
        this.clientId = clientId;
        this.displayName = displayName;
        this.requestedPermissions = Set.copyOf(requestedPermissions);
        this.multiTenant = multiTenant;
        this.redirectUris = Set.copyOf(redirectUris);
        this.clock = clock;
    }

    /** The application (client) id. */
    public String clientId() {
        return clientId;
    }

    public String displayName() {
        return displayName;
    }

    /** The application permissions configured on the registration; admin consent grants these. */
    public Set<String> requestedPermissions() {
        return requestedPermissions;
    }

    /** Whether the registration accepts sign-ins from other tenants. */
    public boolean isMultiTenant() {
        return multiTenant;
    }

    /** The registered redirect URIs; empty means any https or loopback redirect is accepted. */
    public Set<String> redirectUris() {
        return redirectUris;
    }

    /** Whether {@code redirectUri} matches a registered one (exactly, or with extra path segments, as Microsoft allows). */
    public boolean acceptsRedirect(String redirectUri) {
        if (redirectUris.isEmpty()) {
            return redirectUri.startsWith("https://") || redirectUri.startsWith("http://localhost")
                    || redirectUri.startsWith("http://127.0.0.1");
        }
        for (String registered : redirectUris) {
            if (redirectUri.equals(registered)
                    || redirectUri.startsWith(registered.endsWith("/") ? registered : registered + "/")) {
                return true;
            }
        }
        return false;
    }

    /** Adds a client secret valid for {@code validity} from now and returns it. */
    public Secret addSecret(String value, Duration validity) {
        Secret secret = new Secret(value, clock.instant().plus(validity));
        secrets.add(secret);
        return secret;
    }

    /** Every secret, expired ones included. */
    public List<Secret> secrets() {
        return List.copyOf(secrets);
    }

    /** The secrets that are valid now. */
    public List<Secret> validSecrets() {
        Instant now = clock.instant();
        List<Secret> valid = new ArrayList<>();
        for (Secret s : secrets) {
            if (s.expiresAt().isAfter(now)) {
                valid.add(s);
            }
        }
        return valid;
    }

    /** Makes every secret expire now (AADSTS7000222 from then on). */
    public void expireSecrets() {
        Instant now = clock.instant();
        secrets.replaceAll(s -> s.expiresAt().isAfter(now) ? new Secret(s.value(), now) : s);
    }

    /** Finds the secret with this value, valid or not. */
    public Optional<Secret> findSecret(String value) {
        for (Secret s : secrets) {
            if (java.security.MessageDigest.isEqual(
                    s.value().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    value.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** Registers a certificate whose private key may sign client assertions. */
    public void addCertificate(X509Certificate certificate) {
        certificates.add(Objects.requireNonNull(certificate, "certificate"));
    }

    public List<X509Certificate> certificates() {
        return List.copyOf(certificates);
    }

    /** Disables the application everywhere (AADSTS7000112 from then on). */
    public void disable() {
        disabled = true;
    }

    public void enable() {
        disabled = false;
    }

    public boolean isDisabled() {
        return disabled;
    }

    @Override
    public String toString() {
        return "FakeApp[" + clientId + ", " + displayName + "]";
    }

    /** Builds an app registration; {@link FakeMicrosoftCloud.Builder#app} takes one. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder for {@link FakeApp}. */
    public static final class Builder {
        String clientId;
        String displayName = "Tekst Outlook";
        Set<String> permissions = new LinkedHashSet<>(DEFAULT_PERMISSIONS);
        boolean multiTenant = true;
        Set<String> redirectUris = new LinkedHashSet<>();
        String secret;
        Duration secretValidity = Duration.ofDays(730);

        private Builder() {
        }

        /** The client id; derived from the cloud's seed when not set. */
        public Builder clientId(String value) {
            this.clientId = value;
            return this;
        }

        public Builder displayName(String value) {
            this.displayName = Objects.requireNonNull(value);
            return this;
        }

        /** The application permissions the registration requests (replacing the defaults). */
        public Builder permissions(Set<String> value) {
            this.permissions = new LinkedHashSet<>(value);
            return this;
        }

        public Builder multiTenant(boolean value) {
            this.multiTenant = value;
            return this;
        }

        /** Registers a redirect URI; with none registered, any https or loopback URI is accepted. */
        public Builder redirectUri(String value) {
            this.redirectUris.add(Objects.requireNonNull(value));
            return this;
        }

        /** The initial client secret; derived from the cloud's seed when not set. */
        public Builder secret(String value) {
            this.secret = value;
            return this;
        }

        public Builder secretValidity(Duration value) {
            this.secretValidity = Objects.requireNonNull(value);
            return this;
        }
    }
}
