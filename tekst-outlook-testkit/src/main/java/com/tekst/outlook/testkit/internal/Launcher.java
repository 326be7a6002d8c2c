package com.tekst.outlook.testkit.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.tekst.outlook.mailbox.MailboxType;
import com.tekst.outlook.testkit.FakeApp;
import com.tekst.outlook.testkit.FakeClock;
import com.tekst.outlook.testkit.FakeMailbox;
import com.tekst.outlook.testkit.FakeMicrosoftCloud;
import com.tekst.outlook.testkit.FakeTenant;
import com.tekst.outlook.testkit.TenantGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/** The standalone launcher behind {@code StandaloneFakeCloud}: options, the JSON line, serving until stdin closes. */
public final class Launcher {
    private static final String USAGE = String.join("\n",
            "Usage: java -jar tekst-outlook-testkit-<version>-standalone.jar [options]",
            "Serves a fake Microsoft 365 (identity platform + Graph) over HTTPS on localhost until stdin closes or SIGTERM.",
            "Prints one JSON line with the endpoints, the app's credentials and the CA certificate to trust.",
            "  --port N                  port to listen on; 0 picks a free one (default 0)",
            "  --seed N                  seed of the generated tenant and of the cloud (default 42)",
            "  --mailboxes N             user mailboxes to generate (default 3)",
            "  --shared-mailboxes N      shared mailboxes to generate in addition (default 1)",
            "  --messages-per-mailbox N  messages in each mailbox (default 50)",
            "  --tenant NAME             tenant name; its domain is NAME.onmicrosoft.com (default contoso)",
            "  --start INSTANT           the fake clock's start, e.g. 2026-01-05T09:00:00Z (default: now);",
            "                            mail is generated over the 90 days before it",
            "  --clock ticking|frozen    ticking follows real time from the start (default); frozen never moves",
            "  --help                    this text");

    private Launcher() {
    }

    public static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("port", "0");
        o.put("seed", "42");
        o.put("mailboxes", "3");
        o.put("shared-mailboxes", "1");
        o.put("messages-per-mailbox", "50");
        o.put("tenant", "contoso");
        o.put("start", "now");
        o.put("clock", "ticking");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                out.println(USAGE);
                out.flush();
                return 0;
            }
            String name;
            String value;
            if (a.startsWith("--") && a.contains("=")) {
                name = a.substring(2, a.indexOf('='));
                value = a.substring(a.indexOf('=') + 1);
            } else if (a.startsWith("--") && i + 1 < args.length) {
                name = a.substring(2);
                value = args[++i];
            } else {
                err.println("unknown or incomplete option: " + a);
                err.println(USAGE);
                return 2;
            }
            if (!o.containsKey(name)) {
                err.println("unknown option: --" + name);
                err.println(USAGE);
                return 2;
            }
            o.put(name, value);
        }
        int port;
        long seed;
        int users;
        int shared;
        int messages;
        Instant start;
        try {
            port = Integer.parseInt(o.get("port"));
            seed = Long.parseLong(o.get("seed"));
            users = Integer.parseInt(o.get("mailboxes"));
            shared = Integer.parseInt(o.get("shared-mailboxes"));
            messages = Integer.parseInt(o.get("messages-per-mailbox"));
            start = o.get("start").equals("now") ? Instant.now().truncatedTo(ChronoUnit.SECONDS)
                    : Instant.parse(o.get("start"));
            if (port < 0 || port > 65535 || users < 0 || shared < 0 || messages < 0) {
                throw new NumberFormatException("out of range");
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            err.println("bad option value: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        boolean ticking;
        switch (o.get("clock")) {
            case "ticking" -> ticking = true;
            case "frozen" -> ticking = false;
            default -> {
                err.println("--clock is ticking or frozen: " + o.get("clock"));
                return 2;
            }
        }
        FakeClock clock = new FakeClock(start);
        FakeMicrosoftCloud cloud;
        try {
            cloud = FakeMicrosoftCloud.builder()
                    .clock(clock)
                    .seed(seed)
                    .port(port)
                    .tenant(FakeTenant.builder(o.get("tenant")).consentGranted(FakeApp.DEFAULT_PERMISSIONS)
                            .generate(TenantGenerator.builder(seed).userMailboxes(users).sharedMailboxes(shared)
                                    .messagesPerMailbox(messages).between(start.minus(Duration.ofDays(90)), start)
                                    .build()))
                    .start();
        } catch (RuntimeException e) {
            err.println("cannot start the fake Microsoft cloud: " + e.getMessage());
            return 1;
        }
        Thread hook = new Thread(cloud::close, "fake-cloud-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Thread ticker = null;
        try {
            Path pem = Files.createTempFile("tekst-fake-cloud-ca-", ".pem");
            pem.toFile().deleteOnExit();
            Files.writeString(pem, cloud.caCertificatePem(), StandardCharsets.US_ASCII);
            FakeTenant tenant = cloud.tenants().get(0);
            ObjectNode line = Json.object();
            line.put("loginBaseUrl", cloud.loginBaseUrl().toString());
            line.put("graphBaseUrl", cloud.graphBaseUrl().toString());
            line.put("authority", cloud.authority(tenant.id()));
            line.put("tenantId", tenant.id().value());
            line.put("tenantDomain", tenant.domains().get(0));
            line.put("clientId", cloud.app().clientId());
            line.put("clientSecret", cloud.clientSecret());
            line.put("caCertificatePemPath", pem.toAbsolutePath().toString());
            ArrayNode permissions = line.putArray("permissions");
            new TreeSet<>(tenant.grantedPermissions(cloud.app())).forEach(permissions::add);
            ArrayNode boxes = line.putArray("mailboxes");
            for (FakeMailbox m : tenant.mailboxes()) {
                ObjectNode b = boxes.addObject();
                b.put("address", m.address());
                b.put("objectId", m.objectId().value());
                b.put("displayName", m.owner().displayName());
                b.put("type", m.owner().mailboxType().map(MailboxType::userPurpose).orElse("user"));
            }
            out.println(Json.write(line));
            out.flush();
            err.println("fake Microsoft cloud listening on " + cloud.loginBaseUrl() + " (tenant " + tenant.name() + ", "
                    + tenant.mailboxes().size() + " mailboxes); close stdin or send SIGTERM to stop");
            if (ticking) {
                long t0 = System.nanoTime();
                ticker = new Thread(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        clock.advanceTo(start.plusNanos(System.nanoTime() - t0));
                        try {
                            Thread.sleep(50);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "fake-cloud-clock");
                ticker.setDaemon(true);
                ticker.start();
            }
            byte[] buffer = new byte[256];
            while (stdin.read(buffer) >= 0) {
                // serve until stdin closes
            }
            err.println("stdin closed: stopping");
            return 0;
        } catch (IOException e) {
            err.println("fake Microsoft cloud stopped: " + e.getMessage());
            return 1;
        } finally {
            if (ticker != null) {
                ticker.interrupt();
            }
            cloud.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting: the hook runs anyway
            }
        }
    }
}
