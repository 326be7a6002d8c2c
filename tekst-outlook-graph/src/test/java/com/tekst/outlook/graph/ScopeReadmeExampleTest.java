package com.tekst.outlook.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.MailboxOutOfScopeException;
import com.tekst.outlook.mailbox.MailboxType;
import com.tekst.outlook.mailbox.RestrictionVerification;
import com.tekst.outlook.testkit.FakeMailbox;
import com.tekst.outlook.testkit.FakeMessage;
import com.tekst.outlook.testkit.FakeTenant;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The README's "Mailbox scope" snippet works as written against the fake tenant, and the README shows it exactly. */
class ScopeReadmeExampleTest {
    ScopeTenantFixture fx;

    @BeforeEach
    void start() {
        fx = new ScopeTenantFixture();
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void theSnippetWalksStepThree() {
        ScopeReadmeExample example = new ScopeReadmeExample(fx.client);
        ConnectionId connection = fx.connect(fx.contoso);
        FakeMailbox shared = fx.ofType(MailboxType.SHARED).get(0);

        assertThat(example.search(connection, "room.")).hasSize(2)
                .allSatisfy(c -> assertThat(c.type()).isEqualTo(MailboxType.ROOM));
        assertThat(example.add(connection, shared.address(), "Inbox/Projects/Archive 2025"))
                .isEqualTo("Added " + shared.address() + " (SHARED, 2 folders)");
        assertThat(example.add(connection, "unlicensed@contoso.com")).isEqualTo("This user has no Exchange Online mailbox");
        assertThat(example.add(connection, "nobody@contoso.com")).isEqualTo("No such mailbox");
        assertThat(example.add(connection, ScopeTenantFixture.ALICE_MAIL, "Inbox/Invoices/2026"))
                .isEqualTo("No folder Inbox/Invoices/2026");
        assertThat(example.restrictionScript(connection)).contains("New-ApplicationAccessPolicy")
                .contains("'" + shared.address() + "'");
        assertThat(example.verifyRestriction(connection)).isEqualTo(RestrictionVerification.Verdict.NOT_ENFORCED);

        fx.contoso.restrict(fx.cloud.app(), FakeTenant.RestrictionMechanism.APPLICATION_ACCESS_POLICY);
        fx.contoso.addToRestrictionGroup(fx.cloud.app(), shared.objectId().value());
        assertThat(example.verifyRestriction(connection)).isEqualTo(RestrictionVerification.Verdict.ENFORCED);
        assertThat(example.add(connection, ScopeTenantFixture.ALICE_MAIL)).isEqualTo("Access denied (TENANT_POLICY)");

        FakeMessage message = shared.messages("inbox").get(0);
        example.categorize(connection, shared.address(), message.id());
        assertThat(shared.message(message.immutableId()).categories()).containsExactly("Tekst");
        assertThatThrownBy(() -> example.categorize(connection, ScopeTenantFixture.ALICE_MAIL, message.id()))
                .isInstanceOf(MailboxOutOfScopeException.class);
    }

    @Test
    void theReadmeShowsTheCompiledSnippet() throws Exception {
        String source = Files.readString(Path.of("src/test/java/com/tekst/outlook/graph/ScopeReadmeExample.java"));
        String snippet = source.substring(source.indexOf("// README: begin\n") + "// README: begin\n".length(),
                source.indexOf("    // README: end"));
        String readme = Files.readString(Path.of("README.md"));
        assertThat(readme).contains(snippet.stripTrailing().stripIndent().strip());
    }
}
