package com.tekst.outlook.examples.cli;

import com.tekst.outlook.Connection;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionPermissions;
import com.tekst.outlook.InvalidValueException;
import com.tekst.outlook.MailboxAccessException;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.OutlookException;
import com.tekst.outlook.PermissionProfile;
import com.tekst.outlook.TenantHint;
import com.tekst.outlook.consent.ConsentCallback;
import com.tekst.outlook.consent.ConsentOutcome;
import com.tekst.outlook.consent.ConsentRequest;
import com.tekst.outlook.consent.ConsentVerification;
import com.tekst.outlook.diagnostics.CheckOutcome;
import com.tekst.outlook.diagnostics.DiagnosticReport;
import com.tekst.outlook.mailbox.AppliedRestriction;
import com.tekst.outlook.mailbox.FolderSelection;
import com.tekst.outlook.mailbox.MailboxCandidate;
import com.tekst.outlook.mailbox.MailboxSearch;
import com.tekst.outlook.mailbox.RestrictionCheck;
import com.tekst.outlook.mailbox.RestrictionMechanism;
import com.tekst.outlook.mailbox.RestrictionScriptRequest;
import com.tekst.outlook.mailbox.RestrictionVerification;
import com.tekst.outlook.mailbox.ScopedMailbox;
import com.tekst.outlook.sync.BackfillWindow;
import com.tekst.outlook.sync.ConnectionProgress;
import com.tekst.outlook.sync.SyncEngine;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine;

/**
 * {@code tekst-outlook}: the connection wizard on the command line. Exit codes: 0 done; 1 an unexpected error; 2 a
 * usage error; 3 not done (consent not granted or not verified, a restriction not enforced, a diagnostics check
 * failed); 4 not found (no connection, no such mailbox); 5 Microsoft 365 (or the fake) answered with an error.
 */
@Command(name = "tekst-outlook", mixinStandardHelpOptions = true, version = "tekst-outlook CLI 0.1.0-SNAPSHOT",
        description = "Connects Microsoft 365 mailboxes organization-wide: consent, mailboxes, restriction, sync.",
        subcommands = {OutlookCli.Connect.class, OutlookCli.Mailboxes.class, OutlookCli.Restriction.class,
                OutlookCli.Sync.class, OutlookCli.Doctor.class, OutlookCli.Status.class})
public final class OutlookCli {
    static final int EXIT_OK = 0;
    static final int EXIT_ERROR = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_NOT_DONE = 3;
    static final int EXIT_NOT_FOUND = 4;
    static final int EXIT_MICROSOFT = 5;

    @Option(names = "--data", description = "data folder (SQLite store, fake administrator's actions); default: data-cli")
    Path data = Path.of("data-cli");

    @Option(names = "--store", description = "a JDBC URL of a PostgreSQL store instead of the SQLite file")
    String store;

    @Option(names = "--connection", description = "the connection (default: the store's only one)")
    String connection;

