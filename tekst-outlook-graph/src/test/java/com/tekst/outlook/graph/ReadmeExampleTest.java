package com.tekst.outlook.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.ConnectionStatus;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The README's snippet works as written against the fake cloud, and the README shows exactly this code. */
class ReadmeExampleTest {
    FakeCloudFixture fx;

    @BeforeEach
    void start() {
        fx = new FakeCloudFixture();
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void theSnippetConnectsAndReportsWhatWentWrong() {
        ReadmeExample example = new ReadmeExample(fx.client());
        ConnectionId acme = ConnectionId.of("acme");
        URI consentUrl = example.connect(acme);
        URI back = fx.cloud.adminConsent(consentUrl, FakeCloudFixture.CONTOSO_ADMIN, true);
        assertThat(example.callback(acme, back.getRawQuery())).isEqualTo("Connected");
        assertThat(fx.store.findConnection(acme).orElseThrow().status()).isEqualTo(ConnectionStatus.CONNECTED);

        ConnectionId other = ConnectionId.of("other");
        URI declined = fx.cloud.adminConsent(example.connect(other), FakeCloudFixture.CONTOSO_ADMIN, false);
        assertThat(example.callback(other, declined.getRawQuery())).startsWith("Admin consent is missing: ");
        assertThat(example.callback(other, declined.getRawQuery())).startsWith("Consent callback rejected: ");
    }

    @Test
    void theReadmeShowsTheCompiledSnippet() throws Exception {
        String source = Files.readString(Path.of("src/test/java/com/tekst/outlook/graph/ReadmeExample.java"));
        String snippet = source.substring(source.indexOf("// README: begin\n") + "// README: begin\n".length(),
                source.indexOf("    // README: end"));
        String readme = Files.readString(Path.of("README.md"));
        assertThat(readme).contains(snippet.stripTrailing().stripIndent().strip());
    }
}
