package com.tekst.outlook.graph.internal.restriction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.InvalidValueException;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.mailbox.RestrictionMechanism;
import com.tekst.outlook.mailbox.RestrictionScript;
import com.tekst.outlook.mailbox.RestrictionScriptRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The generated PowerShell: byte for byte the golden files for both mechanisms, and inert whatever the values hold —
 * a small PowerShell lexer shows that hostile values change nothing but the contents of single-quoted strings.
 * Regenerate the golden files with {@code -Dtekst.golden.update=true} and review the diff.
 */
class RestrictionScriptsTest {
    static final String APP_ID = "b2094c09-0651-49c4-b2c2-ed3b739e2a8c";
    static final String SP_ID = "4f1e0a3c-2b7d-4c8e-9a6f-1d2c3b4a5e6f";
    static final ConnectionId CONNECTION = ConnectionId.of("contoso-main");
    static final List<MailboxAddress> MAILBOXES = List.of(MailboxAddress.of("alice.smith@contoso.com"),
            MailboxAddress.of("invoices@contoso.com"), MailboxAddress.of("support@contoso.com"));
    static final MailboxAddress GROUP = MailboxAddress.of("tekst-mailboxes@contoso.com");
    static final MailboxAddress CANARY = MailboxAddress.of("ceo@contoso.com");

    static RestrictionScriptRequest request(RestrictionMechanism mechanism, String group, MailboxAddress address,
                                            MailboxAddress canary) {
        return mechanism == RestrictionMechanism.RBAC_FOR_APPLICATIONS
                ? RestrictionScriptRequest.rbacForApplications(group, address, SP_ID, canary)
                : RestrictionScriptRequest.applicationAccessPolicy(group, address, canary);
    }

    static String golden(RestrictionMechanism mechanism) {
        return mechanism == RestrictionMechanism.RBAC_FOR_APPLICATIONS ? "rbac-for-applications.ps1"
                : "application-access-policy.ps1";
    }

