package com.tekst.outlook.testkit;

import com.tekst.outlook.testkit.internal.Launcher;
import java.io.InputStream;
import java.io.PrintStream;

/**
 * Runs a {@link FakeMicrosoftCloud} as a process, for tools and apps outside a JUnit run (a benchmark in another
 * JVM, manual testing). The testkit build packages it as
 * {@code tekst-outlook-testkit-<version>-standalone.jar}:
 *
 * <pre>
 * java -jar tekst-outlook-testkit-0.1.0-SNAPSHOT-standalone.jar --port 0 --seed 42 --mailboxes 3 \
 *      --shared-mailboxes 1 --messages-per-mailbox 50
 * </pre>
 *
 * <p>On start it prints exactly one line of JSON to standard output and nothing else there (logs go to standard
 * error): {@code loginBaseUrl}, {@code graphBaseUrl} (ending in {@code /v1.0}), {@code authority}, {@code tenantId},
 * {@code tenantDomain}, {@code clientId}, {@code clientSecret}, {@code caCertificatePemPath} (the root certificate to
 * trust, written to a temporary file), {@code permissions} (consent is already granted for Mail.Read, User.Read.All and
 * MailboxSettings.Read) and {@code mailboxes} (address, object id, type). It serves until its standard input closes or
 * it receives SIGTERM. Run with {@code --help} for every option.
 */
public final class StandaloneFakeCloud {
    private StandaloneFakeCloud() {
    }

    /** Runs the launcher on this process's standard streams; exits with its code when it is not 0. */
    public static void main(String[] args) {
        int code = run(args, System.in, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Runs the launcher with these streams and returns its exit code once {@code stdin} is closed (0), or at once for
     * {@code --help} (0) or bad options (2).
     */
    public static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
        return Launcher.run(args, stdin, out, err);
    }
}
