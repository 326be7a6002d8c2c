package com.tekst.outlook.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.TenantId;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiagnosticReportTest {
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    private static final TenantId TENANT = TenantId.of("72f988bf-86f1-41af-91ab-2d7cd011db47");

    @Test
    void theOutcomeIsTheWorstCheck() {
        CheckResult pass = CheckResult.pass(DiagnosticCheck.TENANT, null, "ok", Evidence.none());
        CheckResult warn = CheckResult.warn(DiagnosticCheck.CREDENTIAL, null, "soon", Evidence.none(),
                Remediation.operator("renew"));
        CheckResult fail = CheckResult.fail(DiagnosticCheck.CONSENT, null, "missing", Evidence.none(),
                Remediation.administrator("consent"));
        CheckResult skipped = CheckResult.skipped(DiagnosticCheck.PERMISSIONS, null, DiagnosticCheck.CONSENT);
        assertThat(report(List.of()).outcome()).isEqualTo(CheckOutcome.PASS);
        assertThat(report(List.of(pass)).outcome()).isEqualTo(CheckOutcome.PASS);
        assertThat(report(List.of(pass, skipped)).outcome()).isEqualTo(CheckOutcome.SKIPPED);
        assertThat(report(List.of(skipped, warn)).outcome()).isEqualTo(CheckOutcome.WARN);
        assertThat(report(List.of(warn, fail, skipped)).outcome()).isEqualTo(CheckOutcome.FAIL);
    }

    @Test
    void jsonCarriesEveryFieldAndEscapesText() {
        CheckResult fail = CheckResult.fail(DiagnosticCheck.MAILBOX, "bob@contoso.com", "Denied \"here\"\n\u0001",
                Evidence.builder().httpStatus(403).errorCode("ErrorAccessDenied").requestId("r-1")
                        .fact("type", "USER").build(), Remediation.administrator("Add \\ it"));
        String json = report(List.of(fail)).toJson();
        assertThat(json).isEqualTo("{\"schemaVersion\":1,\"connection\":\"acme\","
                + "\"tenant\":\"72f988bf-86f1-41af-91ab-2d7cd011db47\",\"startedAt\":\"2026-12-03T10:00:00Z\","
                + "\"finishedAt\":\"2026-12-03T10:00:00Z\",\"outcome\":\"FAIL\",\"checks\":[{\"check\":\"MAILBOX\","
                + "\"title\":\"Mailbox reachable\",\"subject\":\"bob@contoso.com\",\"outcome\":\"FAIL\","
                + "\"summary\":\"Denied \\\"here\\\"\\n\\u0001\",\"skippedBecause\":null,\"evidence\":{\"httpStatus\":403,"
                + "\"errorCode\":\"ErrorAccessDenied\",\"requestId\":\"r-1\",\"clientRequestId\":null,"
                + "\"facts\":{\"type\":\"USER\"}},\"remediation\":{\"audience\":\"MICROSOFT_365_ADMINISTRATOR\","
                + "\"text\":\"Add \\\\ it\",\"link\":null}}]}");
    }

    @Test
    void textNamesEachCheckItsEvidenceAndWhoActs() {
        CheckResult fail = CheckResult.fail(DiagnosticCheck.CREDENTIAL, null, "The client secret has expired",
                Evidence.builder().httpStatus(401).errorCode("AADSTS7000222").build(),
                Remediation.operator("Create a new client secret"));
        String text = report(List.of(fail, CheckResult.skipped(DiagnosticCheck.CONSENT, null,
                DiagnosticCheck.CREDENTIAL))).toText();
        assertThat(text).contains("connection acme (tenant 72f988bf-86f1-41af-91ab-2d7cd011db47)")
                .contains("FAIL    App credential valid: The client secret has expired")
                .contains("evidence: HTTP 401, AADSTS7000222")
                .contains("what to do (Tekst operator): Create a new client secret")
                .contains("SKIPPED Admin consent present: Skipped: \"App credential valid\" failed");
    }

    @Test
    void badValuesAreRefused() {
        assertThatThrownBy(() -> CheckResult.fail(DiagnosticCheck.TENANT, null, "x", Evidence.none(), null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> CheckResult.pass(DiagnosticCheck.TENANT, null, " ", Evidence.none()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Evidence.builder().httpStatus(42)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DiagnosticReport(ConnectionId.of("a"), null, T0, T0.minusSeconds(1), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static DiagnosticReport report(List<CheckResult> checks) {
        return new DiagnosticReport(ConnectionId.of("acme"), TENANT, T0, T0, checks);
    }
}
