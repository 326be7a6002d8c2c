package com.tekst.outlook.testkit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.tekst.outlook.TenantId;
import com.tekst.outlook.mailbox.MailboxType;
import com.tekst.outlook.testkit.internal.Json;
import com.tekst.outlook.testkit.internal.mail.MailboxState;
import com.tekst.outlook.testkit.internal.mail.TenantMail;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A fake Microsoft 365 tenant: its id and verified domains, its directory (users and the accounts behind shared, room
 * and equipment mailboxes), the admin consent it granted to applications, and the tenant-side restriction of which
 * mailboxes an application may reach.
 *
 * <p>Everything can change while a client runs against it: consent granted late, revoked, permissions changed, the
 * application disabled, mailboxes moved in or out of the restriction group. Thread-safe.
 */
public final class FakeTenant {

    /** Whether an application is consented in this tenant, as the token endpoint sees it. */
    public enum ConsentState {
        /** Never consented: no service principal (token requests get AADSTS700016). */
        NONE,
        /** Admin consent granted (tokens carry the granted permissions as roles). */
        GRANTED,
        /** Consent removed by deleting the enterprise application (AADSTS700016 again). */
        REVOKED,
        /** The enterprise application exists but no admin consent grant does (AADSTS65001). */
        GRANT_MISSING
    }

    /** The tenant-side mechanism restricting which mailboxes an application reaches. */
    public enum RestrictionMechanism {
        /** No restriction: the application reaches every mailbox its permissions allow. */
        NONE,
        /** An Exchange application access policy (RestrictAccess) scoped to a mail-enabled security group. */
        APPLICATION_ACCESS_POLICY,
        /**
         * RBAC for Applications with a management scope. It restricts nothing while the app also holds tenant-wide
         * Mail.Read in Entra: the two grants add up.
         */
        RBAC_FOR_APPLICATIONS
    }

    /** How Exchange Online answers an application's request for one mailbox ({@link #mailboxAccess}). */
    public enum MailboxAccess {
        /** The request runs. */
        ALLOWED,
        /** 403 {@code ErrorAccessDenied} "Access to OData is disabled.": an application access policy excludes it. */
        DENIED_BY_POLICY,
        /**
         * 403 {@code ErrorAccessDenied} "Access is denied. Check credentials and try again.": no permission covers it
         * (neither the token's roles nor an RBAC for Applications role assignment whose scope includes the mailbox).
         */
        DENIED
    }

    /** The application roles the SDK's RBAC script assigns ("Application Mail.Read", "Application MailboxSettings.Read"). */
    public static final Set<String> DEFAULT_RBAC_ROLES = Set.of("Mail.Read", "MailboxSettings.Read");

    private static final class AppConsent {
        ConsentState state = ConsentState.NONE;
        Set<String> permissions = Set.of();
        Instant effectiveAt = Instant.MIN;
        boolean servicePrincipalDisabled;
        RestrictionMechanism restriction = RestrictionMechanism.NONE;
        final Set<String> restrictionGroup = new LinkedHashSet<>();
        Set<String> rbacRoles = DEFAULT_RBAC_ROLES;
    }

    private final TenantId id;
    private final String name;
    private final String displayName;
    private final List<String> domains;
    private final Map<String, FakeUser> users = new LinkedHashMap<>();
    /** Object ids of removed accounts: Entra never gives an object id to a second object. */
    private final Set<String> retiredObjectIds = new HashSet<>();
    private final Map<String, AppConsent> consents = new HashMap<>();
    private final Set<String> pendingConsent;
    private Duration consentPropagationDelay = Duration.ZERO;
    private volatile Clock clock = new FakeClock();
    private final TenantMail mail;

    private FakeTenant(Builder b) {
        this.name = b.name;
        this.id = b.id != null ? b.id : deriveId(b.name);
        this.displayName = b.displayName;
        List<String> d = new ArrayList<>();
        d.add(b.name + ".onmicrosoft.com");
        d.addAll(b.domains);
        this.domains = List.copyOf(d);
        this.mail = new TenantMail(id.value(), () -> clock.instant());
        for (FakeUser.Builder ub : b.users) {
            addUserLocked(ub);
        }
        if (b.generator != null) {
            b.generator.populate(this);
        }
        this.pendingConsent = b.consentPermissions == null ? null : Set.copyOf(b.consentPermissions);
        this.consentPropagationDelay = b.consentPropagationDelay;
    }

