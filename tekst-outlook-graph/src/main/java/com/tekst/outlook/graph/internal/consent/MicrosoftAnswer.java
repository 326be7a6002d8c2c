package com.tekst.outlook.graph.internal.consent;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.TenantId;
import com.tekst.outlook.consent.ConsentCallback;
import com.tekst.outlook.consent.ConsentOutcome;
import com.tekst.outlook.consent.DenialReason;
import com.tekst.outlook.consent.RejectionReason;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what Microsoft says in an admin-consent redirect, once the {@code state} was accepted: success
 * ({@code admin_consent=True} with a tenant id), or an error ({@code error}, {@code error_description} whose prefix is
 * the AADSTS code, {@code error_uri} ending in {@code ?code=NNN}, {@code error_subcode}), never trusting the tenant.
 * Internal.
 */
final class MicrosoftAnswer {
    /** Descriptions are cut to this many characters. */
    static final int MAX_DESCRIPTION = 1000;

    private static final Pattern AADSTS = Pattern.compile("AADSTS(\\d{1,9})");
    private static final Pattern URI_CODE = Pattern.compile("[?&]code=(\\d{1,9})(?:&|$)");
    private static final Map<Integer, DenialReason> BY_CODE = Map.ofEntries(
            Map.entry(65004, DenialReason.DECLINED),
            Map.entry(90094, DenialReason.ADMIN_REQUIRED),
            Map.entry(90093, DenialReason.ADMIN_REQUIRED),
            Map.entry(90008, DenialReason.ADMIN_REQUIRED),
            Map.entry(90095, DenialReason.ADMIN_REQUIRED),
            Map.entry(50020, DenialReason.ACCOUNT_IN_OTHER_DIRECTORY),
            Map.entry(50011, DenialReason.REDIRECT_URI_MISMATCH),
            Map.entry(50194, DenialReason.APP_NOT_MULTI_TENANT));

    private MicrosoftAnswer() {
    }

    static ConsentOutcome read(ConnectionId connection, ConsentCallback callback) {
        String error = callback.first("error").map(String::strip).orElse("");
        String description = callback.first("error_description").orElse("");
        String errorUri = callback.first("error_uri").orElse("");
        String subcode = callback.first("error_subcode").map(String::strip).orElse("");
        if (!error.isEmpty() || !description.isBlank() || !subcode.isEmpty()) {
            int code = code(description, errorUri);
            return new ConsentOutcome.Denied(connection, classify(error, code, subcode), shorten(error, 100), code,
                    shorten(description, MAX_DESCRIPTION), shorten(subcode, 100));
        }
        Optional<String> adminConsent = callback.first("admin_consent").map(String::strip);
        if (adminConsent.isPresent() && adminConsent.get().equalsIgnoreCase("true")) {
            Optional<String> tenant = callback.first("tenant").map(String::strip);
            if (tenant.isEmpty() || tenant.get().isEmpty()) {
                return new ConsentOutcome.Rejected(RejectionReason.PARAMETER_MISSING,
                        "admin_consent=True without a tenant parameter");
            }
            if (!TenantId.isValid(tenant.get())) {
                return new ConsentOutcome.Rejected(RejectionReason.TENANT_INVALID, "the tenant parameter is not a"
                        + " GUID");
            }
            return new ConsentOutcome.Granted(connection, TenantId.of(tenant.get()),
                    callback.first("scope").map(s -> shorten(s, 1000)).orElse(""));
        }
        return new ConsentOutcome.Rejected(RejectionReason.RESPONSE_UNRECOGNIZED,
                "neither admin_consent=True nor an error parameter");
    }

    /** The AADSTS code: the description's prefix, else the error URI's {@code code}; 0 when neither has one. */
    static int code(String description, String errorUri) {
        Matcher m = AADSTS.matcher(description);
        if (m.find()) {
            return Integer.parseInt(m.group(1));
        }
        Matcher u = URI_CODE.matcher(errorUri);
        return u.find() ? Integer.parseInt(u.group(1)) : 0;
    }

    /**
     * A known code decides; then {@code error_subcode=cancel}; then {@code invalid_request}; an unknown code stays
     * {@link DenialReason#UNKNOWN} (kept with its description); without a code, {@code access_denied} and
     * {@code permission_denied} mean the administrator declined.
     */
    static DenialReason classify(String error, int code, String subcode) {
        DenialReason known = BY_CODE.get(code);
        if (known != null) {
            return known;
        }
        if (subcode.equalsIgnoreCase("cancel")) {
            return DenialReason.DECLINED;
        }
        String e = error.toLowerCase(Locale.ROOT);
        if (e.equals("invalid_request")) {
            return DenialReason.INVALID_REQUEST;
        }
        if (code != 0) {
            return DenialReason.UNKNOWN;
        }
        if (e.equals("access_denied") || e.equals("permission_denied")) {
            return DenialReason.DECLINED;
        }
        return DenialReason.UNKNOWN;
    }

    /** Control characters become spaces, runs of white space collapse, and the text is cut to {@code max}. */
    static String shorten(String text, int max) {
        StringBuilder sb = new StringBuilder(Math.min(text.length(), max + 1));
        boolean space = false;
        for (int i = 0; i < text.length() && sb.length() <= max; i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || Character.isWhitespace(c) || c == '\u2028' || c == '\u2029') {
                space = sb.length() > 0;
                continue;
            }
            if (space) {
                sb.append(' ');
                space = false;
            }
            sb.append(c);
        }
        if (sb.length() > max) {
            int cut = max - 1;
            if (Character.isHighSurrogate(sb.charAt(cut - 1))) {
                cut--;
            }
            sb.setLength(cut);
            sb.append('…');
        }
        return sb.toString();
    }
}
