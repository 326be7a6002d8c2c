package com.tekst.outlook.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.tekst.outlook.StoreInUseException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An SQLite store serves one engine: a second one is refused, naming the file and the holder. */
class SqliteEngineLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondEngineLockOnOneFileIsRefusedNamingTheFileAndTheHolderUntilTheFirstIsReleased() {
        Path file = dir.resolve("tekst.db");
        try (JdbcOutlookStore first = JdbcOutlookStore.sqlite(file);
             JdbcOutlookStore second = JdbcOutlookStore.sqlite(file)) {
            assertThat(first.workerLeases()).isEmpty();
            EngineLock held = first.lockSingleEngine("engine one");
            StoreInUseException refused = catchThrowableOfType(() -> second.lockSingleEngine("engine two"),
                    StoreInUseException.class);
            assertThat(refused.store()).isEqualTo(file.toAbsolutePath().toString());
            assertThat(refused.holder()).startsWith("pid " + ProcessHandle.current().pid() + " on ");
            assertThat(refused.getMessage()).contains(file.toAbsolutePath().toString()).contains(refused.holder());

            held.close();
            held.close(); // idempotent
            try (EngineLock again = second.lockSingleEngine("engine two")) {
                assertThat(again).isNotSameAs(EngineLock.NONE);
            }
        }
    }
}
