package com.tekst.outlook.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tekst.outlook.ErrorDetails;
import com.tekst.outlook.InvalidValueException;
import com.tekst.outlook.MailboxAccessException;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxId;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Validation of the mailbox-scope values: bad input is a typed error naming the field, never a half-made value. */
class MailboxValuesTest {
    static final MailboxAddress GROUP = MailboxAddress.of("tekst-mailboxes@contoso.com");
    static final MailboxAddress CANARY = MailboxAddress.of("ceo@contoso.com");

    @Test
    void foldersAreChosenByIdOrByPathOfDisplayNames() {
        assertThat(FolderSelection.inbox()).isEqualTo(new FolderSelection.ById("inbox"));
        assertThat(FolderSelection.byPath("Inbox/Invoices/2026")).isInstanceOfSatisfying(FolderSelection.ByPath.class,
                p -> assertThat(p.segments()).containsExactly("Inbox", "Invoices", "2026"));
        assertThat(FolderSelection.byPath("Inbox/Rechnungen ? # % ü").text()).isEqualTo("Inbox/Rechnungen ? # % ü");
        assertThat(FolderSelection.byId("AAMkAGI2TG93AAA=").text()).isEqualTo("AAMkAGI2TG93AAA=");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a/b", "a\\b", "%2F", "a\nb", "a\u0000b"})
    void aFolderIdThatCouldReshapeAUrlIsRefused(String id) {
        assertThatThrownBy(() -> FolderSelection.byId(id)).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("folder id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/Inbox", "Inbox/", "Inbox//Invoices", "Inbox\nInvoices"})
    void aMalformedFolderPathIsRefused(String path) {
        assertThatThrownBy(() -> FolderSelection.byPath(path)).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("folder path");
    }

    @Test
    void tooDeepOrTooLongFolderPathsAndIdsAreRefused() {
        assertThatThrownBy(() -> FolderSelection.byPath("a/".repeat(32) + "a")).isInstanceOf(InvalidValueException.class);
        assertThat(FolderSelection.byPath("a/".repeat(31) + "a")).isNotNull();
        assertThatThrownBy(() -> FolderSelection.byPath("x".repeat(513))).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> FolderSelection.byId("x".repeat(10_000)))
                .isInstanceOf(InvalidValueException.class)
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
    }

