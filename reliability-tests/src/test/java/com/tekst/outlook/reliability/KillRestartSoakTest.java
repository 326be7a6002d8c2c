package com.tekst.outlook.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kill -9 soak, one test per store (see {@link SoakHarness} and the module README). The short profile runs in
 * {@code mvn -B verify}; the long profile: {@code -Dsoak.minutes=30}. Tagged {@code soak}, so a quick local build can
 * leave it out with {@code -DexcludedGroups=soak}.
 */
@Tag("soak")
class KillRestartSoakTest {
    private static final List<SoakHarness.Result> RESULTS = new CopyOnWriteArrayList<>();
    private static final Path SUMMARY = Path.of("target", "soak-summary.txt");

    /** Kept when a run fails: the child logs, the sink file and the SQLite store are the evidence. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void sqliteStoreKilledAndRestartedLosesNothing() throws Exception {
        check(new SoakHarness(SoakHarness.Profile.fromSystemProperties(), dir).run(SoakHarness.Store.SQLITE, null));
    }

    @Test
    void postgresStoreKilledAndRestartedLosesNothing() throws Exception {
        String server = SoakPostgres.serverUrl();
        String schema = SoakPostgres.createSchema(server);
        try {
            check(new SoakHarness(SoakHarness.Profile.fromSystemProperties(), dir)
                    .run(SoakHarness.Store.POSTGRES, SoakPostgres.urlFor(server, schema)));
        } finally {
            SoakPostgres.dropSchema(server, schema);
        }
    }

    @BeforeAll
    static void freshSummaryFile() throws IOException {
        Files.deleteIfExists(SUMMARY);
    }

    private static void check(SoakHarness.Result result) throws IOException {
        RESULTS.add(result);
        String table = SoakSummary.table(List.of(result));
        System.out.println(table);
        Files.createDirectories(SUMMARY.getParent());
        Files.writeString(SUMMARY, table + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        assertThat(result.failures()).as("kill -9 soak on " + result.store() + ": what broke the promise")
                .isEmpty();
    }

    @AfterAll
    static void summary() {
        if (RESULTS.size() > 1) {
            System.out.println(SoakSummary.table(RESULTS));
        }
    }
}
