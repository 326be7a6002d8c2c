package com.tekst.outlook.consumercheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * A new Tekst team's first build: a separate Maven project whose pom holds the README's "Use it" snippet (read from
 * README.md, so the two cannot drift apart), built by a child Maven against the artifacts this build produced. Its
 * local repository starts with only the SDK's own artifacts; everything else comes from the repository this build
 * used, so the child resolves offline exactly what the snippet asks for.
 */
class ConsumerBuildIT {
    /** Artifacts the consumer adds for its own tests (JUnit), not part of the SDK's tree. */
    private static final List<String> CONSUMER_OWN_GROUPS = List.of("org.junit", "org.opentest4j", "org.apiguardian");

    @Test
    void theReadmeSnippetBuildsAndTestsAConsumerWithTheSdksTestedTreeAndNoGraphSdk() throws Exception {
        Map<String, String> consumer = buildConsumer("sync-only", "");
        compare(consumer, Sdk.dependencyList(Path.of(Sdk.property("sdk.dependencies"))));
        assertThat(consumer).containsKeys("com.tekst:tekst-outlook-graph", "com.tekst:tekst-outlook-testkit",
                "com.microsoft.azure:msal4j", "com.fasterxml.jackson.core:jackson-databind");
        assertThat(consumer.keySet()).as("sync, consent and scope need no Graph SDK")
                .noneMatch(ga -> ga.startsWith("com.microsoft.graph:") || ga.startsWith("com.microsoft.kiota:")
                        || ga.startsWith("com.google.guava:") || ga.startsWith("io.projectreactor:"));
    }

    @Test
    void addingTheReadmesGraphSdkDependencyGivesTheSdksTestedTreeWithTheGraphSdk() throws Exception {
        Map<String, String> consumer = buildConsumer("with-graph-sdk", Sdk.readmeSnippets().get(1));
        compare(consumer, Sdk.dependencyList(Path.of(Sdk.property("sdk.dependenciesWithGraphSdk"))));
        assertThat(consumer).containsEntry("com.microsoft.graph:microsoft-graph",
                Sdk.property("sdk.microsoftGraphVersion"));
        assertThat(consumer).doesNotContainKey("com.squareup.okhttp3:okhttp");
    }

