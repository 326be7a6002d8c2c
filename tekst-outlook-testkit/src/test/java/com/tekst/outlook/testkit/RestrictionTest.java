package com.tekst.outlook.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tenant-side restriction as Exchange Online applies it: an application access policy restricts
 * the Entra-consented permissions to the group's members ("Access to OData is disabled." for the others); RBAC for
 * Applications grants its roles server-side over its scope and adds to the Entra grants, so a tenant-wide Mail.Read
 * leaves it restricting nothing.
 */
class RestrictionTest {
    FakeMicrosoftCloud cloud;
    FakeTenant contoso;
    GraphHttp http;
    FakeUser member;
    FakeUser other;

    @BeforeEach
    void start() {
        cloud = FakeMicrosoftCloud.builder()
                .tenant(FakeTenant.builder("contoso").consentGranted()
                        .user("member@contoso.com").user("other@contoso.com"))
                .start();
        contoso = cloud.tenant("contoso");
        member = contoso.user("member@contoso.com").orElseThrow();
        other = contoso.user("other@contoso.com").orElseThrow();
        contoso.addToRestrictionGroup(cloud.app(), member.objectId());
        http = new GraphHttp(cloud, contoso);
    }

    @AfterEach
    void stop() {
        cloud.close();
    }

    void tokenWith(String... roles) {
        http.token = cloud.accessToken(contoso.id(), Set.of(roles));
    }

    GraphHttp.Answer inbox(FakeUser u) {
        return http.get("/users/" + u.objectId() + "/mailFolders/inbox?$select=id");
    }

    GraphHttp.Answer userPurpose(FakeUser u) {
        return http.get("/users/" + u.objectId() + "/mailboxSettings/userPurpose");
    }

    static void denied(GraphHttp.Answer a, String message) {
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.errorCode()).isEqualTo("ErrorAccessDenied");
        assertThat(a.json().path("error").path("message").asText()).isEqualTo(message);
    }

    @Test
    void anApplicationAccessPolicyLeavesOnlyMembersReadable() {
        contoso.restrict(cloud.app(), FakeTenant.RestrictionMechanism.APPLICATION_ACCESS_POLICY);
        tokenWith("Mail.Read", "MailboxSettings.Read", "User.Read.All");

        assertThat(inbox(member).status()).isEqualTo(200);
        assertThat(userPurpose(member).status()).isEqualTo(200);
        denied(inbox(other), "Access to OData is disabled.");
        denied(userPurpose(other), "Access to OData is disabled.");
        assertThat(http.get("/users/" + other.objectId()).status()).as("the directory is not restricted").isEqualTo(200);
    }

    @Test
    void anApplicationAccessPolicyGrantsNothingItself() {
        contoso.restrict(cloud.app(), FakeTenant.RestrictionMechanism.APPLICATION_ACCESS_POLICY);
        tokenWith("User.Read.All");

        denied(inbox(member), "Access is denied. Check credentials and try again.");
    }

    @Test
    void rbacForApplicationsGrantsItsRolesOverItsScopeOnly() {
        contoso.restrict(cloud.app(), FakeTenant.RestrictionMechanism.RBAC_FOR_APPLICATIONS);
        tokenWith("User.Read.All");

        assertThat(inbox(member).status()).isEqualTo(200);
        assertThat(userPurpose(member).status()).isEqualTo(200);
        denied(inbox(other), "Access is denied. Check credentials and try again.");
        denied(userPurpose(other), "Access is denied. Check credentials and try again.");
    }

    @Test
    void rbacForApplicationsRestrictsNothingWhileTheAppHoldsTenantWideMailRead() {
        contoso.restrict(cloud.app(), FakeTenant.RestrictionMechanism.RBAC_FOR_APPLICATIONS);
        tokenWith("User.Read.All", "Mail.Read");

        assertThat(inbox(other).status()).as("the grants add up").isEqualTo(200);
        denied(userPurpose(other), "Access is denied. Check credentials and try again.");
        tokenWith("User.Read.All", "Mail.Read", "MailboxSettings.Read");
        assertThat(userPurpose(other).status()).isEqualTo(200);
    }

    @Test
    void anRbacRoleCoversOnlyItsOwnPermission() {
        contoso.restrict(cloud.app(), FakeTenant.RestrictionMechanism.RBAC_FOR_APPLICATIONS);
        contoso.setRbacRoles(cloud.app(), Set.of("Mail.Read"));
        tokenWith("User.Read.All");

        assertThat(contoso.rbacRoles(cloud.app())).containsExactly("Mail.Read");
        assertThat(inbox(member).status()).isEqualTo(200);
        denied(userPurpose(member), "Access is denied. Check credentials and try again.");
    }

    @Test
    void withoutARestrictionTheTokensRolesDecide() {
        tokenWith("User.Read.All", "MailboxSettings.Read");

        assertThat(userPurpose(other).status()).isEqualTo(200);
        denied(inbox(other), "Access is denied. Check credentials and try again.");
        assertThat(contoso.mailboxAccess(cloud.app(), other.objectId(), Set.of("Mail.Read"), Set.of("Mail.Read")))
                .isEqualTo(FakeTenant.MailboxAccess.ALLOWED);
    }
}