    Map<String, String> env = System.getenv();
    PrintWriter out;
    PrintWriter err;

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line; returns its exit code. */
    static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        OutlookCli cli = new OutlookCli();
        cli.env = env;
        cli.out = out;
        cli.err = err;
        CommandLine line = new CommandLine(cli).setOut(out).setErr(err);
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof CliException c) {
                err.println("tekst-outlook: " + c.getMessage());
                return c.exitCode;
            }
            if (e instanceof InvalidValueException v) {
                err.println("tekst-outlook: " + v.getMessage());
                return EXIT_USAGE;
            }
            if (e instanceof MailboxAccessException m) {
                err.println("tekst-outlook: " + m.getMessage());
                return m.reason() == MailboxAccessException.Reason.NOT_FOUND ? EXIT_NOT_FOUND : EXIT_MICROSOFT;
            }
            if (e instanceof OutlookException o) {
                err.println("tekst-outlook: " + o.getMessage());
                return EXIT_MICROSOFT;
            }
            err.println("tekst-outlook: unexpected " + e);
            return EXIT_ERROR;
        });
        int code = line.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    CliEnvironment open() {
        return new CliEnvironment(data, store, env);
    }

    // ---- connect ---------------------------------------------------------------------------------------------------

    @Command(name = "connect", description = "Admin consent for a new organization-wide connection, then verification."
            + " With the embedded fake tenant its administrator answers; with Microsoft 365 the consent URL is printed"
            + " and the callback awaited on the redirect URI's local port.")
    static final class Connect implements Callable<Integer> {
        @ParentCommand
        OutlookCli cli;

        @Option(names = "--decline", description = "the fake administrator presses Cancel")
        boolean decline;

        @Option(names = "--profile", description = "the permissions to ask for: MINIMAL, READ_ONLY, PROCESS or"
                + " PROCESS_AND_FORWARD (default: READ_ONLY)")
        PermissionProfile profile = PermissionProfile.READ_ONLY;

        @Option(names = "--rbac", description = "mailbox permissions come from Exchange RBAC for Applications (the"
                + " token carries only User.Read.All)")
        boolean rbac;

        @Option(names = "--timeout", description = "how long to wait for Microsoft's callback (default: 10m)")
        Duration timeout = Duration.ofMinutes(10);

        @Override
        public Integer call() throws Exception {
            try (CliEnvironment e = cli.open()) {
                ConnectionId id = cli.connection == null ? ConnectionId.random() : ConnectionId.of(cli.connection);
                ConsentRequest request = e.client.adminConsent().begin(id, e.redirect, TenantHint.ORGANIZATIONS,
                        rbac ? ConnectionPermissions.exchangeRbac(profile) : ConnectionPermissions.entra(profile));
                String rawQuery;
                if (e.fake()) {
                    cli.out.println("Consent link (the fake tenant's administrator " + CliEnvironment.FAKE_ADMIN
                            + " answers it): " + redact(request.consentUrl()));
                    rawQuery = e.cloud.adminConsent(request.consentUrl(), CliEnvironment.FAKE_ADMIN, !decline)
                            .getRawQuery();
                } else {
                    cli.out.println("Send a Microsoft 365 administrator to:\n" + request.consentUrl());
                    cli.out.println("Waiting for the callback on " + e.redirect + " …");
                    rawQuery = CallbackListener.await(e.redirect, timeout);
                }
                ConsentOutcome outcome = e.client.adminConsent().complete(id,
                        ConsentCallback.fromQueryString(rawQuery == null ? "" : rawQuery));
                if (!(outcome instanceof ConsentOutcome.Granted granted)) {
                    cli.out.println(outcome.message());
                    return EXIT_NOT_DONE;
                }
                ConsentVerification v = e.client.adminConsent().verify(granted);
                cli.out.println(v.detail());
                if (!v.isVerified()) {
                    return EXIT_NOT_DONE;
                }
                if (e.fake()) {
                    e.remember("consent", "true");
                }
                cli.out.println("Connection " + id.value() + " is CONNECTED to tenant " + granted.claimedTenant());
                return EXIT_OK;
            }
        }

        private static String redact(URI url) {
            return url.toString().replaceAll("state=[^&]+", "state=…");
        }
    }

    // ---- mailboxes -------------------------------------------------------------------------------------------------

    @Command(name = "mailboxes", description = "Search the tenant's mailboxes and choose the ones to process.",
            subcommands = {Mailboxes.Search.class, Mailboxes.Add.class, Mailboxes.Remove.class, Mailboxes.List_.class})
    static final class Mailboxes {
        @ParentCommand
        OutlookCli cli;

        @Command(name = "search", description = "Mailboxes whose name, address or UPN starts with PREFIX.")
        static final class Search implements Callable<Integer> {
            @ParentCommand
            Mailboxes parent;

            @Parameters(paramLabel = "PREFIX")
            String prefix;

            @Override
            public Integer call() {
                if (prefix.isBlank()) {
                    throw new CliException(EXIT_USAGE, "type at least one character to search");
                }
                try (CliEnvironment e = parent.cli.open()) {
                    Connection c = e.connection(parent.cli.connection);
                    for (MailboxCandidate m : e.client.mailboxDirectory().search(c.id(), MailboxSearch.prefix(prefix))
                            .mailboxes()) {
                        parent.cli.out.printf("%-40s %-10s %s%s%n", m.address().map(MailboxAddress::value)
                                        .orElse(m.userPrincipalName()), m.type(), m.displayName(),
                                m.isSelectable() ? "" : " (" + m.availability() + ")");
                    }
                    return EXIT_OK;
                }
            }
        }

        @Command(name = "add", description = "Adds a mailbox (address, alias, UPN or object id) with its Inbox.")
        static final class Add implements Callable<Integer> {
            @ParentCommand
            Mailboxes parent;

            @Parameters(paramLabel = "MAILBOX")
            String mailbox;

            @Option(names = "--folder", description = "another folder by path, e.g. Inbox/Invoices (repeatable)")
            List<String> folders = new ArrayList<>();

            @Override
            public Integer call() {
                try (CliEnvironment e = parent.cli.open()) {
                    Connection c = e.connection(parent.cli.connection);
                    List<FolderSelection> selection = new ArrayList<>(List.of(FolderSelection.inbox()));
                    folders.forEach(f -> selection.add(FolderSelection.byPath(f)));
                    ScopedMailbox added = e.client.mailboxScope().add(c.id(), MailboxAddress.of(mailbox), selection);
                    parent.cli.out.println("Added " + added.address().value() + " (" + added.type() + ", "
                            + added.folders().size() + " folder(s))");
                    return EXIT_OK;
                }
            }
        }

        @Command(name = "remove", description = "Removes a mailbox from the connection.")
        static final class Remove implements Callable<Integer> {
            @ParentCommand
            Mailboxes parent;

            @Parameters(paramLabel = "MAILBOX")
            String mailbox;

            @Override
            public Integer call() {
                try (CliEnvironment e = parent.cli.open()) {
                    Connection c = e.connection(parent.cli.connection);
                    if (!e.client.mailboxScope().remove(c.id(), MailboxAddress.of(mailbox))) {
                        throw new CliException(EXIT_NOT_FOUND, mailbox + " is not a mailbox of the connection");
                    }
                    parent.cli.out.println("Removed " + mailbox);
                    return EXIT_OK;
                }
            }
        }

        @Command(name = "list", description = "The connection's mailboxes.")
        static final class List_ implements Callable<Integer> {
            @ParentCommand
            Mailboxes parent;

            @Option(names = "--json", description = "JSON: an array of {address, type, status, folders}")
            boolean json;

            @Override
            public Integer call() {
                try (CliEnvironment e = parent.cli.open()) {
                    Connection c = e.connection(parent.cli.connection);
                    List<ScopedMailbox> scope = e.client.mailboxScope().list(c.id());
                    if (json) {
                        List<String> items = new ArrayList<>();
                        for (ScopedMailbox s : scope) {
                            items.add("{\"address\":" + Json.str(s.address().value()) + ",\"type\":" + Json.str(s.type().name())
                                    + ",\"status\":" + Json.str(s.status().name()) + ",\"folders\":["
                                    + String.join(",", s.folders().stream().map(f -> Json.str(f.path().isEmpty()
                                    ? f.id() : f.path())).toList()) + "]}");
                        }
                        parent.cli.out.println("[" + String.join(",", items) + "]");
                    } else {
                        scope.forEach(s -> parent.cli.out.printf("%-40s %-10s %-12s %s%n", s.address().value(),
                                s.type(), s.status(), s.folders().stream().map(f -> f.path().isEmpty() ? f.id()
                                        : f.path()).toList()));
                    }
                    return EXIT_OK;
                }
            }
        }
    }

    // ---- restriction -----------------------------------------------------------------------------------------------

    @Command(name = "restriction", description = "The tenant-side restriction: the script to run, then verify it.",
            subcommands = {Restriction.Script.class, Restriction.Applied.class, Restriction.Verify.class})
    static final class Restriction {
        @ParentCommand
        OutlookCli cli;

        @Command(name = "script", description = "Prints the Exchange Online PowerShell of an application access policy"
                + " on the connection's mailboxes. With the fake tenant, --apply-in-fake does what the script does.")
        static final class Script implements Callable<Integer> {
            @ParentCommand
            Restriction parent;

            @Option(names = "--group", description = "the mail-enabled security group's address", required = true)
            String group;

            @Option(names = "--outside", description = "a mailbox outside the scope, for the script's last test",
                    required = true)
            String outside;

            @Option(names = "--apply-in-fake", description = "the fake administrator runs it")
            boolean apply;

            @Override
            public Integer call() {
                try (CliEnvironment e = parent.cli.open()) {
                    Connection c = e.connection(parent.cli.connection);
                    parent.cli.out.println(e.client.tenantRestriction().script(c.id(),
                            RestrictionScriptRequest.applicationAccessPolicy("Tekst mailboxes",
                                    MailboxAddress.of(group), MailboxAddress.of(outside))).text());
                    if (apply) {
                        if (!e.fake()) {
                            throw new CliException(EXIT_USAGE, "--apply-in-fake needs the embedded fake tenant");
                        }
                        e.applyRestrictionInFake(e.client.mailboxScope().list(c.id()));
                        e.client.tenantRestriction().recordApplied(c.id(),
                                RestrictionMechanism.APPLICATION_ACCESS_POLICY);
                        parent.cli.err.println("The fake administrator applied it.");
                    }
                    return EXIT_OK;
                }
            }
        }

        @Command(name = "applied", description = "Records that the administrator ran the script now: verify and"
                + " doctor then report a restriction not yet in force as propagating until Exchange's window ends.")
        static final class Applied implements Callable<Integer> {
            @ParentCommand
            Restriction parent;

            @Option(names = "--rbac", description = "the script was RBAC for Applications (default: an application"
                    + " access policy)")
            boolean rbac;

            @Override
            public Integer call() {
                try (CliEnvironment e = parent.cli.open()) {
                    Connection c = e.connection(parent.cli.connection);
                    AppliedRestriction a = e.client.tenantRestriction().recordApplied(c.id(), rbac
                            ? RestrictionMechanism.RBAC_FOR_APPLICATIONS : RestrictionMechanism.APPLICATION_ACCESS_POLICY);
                    parent.cli.out.println("Recorded " + a.mechanism() + " applied at " + a.appliedAt()
                            + "; Exchange enforces it by " + a.enforcedBy());
                    return EXIT_OK;
                }
            }
        }

        @Command(name = "verify", description = "Probes in-scope mailboxes and mailboxes outside the scope.")
        static final class Verify implements Callable<Integer> {
            @ParentCommand
            Restriction parent;

            @Override
            public Integer call() {
                try (CliEnvironment e = parent.cli.open()) {
                    Connection c = e.connection(parent.cli.connection);
                    RestrictionVerification v = e.client.tenantRestriction().verify(c.id(),
                            RestrictionCheck.automatic());
                    parent.cli.out.println(v.verdict() + (v.findings().isEmpty() ? "" : " " + v.findings())
                            + "; check again after " + v.recheckAt());
                    parent.cli.out.println(v.propagationNote());
                    return v.verdict() == RestrictionVerification.Verdict.ENFORCED ? EXIT_OK : EXIT_NOT_DONE;
                }
            }
        }
    }

    // ---- sync ------------------------------------------------------------------------------------------------------

    @Command(name = "sync", description = "Finishes setup and syncs until every folder's backfill is complete and a"
            + " live round ran, with a progress bar per mailbox on a terminal (plain lines otherwise).")
    static final class Sync implements Callable<Integer> {
        @ParentCommand
        OutlookCli cli;

        @Option(names = "--backfill", description = "30d, 90d, 12m or all (default: none)")
        String backfill;

        @Option(names = "--timeout", description = "give up after (default: 10m)")
        Duration timeout = Duration.ofMinutes(10);

        @Option(names = "--progress", description = "bar, lines or auto (default: auto: bar on a terminal)")
        String progress = "auto";

        @Override
        public Integer call() throws Exception {
            BackfillWindow window = backfill == null ? null : switch (backfill) {
                case "30d" -> BackfillWindow.last30Days();
                case "90d" -> BackfillWindow.last90Days();
                case "12m" -> BackfillWindow.last12Months();
                case "all" -> BackfillWindow.everything();
                default -> throw new CliException(EXIT_USAGE, "--backfill must be 30d, 90d, 12m or all");
            };
            boolean bars = switch (progress) {
                case "bar" -> true;
                case "lines" -> false;
                case "auto" -> System.console() != null;
                default -> throw new CliException(EXIT_USAGE, "--progress must be bar, lines or auto");
            };
            try (CliEnvironment e = cli.open()) {
                Connection c = e.connection(cli.connection);
                AtomicLong delivered = new AtomicLong();
                SyncEngine engine = e.client.syncEngine()
                        .sink(page -> delivered.addAndGet(page.messages().size()))
                        .pollInterval(Duration.ofSeconds(2))
                        .build();
                engine.start();
                try {
                    if (window == null) {
                        e.client.finishSetup(engine, c.id());
                    } else {
                        e.client.finishSetup(engine, c.id(), window);
                    }
                    Progress printer = new Progress(cli.out, bars);
                    Instant deadline = Instant.now().plus(timeout);
                    while (true) {
                        ConnectionProgress p = engine.progress(c.id()).orElseThrow();
                        printer.show(p);
                        if (p.status().stopsSync()) {
                            cli.out.println("Stopped: " + p.status() + ". " + p.status().remediation());
                            return EXIT_NOT_DONE;
                        }
                        if (done(p)) {
                            break;
                        }
                        if (Instant.now().isAfter(deadline)) {
                            cli.out.println("Not done after " + timeout + "; sync continues where it stopped next time.");
                            return EXIT_NOT_DONE;
                        }
                        Thread.sleep(200);
                    }
                    printer.finish();
                    cli.out.println("Synced: " + delivered.get() + " messages delivered; every folder's backfill is"
                            + " complete and live sync ran.");
                    return EXIT_OK;
                } finally {
                    engine.stop(Duration.ofSeconds(10));
                }
            }
        }

        static boolean done(ConnectionProgress p) {
            return !p.mailboxes().isEmpty() && p.mailboxes().stream().allMatch(m -> m.status().stopsSync()
                    || m.folders().stream().allMatch(f -> f.deltaEstablished() && !f.roundInProgress()
                    && f.backfill().map(b -> b.state() == com.tekst.outlook.store.BackfillCursor.State.COMPLETE)
                    .orElse(true)));
        }
    }

    // ---- doctor, status --------------------------------------------------------------------------------------------

    @Command(name = "doctor", description = "The connection's diagnostics: every check, its evidence, what to do.")
    static final class Doctor implements Callable<Integer> {
        @ParentCommand
        OutlookCli cli;

        @Option(names = "--json", description = "the report as JSON (schema 1)")
        boolean json;

        @Override
        public Integer call() {
            try (CliEnvironment e = cli.open()) {
                DiagnosticReport report = e.client.diagnostics().run(e.connection(cli.connection).id());
                cli.out.print(json ? report.toJson() + "\n" : report.toText());
                return report.outcome() == CheckOutcome.FAIL ? EXIT_NOT_DONE : EXIT_OK;
            }
        }
    }

    @Command(name = "status", description = "Connections and their mailboxes, as stored.")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        OutlookCli cli;

        @Option(names = "--json", description = "JSON: an array of {connection, status, tenant, mailboxes}")
        boolean json;

        @Override
        public Integer call() {
            try (CliEnvironment e = cli.open()) {
                List<String> items = new ArrayList<>();
                for (Connection c : e.store.listConnections()) {
                    List<ScopedMailbox> scope = c.tenant().isPresent() ? e.client.mailboxScope().list(c.id())
                            : List.of();
                    if (json) {
                        items.add("{\"connection\":" + Json.str(c.id().value()) + ",\"status\":"
                                + Json.str(c.status().name()) + ",\"tenant\":" + c.tenant().map(t -> Json.str(t.value()))
                                .orElse("null") + ",\"mailboxes\":[" + String.join(",", scope.stream().map(s ->
                                "{\"address\":" + Json.str(s.address().value()) + ",\"status\":"
                                        + Json.str(s.status().name()) + "}").toList()) + "]}");
                    } else {
                        cli.out.println(c.id().value() + "  " + c.status() + "  tenant " + c.tenant()
                                .map(Object::toString).orElse("—") + "  " + scope.size() + " mailbox(es)");
                        scope.forEach(s -> cli.out.println("  " + s.address().value() + "  " + s.status()));
                    }
                }
                if (json) {
                    cli.out.println("[" + String.join(",", items) + "]");
                }
                return EXIT_OK;
            }
        }
    }
}
