package com.tekst.outlook.reliability;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A child JVM for {@link ProcessKillTest}: installs a shutdown hook that writes a file (a JVM that is SIGTERMed runs
 * it; one that is SIGKILLed cannot), prints {@code READY} and waits until killed — at most a minute.
 */
public final class SigkillProbe {
    private SigkillProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path marker = Path.of(args[0]);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.writeString(marker, "shutdown hook ran");
            } catch (Exception ignored) {
                // nothing to do
            }
        }));
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(60_000);
    }
}