    /** Starts a tenant named {@code name}: its initial domain is {@code name.onmicrosoft.com}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The tenant id derived from a tenant name when none is set: a name-based UUID, stable across runs. */
    public static TenantId deriveId(String name) {
        return TenantId.of(UUID.nameUUIDFromBytes(("tekst-fake-tenant:" + name).getBytes(StandardCharsets.UTF_8))
                .toString());
    }

    void attach(FakeMicrosoftCloud cloud) {
        this.clock = cloud.clock();
        if (pendingConsent != null) {
            grantConsent(cloud.app(), pendingConsent.isEmpty() ? cloud.app().requestedPermissions() : pendingConsent);
        }
    }

    public TenantId id() {
        return id;
    }

    public String name() {
        return name;
    }

    public String displayName() {
        return displayName;
    }

    /** Verified domains; the first is the initial {@code name.onmicrosoft.com} domain. */
    public List<String> domains() {
        return domains;
    }

    /** Whether {@code idOrDomain} names this tenant (its id or a verified domain, any case). */
    public boolean isNamed(String idOrDomain) {
        String n = idOrDomain.toLowerCase(Locale.ROOT);
        return n.equals(id.value()) || domains.stream().anyMatch(d -> d.equalsIgnoreCase(n));
    }

    // ---- directory -------------------------------------------------------------------------------------------------

    /** Every account, in the order added. */
    public synchronized List<FakeUser> users() {
        return List.copyOf(users.values());
    }

    /** Finds an account by object id, UPN, primary address or alias (any case). */
    public synchronized Optional<FakeUser> user(String name) {
        FakeUser byId = users.get(name.toLowerCase(Locale.ROOT));
        if (byId != null) {
            return Optional.of(byId);
        }
        for (FakeUser u : users.values()) {
            if (u.isNamed(name)) {
                return Optional.of(u);
            }
        }
        return Optional.empty();
    }

    /**
     * Adds an account while clients run. Its names (UPN, primary address) may be ones a removed account had (a new
     * hire gets a leaver's address): the new account still gets a new object id, as in Entra, and a new, empty
     * mailbox.
     *
     * @throws IllegalArgumentException if an existing account has the UPN or primary address, or the builder's fixed
     *                                  object id is one an account has or had
     */
    public synchronized FakeUser addUser(FakeUser.Builder builder) {
        return addUserLocked(builder);
    }

    /**
     * Removes an account (and its mailbox) while clients run; returns whether it existed. Its names become free for
     * {@link #addUser} or {@link #moveAlias}; its object id is never given to another account.
     */
    public synchronized boolean removeUser(String name) {
        Optional<FakeUser> u = user(name);
        u.ifPresent(user -> {
            users.remove(user.objectId());
            retiredObjectIds.add(user.objectId());
            mail.remove(user.objectId());
            consents.values().forEach(c -> c.restrictionGroup.remove(user.objectId()));
        });
        return u.isPresent();
    }

    /** The first administrator account, if any. */
    public synchronized Optional<FakeUser> administrator() {
        return users.values().stream().filter(FakeUser::isAdministrator).findFirst();
    }

    /**
     * Moves a secondary SMTP address (proxy address) from the account that has it to the account named {@code to}
     * (by object id, UPN, primary address or alias), while clients run: Graph resolves {@code /users/{alias}} to the
     * new owner from the next request on, and the directory lists the alias under the new owner.
     *
     * @return the new owner, with the alias
     * @throws IllegalArgumentException if no account has {@code alias} as a secondary address (a UPN or primary
     *                                  address does not move: remove the account and add the new one instead), or
     *                                  there is no account {@code to}
     */
    public synchronized FakeUser moveAlias(String alias, String to) {
        FakeUser target = require(to);
        FakeUser from = null;
        for (FakeUser u : users.values()) {
            if (u.aliases().stream().anyMatch(a -> a.equalsIgnoreCase(alias))) {
                from = u;
            }
        }
        if (from == null) {
            throw new IllegalArgumentException("no account of " + name + " has the secondary address " + alias);
        }
        if (from == target) {
            return target;
        }
        List<String> remaining = new ArrayList<>();
        String moved = alias;
        for (String a : from.aliases()) {
            if (a.equalsIgnoreCase(alias)) {
                moved = a;
            } else {
                remaining.add(a);
            }
        }
        List<String> gained = new ArrayList<>(target.aliases());
        gained.add(moved);
        users.put(from.objectId(), from.withAliases(remaining));
        FakeUser updated = target.withAliases(gained);
        users.put(target.objectId(), updated);
        return updated;
    }

