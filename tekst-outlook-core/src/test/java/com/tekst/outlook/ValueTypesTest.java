package com.tekst.outlook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValueTypesTest {

    @Test
    void tenantIdIsCanonicalLowerCase() {
        assertThat(TenantId.of(" 72F988BF-86F1-41AF-91AB-2D7CD011DB47 ").value())
                .isEqualTo("72f988bf-86f1-41af-91ab-2d7cd011db47");
        assertThat(TenantId.of("72F988BF-86F1-41AF-91AB-2D7CD011DB47"))
                .isEqualTo(TenantId.of("72f988bf-86f1-41af-91ab-2d7cd011db47"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "contoso.onmicrosoft.com", "organizations", "72f988bf86f141af91ab2d7cd011db47",
            "{72f988bf-86f1-41af-91ab-2d7cd011db47}", "72f988bf-86f1-41af-91ab-2d7cd011db4g",
            "72f988bf-86f1-41af-91ab-2d7cd011db47/../x"})
    void tenantIdRejectsWhatIsNotAGuid(String value) {
        assertThatThrownBy(() -> TenantId.of(value))
                .isInstanceOf(InvalidValueException.class)
                .isInstanceOf(OutlookException.class)
                .hasMessageContaining("tenant id must be a GUID");
    }

    @Test
    void mailboxIdIsCanonicalLowerCaseAndOrdered() {
        MailboxId id = MailboxId.of(" 2B1B6E2C-5B3C-4B9E-8F5E-6A1D2C3B4A59 ");
        assertThat(id.value()).isEqualTo("2b1b6e2c-5b3c-4b9e-8f5e-6a1d2c3b4a59");
        assertThat(id).isEqualTo(MailboxId.of("2b1b6e2c-5b3c-4b9e-8f5e-6a1d2c3b4a59")).hasToString(id.value());
        assertThat(MailboxId.of("00000000-0000-4000-8000-000000000001"))
                .isLessThan(MailboxId.of("00000000-0000-4000-8000-000000000002"));
        assertThat(MailboxId.isValid("2B1B6E2C-5B3C-4B9E-8F5E-6A1D2C3B4A59")).isTrue();
        assertThat(MailboxId.isValid("support@contoso.com")).isFalse();
        assertThat(MailboxId.isValid(null)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "support@contoso.com", "2b1b6e2c5b3c4b9e8f5e6a1d2c3b4a59",
            "2b1b6e2c-5b3c-4b9e-8f5e-6a1d2c3b4a59/../x", "2b1b6e2c-5b3c-4b9e-8f5e-6a1d2c3b4a5g"})
    void mailboxIdRejectsWhatIsNotAnObjectId(String value) {
        assertThatThrownBy(() -> MailboxId.of(value))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("mailbox id must be the mailbox owner's object id");
        assertThatThrownBy(() -> new MailboxId(null)).isInstanceOf(InvalidValueException.class);
    }

    @Test
    void tenantHintAcceptsOrganizationsGuidsAndDomainsButNotCommon() {
        assertThat(TenantHint.of("Contoso.OnMicrosoft.com").value()).isEqualTo("contoso.onmicrosoft.com");
        assertThat(TenantHint.of("Contoso.OnMicrosoft.com").isDomain()).isTrue();
        assertThat(TenantHint.of("72F988BF-86F1-41AF-91AB-2D7CD011DB47").isDomain()).isFalse();
        assertThat(TenantHint.ORGANIZATIONS.isDomain()).isFalse();
        assertThatThrownBy(() -> TenantHint.of("common")).hasMessageContaining("cannot grant admin consent");
        assertThatThrownBy(() -> TenantHint.of("consumers")).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> TenantHint.of("contoso/../evil")).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> TenantHint.of("contoso")).isInstanceOf(InvalidValueException.class);
    }

    @Test
    void connectionIdShape() {
        assertThat(ConnectionId.of("conn-1.a_b").value()).isEqualTo("conn-1.a_b");
        assertThat(ConnectionId.random().value()).hasSize(36);
        assertThatThrownBy(() -> ConnectionId.of("")).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> ConnectionId.of("-x")).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> ConnectionId.of("a/b")).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> ConnectionId.of("x".repeat(65))).isInstanceOf(InvalidValueException.class);
    }

    @Test
    void mailboxAddressAcceptsAddressesAndObjectIds() {
        assertThat(MailboxAddress.of("Alice.Smith+tag@Contoso.COM").value()).isEqualTo("alice.smith+tag@contoso.com");
        assertThat(MailboxAddress.of("Alice.Smith+tag@Contoso.COM").domain()).isEqualTo("contoso.com");
        assertThat(MailboxAddress.of("O'Brien@contoso.com").isObjectId()).isFalse();
        MailboxAddress byId = MailboxAddress.of("6E3A5B8C-1D2E-4F70-8A9B-0C1D2E3F4A5B");
        assertThat(byId.isObjectId()).isTrue();
        assertThat(byId.value()).isEqualTo("6e3a5b8c-1d2e-4f70-8a9b-0c1d2e3f4a5b");
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice", "@contoso.com", "alice@", "alice@@contoso.com", "al ice@contoso.com",
            "alice/../bob@contoso.com", "alice?x=1@contoso.com", "alice#frag@contoso.com", "alice%2F@contoso.com",
            "alice@contoso.com/messages", "alice@contoso.com?$top=1", "alice@contoso.com#x", "..@contoso.com",
            "a..b@contoso.com", ".a@contoso.com", "jürgen@contoso.com", "alice@contöso.com", "alice@contoso",
            "alice\\bob@contoso.com", "alice@contoso..com", "alice\n@contoso.com", "alice@-contoso.com",
            "\u212Aarl@contoso.com", "alice@contoso.\u212Aom", "\u0130nfo@contoso.com", "alice\u0000@contoso.com",
            "alice@contoso.com\u00a0"})
    void mailboxAddressRejectsAnythingThatCouldReshapeAUrl(String value) {
        assertThatThrownBy(() -> MailboxAddress.of(value))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("mailbox address");
        assertThat(MailboxAddress.isValid(value)).isFalse();
    }

    @Test
    void hugeInputIsRejectedWithAShortMessage() {
        String huge = "a".repeat(10_000) + "@contoso.com";
        assertThatThrownBy(() -> MailboxAddress.of(huge))
                .isInstanceOf(InvalidValueException.class)
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
        String hugeTenant = "x".repeat(10_000);
        assertThatThrownBy(() -> TenantId.of(hugeTenant))
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300).contains("shortened"));
    }

    @Test
    void exceptionMessagesCarryTheOperatorDetails() {
        ErrorDetails details = ErrorDetails.forTenant(TenantId.of("72f988bf-86f1-41af-91ab-2d7cd011db47"))
                .withMailbox(MailboxAddress.of("alice@contoso.com"))
                .withErrorCode("ErrorAccessDenied")
                .withRequestId("req-1")
                .withClientRequestId("client-1")
                .withHttpStatus(403);
        MailboxAccessException e = new MailboxAccessException(MailboxAccessException.Reason.ACCESS_DENIED,
                "Access to the mailbox was denied", details, null);
        assertThat(e.getMessage()).isEqualTo("Access to the mailbox was denied; tenant:"
                + " 72f988bf-86f1-41af-91ab-2d7cd011db47; mailbox: alice@contoso.com; status: 403; code:"
                + " ErrorAccessDenied; request-id: req-1; client-request-id: client-1");
        assertThat(e.summary()).isEqualTo("Access to the mailbox was denied");
        assertThat(e.details().httpStatus()).hasValue(403);
        assertThat(e.isRetryable()).isFalse();
    }

    @Test
    void connectionStatusNeedsATenantWhenConnected() {
        Instant now = Instant.parse("2026-01-05T09:00:00Z");
        Connection pending = Connection.pending(ConnectionId.of("c1"), ConnectionType.ORGANIZATION_WIDE, now);
        assertThat(pending.tenant()).isEmpty();
        assertThat(pending.status()).isEqualTo(ConnectionStatus.PENDING_CONSENT);
        Connection connected = pending.connectedTo(TenantId.of("72f988bf-86f1-41af-91ab-2d7cd011db47"), now);
        assertThat(connected.status()).isEqualTo(ConnectionStatus.CONNECTED);
        assertThat(connected.connectedAt()).hasValue(now);
        Connection reconsented = connected.withStatus(ConnectionStatus.CONSENT_REVOKED)
                .connectedTo(connected.tenant().orElse(null), now.plusSeconds(3600));
        assertThat(reconsented.connectedAt()).as("re-consent keeps the first connection time").hasValue(now);
        assertThatThrownBy(() -> pending.withStatus(ConnectionStatus.CONNECTED))
                .isInstanceOf(InvalidValueException.class);
    }

    @Test
    void connectionTypesDescribeThemselvesForAWizard() {
        assertThat(ConnectionType.ORGANIZATION_WIDE.whoMustAct()).isEqualTo(ConnectionType.Actor.ADMINISTRATOR);
        assertThat(ConnectionType.ORGANIZATION_WIDE.survivesPasswordRotationAndMfa()).isTrue();
        assertThat(ConnectionType.ORGANIZATION_WIDE.whatIsStored()).contains("tenant id");
        assertThat(ConnectionType.ORGANIZATION_WIDE.isRecommended()).isTrue();
        assertThat(ConnectionType.PERSONAL.whoMustAct()).isEqualTo(ConnectionType.Actor.USER);
        assertThat(ConnectionType.PERSONAL.survivesPasswordRotationAndMfa()).isFalse();
    }
}
