package com.tekst.outlook.graph.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import com.tekst.outlook.ConnectionId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's "Diagnostics" snippet runs as written, and the README shows exactly that code. */
class DiagnosticsReadmeExampleTest {
    @Test
    void theSnippetReportsARevokedConsentAsAnAlert() {
        try (DiagnosticsFixture fx = new DiagnosticsFixture()) {
            ConnectionId id = fx.connectAndChoose();
            fx.contoso.revokeConsent(fx.cloud.app());
            List<String> alerts = new ArrayList<>();
            String json = new DiagnosticsReadmeExample(fx.client).troubleshoot(id, alerts);
            assertThat(alerts).singleElement().asString().startsWith("Admin consent present: Admin consent is missing")
                    .contains("What to do: Admin consent is missing.");
            assertThat(json).startsWith("{\"schemaVersion\":1,").contains("\"outcome\":\"FAIL\"");
        }
    }

    @Test
    void theReadmeShowsTheCompiledSnippet() throws Exception {
        String source = Files.readString(Path.of(
                "src/test/java/com/tekst/outlook/graph/diagnostics/DiagnosticsReadmeExample.java"));
        String snippet = source.substring(source.indexOf("// README: begin\n") + "// README: begin\n".length(),
                source.indexOf("    // README: end"));
        assertThat(Files.readString(Path.of("README.md"))).contains(snippet.stripTrailing().stripIndent().strip());
    }
}