    private FakeUser addUserLocked(FakeUser.Builder b) {
        String objectId = b.objectId;
        if (objectId == null) {
            String seed = id.value() + ":" + b.userPrincipalName.toLowerCase(Locale.ROOT);
            objectId = UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
            for (int n = 2; retiredObjectIds.contains(objectId); n++) {
                objectId = UUID.nameUUIDFromBytes((seed + "#" + n).getBytes(StandardCharsets.UTF_8)).toString();
            }
        }
        if (users.containsKey(objectId) || retiredObjectIds.contains(objectId)) {
            throw new IllegalArgumentException("an account with object id " + objectId + " exists or existed");
        }
        for (FakeUser existing : users.values()) {
            if (existing.isNamed(b.userPrincipalName) || (b.mail != null && existing.isNamed(b.mail))) {
                throw new IllegalArgumentException("an account named " + b.userPrincipalName + " exists");
            }
        }
        FakeUser user = new FakeUser(objectId, b);
        users.put(objectId, user);
        if (user.hasMailbox()) {
            mail.create(objectId);
        }
        return user;
    }

    // ---- mailboxes -------------------------------------------------------------------------------------------------

    /**
     * The Exchange Online mailbox of an account (by object id, UPN, primary address or alias, any case), to read or
     * change its folders and messages while clients run. {@link IllegalArgumentException} when there is no such
     * account or it has no mailbox.
     */
    public FakeMailbox mailbox(String name) {
        FakeUser user = require(name);
        MailboxState state = mail.get(user.objectId());
        if (state == null) {
            throw new IllegalArgumentException(user.userPrincipalName() + " has no Exchange Online mailbox ("
                    + user.noMailboxReason().map(Enum::name).orElse("removed") + ")");
        }
        return new FakeMailbox(user, state, () -> clock.instant());
    }

    /** Every mailbox (users with a mailbox, shared, room and equipment mailboxes), in the order added. */
    public synchronized List<FakeMailbox> mailboxes() {
        List<FakeMailbox> out = new ArrayList<>();
        for (FakeUser u : users.values()) {
            MailboxState state = mail.get(u.objectId());
            if (state != null) {
                out.add(new FakeMailbox(u, state, () -> clock.instant()));
            }
        }
        return out;
    }

    /**
     * Takes an account's mailbox away while clients run (license removed, mailbox soft-deleted or moved on-premises):
     * the account stays in the directory, and Graph answers {@code MailboxNotEnabledForRESTAPI} for its mail.
     */
    public synchronized FakeUser disableMailbox(String name, FakeUser.NoMailboxReason reason) {
        FakeUser user = require(name);
        FakeUser replaced = user.withoutMailbox(reason);
        users.put(user.objectId(), replaced);
        mail.remove(user.objectId());
        return replaced;
    }

    /** The domain generated accounts get: the last verified custom domain, else the initial domain. */
    String primaryDomain() {
        return domains.get(domains.size() - 1);
    }

    TenantMail mail() {
        return mail;
    }

    /** The mailbox state of an account by object id, or {@code null}. */
    MailboxState mailboxState(String objectId) {
        return mail.get(objectId);
    }

