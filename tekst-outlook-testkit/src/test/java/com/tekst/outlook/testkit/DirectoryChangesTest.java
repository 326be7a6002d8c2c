package com.tekst.outlook.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Directory changes while clients run, as Graph then answers them: a leaver's address given to a new hire resolves to
 * the new hire's new object id and empty mailbox; a moved alias resolves to its new owner.
 */
class DirectoryChangesTest {
    FakeMicrosoftCloud cloud;
    FakeTenant contoso;
    GraphHttp http;

    @BeforeEach
    void start() {
        cloud = FakeMicrosoftCloud.builder()
                .tenant(FakeTenant.builder("contoso").domain("contoso.com").consentGranted()
                        .user(FakeUser.builder("bob@contoso.com").alias("robert@contoso.com"))
                        .sharedMailbox("support@contoso.com")
                        .sharedMailbox("helpdesk@contoso.com"))
                .start();
        contoso = cloud.tenant("contoso");
        http = new GraphHttp(cloud, contoso);
    }

    @AfterEach
    void stop() {
        cloud.close();
    }

    static String id(GraphHttp.Answer a) {
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        return a.json().path("id").asText();
    }

    @Test
    void aLeaversAddressGivenToANewHireResolvesToTheNewHiresNewObjectId() {
        String leaver = contoso.user("bob@contoso.com").orElseThrow().objectId();
        contoso.mailbox(leaver).deliver(FakeMessage.builder().from("carol@example.com").subject("for the leaver"));

        assertThat(contoso.removeUser("bob@contoso.com")).isTrue();
        assertThat(http.get("/users/bob@contoso.com?$select=id").status()).isEqualTo(404);
        FakeUser newHire = contoso.addUser(FakeUser.builder("bob@contoso.com"));

        assertThat(newHire.objectId()).isNotEqualTo(leaver);
        assertThat(id(http.get("/users/bob@contoso.com?$select=id"))).isEqualTo(newHire.objectId());
        GraphHttp.Answer inbox = http.get("/users/bob@contoso.com/mailFolders/inbox/messages");
        assertThat(inbox.status()).isEqualTo(200);
        assertThat(inbox.json().path("value")).isEmpty();
        assertThat(http.get("/users/" + leaver + "/messages").status()).isEqualTo(404);
    }

    /** The accounts the directory finds for a name, as the SDK looks a name up (UPN, mail or proxy address). */
    List<String> owners(String name) {
        GraphHttp.Answer a = http.get("/users?$select=id&$filter=userPrincipalName eq '" + name + "' or mail eq '"
                + name + "' or proxyAddresses/any(x:x eq 'smtp:" + name + "')");
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        a.json().path("value").forEach(u -> ids.add(u.path("id").asText()));
        return ids;
    }

    @Test
    void anAliasMovesFromOneMailboxToAnother() {
        FakeUser bob = contoso.user("bob@contoso.com").orElseThrow();
        FakeUser helpdesk = contoso.user("helpdesk@contoso.com").orElseThrow();
        assertThat(owners("robert@contoso.com")).containsExactly(bob.objectId());

        FakeUser moved = contoso.moveAlias("Robert@contoso.com", "helpdesk@contoso.com");

        assertThat(moved.objectId()).isEqualTo(helpdesk.objectId());
        assertThat(moved.aliases()).containsExactly("robert@contoso.com");
        assertThat(contoso.user("bob@contoso.com").orElseThrow().aliases()).isEmpty();
        assertThat(contoso.user("robert@contoso.com")).map(FakeUser::objectId).contains(helpdesk.objectId());
        assertThat(owners("robert@contoso.com")).containsExactly(helpdesk.objectId());
        assertThat(contoso.mailbox(helpdesk.objectId()).owner().aliases()).containsExactly("robert@contoso.com");
    }

    @Test
    void aPrimaryAddressOrAnUnknownAliasDoesNotMove() {
        assertThatThrownBy(() -> contoso.moveAlias("bob@contoso.com", "helpdesk@contoso.com"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("secondary address");
        assertThatThrownBy(() -> contoso.moveAlias("nobody@contoso.com", "helpdesk@contoso.com"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> contoso.moveAlias("robert@contoso.com", "nobody@contoso.com"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
