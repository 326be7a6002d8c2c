package com.tekst.outlook.graph.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares a report's JSON with a golden file under {@code src/test/resources/diagnostics-golden}. The only value
 * that differs between runs, the random {@code client-request-id} the SDK sends, is replaced by a placeholder. With
 * {@code -Dgolden.update=true} the files are (re)written instead, to be reviewed in the diff.
 */
final class Golden {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Path DIR = Path.of("src/test/resources/diagnostics-golden");

    private Golden() {
    }

    static void assertMatches(String name, String json) {
        try {
            JsonNode tree = JSON.readTree(json);
            for (JsonNode check : tree.path("checks")) {
                JsonNode evidence = check.path("evidence");
                if (evidence.hasNonNull("clientRequestId")) {
                    ((ObjectNode) evidence).put("clientRequestId", "<client-request-id>");
                }
            }
            String normalized = JSON.writeValueAsString(tree) + "\n";
            Path file = DIR.resolve(name + ".json");
            if (Boolean.getBoolean("golden.update")) {
                Files.createDirectories(DIR);
                Files.writeString(file, normalized);
                return;
            }
            assertThat(file).as("golden file (write it with -Dgolden.update=true and review it)").exists();
            assertThat(normalized).as("report JSON against " + file).isEqualTo(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
