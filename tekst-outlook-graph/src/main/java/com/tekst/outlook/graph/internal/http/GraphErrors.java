package com.tekst.outlook.graph.internal.http;

import com.tekst.outlook.ConsentException;
import com.tekst.outlook.ErrorDetails;
import com.tekst.outlook.MailAccess;
import com.tekst.outlook.MailboxAccessException;
import com.tekst.outlook.OutlookException;
import com.tekst.outlook.ServiceException;
import com.tekst.outlook.ThrottledException;
import com.tekst.outlook.DeltaExpiredException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import okhttp3.Response;

/**
 * Maps Graph's error answers to the SDK's typed exceptions (a mailbox outside the tenant's restriction, an expired
 * delta token, an unknown or unlicensed mailbox, throttling, and Graph's error JSON), with the operator's details
 * (tenant, connection, mailbox, {@code request-id}, {@code client-request-id}, code, status) and never a body, token
 * or link in the message. Codes are compared ignoring case; messages only for the documented
 * "Access to OData is disabled." and the throttling reasons. Internal.
 */
public final class GraphErrors {
    /** When a 429 carries no {@code Retry-After}: wait this long (Graph's guidance: back off, do not retry at once). */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(30);

    /** Graph permissions that read mail; a token with none of them cannot read any mailbox. */
    private static final Set<String> MAIL_READ_ROLES = Set.of("Mail.Read", "Mail.ReadBasic", "Mail.ReadBasic.All",
            "Mail.ReadWrite");

    private GraphErrors() {
    }

    /**
     * The exception for an unsuccessful answer.
     *
     * @param status     HTTP status (≥ 400)
     * @param response   the response, for headers (its body is not read here)
     * @param body       the body bytes already read (may be empty)
     * @param call       what the request was for
     * @param tokenRoles the roles of the token the request carried (empty when unknown)
     * @param now        the SDK clock's time, for an HTTP-date {@code Retry-After}
     */
    public static OutlookException map(int status, Response response, byte[] body, GraphCall call,
                                       Set<String> tokenRoles, Instant now) {
        Optional<GraphError> parsed = GraphError.parse(body);
        GraphError error = parsed.orElse(new GraphError("", "", java.util.List.of(), "", ""));
        String requestId = firstNonEmpty(response.header("request-id"), error.requestId());
        String clientRequestId = firstNonEmpty(response.request().header(ClientRequestIdInterceptor.HEADER),
                error.clientRequestId());
        ErrorDetails details = ErrorDetails.forTenant(call.tenant())
                .withConnection(call.connection())
                .withMailbox(call.mailbox())
                .withRequestId(requestId)
                .withClientRequestId(clientRequestId)
                .withErrorCode(error.code().isEmpty() ? null : error.code())
                .withHttpStatus(status);
        String who = call.mailbox() != null ? "mailbox " + call.mailbox()
                : call.mailboxId() != null ? "mailbox " + call.mailboxId() : "the request";

        if (status == 429 || (status == 503 && response.header("Retry-After") != null)) {
            Duration retryAfter = retryAfter(response.header("Retry-After"), now).orElse(DEFAULT_RETRY_AFTER);
            return new ThrottledException(throttleScope(error), retryAfter,
                    "Microsoft Graph throttled " + who, details, null);
        }
        if (status == 410 || DeltaExpiredException.isDeltaExpiryCode(error.code())
                || error.innerCodes().stream().anyMatch(DeltaExpiredException::isDeltaExpiryCode)) {
            return new DeltaExpiredException("The delta state of a folder of " + who + " expired", details, null);
        }
        if (status == 403) {
            if (isTenantPolicyDenial(error)) {
                return new MailboxAccessException(MailboxAccessException.Reason.ACCESS_DENIED,
                        MailboxAccessException.Denial.TENANT_POLICY,
                        "The tenant's mailbox restriction (application access policy or RBAC for Applications) denies"
                                + " access to " + who, details, null);
            }
            if (call.mailAccess() == MailAccess.EXCHANGE_RBAC && call.mailboxId() != null) {
                // the token carries no mail permission by design: Exchange grants it per mailbox, over a scope
                return new MailboxAccessException(MailboxAccessException.Reason.ACCESS_DENIED,
                        MailboxAccessException.Denial.TENANT_POLICY,
                        "The tenant's RBAC for Applications does not grant the application access to " + who
                                + " (outside the role assignment's management scope, or the role is not assigned)",
                        details, null);
            }
            if (!tokenRoles.isEmpty() && tokenRoles.stream().noneMatch(MAIL_READ_ROLES::contains)) {
                Set<String> missing = new TreeSet<>(Set.of("Mail.Read"));
                return new ConsentException(ConsentException.Reason.PERMISSIONS_MISSING,
                        "The application's token carries no mail permission (missing " + missing + ")", details,
                        null);
            }
            return new MailboxAccessException(MailboxAccessException.Reason.ACCESS_DENIED,
                    "Access to " + who + " was denied (a permission is missing or a policy blocks it)", details, null);
        }
        if (status == 404 || status == 400) {
            if (error.hasCode("MailboxNotEnabledForRESTAPI")) {
                return new MailboxAccessException(MailboxAccessException.Reason.NOT_ENABLED, who.substring(0, 1)
                        .toUpperCase(Locale.ROOT) + who.substring(1) + " has no Exchange Online mailbox (unlicensed,"
                        + " inactive, soft-deleted, on-premises or a guest)", details, null);
            }
            if (error.hasCode("ErrorInvalidUser") || error.hasCode("Request_ResourceNotFound")
                    || error.hasCode("ResourceNotFound") || error.hasCode("ErrorFolderNotFound")) {
                return new MailboxAccessException(MailboxAccessException.Reason.NOT_FOUND,
                        (error.hasCode("ErrorFolderNotFound") ? "A folder of " : "") + who + " was not found",
                        details, null);
            }
        }
        if (status >= 500) {
            return new ServiceException(true, "Microsoft Graph failed (" + status + ") for " + who, details, null);
        }
        if (status == 401) {
            return new ServiceException(true, "Microsoft Graph refused the access token for " + who, details, null);
        }
        return new ServiceException(false, "Microsoft Graph refused the request for " + who + " (" + status
                + (error.code().isEmpty() ? "" : " " + error.code()) + ")", details, null);
    }