    @Test
    void aSearchTrimsItsPrefixAndChecksItsBounds() {
        MailboxSearch search = MailboxSearch.prefix("  Ali ");
        assertThat(search.prefix()).isEqualTo("Ali");
        assertThat(search.pageSize()).isEqualTo(MailboxSearch.DEFAULT_PAGE_SIZE);
        assertThat(search.cursor()).isEmpty();
        assertThat(search.withPageSize(7).after("cursor-1")).isEqualTo(new MailboxSearch("Ali", 7, "cursor-1"));
        assertThat(MailboxSearch.all().prefix()).isEmpty();

        assertThatThrownBy(() -> MailboxSearch.prefix("a\nb")).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> MailboxSearch.prefix("x".repeat(257))).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> MailboxSearch.all().withPageSize(0)).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("page size");
        assertThatThrownBy(() -> MailboxSearch.all().withPageSize(101)).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> MailboxSearch.all().after("")).isInstanceOf(InvalidValueException.class);
    }

    @Test
    void aScriptRequestNeedsTheServicePrincipalForRbacOnly() {
        String sp = "6E3A5B8C-1D2E-4F70-8A9B-0C1D2E3F4A5B";
        assertThat(RestrictionScriptRequest.rbacForApplications("Tekst", GROUP, sp, CANARY).servicePrincipalObjectId())
                .isEqualTo("6e3a5b8c-1d2e-4f70-8a9b-0c1d2e3f4a5b");
        assertThatThrownBy(() -> RestrictionScriptRequest.rbacForApplications("Tekst", GROUP, null, CANARY))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("service principal");
        assertThatThrownBy(() -> RestrictionScriptRequest.rbacForApplications("Tekst", GROUP, "not-a-guid", CANARY))
                .isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> new RestrictionScriptRequest(RestrictionMechanism.APPLICATION_ACCESS_POLICY, "Tekst",
                GROUP, sp, CANARY)).isInstanceOf(InvalidValueException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "Tekst\nmailboxes", "Tekst\r\nRemove-Mailbox", "Tab\there"})
    void aGroupNameWithALineBreakOrNothingInItIsRefused(String name) {
        assertThatThrownBy(() -> RestrictionScriptRequest.applicationAccessPolicy(name, GROUP, CANARY))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("group name");
    }

    @Test
    void aGroupNameMayHoldQuotesAndDollarsWhichTheScriptEscapes() {
        String name = "Tekst's \"mailboxes\" $(whoami); `n ’x’";
        assertThat(RestrictionScriptRequest.applicationAccessPolicy(name, GROUP, CANARY).groupName()).isEqualTo(name);
        assertThatThrownBy(() -> RestrictionScriptRequest.applicationAccessPolicy("x".repeat(65), GROUP, CANARY))
                .isInstanceOf(InvalidValueException.class);
    }

    @Test
    void aRestrictionCheckBoundsItsCanaries() {
        assertThat(RestrictionCheck.automatic().canaries()).isEmpty();
        assertThat(RestrictionCheck.automatic().mechanism()).isEmpty();
        assertThat(RestrictionCheck.withCanaries(CANARY).forMechanism(RestrictionMechanism.RBAC_FOR_APPLICATIONS)
                .mechanism()).contains(RestrictionMechanism.RBAC_FOR_APPLICATIONS);
        assertThatThrownBy(() -> new RestrictionCheck(null, List.of(), 0)).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> new RestrictionCheck(null, java.util.Collections.nCopies(21, CANARY), 2))
                .isInstanceOf(InvalidValueException.class);
    }

    @Test
    void aProbeIsAsExpectedWhenInScopeReadsAndCanariesAreDenied() {
        MailboxProbe readable = new MailboxProbe(MailboxId.of("00000000-0000-4000-8000-0000000000aa"), CANARY, true, MailboxProbe.Outcome.READABLE, null, null);
        MailboxProbe deniedCanary = new MailboxProbe(MailboxId.of("00000000-0000-4000-8000-0000000000aa"), CANARY, false, MailboxProbe.Outcome.DENIED, "x", null);
        MailboxProbe readableCanary = new MailboxProbe(MailboxId.of("00000000-0000-4000-8000-0000000000aa"), CANARY, false, MailboxProbe.Outcome.READABLE, null, null);
        assertThat(readable.asExpected()).isTrue();
        assertThat(deniedCanary.asExpected()).isTrue();
        assertThat(readableCanary.asExpected()).isFalse();
    }

    @Test
    void aDenialGoesWithAccessDeniedOnly() {
        MailboxAccessException policy = new MailboxAccessException(MailboxAccessException.Reason.ACCESS_DENIED,
                MailboxAccessException.Denial.TENANT_POLICY, "denied", ErrorDetails.NONE, null);
        assertThat(policy.denial()).contains(MailboxAccessException.Denial.TENANT_POLICY);
        assertThat(new MailboxAccessException(MailboxAccessException.Reason.NOT_FOUND, "x", ErrorDetails.NONE, null)
                .denial()).isEmpty();
        assertThatThrownBy(() -> new MailboxAccessException(MailboxAccessException.Reason.NOT_FOUND,
                MailboxAccessException.Denial.TENANT_POLICY, "x", ErrorDetails.NONE, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void allMailboxesIsTheOptInWithAWarning() {
        assertThat(ScopeMode.RESTRICTED.isRestricted()).isTrue();
        assertThat(ScopeMode.ALL_MAILBOXES.isRestricted()).isFalse();
        assertThat(ScopeMode.ALL_MAILBOXES_WARNING).contains("every mailbox");
    }
}
