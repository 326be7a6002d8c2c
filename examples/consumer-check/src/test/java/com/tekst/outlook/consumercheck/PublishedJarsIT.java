package com.tekst.outlook.consumercheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;

/** What IDEs, module paths and repositories need from the published jars, read from the jars this build made. */
class PublishedJarsIT {
    private static final Map<String, String> MODULE_NAMES = Map.of(
            "tekst-outlook-core", "com.tekst.outlook.core",
            "tekst-outlook-graph", "com.tekst.outlook.graph",
            "tekst-outlook-testkit", "com.tekst.outlook.testkit");
    private static final Map<String, String> A_PUBLIC_CLASS = Map.of(
            "tekst-outlook-core", "com/tekst/outlook/ConnectionId",
            "tekst-outlook-graph", "com/tekst/outlook/graph/OutlookClient",
            "tekst-outlook-testkit", "com/tekst/outlook/testkit/FakeMicrosoftCloud");

    @Test
    void everyPublishedJarNamesItsModuleAndComesWithSourcesAndJavadoc() throws Exception {
        assertThat(MODULE_NAMES.keySet()).containsExactlyInAnyOrderElementsOf(Sdk.PUBLISHED);
        for (String artifact : Sdk.PUBLISHED) {
            String type = A_PUBLIC_CLASS.get(artifact);
            try (JarFile jar = new JarFile(Sdk.jar(artifact, null).toFile())) {
                Manifest manifest = jar.getManifest();
                assertThat(manifest).as(artifact + " manifest").isNotNull();
                assertThat(manifest.getMainAttributes().getValue("Automatic-Module-Name")).as(artifact)
                        .isEqualTo(MODULE_NAMES.get(artifact));
                assertThat(jar.getEntry(type + ".class")).as(artifact + " classes").isNotNull();
            }
            try (JarFile sources = new JarFile(Sdk.jar(artifact, "sources").toFile())) {
                assertThat(sources.getEntry(type + ".java")).as(artifact + " sources").isNotNull();
            }
            try (JarFile javadoc = new JarFile(Sdk.jar(artifact, "javadoc").toFile())) {
                assertThat(javadoc.getEntry("index.html")).as(artifact + " javadoc").isNotNull();
                // javadoc puts the pages under the automatic module's name: <module>/com/tekst/…/Type.html
                assertThat(javadoc.getEntry(MODULE_NAMES.get(artifact) + "/" + type + ".html"))
                        .as(artifact + " javadoc of " + type).isNotNull();
                assertThat(javadoc.stream().map(e -> e.getName()).filter(n -> n.contains("/internal/")))
                        .as(artifact + " javadoc documents no internal package").isEmpty();
            }
        }
    }

    @Test
    void onlyThePublishedModulesAreDeployed() throws Exception {
        for (String notPublished : List.of("examples", "architecture-tests", "benchmarks", "reliability-tests")) {
            Map<String, String> props = Sdk.properties(Sdk.pom(Sdk.root().resolve(notPublished).resolve("pom.xml")));
            assertThat(props.get("maven.deploy.skip")).as(notPublished).isEqualTo("true");
        }
        for (String published : Sdk.PUBLISHED) {
            Path pom = Sdk.root().resolve(published).resolve("pom.xml");
            assertThat(Sdk.properties(Sdk.pom(pom))).as(published).doesNotContainKey("maven.deploy.skip");
        }
        assertThat(Sdk.properties(Sdk.pom(Sdk.root().resolve("pom.xml")))).doesNotContainKey("maven.deploy.skip");
        assertThat(Files.readString(Sdk.root().resolve("examples/pom.xml"))).contains("<module>consumer-check</module>");
    }
}