    /**
     * The tenant as canonical JSON: id, domains, every account, and every mailbox's folders and messages in a fixed
     * order. Two tenants built the same way (the same generator seed, the same operations) give the same text, byte
     * for byte. Consent and restriction state are not included.
     */
    public synchronized String toJson() {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("id", id.value());
            g.writeStringField("name", name);
            g.writeArrayFieldStart("domains");
            for (String d : domains) {
                g.writeString(d);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("users");
            for (FakeUser u : users.values()) {
                g.writeStartObject();
                g.writeStringField("id", u.objectId());
                g.writeStringField("userPrincipalName", u.userPrincipalName());
                g.writeStringField("mail", u.mail().orElse(null));
                g.writeStringField("displayName", u.displayName());
                g.writeArrayFieldStart("aliases");
                for (String a : u.aliases()) {
                    g.writeString(a);
                }
                g.writeEndArray();
                g.writeStringField("userPurpose", u.mailboxType().map(MailboxType::userPurpose).orElse(null));
                g.writeStringField("noMailboxReason", u.noMailboxReason().map(Enum::name).orElse(null));
                MailboxState state = mail.get(u.objectId());
                if (state != null) {
                    g.writeFieldName("mailbox");
                    state.writeJson(g);
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    // ---- consent ---------------------------------------------------------------------------------------------------

    /** How an application is consented here right now (a grant waiting for propagation counts as not yet). */
    public synchronized ConsentState consentState(FakeApp app) {
        AppConsent c = consents.get(app.clientId());
        if (c == null) {
            return ConsentState.NONE;
        }
        if (c.state == ConsentState.GRANTED && clock.instant().isBefore(c.effectiveAt)) {
            return ConsentState.NONE;
        }
        return c.state;
    }

    /** The application permissions granted to an application (its token roles); empty without consent. */
    public synchronized Set<String> grantedPermissions(FakeApp app) {
        return consentState(app) == ConsentState.GRANTED
                ? consents.get(app.clientId()).permissions : Set.of();
    }

    /** Whether the application's enterprise application (service principal) is disabled in this tenant. */
    public synchronized boolean isAppDisabled(FakeApp app) {
        AppConsent c = consents.get(app.clientId());
        return c != null && c.servicePrincipalDisabled;
    }

    /** Grants admin consent for every permission the application requests, effective after the propagation delay. */
    public void grantConsent(FakeApp app) {
        grantConsent(app, app.requestedPermissions());
    }

    /** Grants admin consent for these permissions, effective after the tenant's propagation delay. */
    public synchronized void grantConsent(FakeApp app, Set<String> permissions) {
        grantConsent(app, permissions, consentPropagationDelay);
    }

    /** Grants admin consent for these permissions, effective {@code after} from now (fake time). */
    public synchronized void grantConsent(FakeApp app, Set<String> permissions, Duration after) {
        AppConsent c = consents.computeIfAbsent(app.clientId(), k -> new AppConsent());
        c.state = ConsentState.GRANTED;
        c.permissions = Set.copyOf(permissions);
        c.effectiveAt = clock.instant().plus(after);
    }

    /** Revokes consent by deleting the enterprise application: token requests get AADSTS700016. */
    public synchronized void revokeConsent(FakeApp app) {
        AppConsent c = consents.computeIfAbsent(app.clientId(), k -> new AppConsent());
        c.state = ConsentState.REVOKED;
        c.permissions = Set.of();
    }

    /** Removes the admin consent grant but keeps the enterprise application: token requests get AADSTS65001. */
    public synchronized void removeConsentGrant(FakeApp app) {
        AppConsent c = consents.computeIfAbsent(app.clientId(), k -> new AppConsent());
        c.state = ConsentState.GRANT_MISSING;
        c.permissions = Set.of();
    }

    /**
     * Changes the granted permissions of a consented application. Tokens issued from now on carry them; tokens issued
     * before keep the old roles until they expire, as in Microsoft 365.
     */
    public synchronized void setGrantedPermissions(FakeApp app, Set<String> permissions) {
        AppConsent c = consents.get(app.clientId());
        if (c == null || c.state != ConsentState.GRANTED) {
            throw new IllegalStateException("the application is not consented in " + name);
        }
        c.permissions = Set.copyOf(permissions);
    }

    /** Disables or enables the application's enterprise application in this tenant (AADSTS7000112 while disabled). */
    public synchronized void setAppDisabled(FakeApp app, boolean disabled) {
        consents.computeIfAbsent(app.clientId(), k -> new AppConsent()).servicePrincipalDisabled = disabled;
    }

    /** How long a consent granted from now on takes before tokens can be issued (default zero). */
    public synchronized void setConsentPropagationDelay(Duration delay) {
        this.consentPropagationDelay = Objects.requireNonNull(delay);
    }

    public synchronized Duration consentPropagationDelay() {
        return consentPropagationDelay;
    }

    // ---- tenant-side restriction -----------------------------------------------------------------------------------

    /** Applies (or with {@link RestrictionMechanism#NONE} removes) a restriction for an application. */
    public synchronized void restrict(FakeApp app, RestrictionMechanism mechanism) {
        consents.computeIfAbsent(app.clientId(), k -> new AppConsent()).restriction =
                Objects.requireNonNull(mechanism);
    }

    public synchronized RestrictionMechanism restriction(FakeApp app) {
        AppConsent c = consents.get(app.clientId());
        return c == null ? RestrictionMechanism.NONE : c.restriction;
    }

    /** Puts mailboxes (by any name) into the application's restriction group (or management scope). */
    public synchronized void addToRestrictionGroup(FakeApp app, String... mailboxNames) {
        AppConsent c = consents.computeIfAbsent(app.clientId(), k -> new AppConsent());
        for (String n : mailboxNames) {
            c.restrictionGroup.add(require(n).objectId());
        }
    }

    /** Takes mailboxes out of the application's restriction group. */
    public synchronized void removeFromRestrictionGroup(FakeApp app, String... mailboxNames) {
        AppConsent c = consents.get(app.clientId());
        if (c != null) {
            for (String n : mailboxNames) {
                c.restrictionGroup.remove(require(n).objectId());
            }
        }
    }

    /** The object ids in the application's restriction group. */
    public synchronized Set<String> restrictionGroup(FakeApp app) {
        AppConsent c = consents.get(app.clientId());
        return c == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(c.restrictionGroup));
    }

    /**
     * Whether the tenant lets the application reach this account's mailbox: true without a restriction; with an
     * application access policy only for group members; with RBAC for Applications for members, and for everyone
     * while the application also holds tenant-wide Mail.Read (or Mail.ReadBasic.All / Mail.ReadWrite) consent.
     */
    public synchronized boolean allowsMailboxAccess(FakeApp app, String objectId) {
        AppConsent c = consents.get(app.clientId());
        if (c == null || c.restriction == RestrictionMechanism.NONE) {
            return true;
        }
        if (c.restrictionGroup.contains(objectId)) {
            return true;
        }
        if (c.restriction == RestrictionMechanism.RBAC_FOR_APPLICATIONS) {
            Set<String> p = grantedPermissions(app);
            return p.contains("Mail.Read") || p.contains("Mail.ReadBasic.All") || p.contains("Mail.ReadWrite")
                    || p.contains("Mail.ReadBasic");
        }
        return false;
    }

    /**
     * The permissions an RBAC for Applications role assignment grants the application over its management scope (the
     * restriction group), by Graph permission name: {@code Mail.Read} for "Application Mail.Read" and so on.
     * {@link #DEFAULT_RBAC_ROLES} until set. They matter only with {@link RestrictionMechanism#RBAC_FOR_APPLICATIONS}.
     */
    public synchronized void setRbacRoles(FakeApp app, Set<String> permissions) {
        consents.computeIfAbsent(app.clientId(), k -> new AppConsent()).rbacRoles = Set.copyOf(permissions);
    }

    public synchronized Set<String> rbacRoles(FakeApp app) {
        AppConsent c = consents.get(app.clientId());
        return c == null ? DEFAULT_RBAC_ROLES : c.rbacRoles;
    }

    /**
     * How Exchange answers a request of the application for a mailbox that needs any of {@code needsAnyOf}, made
     * with a token carrying {@code tokenRoles} (the Entra-consented permissions):
     * <ul>
     *   <li>no restriction: allowed when the token carries a needed role, else {@link MailboxAccess#DENIED};</li>
     *   <li>an application access policy restricts the Entra grants: a member is allowed (given the role), anyone
     *       else {@link MailboxAccess#DENIED_BY_POLICY};</li>
     *   <li>RBAC for Applications adds to the Entra grants: a needed role in the token allows every mailbox (the scope
     *       restricts nothing then); otherwise a member is allowed when an assigned RBAC role covers the request
     *       ({@link #setRbacRoles}), anyone else is {@link MailboxAccess#DENIED}.</li>
     * </ul>
     */
    public synchronized MailboxAccess mailboxAccess(FakeApp app, String objectId, Set<String> tokenRoles,
                                                    Set<String> needsAnyOf) {
        boolean entra = tokenRoles.stream().anyMatch(needsAnyOf::contains);
        AppConsent c = consents.get(app.clientId());
        RestrictionMechanism mechanism = c == null ? RestrictionMechanism.NONE : c.restriction;
        boolean member = c != null && c.restrictionGroup.contains(objectId);
        return switch (mechanism) {
            case NONE -> entra ? MailboxAccess.ALLOWED : MailboxAccess.DENIED;
            case APPLICATION_ACCESS_POLICY -> !entra ? MailboxAccess.DENIED
                    : member ? MailboxAccess.ALLOWED : MailboxAccess.DENIED_BY_POLICY;
            case RBAC_FOR_APPLICATIONS -> entra || (member && c.rbacRoles.stream().anyMatch(needsAnyOf::contains))
                    ? MailboxAccess.ALLOWED : MailboxAccess.DENIED;
        };
    }

    private FakeUser require(String name) {
        return user(name).orElseThrow(() -> new IllegalArgumentException("no account named " + name + " in " + this.name));
    }

    @Override
    public String toString() {
        return "FakeTenant[" + name + ", " + id + "]";
    }

    /** Builder for {@link FakeTenant}. */
    public static final class Builder {
        final String name;
        TenantId id;
        String displayName;
        final List<String> domains = new ArrayList<>();
        final List<FakeUser.Builder> users = new ArrayList<>();
        Set<String> consentPermissions;
        Duration consentPropagationDelay = Duration.ZERO;
        TenantGenerator generator;

        private Builder(String name) {
            Objects.requireNonNull(name, "name");
            if (!name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
                throw new IllegalArgumentException("a tenant name is lower-case letters, digits and '-': " + name);
            }
            this.name = name;
            this.displayName = Character.toUpperCase(name.charAt(0)) + name.substring(1);
        }

        /** A fixed tenant id; derived from the name when not set. */
        public Builder id(TenantId value) {
            this.id = Objects.requireNonNull(value);
            return this;
        }

        public Builder displayName(String value) {
            this.displayName = Objects.requireNonNull(value);
            return this;
        }

        /** Another verified domain, such as {@code contoso.com}. */
        public Builder domain(String value) {
            this.domains.add(value.toLowerCase(Locale.ROOT));
            return this;
        }

        /** Adds an account. */
        public Builder user(FakeUser.Builder value) {
            this.users.add(Objects.requireNonNull(value));
            return this;
        }

        /** Adds a user with a user mailbox. */
        public Builder user(String userPrincipalName) {
            return user(FakeUser.builder(userPrincipalName));
        }

        /** Adds an administrator able to grant admin consent (with a user mailbox). */
        public Builder administrator(String userPrincipalName) {
            return user(FakeUser.builder(userPrincipalName).administrator());
        }

        /** Adds a shared mailbox. */
        public Builder sharedMailbox(String address) {
            return user(FakeUser.builder(address).mailboxType(MailboxType.SHARED));
        }

        /** Adds a room mailbox. */
        public Builder roomMailbox(String address) {
            return user(FakeUser.builder(address).mailboxType(MailboxType.ROOM));
        }

        /** Adds an equipment mailbox. */
        public Builder equipmentMailbox(String address) {
            return user(FakeUser.builder(address).mailboxType(MailboxType.EQUIPMENT));
        }

        /** Adds a user without an Exchange Online mailbox. */
        public Builder userWithoutMailbox(String userPrincipalName, FakeUser.NoMailboxReason reason) {
            return user(FakeUser.builder(userPrincipalName).withoutMailbox(reason));
        }

        /** Admin consent already granted to the cloud's application, for every permission it requests. */
        public Builder consentGranted() {
            this.consentPermissions = Set.of();
            return this;
        }

        /** Admin consent already granted to the cloud's application, for exactly these permissions. */
        public Builder consentGranted(Set<String> permissions) {
            if (permissions.isEmpty()) {
                throw new IllegalArgumentException("use consentGranted() for all requested permissions");
            }
            this.consentPermissions = Set.copyOf(permissions);
            return this;
        }

        /** How long consent granted later (through the consent page) takes before tokens can be issued. */
        public Builder consentPropagationDelay(Duration value) {
            this.consentPropagationDelay = Objects.requireNonNull(value);
            return this;
        }

        /**
         * Fills the tenant with generated mailboxes and mail, deterministically from the generator's seed (after the
         * accounts added explicitly). The same generator gives the same tenant, byte for byte ({@link #toJson()}).
         */
        public Builder generate(TenantGenerator value) {
            this.generator = Objects.requireNonNull(value);
            return this;
        }

        /**
         * Shorthand for {@link #generate(TenantGenerator)}: {@code userMailboxes} user and {@code sharedMailboxes}
         * shared mailboxes with {@code messagesPerMailbox} messages each, received between {@code from} and
         * {@code to}, all drawn from {@code seed}.
         */
        public Builder generate(long seed, int userMailboxes, int sharedMailboxes, int messagesPerMailbox,
                                Instant from, Instant to) {
            return generate(TenantGenerator.builder(seed).userMailboxes(userMailboxes)
                    .sharedMailboxes(sharedMailboxes).messagesPerMailbox(messagesPerMailbox).between(from, to)
                    .build());
        }

        public FakeTenant build() {
            return new FakeTenant(this);
        }
    }
}
