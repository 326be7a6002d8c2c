package com.tekst.outlook.consumercheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Java block of every README is compiled: each must appear, line for line (indentation aside), in a source file
 * of the module it documents, which the build compiles (its tests run the snippet). A README snippet that stops
 * compiling fails the build there; one edited in the README alone fails here.
 */
class ReadmeSnippetsIT {
    /** README → the source trees its snippets may live in. */
    private static final Map<String, List<String>> READMES = new LinkedHashMap<>();

    static {
        READMES.put("README.md", List.of("tekst-outlook-graph/src/test/java", "examples"));
        READMES.put("tekst-outlook-core/README.md", List.of("tekst-outlook-core/src/test/java"));
        READMES.put("tekst-outlook-graph/README.md", List.of("tekst-outlook-graph/src/test/java"));
        READMES.put("tekst-outlook-testkit/README.md", List.of("tekst-outlook-testkit/src/test/java",
                "tekst-outlook-graph/src/test/java"));
        READMES.put("examples/README.md", List.of("examples"));
        READMES.put("reliability-tests/README.md", List.of("reliability-tests/src"));
    }

    @Test
    void everyJavaBlockOfEveryReadmeIsInACompiledSource() throws IOException {
        List<String> missing = new ArrayList<>();
        int blocks = 0;
        for (Map.Entry<String, List<String>> readme : READMES.entrySet()) {
            Path file = Sdk.root().resolve(readme.getKey());
            if (!Files.exists(file)) {
                continue;
            }
            List<String> sources = sources(readme.getValue());
            for (String block : javaBlocks(Files.readString(file))) {
                blocks++;
                String wanted = normalize(block);
                if (sources.stream().noneMatch(source -> source.contains(wanted))) {
                    missing.add(readme.getKey() + ":\n" + block.lines().limit(3).map(l -> "    " + l)
                            .reduce((a, b) -> a + "\n" + b).orElse("") + "\n    …");
                }
            }
        }
        assertThat(blocks).as("Java blocks found").isPositive();
        assertThat(missing).as("README Java blocks that no compiled source holds").isEmpty();
    }

    static List<String> javaBlocks(String markdown) {
        List<String> out = new ArrayList<>();
        for (int start = markdown.indexOf("```java\n"); start >= 0; start = markdown.indexOf("```java\n", start + 1)) {
            int end = markdown.indexOf("\n```", start + 8);
            out.add(markdown.substring(start + "```java\n".length(), end + 1));
        }
        return out;
    }

    /** Each line stripped, blank lines dropped: indentation differs between a README and a class body. */
    static String normalize(String code) {
        StringBuilder out = new StringBuilder();
        code.lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(l -> out.append(l).append('\n'));
        return out.toString();
    }

    private static List<String> sources(List<String> roots) throws IOException {
        List<String> out = new ArrayList<>();
        for (String root : roots) {
            Path dir = Sdk.root().resolve(root);
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java"))
                        .filter(p -> !p.toString().contains("/target/")).toList()) {
                    out.add(normalize(Files.readString(f)));
                }
            }
        }
        return out;
    }
}
