package com.tekst.outlook.graph.diagnostics;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.diagnostics.CheckOutcome;
import com.tekst.outlook.diagnostics.CheckResult;
import com.tekst.outlook.diagnostics.DiagnosticReport;
import com.tekst.outlook.graph.OutlookClient;
import java.util.List;

/** The "Diagnostics" snippet of tekst-outlook-graph/README.md, compiled here and run by {@link DiagnosticsReadmeExampleTest}. */
final class DiagnosticsReadmeExample {
    private final OutlookClient client;

    DiagnosticsReadmeExample(OutlookClient client) {
        this.client = client;
    }

    // README: begin
    /** "Why is this connection not syncing?": the report as JSON for Tekst's UI, the failures for an alert. */
    String troubleshoot(ConnectionId connection, List<String> alerts) {
        DiagnosticReport report = client.diagnostics().run(connection);
        for (CheckResult failed : report.checks()) {
            if (failed.outcome() == CheckOutcome.FAIL) {
                alerts.add(failed.check().title() + failed.subject().map(s -> " (" + s + ")").orElse("") + ": "
                        + failed.summary() + " What to do: " + failed.remediation().orElseThrow().text());
            }
        }
        return report.toJson(); // schema 1, below; report.toText() for a terminal or a log
    }
    // README: end
}
