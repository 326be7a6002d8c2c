package com.tekst.outlook.graph.internal.auth;

import com.microsoft.aad.msal4j.MsalClientException;
import com.microsoft.aad.msal4j.MsalException;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.tekst.outlook.ConsentException;
import com.tekst.outlook.CredentialException;
import com.tekst.outlook.ErrorDetails;
import com.tekst.outlook.OutlookClientException;
import com.tekst.outlook.OutlookException;
import com.tekst.outlook.ServiceException;
import com.tekst.outlook.TenantException;
import com.tekst.outlook.TenantId;
import com.tekst.outlook.ThrottledException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Maps msal4j's failures to the SDK's typed exceptions, as msal4j reports them: the HTTP status may be
 * {@code null} ({@code invalid_grant} arrives as {@code MsalInteractionRequiredException} without one), the numeric
 * code is only in the message ({@code AADSTS(\d+)}), and a 429's {@code Retry-After} is in {@code headers()}.
 *
 * <p>The SDK's messages are its own sentences plus {@link ErrorDetails} (tenant, {@code AADSTSnnn}, status, trace id,
 * correlation id). They never contain the secret, the client assertion or a token: msal4j's exception is kept only as
 * the cause, and its message is Microsoft's {@code error_description}, which never echoes credentials. Internal.
 */
public final class MsalErrors {
    /** When a 429 carries no usable {@code Retry-After}. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(30);

    private static final Pattern AADSTS = Pattern.compile("AADSTS(\\d{1,9})");
    private static final Pattern TRACE_ID = Pattern.compile("Trace ID: ([0-9A-Fa-f-]{36})");
    private static final Set<Integer> CONSENT_MISSING = Set.of(700016, 65001);
    private static final Set<Integer> CREDENTIAL_WRONG = Set.of(7000215, 700027, 70002, 7000218, 700024, 50012);
    private static final Set<Integer> THROTTLING = Set.of(50196, 90055);
    private static final Set<Integer> TRANSIENT = Set.of(50033, 90006, 90024, 90033, 90090);

    private MsalErrors() {
    }

    /** The SDK exception for a failed token request for {@code tenant}. */
    public static OutlookException map(Throwable failure, TenantId tenant, Clock clock) {
        Throwable t = unwrap(failure);
        if (t instanceof OutlookException e) {
            return e;
        }
        if (t instanceof MsalServiceException e) {
            return mapService(e, tenant, clock);
        }
        ErrorDetails details = ErrorDetails.forTenant(tenant);
        if (t instanceof MsalException e && e.errorCode() != null) {
            details = details.withErrorCode(e.errorCode());
        }
        if (find(t, SSLException.class).isPresent()) {
            return new OutlookClientException("The TLS handshake with the identity platform failed; check the"
                    + " network path and, for a private or fake cloud, the client's trustManager", t);
        }
        if (find(t, IOException.class).isPresent()) {
            return new ServiceException(true, "The identity platform could not be reached ("
                    + find(t, IOException.class).get().getClass().getSimpleName() + ")", details, t);
        }
        if (t instanceof MsalClientException) {
            return new ServiceException(false, "msal4j refused the token request locally", details, t);
        }
        return new ServiceException(false, "The token request failed (" + t.getClass().getSimpleName() + ")",
                details, t);
    }

    private static OutlookException mapService(MsalServiceException e, TenantId tenant, Clock clock) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        OptionalInt code = aadsts(message);
        int status = e.statusCode() == null ? 0 : e.statusCode();
        String error = e.errorCode() == null ? "" : e.errorCode();
        ErrorDetails details = ErrorDetails.forTenant(tenant)
                .withErrorCode(code.isPresent() ? "AADSTS" + code.getAsInt() : (error.isEmpty() ? null : error))
                .withHttpStatus(status >= 100 && status <= 999 ? status : 0)
                .withRequestId(traceId(message).orElse(null))
                .withClientRequestId(e.correlationId());
        int c = code.orElse(0);
        if (status == 429 || THROTTLING.contains(c)) {
            Duration retryAfter = retryAfter(e.headers(), clock).orElse(DEFAULT_RETRY_AFTER);
            return new ThrottledException(ThrottledException.Scope.TOKEN_ENDPOINT, retryAfter,
                    "The identity platform throttled the token request", details, e);
        }
        if (CONSENT_MISSING.contains(c) || (c == 0 && error.equals("unauthorized_client"))) {
            return new ConsentException(ConsentException.Reason.CONSENT_MISSING, "Admin consent is missing: the"
                    + " application is not consented in the tenant (or consent has not propagated yet)", details, e);
        }
        if (c == 7000222) {
            return new CredentialException(true, "The application's client secret has expired; create a new one",
                    details, e);
        }
        if (CREDENTIAL_WRONG.contains(c) || (c == 0 && error.equals("invalid_client"))) {
            return new CredentialException(false, "The application's credential was refused (wrong client secret or"
                    + " certificate not registered on the application)", details, e);
        }
        if (c == 90002) {
            return new TenantException(TenantException.Reason.TENANT_NOT_FOUND, "The tenant was not found",
                    details, e);
        }
        if (c == 7000112 || c == 70001) {
            return new TenantException(TenantException.Reason.APP_DISABLED, "The application is disabled",
                    details, e);
        }
        if (c == 53003 || c == 530032) {
            return new TenantException(TenantException.Reason.POLICY_BLOCKED, "A Conditional Access policy of the"
                    + " tenant blocks the application", details, e);
        }
        if (c == 500011) {
            return new TenantException(TenantException.Reason.TENANT_MISCONFIGURED, "Microsoft Graph is not"
                    + " available in the tenant", details, e);
        }
        if (status >= 500 || TRANSIENT.contains(c) || error.equals("temporarily_unavailable")) {
            return new ServiceException(true, "The identity platform failed transiently", details, e);
        }
        return new ServiceException(false, "The identity platform refused the token request", details, e);
    }

    /** The first {@code AADSTSnnn} code in a text. */
    public static OptionalInt aadsts(String text) {
        Matcher m = AADSTS.matcher(text == null ? "" : text);
        return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    private static Optional<String> traceId(String message) {
        Matcher m = TRACE_ID.matcher(message);
        return m.find() ? Optional.of(m.group(1).toLowerCase(Locale.ROOT)) : Optional.empty();
    }

    /**
     * {@code Retry-After} as delta-seconds or an HTTP date in any of its three forms, relative to the clock; never
     * negative (read as {@link com.tekst.outlook.graph.internal.http.GraphErrors#retryAfter} reads Graph's).
     */
    static Optional<Duration> retryAfter(Map<String, List<String>> headers, Clock clock) {
        if (headers == null) {
            return Optional.empty();
        }
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            if (h.getKey() == null || !h.getKey().equalsIgnoreCase("Retry-After") || h.getValue() == null
                    || h.getValue().isEmpty()) {
                continue;
            }
            return com.tekst.outlook.graph.internal.http.GraphErrors.retryAfter(h.getValue().get(0), clock.instant());
        }
        return Optional.empty();
    }

    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof ExecutionException || current instanceof CompletionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    private static <T extends Throwable> Optional<T> find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return Optional.of(type.cast(c));
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return Optional.empty();
    }
}
