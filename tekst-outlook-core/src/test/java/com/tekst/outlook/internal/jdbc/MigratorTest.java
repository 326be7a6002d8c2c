package com.tekst.outlook.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class MigratorTest {
    @Test
    void theListNamesEveryShippedScriptInOrder() throws Exception {
        URL directory = Migrator.class.getResource(Migrator.RESOURCE_DIRECTORY);
        assertThat(directory).isNotNull();
        List<String> shipped;
        try (Stream<Path> files = Files.list(Path.of(directory.toURI()))) {
            shipped = files.map(p -> p.getFileName().toString()).sorted().toList();
        }

        assertThat(Migrator.MIGRATIONS).isEqualTo(shipped);
        assertThat(Migrator.load()).extracting(Migrator.Script::version)
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, shipped.size()).boxed().toList());
        assertThat(Migrator.latestVersion()).isEqualTo(shipped.size());
    }

    @Test
    void theInitialScriptCreatesTheTablesAndIndexes() {
        Migrator.Script initial = Migrator.load().get(0);

        assertThat(initial.description()).isEqualTo("initial");
        assertThat(initial.statements()).hasSize(8)
                .allSatisfy(sql -> assertThat(sql).doesNotEndWith(";").doesNotContain("--"));
        assertThat(initial.statements()).filteredOn(sql -> sql.startsWith("CREATE TABLE")).hasSize(6);
    }

    @Test
    void theMailboxScopeScriptAddsTheAliasesAndTheScopeModes() {
        Migrator.Script scope = Migrator.load().get(1);

        assertThat(scope.version()).isEqualTo(2);
        assertThat(scope.description()).isEqualTo("mailbox scope");
        assertThat(scope.statements()).hasSize(5);
        assertThat(scope.statements().get(0))
                .isEqualTo("ALTER TABLE tekst_outlook_mailboxes ADD COLUMN aliases TEXT NOT NULL DEFAULT ''");
        assertThat(scope.statements()).filteredOn(sql -> sql.startsWith("CREATE TABLE")).hasSize(2);
    }

    @Test
    void statementsAreSplitAtSemicolonsEndingALineAndCommentsAreDropped() {
        String script = "-- heading\r\n\nCREATE TABLE a (\n  x TEXT NOT NULL\n);\n  -- between\nCREATE INDEX i ON a (x);\n";

        assertThat(Migrator.statements(script))
                .containsExactly("CREATE TABLE a (\nx TEXT NOT NULL\n)", "CREATE INDEX i ON a (x)");
    }

    @Test
    void aScriptWhoseLastStatementIsNotTerminatedIsRefused() {
        assertThatThrownBy(() -> Migrator.statements("CREATE TABLE a (x TEXT);\nCREATE TABLE b (y TEXT)\n"))
                .isInstanceOf(IllegalStateException.class);
    }
}