    /** Whether a 403 is Exchange's "Access to OData is disabled." (an application access policy or RBAC scope). */
    public static boolean isTenantPolicyDenial(GraphError error) {
        return (error.hasCode("ErrorAccessDenied") || error.hasCode("ExtensionError") || error.hasCode("accessDenied"))
                && error.messageContains("Access to OData is disabled");
    }

    static ThrottledException.Scope throttleScope(GraphError error) {
        if (error.messageContains("MailboxConcurrency")) {
            return ThrottledException.Scope.MAILBOX_CONCURRENCY;
        }
        if (error.messageContains("MailboxRequests") || error.messageContains("IncomingBytes")) {
            return ThrottledException.Scope.MAILBOX_BUDGET;
        }
        return ThrottledException.Scope.UNSPECIFIED;
    }

    /**
     * {@code Retry-After} as delay-seconds or an HTTP-date, relative to {@code now} (the SDK clock's time); never
     * negative. An HTTP-date is read in each of the three forms a recipient must accept (RFC 9110 §5.6.7): the
     * IMF-fixdate {@code Sun, 06 Nov 1994 08:49:37 GMT}, the obsolete RFC 850 form {@code Sunday, 06-Nov-94 08:49:37
     * GMT} (a two-digit year more than 50 years ahead of {@code now} is the century before) and ANSI C's asctime
     * {@code Sun Nov  6 08:49:37 1994}. The wait is exactly the time from {@code now} to the date, so a request made
     * after it is never earlier than the date; the day name is not checked against the date.
     */
    public static Optional<Duration> retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.trim();
        try {
            long seconds = Long.parseLong(value);
            return Optional.of(Duration.ofSeconds(Math.max(0, seconds)));
        } catch (NumberFormatException notSeconds) {
            return httpDate(value, now).map(at -> {
                Duration d = Duration.between(now, at);
                return d.isNegative() ? Duration.ZERO : d;
            });
        }
    }

    private static final java.util.regex.Pattern IMF_FIXDATE = java.util.regex.Pattern.compile(
            "(?i)[a-z]{3},\\s+(\\d{1,2})\\s+([a-z]{3})\\s+(\\d{4})\\s+(\\d{2}):(\\d{2}):(\\d{2})\\s+GMT");
    private static final java.util.regex.Pattern RFC_850 = java.util.regex.Pattern.compile(
            "(?i)[a-z]+,\\s+(\\d{1,2})-([a-z]{3})-(\\d{2})\\s+(\\d{2}):(\\d{2}):(\\d{2})\\s+GMT");
    private static final java.util.regex.Pattern ASCTIME = java.util.regex.Pattern.compile(
            "(?i)[a-z]{3}\\s+([a-z]{3})\\s+(\\d{1,2})\\s+(\\d{2}):(\\d{2}):(\\d{2})\\s+(\\d{4})");
    private static final java.util.List<String> MONTHS = java.util.List.of("jan", "feb", "mar", "apr", "may", "jun",
            "jul", "aug", "sep", "oct", "nov", "dec");

    /** An HTTP-date in any of its three forms, as an instant; empty when the value is none of them. */
    static Optional<Instant> httpDate(String value, Instant now) {
        try {
            java.util.regex.Matcher m = IMF_FIXDATE.matcher(value);
            if (m.matches()) {
                return instant(Integer.parseInt(m.group(3)), m.group(2), m.group(1), m.group(4), m.group(5),
                        m.group(6));
            }
            m = RFC_850.matcher(value);
            if (m.matches()) {
                int thisYear = now.atOffset(java.time.ZoneOffset.UTC).getYear();
                int year = thisYear - Math.floorMod(thisYear, 100) + Integer.parseInt(m.group(3));
                if (year > thisYear + 50) {
                    year -= 100;
                }
                return instant(year, m.group(2), m.group(1), m.group(4), m.group(5), m.group(6));
            }
            m = ASCTIME.matcher(value);
            if (m.matches()) {
                return instant(Integer.parseInt(m.group(6)), m.group(1), m.group(2), m.group(3), m.group(4),
                        m.group(5));
            }
            return Optional.of(ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (java.time.DateTimeException | NumberFormatException notADate) {
            return Optional.empty();
        }
    }

    private static Optional<Instant> instant(int year, String month, String day, String hour, String minute,
                                             String second) {
        int mon = MONTHS.indexOf(month.toLowerCase(Locale.ROOT)) + 1;
        if (mon == 0) {
            return Optional.empty();
        }
        return Optional.of(java.time.LocalDateTime.of(year, mon, Integer.parseInt(day), Integer.parseInt(hour),
                Integer.parseInt(minute), Integer.parseInt(second)).toInstant(java.time.ZoneOffset.UTC));
    }

    private static String firstNonEmpty(String a, String b) {
        if (a != null && !a.isEmpty()) {
            return a;
        }
        return b == null || b.isEmpty() ? null : b;
    }
}
