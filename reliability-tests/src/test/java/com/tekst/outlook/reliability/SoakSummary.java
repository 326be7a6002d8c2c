package com.tekst.outlook.reliability;

import java.util.List;
import java.util.Locale;

/** The summary table the soak prints (one row per store), and the command that made it. */
final class SoakSummary {
    private static final String HEADER = String.format(Locale.ROOT,
            "| %-8s | %8s | %-17s | %7s | %8s | %5s | %-13s | %9s | %6s | %5s | %-11s | %6s |",
            "store", "messages", "removals exp/seen", "missing", "missing", "dup %", "retries/faults", "throttled",
            "delta", "kills", "converged", "wall");
    private static final String HEADER2 = String.format(Locale.ROOT,
            "| %-8s | %8s | %-17s | %7s | %8s | %5s | %-13s | %9s | %6s | %5s | %-11s | %6s |",
            "", "", "", "msgs", "removals", "", "", "seconds", "resets", "", "", "");

    private SoakSummary() {
    }

    static String table(List<SoakHarness.Result> results) {
        StringBuilder sb = new StringBuilder();
        if (!results.isEmpty()) {
            SoakHarness.Profile p = results.get(0).profile();
            sb.append("kill -9 soak, ").append(p.name()).append(" profile: 3 mailboxes x 3 synced folders x ")
                    .append(p.messagesPerFolder()).append(" messages, 90-day backfill, chaos ")
                    .append(p.chaos().toSeconds()).append(" s, seed ").append(p.seed()).append('\n');
        }
        sb.append(HEADER).append('\n').append(HEADER2).append('\n')
                .append(HEADER.replaceAll("[^|]", "-")).append('\n');
        for (SoakHarness.Result r : results) {
            sb.append(String.format(Locale.ROOT,
                    "| %-8s | %8d | %-17s | %7d | %8d | %5.1f | %-13s | %9d | %6d | %5d | %-11s | %5ds |",
                    r.store().name().toLowerCase(Locale.ROOT), r.messages(),
                    r.removalsExpected() + " / " + r.removalsSeen(), r.missingMessages(), r.missingRemovals(),
                    r.duplicatePercent(), r.retries() + " / " + r.faults(), r.throttledSeconds(), r.deltaResets(),
                    r.kills(), (r.converged() ? "" : "no, >") + r.convergence().toSeconds() + " s",
                    r.wall().toSeconds())).append('\n');
        }
        for (SoakHarness.Result r : results) {
            sb.append(r.store().name().toLowerCase(Locale.ROOT)).append(": ").append(r.requests())
                    .append(" requests journaled").append(r.journalDropped() > 0 ? " (" + r.journalDropped()
                            + " oldest dropped: the throttling checks saw only the rest)" : "")
                    .append("; changes ").append(new java.util.TreeMap<>(r.mutations())).append('\n');
            r.notes().forEach(n -> sb.append("  ").append(n).append('\n'));
        }
        sb.append("command: mvn -B -pl reliability-tests -am verify -Dsurefire.failIfNoSpecifiedTests=false"
                        + " -Dtest=KillRestartSoakTest")
                .append(System.getProperty("soak.minutes") != null ? " -Dsoak.minutes="
                        + System.getProperty("soak.minutes") : "").append('\n');
        return sb.toString();
    }
}
