package com.tekst.outlook.graph;

import com.tekst.outlook.Connection;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionPermissions;
import com.tekst.outlook.ConnectionType;
import com.tekst.outlook.PermissionProfile;
import com.tekst.outlook.TenantHint;
import com.tekst.outlook.consent.ConsentOutcome;
import com.tekst.outlook.consent.ConsentVerification;
import com.tekst.outlook.mailbox.MailboxType;
import com.tekst.outlook.store.InMemoryOutlookStore;
import com.tekst.outlook.testkit.FakeClock;
import com.tekst.outlook.testkit.FakeMailbox;
import com.tekst.outlook.testkit.FakeMicrosoftCloud;
import com.tekst.outlook.testkit.FakeTenant;
import com.tekst.outlook.testkit.FakeUser;
import com.tekst.outlook.testkit.TenantGenerator;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The acceptance tenant of the mailbox-scope tests, in one fake cloud: {@code contoso} (consented to
 * {@link #CONTOSO_PERMISSIONS}) with 40 user mailboxes (39 generated plus alice, whose user principal name differs
 * from her address and who has two aliases), 5 shared and 2 room mailboxes
 * and 3 users without Exchange Online (unlicensed, on-premises, a guest); {@code litware} consented without
 * {@code MailboxSettings.Read}, {@code fabrikam} without {@code User.Read.All}, {@code northwind} restricted with RBAC
 * for Applications only ({@code User.Read.All} in Entra, {@code member@} in the scope). One {@link OutlookClient} on an
 * in-memory store. Connections to contoso and northwind go through {@code begin} and {@code verify} (northwind's with
 * its mail access from RBAC for Applications); those to litware and fabrikam, whose consent lacks a permission and so
 * never verifies, are stored as if it had. Close it after the class.
 */
final class ScopeTenantFixture implements AutoCloseable {
    static final String ALICE_UPN = "alice@contoso.onmicrosoft.com";
    static final String ALICE_MAIL = "alice.smith@contoso.com";
    static final List<String> ALICE_ALIASES = List.of("alice@contoso.com", "a.smith@contoso.com");
    /** What Tekst asks an organization-wide tenant for: read, categorize/move, forward/send, directory, settings. */
    static final Set<String> CONTOSO_PERMISSIONS = Set.of("Mail.Read", "Mail.ReadWrite", "Mail.Send",
            "User.Read.All", "MailboxSettings.Read");

    final FakeClock clock = new FakeClock();
    final FakeMicrosoftCloud cloud;
    final FakeTenant contoso;
    final FakeTenant litware;
    final FakeTenant fabrikam;
    final FakeTenant northwind;
    final InMemoryOutlookStore store = new InMemoryOutlookStore();
    final OutlookClient client;
    private final AtomicInteger connections = new AtomicInteger();

    ScopeTenantFixture() {
        cloud = FakeMicrosoftCloud.builder()
                .clock(clock)
                .tenant(FakeTenant.builder("contoso").domain("contoso.com").consentGranted(CONTOSO_PERMISSIONS)
                        .user(FakeUser.builder(ALICE_UPN).mail(ALICE_MAIL).displayName("Alice Smith")
                                .alias(ALICE_ALIASES.get(0)).alias(ALICE_ALIASES.get(1)))
                        .roomMailbox("room.berlin@contoso.com")
                        .roomMailbox("room.paris@contoso.com")
                        .userWithoutMailbox("unlicensed@contoso.com", FakeUser.NoMailboxReason.UNLICENSED)
                        .userWithoutMailbox("onprem@contoso.com", FakeUser.NoMailboxReason.ON_PREMISES)
                        .userWithoutMailbox("guest_fabrikam.com#EXT#@contoso.onmicrosoft.com",
                                FakeUser.NoMailboxReason.GUEST)
                        .generate(TenantGenerator.builder(4).userMailboxes(39).sharedMailboxes(5)
                                .messagesPerMailbox(2).between(Instant.parse("2025-12-01T00:00:00Z"),
                                        FakeClock.DEFAULT_START).build()))
                .tenant(FakeTenant.builder("litware").consentGranted(Set.of("Mail.Read", "User.Read.All"))
                        .user("ann@litware.com"))
                .tenant(FakeTenant.builder("fabrikam").consentGranted(Set.of("Mail.Read", "MailboxSettings.Read"))
                        .user("frank@fabrikam.com"))
                .tenant(FakeTenant.builder("northwind").consentGranted(Set.of("User.Read.All"))
                        .user("member@northwind.com").user("other@northwind.com"))
                .start();
        contoso = cloud.tenant("contoso");
        litware = cloud.tenant("litware");
        fabrikam = cloud.tenant("fabrikam");
        northwind = cloud.tenant("northwind");
        northwind.restrict(cloud.app(), FakeTenant.RestrictionMechanism.RBAC_FOR_APPLICATIONS);
        northwind.addToRestrictionGroup(cloud.app(), "member@northwind.com");
        client = builder().build();
    }

    OutlookClient.Builder builder() {
        return OutlookClient.builder()
                .clientId(cloud.app().clientId())
                .credential(AppCredential.secret(cloud.clientSecret()))
                .stateKeys(StateKey.random())
                .store(store)
                .cloud(CloudEndpoints.of(cloud.loginBaseUrl(), cloud.graphBaseUrl()))
                .clock(clock)
                .sleeper(clock)
                .trustManager(cloud.trustManager());
    }

    static final java.net.URI REDIRECT = java.net.URI.create("https://app.tekst.example/outlook/consent/callback");

    /**
     * A new organization-wide connection to {@code tenant}: verified through {@code adminConsent().verify} for contoso
     * (Entra ID) and northwind (RBAC for Applications), as consent leaves it for the others.
     */
    ConnectionId connect(FakeTenant tenant) {
        ConnectionId id = ConnectionId.of("conn-" + connections.incrementAndGet());
        if (tenant == contoso || tenant == northwind) {
            ConnectionPermissions permissions = tenant == northwind
                    ? ConnectionPermissions.exchangeRbac(PermissionProfile.READ_ONLY) : ConnectionPermissions.DEFAULT;
            client.adminConsent().begin(id, REDIRECT, TenantHint.ORGANIZATIONS, permissions);
            ConsentVerification v = client.adminConsent().verify(new ConsentOutcome.Granted(id, tenant.id(),
                    "https://graph.microsoft.com/.default"));
            if (!v.isVerified()) {
                throw new AssertionError("consent of " + tenant.name() + " did not verify: " + v.detail());
            }
            return id;
        }
        store.saveConnection(Connection.pending(id, ConnectionType.ORGANIZATION_WIDE, clock.instant())
                .connectedTo(tenant.id(), clock.instant()));
        return id;
    }

    List<FakeMailbox> ofType(MailboxType type) {
        return contoso.mailboxes().stream().filter(m -> m.owner().mailboxType().orElseThrow() == type).toList();
    }

    FakeUser user(String name) {
        return contoso.user(name).orElseThrow();
    }

    @Override
    public void close() {
        client.close();
        cloud.close();
    }
}
