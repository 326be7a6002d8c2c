package com.tekst.outlook.store;

import com.tekst.outlook.StoreException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteDataSource;

/** Building a store: misuse and configuration errors, with messages that never echo the URL or credentials. */
class JdbcOutlookStoreBuilderTest {
    @Test
    void neitherADataSourceNorAUrlIsAnError() {
        assertThatThrownBy(() -> JdbcOutlookStore.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("either a DataSource or a JDBC URL");
    }

    @Test
    void bothADataSourceAndAUrlIsAnError() {
        JdbcOutlookStore.Builder builder = JdbcOutlookStore.builder()
                .dataSource(new SQLiteDataSource())
                .jdbcUrl("jdbc:sqlite:/tmp/never-created.db");

        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void somethingThatIsNotAJdbcUrlIsRefused() {
        assertThatThrownBy(() -> JdbcOutlookStore.builder().jdbcUrl("postgresql://db/outlook"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aUrlNoDriverAcceptsNamesTheMissingDriverButNotTheUrl() {
        Properties credentials = new Properties();
        credentials.setProperty("password", "hunter2-password");

        StoreException failure = catchThrowableOfType(StoreException.class, () -> JdbcOutlookStore.builder()
                .jdbcUrl("jdbc:nosuchdb://db.internal/outlook?password=hunter2-url", credentials).build());

        assertThat(failure.getMessage()).contains("no JDBC driver").contains("SQLite and PostgreSQL")
                .doesNotContain("hunter2").doesNotContain("db.internal");
        assertThat(failure.getCause()).isNull();
    }

    @Test
    void anUnreachablePostgresIsAStoreExceptionWithoutTheUrl() {
        StoreException failure = catchThrowableOfType(StoreException.class, () -> JdbcOutlookStore.builder()
                .jdbcUrl("jdbc:postgresql://127.0.0.1:1/outlook?user=u&password=hunter2-url&connectTimeout=2")
                .build());

        assertThat(failure.summary()).startsWith("store operation 'connect' failed (SQLState 08");
        assertThat(failure.isRetryable()).isTrue();
        assertThat(JdbcOutlookStoreContractTest.stackTrace(failure)).doesNotContain("hunter2");
    }
}