    /** Writes and builds a consumer project; its resolved dependencies (groupId:artifactId → version). */
    private static Map<String, String> buildConsumer(String name, String extraDependencies) throws Exception {
        Path work = Path.of(Sdk.property("sdk.workDir")).resolve(name);
        deleteRecursively(work);
        Path project = work.resolve("project");
        Path repo = work.resolve("repository");
        Files.createDirectories(project);
        writeProject(project, extraDependencies);
        seedSdkArtifacts(repo);
        Path settings = work.resolve("settings.xml");
        Files.writeString(settings, """
                <settings>
                  <mirrors>
                    <mirror>
                      <id>sdk-build-repository</id>
                      <mirrorOf>*</mirrorOf>
                      <url>%s</url>
                    </mirror>
                  </mirrors>
                </settings>
                """.formatted(Path.of(Sdk.property("sdk.localRepository")).toUri()));

        Path log = work.resolve("build.log");
        Path mvn = Path.of(Sdk.property("maven.home"), "bin", "mvn");
        List<String> command = List.of(mvn.toString(), "-B", "-s", settings.toString(),
                "-Dmaven.repo.local=" + repo, "test");
        Process process = new ProcessBuilder(command).directory(project.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(6, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("the consumer build did not finish in 6 minutes; its log: " + log);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            fail("the consumer build (" + String.join(" ", command) + ") failed with exit " + process.exitValue()
                    + "; the end of its log (" + log + "):\n" + tail(output, 80));
        }
        assertThat(output).contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0");
        return Sdk.dependencyList(project.resolve("target/consumer-dependencies.txt"));
    }

    private static void compare(Map<String, String> consumer, Map<String, String> sdk) {
        sdk.remove("com.tekst:tekst-outlook-consumer-check");
        Map<String, String> differences = new TreeMap<>();
        sdk.forEach((ga, version) -> {
            String got = consumer.get(ga);
            if (!version.equals(got)) {
                differences.put(ga, "SDK build " + version + ", consumer " + (got == null ? "missing" : got));
            }
        });
        consumer.forEach((ga, version) -> {
            if (!sdk.containsKey(ga) && CONSUMER_OWN_GROUPS.stream().noneMatch(ga::startsWith)) {
                differences.put(ga, "consumer only: " + version);
            }
        });
        assertThat(differences).as("the consumer's tree against the SDK's tested tree").isEmpty();
    }

    @Test
    void theBomPinsEveryThirdPartyVersionAtTheParentsVersion() throws Exception {
        Document parent = Sdk.pom(Sdk.root().resolve("pom.xml"));
        Document bom = Sdk.pom(Sdk.root().resolve("tekst-outlook-bom/pom.xml"));
        Map<String, String> parentProps = Sdk.properties(parent);
        parentProps.put("project.version", Sdk.version());
        Map<String, String> bomProps = Sdk.properties(bom);
        assertThat(bomProps.get("tekst.version")).isEqualTo(Sdk.version());

        Map<String, String> parentManaged = new TreeMap<>();
        Sdk.managed(parent).forEach((ga, v) -> parentManaged.put(ga, Sdk.resolve(v, parentProps)));
        Map<String, String> bomManaged = new TreeMap<>();
        Sdk.managed(bom).forEach((ga, v) -> bomManaged.put(ga, Sdk.resolve(v, bomProps)));
        for (String tool : List.of("org.assertj:assertj-core", "com.tngtech.archunit:archunit-junit5",
                "ch.qos.logback:logback-classic")) {
            assertThat(bomManaged).as("the BOM must not pin the SDK's own test tools").doesNotContainKey(tool);
            parentManaged.remove(tool);
        }
        assertThat(bomManaged).isEqualTo(parentManaged);
    }

    private static void writeProject(Path project, String extraDependencies) throws IOException, URISyntaxException {
        Path template = Path.of(ConsumerBuildIT.class.getResource("/consumer").toURI());
        String snippet = Sdk.readmeSnippets().get(0);
        int close = snippet.lastIndexOf("</dependencies>");
        assertThat(close).as("the README snippet declares dependencies").isPositive();
        String withJunit = snippet.substring(0, close) + """
                  <!-- the consumer's own test framework -->
                  <dependency>
                    <groupId>org.junit.jupiter</groupId>
                    <artifactId>junit-jupiter</artifactId>
                    <version>%s</version>
                    <scope>test</scope>
                  </dependency>
                """.formatted(Sdk.property("sdk.junit.version")) + extraDependencies.indent(2)
                + snippet.substring(close);
        String pom = Files.readString(template.resolve("pom.template.xml")).replace("@README_SNIPPET@", withJunit);
        for (String plugin : List.of("enforcer", "dependency", "compiler", "resources", "surefire")) {
            pom = pom.replace("@plugin." + plugin + ".version@", Sdk.property("plugin." + plugin + ".version"));
        }
        assertThat(pom).doesNotContain("@");
        Files.writeString(project.resolve("pom.xml"), pom);
        try (Stream<Path> files = Files.walk(template.resolve("src"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = project.resolve(template.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** The SDK's artifacts as {@code mvn install} would lay them out, in the child's own local repository. */
    private static void seedSdkArtifacts(Path repo) throws IOException {
        Path root = Sdk.root();
        seed(repo, "tekst-outlook-parent", root.resolve("pom.xml"), null);
        seed(repo, "tekst-outlook-bom", root.resolve("tekst-outlook-bom/pom.xml"), null);
        for (String artifact : Sdk.PUBLISHED) {
            Path jar = Sdk.jar(artifact, null);
            if (!Files.isRegularFile(jar)) {
                fail(jar + " is missing: run the check after the package phase (mvn -B verify)");
            }
            seed(repo, artifact, root.resolve(artifact).resolve("pom.xml"), jar);
        }
    }

    private static void seed(Path repo, String artifactId, Path pom, Path jar) throws IOException {
        Path dir = repo.resolve("com/tekst").resolve(artifactId).resolve(Sdk.version());
        Files.createDirectories(dir);
        String base = artifactId + "-" + Sdk.version();
        Files.copy(pom, dir.resolve(base + ".pom"), StandardCopyOption.REPLACE_EXISTING);
        if (jar != null) {
            Files.copy(jar, dir.resolve(base + ".jar"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String tail(String text, int lines) {
        List<String> all = List.of(text.split("\n"));
        return String.join("\n", new ArrayList<>(all.subList(Math.max(0, all.size() - lines), all.size())));
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
