package com.tekst.outlook.diagnostics;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The diagnostics of one connection at one time: its checks in the order they ran. Immutable.
 *
 * <p>{@link #toJson()} writes schema {@value #SCHEMA_VERSION} (documented in the graph module's README, "Diagnostics");
 * a change that removes or renames a field raises the version, an added field does not.
 */
public final class DiagnosticReport {
    /** The version of the JSON schema {@link #toJson()} writes. */
    public static final int SCHEMA_VERSION = 1;

    private final ConnectionId connection;
    private final TenantId tenant;
    private final Instant startedAt;
    private final Instant finishedAt;
    private final List<CheckResult> checks;

    /**
     * @param tenant the connection's tenant, or {@code null} while it has none (consent never verified)
     */
    public DiagnosticReport(ConnectionId connection, TenantId tenant, Instant startedAt, Instant finishedAt,
                            List<CheckResult> checks) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.tenant = tenant;
        this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
        this.finishedAt = Objects.requireNonNull(finishedAt, "finishedAt");
        this.checks = List.copyOf(Objects.requireNonNull(checks, "checks"));
        if (finishedAt.isBefore(startedAt)) {
            throw new IllegalArgumentException("a report cannot finish before it started");
        }
    }

    public ConnectionId connection() {
        return connection;
    }

    public Optional<TenantId> tenant() {
        return Optional.ofNullable(tenant);
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant finishedAt() {
        return finishedAt;
    }

    /** Every check in the order it ran: the connection's checks, then per mailbox, then per folder. */
    public List<CheckResult> checks() {
        return checks;
    }

    /** The results of one check (several for per-mailbox and per-folder checks). */
    public List<CheckResult> results(DiagnosticCheck check) {
        return checks.stream().filter(r -> r.check() == check).toList();
    }

    /** The worst outcome of any check: FAIL, else WARN, else SKIPPED, else PASS ({@code PASS} for no checks). */
    public CheckOutcome outcome() {
        CheckOutcome worst = CheckOutcome.PASS;
        for (CheckResult r : checks) {
            worst = worst.worse(r.outcome());
        }
        return worst;
    }

    /** Plain text for a terminal or a log: one line per check, evidence and remediation indented below it. */
    public String toText() {
        StringBuilder out = new StringBuilder();
        out.append("Diagnostics of connection ").append(connection.value());
        if (tenant != null) {
            out.append(" (tenant ").append(tenant.value()).append(')');
        }
        out.append(" at ").append(startedAt).append(": ").append(outcome()).append('\n');
        for (CheckResult r : checks) {
            out.append(String.format("  %-7s %s", r.outcome(), r.check().title()));
            r.subject().ifPresent(s -> out.append(" [").append(s).append(']'));
            out.append(": ").append(r.summary()).append('\n');
            String evidence = evidenceLine(r.evidence());
            if (!evidence.isEmpty()) {
                out.append("          evidence: ").append(evidence).append('\n');
            }
            r.remediation().ifPresent(m -> out.append("          what to do (")
                    .append(m.audience() == Audience.MICROSOFT_365_ADMINISTRATOR ? "Microsoft 365 administrator"
                            : "Tekst operator")
                    .append("): ").append(m.text()).append('\n')
                    .append(m.link().map(l -> "          link: " + withoutState(l) + '\n').orElse("")));
        }
        return out.toString();
    }

    /** A link with its {@code state} parameter's value replaced by {@code …}, for text that may reach a log. */
    static String withoutState(java.net.URI link) {
        return link.toString().replaceAll("([?&]state=)[^&#]*", "$1…");
    }

    private static String evidenceLine(Evidence e) {
        StringBuilder out = new StringBuilder();
        e.httpStatus().ifPresent(s -> append(out, "HTTP " + s));
        e.errorCode().ifPresent(c -> append(out, c));
        e.requestId().ifPresent(id -> append(out, "request-id " + id));
        e.clientRequestId().ifPresent(id -> append(out, "client-request-id " + id));
        e.facts().forEach((k, v) -> append(out, k + "=" + v));
        return out.toString();
    }

    private static void append(StringBuilder out, String part) {
        if (!out.isEmpty()) {
            out.append(", ");
        }
        out.append(part);
    }

    /** JSON, schema {@value #SCHEMA_VERSION}: every field present, {@code null} when absent. */
    public String toJson() {
        StringBuilder out = new StringBuilder(256 + checks.size() * 256);
        out.append("{\"schemaVersion\":").append(SCHEMA_VERSION);
        field(out, "connection", connection.value());
        field(out, "tenant", tenant == null ? null : tenant.value());
        field(out, "startedAt", startedAt.toString());
        field(out, "finishedAt", finishedAt.toString());
        field(out, "outcome", outcome().name());
        out.append(",\"checks\":[");
        for (int i = 0; i < checks.size(); i++) {
            CheckResult r = checks.get(i);
            out.append(i == 0 ? "{" : ",{");
            out.append("\"check\":");
            string(out, r.check().name());
            field(out, "title", r.check().title());
            field(out, "subject", r.subject().orElse(null));
            field(out, "outcome", r.outcome().name());
            field(out, "summary", r.summary());
            field(out, "skippedBecause", r.skippedBecause().map(Enum::name).orElse(null));
            Evidence e = r.evidence();
            out.append(",\"evidence\":{\"httpStatus\":");
            out.append(e.httpStatus().isPresent() ? Integer.toString(e.httpStatus().getAsInt()) : "null");
            field(out, "errorCode", e.errorCode().orElse(null));
            field(out, "requestId", e.requestId().orElse(null));
            field(out, "clientRequestId", e.clientRequestId().orElse(null));
            out.append(",\"facts\":{");
            boolean first = true;
            for (Map.Entry<String, String> f : e.facts().entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(out, f.getKey());
                out.append(':');
                string(out, f.getValue());
            }
            out.append("}}");
            out.append(",\"remediation\":");
            if (r.remediation().isPresent()) {
                out.append("{\"audience\":");
                string(out, r.remediation().get().audience().name());
                field(out, "text", r.remediation().get().text());
                out.append(",\"link\":");
                if (r.remediation().get().link().isPresent()) {
                    string(out, r.remediation().get().link().get().toString());
                } else {
                    out.append("null");
                }
                out.append('}');
            } else {
                out.append("null");
            }
            out.append('}');
        }
        out.append("]}");
        return out.toString();
    }

    private static void field(StringBuilder out, String name, String value) {
        out.append(',');
        string(out, name);
        out.append(':');
        if (value == null) {
            out.append("null");
        } else {
            string(out, value);
        }
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DiagnosticReport r && connection.equals(r.connection) && Objects.equals(tenant, r.tenant)
                && startedAt.equals(r.startedAt) && finishedAt.equals(r.finishedAt) && checks.equals(r.checks);
    }

    @Override
    public int hashCode() {
        return Objects.hash(connection, tenant, startedAt, finishedAt, checks);
    }

    @Override
    public String toString() {
        return "DiagnosticReport[" + connection + ", " + outcome() + ", " + checks.size() + " checks]";
    }
}
