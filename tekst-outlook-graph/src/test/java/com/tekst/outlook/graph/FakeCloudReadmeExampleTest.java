package com.tekst.outlook.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.tekst.outlook.consent.ConsentVerification;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's "Testing against the fake" snippet runs as written, and the README shows exactly this code. */
class FakeCloudReadmeExampleTest {

    @Test
    void theSnippetConnectsToTheFakeWithTheOneLineClient() {
        ConsentVerification verification = FakeCloudReadmeExample.connectToTheFake();
        assertThat(verification.isVerified()).as(verification.detail()).isTrue();
    }

    @Test
    void theReadmeShowsTheCompiledSnippet() throws Exception {
        String source = Files.readString(Path.of("src/test/java/com/tekst/outlook/graph/FakeCloudReadmeExample.java"));
        String snippet = source.substring(source.indexOf("// README: begin\n") + "// README: begin\n".length(),
                source.indexOf("        // README: end"));
        String readme = Files.readString(Path.of("README.md"));
        assertThat(readme).contains(snippet.stripTrailing().stripIndent().strip());
    }
}
