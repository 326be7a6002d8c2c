package com.tekst.outlook.consent;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.TenantId;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the redirect back from Microsoft's admin-consent page says, once its {@code state} was checked.
 *
 * <ul>
 *   <li>{@link Granted}: Microsoft reports consent for a tenant. Not yet proven: call
 *       {@link AdminConsentFlow#verify}.</li>
 *   <li>{@link Denied}: Microsoft reports that consent was not granted; {@link Denied#message()} says "Admin consent
 *       is missing" and why.</li>
 *   <li>{@link Rejected}: the callback itself cannot be trusted or read (forged, expired or replayed {@code state},
 *       malformed parameters). Nothing in it was used.</li>
 * </ul>
 */
public sealed interface ConsentOutcome permits ConsentOutcome.Granted, ConsentOutcome.Denied, ConsentOutcome.Rejected {

    /** A short, operator-readable sentence. Never contains the {@code state}. */
    String message();

    /**
     * Microsoft redirected with {@code admin_consent=True} and a tenant. The tenant is a claim until verified.
     *
     * @param connection    the connection the signed {@code state} belongs to
     * @param claimedTenant the {@code tenant} parameter (unverified)
     * @param scope         the {@code scope} parameter if present, else empty
     */
    record Granted(ConnectionId connection, TenantId claimedTenant, String scope) implements ConsentOutcome {
        public Granted {
            Objects.requireNonNull(connection, "connection");
            Objects.requireNonNull(claimedTenant, "claimedTenant");
            scope = scope == null ? "" : scope;
        }

        @Override
        public String message() {
            return "Microsoft reports admin consent for tenant " + claimedTenant + "; verification pending";
        }
    }

    /**
     * Microsoft redirected with an error: consent was not granted.
     *
     * @param connection   the connection the signed {@code state} belongs to
     * @param reason       the classified reason
     * @param error        the OAuth {@code error} parameter, e.g. {@code access_denied}
     * @param aadstsCode   the AADSTS code from {@code error_description} or {@code error_uri}, or 0 when none
     * @param description  Microsoft's {@code error_description}, shortened and with control characters removed
     * @param errorSubcode the {@code error_subcode} parameter, or empty
     */
    record Denied(ConnectionId connection, DenialReason reason, String error, int aadstsCode, String description,
                  String errorSubcode) implements ConsentOutcome {
        public Denied {
            Objects.requireNonNull(connection, "connection");
            Objects.requireNonNull(reason, "reason");
            error = error == null ? "" : error;
            description = description == null ? "" : description;
            errorSubcode = errorSubcode == null ? "" : errorSubcode;
            if (aadstsCode < 0) {
                throw new IllegalArgumentException("aadstsCode must not be negative");
            }
        }

        /** The AADSTS code, when Microsoft gave one. */
        public OptionalInt aadsts() {
            return aadstsCode == 0 ? OptionalInt.empty() : OptionalInt.of(aadstsCode);
        }

        /** "Admin consent is missing: " and the reason, with the AADSTS code when known. */
        @Override
        public String message() {
            return "Admin consent is missing: " + reason.explanation()
                    + (aadstsCode == 0 ? "" : " (AADSTS" + aadstsCode + ")");
        }
    }

    /**
     * The callback cannot be trusted or read. Nothing from it was used.
     *
     * @param reason why
     * @param detail an operator-readable detail; never contains the {@code state} or other parameter values
     */
    record Rejected(RejectionReason reason, String detail) implements ConsentOutcome {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            detail = detail == null ? "" : detail;
        }

        @Override
        public String message() {
            return "Consent callback rejected: " + reason.explanation() + (detail.isEmpty() ? "" : " (" + detail + ")");
        }
    }

    /** The connection this outcome belongs to; empty for a rejected callback. */
    default Optional<ConnectionId> connectionId() {
        if (this instanceof Granted g) {
            return Optional.of(g.connection());
        }
        if (this instanceof Denied d) {
            return Optional.of(d.connection());
        }
        return Optional.empty();
    }
}
