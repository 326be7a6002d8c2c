package com.tekst.outlook;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Microsoft Graph application permissions a connection asks for, named by what Tekst does with the mail. Consent
 * verification, diagnostics and the restriction scripts follow the connection's profile.
 *
 * <table>
 * <caption>Profiles</caption>
 * <tr><th>Profile</th><th>Graph application permissions</th><th>Exchange application roles (RBAC for Applications)</th></tr>
 * <tr><td>{@link #MINIMAL}</td><td>Mail.ReadBasic.All, User.Read.All</td><td>Application Mail.ReadBasic</td></tr>
 * <tr><td>{@link #READ_ONLY}</td><td>Mail.Read, User.Read.All, MailboxSettings.Read</td>
 *     <td>Application Mail.Read, Application MailboxSettings.Read</td></tr>
 * <tr><td>{@link #PROCESS}</td><td>READ_ONLY + Mail.ReadWrite</td><td>READ_ONLY + Application Mail.ReadWrite</td></tr>
 * <tr><td>{@link #PROCESS_AND_FORWARD}</td><td>PROCESS + Mail.Send</td><td>PROCESS + Application Mail.Send</td></tr>
 * </table>
 */
public enum PermissionProfile {
    /**
     * Message metadata without bodies: sync delivers messages with no body, preview or attachments, and mailbox types
     * are not read (every mailbox is {@code UNKNOWN}).
     */
    MINIMAL(List.of("Mail.ReadBasic.All", "User.Read.All"), List.of("Application Mail.ReadBasic")),
    /** Reads mail with bodies and mailbox types; changes nothing. */
    READ_ONLY(List.of("Mail.Read", "User.Read.All", "MailboxSettings.Read"),
            List.of("Application Mail.Read", "Application MailboxSettings.Read")),
    /** {@link #READ_ONLY} plus changing mail (categorize, move, mark as read). */
    PROCESS(List.of("Mail.Read", "Mail.ReadWrite", "User.Read.All", "MailboxSettings.Read"),
            List.of("Application Mail.Read", "Application Mail.ReadWrite", "Application MailboxSettings.Read")),
    /** {@link #PROCESS} plus forwarding and sending mail. */
    PROCESS_AND_FORWARD(List.of("Mail.Read", "Mail.ReadWrite", "Mail.Send", "User.Read.All", "MailboxSettings.Read"),
            List.of("Application Mail.Read", "Application Mail.ReadWrite", "Application Mail.Send",
                    "Application MailboxSettings.Read"));

    private static final Map<String, String> FEATURES;

    static {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("Mail.Read", "reading mail with bodies (sync, backfill, reconciliation)");
        f.put("Mail.ReadBasic.All", "reading mail without bodies (sync, backfill, reconciliation)");
        f.put("Mail.ReadWrite", "changing mail (categorize, move, mark as read)");
        f.put("Mail.Send", "forwarding and sending mail");
        f.put("User.Read.All", "mailbox search and address resolution");
        f.put("MailboxSettings.Read", "mailbox types (user, shared, room, equipment)");
        FEATURES = Collections.unmodifiableMap(f);
    }

    private final Set<String> graphPermissions;
    private final List<String> exchangeRoles;

    PermissionProfile(List<String> graphPermissions, List<String> exchangeRoles) {
        this.graphPermissions = Collections.unmodifiableSet(new TreeSet<>(graphPermissions));
        this.exchangeRoles = List.copyOf(exchangeRoles);
    }

    /** The Microsoft Graph application permissions of this profile, consented in Entra ID. */
    public Set<String> graphPermissions() {
        return graphPermissions;
    }

    /**
     * The Exchange Online application roles that grant this profile's mailbox permissions through RBAC for
     * Applications ({@code New-ManagementRoleAssignment -Role …}).
     */
    public List<String> exchangeRoles() {
        return exchangeRoles;
    }

    /**
     * The permissions the app-only token itself must carry when mailbox access comes the given way: every Graph
     * permission of the profile with {@link MailAccess#ENTRA_PERMISSIONS}; only those Exchange does not grant
     * ({@code User.Read.All}) with {@link MailAccess#EXCHANGE_RBAC}, whose roles never appear in the token.
     */
    public Set<String> tokenPermissions(MailAccess access) {
        if (access == MailAccess.ENTRA_PERMISSIONS) {
            return graphPermissions;
        }
        Set<String> left = new TreeSet<>();
        for (String p : graphPermissions) {
            if (!isExchangeGranted(p)) {
                left.add(p);
            }
        }
        return Collections.unmodifiableSet(left);
    }

    /** Whether this profile reads message bodies ({@link #MINIMAL} does not). */
    public boolean readsBodies() {
        return this != MINIMAL;
    }

    /** What stops working without a permission, for operators; a generic sentence for a permission not listed. */
    public static String featuresOf(String permission) {
        return FEATURES.getOrDefault(permission, "features that need it");
    }

    /**
     * Whether a Graph permission is a mailbox permission that RBAC for Applications can grant instead
     * ({@code Mail.*}, {@code MailboxSettings.*}).
     */
    public static boolean isExchangeGranted(String permission) {
        return permission.startsWith("Mail.") || permission.startsWith("MailboxSettings.");
    }
}