    @ParameterizedTest
    @EnumSource(RestrictionMechanism.class)
    void theScriptMatchesItsGoldenFile(RestrictionMechanism mechanism) throws IOException {
        RestrictionScript script = RestrictionScripts.generate(APP_ID, CONNECTION, MAILBOXES,
                request(mechanism, "Tekst mailboxes", GROUP, CANARY));

        String name = golden(mechanism);
        if (Boolean.getBoolean("tekst.golden.update")) {
            Path file = Path.of("src/test/resources/com/tekst/outlook/graph/restriction", name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, script.text(), StandardCharsets.UTF_8);
        }
        try (InputStream in = getClass().getResourceAsStream("/com/tekst/outlook/graph/restriction/" + name)) {
            assertThat(in).as("golden file " + name).isNotNull();
            assertThat(script.text()).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertThat(script.mechanism()).isEqualTo(mechanism);
        assertThat(script.fileName()).endsWith(".ps1");
        assertThat(script.mailboxes()).isEqualTo(MAILBOXES);
        assertThat(script.toString()).doesNotContain("alice");
    }

    @Test
    void theApplicationAccessPolicyScriptHasTheDocumentedCmdlets() {
        String text = RestrictionScripts.generate(APP_ID, CONNECTION, MAILBOXES,
                request(RestrictionMechanism.APPLICATION_ACCESS_POLICY, "Tekst mailboxes", GROUP, CANARY)).text();

        assertThat(text).contains("New-DistributionGroup -Name $GroupName -PrimarySmtpAddress $GroupAddress"
                + " -Type Security")
                .contains("Add-DistributionGroupMember -Identity $GroupAddress -Member $Mailbox")
                .contains("New-ApplicationAccessPolicy -AppId $AppId -PolicyScopeGroupId $GroupAddress"
                        + " -AccessRight RestrictAccess -Description '")
                .contains("Test-ApplicationAccessPolicy -Identity 'alice.smith@contoso.com' -AppId $AppId")
                .contains("Test-ApplicationAccessPolicy -Identity 'ceo@contoso.com' -AppId $AppId")
                .contains("$AppId = '" + APP_ID + "'")
                .doesNotContain("New-ManagementScope");
    }

    @Test
    void theRbacScriptHasTheDocumentedCmdletsAndTheWarning() {
        RestrictionScript script = RestrictionScripts.generate(APP_ID, CONNECTION, MAILBOXES,
                request(RestrictionMechanism.RBAC_FOR_APPLICATIONS, "Tekst mailboxes", GROUP, CANARY));

        assertThat(script.text()).contains("New-ServicePrincipal -AppId $AppId -ObjectId $ServicePrincipalObjectId")
                .contains("$ServicePrincipalObjectId = '" + SP_ID + "'")
                .contains("New-ManagementScope -Name $ScopeName -RecipientRestrictionFilter $Filter")
                .contains("$Filter = 'MemberOfGroup -eq ''{0}''' -f $GroupDn.Replace(\"'\", \"''\")")
                .contains("New-ManagementRoleAssignment -App $AppId -Role 'Application Mail.Read'"
                        + " -CustomResourceScope $ScopeName")
                .contains("-Role 'Application MailboxSettings.Read'")
                .contains("Test-ServicePrincipalAuthorization -Identity $AppId -Resource 'alice.smith@contoso.com'")
                .contains("Test-ServicePrincipalAuthorization -Identity $AppId -Resource 'ceo@contoso.com'")
                .contains("restricts NOTHING");
        assertThat(script.warnings()).anySatisfy(w -> assertThat(w).contains("tenant-wide").contains("add up"));
    }

    // ---- escaping --------------------------------------------------------------------------------------------------

    /** One token of PowerShell as far as quoting goes. */
    record Token(String kind, int start, int end, String value) {
    }

    /**
     * Splits PowerShell text into comments, single-quoted strings (value unescaped), double-quoted strings and code,
     * the way PowerShell's tokenizer treats quotes: the four single-quote characters are interchangeable and doubled
     * to escape; double quotes (and “ ” „) are escaped by a backtick or doubling.
     */
    static List<Token> lex(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        StringBuilder code = new StringBuilder();
        int codeStart = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (isSingle(c)) {
                flush(out, code, codeStart, i);
                int start = i++;
                StringBuilder v = new StringBuilder();
                while (true) {
                    assertThat(i).as("an unterminated single-quoted string at " + start).isLessThan(s.length());
                    char d = s.charAt(i);
                    if (isSingle(d)) {
                        if (i + 1 < s.length() && isSingle(s.charAt(i + 1))) {
                            v.append(d);
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    v.append(d);
                    i++;
                }
                out.add(new Token("single", start, i, v.toString()));
                codeStart = i;
            } else if (isDouble(c)) {
                flush(out, code, codeStart, i);
                int start = i++;
                while (i < s.length() && !isDouble(s.charAt(i))) {
                    i += s.charAt(i) == '`' ? 2 : 1;
                }
                i++;
                out.add(new Token("double", start, i, s.substring(start, i)));
                codeStart = i;
            } else if (c == '#') {
                flush(out, code, codeStart, i);
                int start = i;
                while (i < s.length() && s.charAt(i) != '\n') {
                    i++;
                }
                out.add(new Token("comment", start, i, s.substring(start, i)));
                codeStart = i;
            } else {
                if (code.length() == 0) {
                    codeStart = i;
                }
                code.append(c);
                i++;
            }
        }
        flush(out, code, codeStart, s.length());
        return out;
    }

    static boolean isSingle(char c) {
        return c == '\'' || (c >= '\u2018' && c <= '\u201b');
    }

    static boolean isDouble(char c) {
        return c == '"' || c == '\u201c' || c == '\u201d' || c == '\u201e';
    }

    static void flush(List<Token> out, StringBuilder code, int start, int end) {
        if (code.length() > 0) {
            out.add(new Token("code", start, end, code.toString()));
            code.setLength(0);
        }
    }

    /** The script with every single-quoted string's contents replaced: what would run, whatever the values. */
    static String skeleton(String script) {
        StringBuilder sb = new StringBuilder();
        for (Token t : lex(script)) {
            sb.append(t.kind().equals("single") ? "'?'" : t.value());
        }
        return sb.toString();
    }

    /** 64 characters: quotes of every kind, a subexpression, a statement separator, backticks, unicode. */
    static final String HOSTILE_NAME = "Tek'st $(Remove-Mailbox x);`n\"q\" ’ ‘ ‚ ‛ “”„ $env:P @(1)&|>ü✓'#";
    static final MailboxAddress HOSTILE_GROUP = MailboxAddress.of("o'group`x{y}|z@contoso.com");
    static final List<MailboxAddress> HOSTILE_MAILBOXES = List.of(MailboxAddress.of("o'brien@contoso.com"),
            MailboxAddress.of("a`b{c}@contoso.com"), MailboxAddress.of("x'+'y@contoso.com"));

    @ParameterizedTest
    @EnumSource(RestrictionMechanism.class)
    void hostileValuesStayInsideSingleQuotedStringsAndChangeNoCode(RestrictionMechanism mechanism) {
        String benign = RestrictionScripts.generate(APP_ID, CONNECTION, List.of(MailboxAddress.of("a@contoso.com"),
                MailboxAddress.of("b@contoso.com"), MailboxAddress.of("c@contoso.com")),
                request(mechanism, "Tekst", GROUP, CANARY)).text();
        String hostile = RestrictionScripts.generate(APP_ID, CONNECTION, HOSTILE_MAILBOXES,
                request(mechanism, HOSTILE_NAME, HOSTILE_GROUP, MailboxAddress.of("o'ceo@contoso.com"))).text();

        assertThat(skeleton(hostile)).isEqualTo(skeleton(benign));
        List<String> strings = lex(hostile).stream().filter(t -> t.kind().equals("single")).map(Token::value).toList();
        assertThat(strings).contains(HOSTILE_NAME, HOSTILE_GROUP.value(), "o'brien@contoso.com",
                "a`b{c}@contoso.com", "x'+'y@contoso.com", "o'ceo@contoso.com");
        for (Token t : lex(hostile)) {
            if (!t.kind().equals("single")) {
                assertThat(t.value()).as(t.kind()).doesNotContain("Remove-Mailbox").doesNotContain("o'brien")
                        .doesNotContain("ü");
            }
        }
        assertThat(HOSTILE_NAME).hasSizeLessThanOrEqualTo(RestrictionScriptRequest.MAX_GROUP_NAME);
        assertThat(hostile).contains("'Tek''st $(Remove-Mailbox x);").contains("’’ ‘‘ ‚‚ ‛‛");
    }

    @Test
    void quotingDoublesEveryKindOfSingleQuoteAndNothingElse() {
        assertThat(RestrictionScripts.quote("it's")).isEqualTo("'it''s'");
        assertThat(RestrictionScripts.quote("’‘‚‛")).isEqualTo("'’’‘‘‚‚‛‛'");
        assertThat(RestrictionScripts.quote("$(x) `n \"y\" ;")).isEqualTo("'$(x) `n \"y\" ;'");
        assertThat(RestrictionScripts.quote("")).isEqualTo("''");
    }

    @Test
    void aLineBreakInAValueIsRefusedBeforeAnyScriptExists() {
        assertThatThrownBy(() -> RestrictionScriptRequest.applicationAccessPolicy("Tekst'\nRemove-Mailbox x",
                GROUP, CANARY)).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> RestrictionScriptRequest.applicationAccessPolicy("Tekst\u2028x", GROUP, CANARY))
                .isInstanceOf(InvalidValueException.class);
    }
}
