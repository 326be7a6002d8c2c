package com.tekst.outlook.consumercheck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** The SDK's build as the failsafe configuration of this module describes it. */
final class Sdk {
    static final List<String> PUBLISHED = List.of("tekst-outlook-core", "tekst-outlook-graph", "tekst-outlook-testkit");

    private Sdk() {
    }

    static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + name + " is not set: run this test through Maven"
                    + " (mvn -B verify), whose failsafe configuration in examples/consumer-check/pom.xml sets it");
        }
        return value;
    }

    static Path root() {
        return Path.of(property("sdk.root")).toAbsolutePath().normalize();
    }

    static String version() {
        return property("sdk.version");
    }

    static Path jar(String artifactId, String classifier) {
        String name = artifactId + "-" + version() + (classifier == null ? "" : "-" + classifier) + ".jar";
        return root().resolve(artifactId).resolve("target").resolve(name);
    }

    /** The xml blocks of the README's "Use it" section, in order: the dependencies, then the optional Graph SDK. */
    static List<String> readmeSnippets() throws IOException {
        String readme = Files.readString(root().resolve("README.md"));
        int section = readme.indexOf("\n## Use it\n");
        if (section < 0) {
            throw new IllegalStateException("README.md has no '## Use it' section");
        }
        int next = readme.indexOf("\n## ", section + 1);
        String text = readme.substring(section, next < 0 ? readme.length() : next);
        List<String> blocks = new ArrayList<>();
        for (int start = text.indexOf("```xml\n"); start >= 0; start = text.indexOf("```xml\n", start + 1)) {
            int end = text.indexOf("\n```", start + 7);
            blocks.add(text.substring(start + "```xml\n".length(), end + 1));
        }
        if (blocks.size() != 2) {
            throw new IllegalStateException("README.md's '## Use it' section should hold two ```xml blocks (the"
                    + " dependencies, then the optional Graph SDK), found " + blocks.size());
        }
        return blocks;
    }

    /** groupId:artifactId → version of a dependency:list output file (scope and type ignored). */
    static Map<String, String> dependencyList(Path file) throws IOException {
        Pattern line = Pattern.compile("^\\s+([\\w.\\-]+):([\\w.\\-]+):([\\w.\\-]+)(?::([\\w.\\-]+))?:([\\w.\\-]+):(\\w+)");
        Map<String, String> out = new LinkedHashMap<>();
        for (String l : Files.readAllLines(file)) {
            Matcher m = line.matcher(l);
            if (m.find()) {
                out.put(m.group(1) + ":" + m.group(2), m.group(5));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException(file + " lists no dependency");
        }
        return out;
    }

    static Document pom(Path path) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(false);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(path.toFile());
    }

    static Map<String, String> properties(Document pom) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Element props : children(pom.getDocumentElement(), "properties")) {
            NodeList nodes = props.getChildNodes();
            for (int i = 0; i < nodes.getLength(); i++) {
                if (nodes.item(i) instanceof Element e) {
                    out.put(e.getTagName(), e.getTextContent().trim());
                }
            }
        }
        return out;
    }

    /** groupId:artifactId → version (unresolved, e.g. {@code ${jackson.version}}) of the dependencyManagement. */
    static Map<String, String> managed(Document pom) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Element dm : children(pom.getDocumentElement(), "dependencyManagement")) {
            for (Element deps : children(dm, "dependencies")) {
                for (Element dep : children(deps, "dependency")) {
                    out.put(text(dep, "groupId") + ":" + text(dep, "artifactId"), text(dep, "version"));
                }
            }
        }
        return out;
    }

    static String resolve(String value, Map<String, String> properties) {
        Matcher m = Pattern.compile("\\$\\{([^}]+)}").matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = properties.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(replacement == null ? m.group() : replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    static String text(Element parent, String tag) {
        List<Element> found = children(parent, tag);
        return found.isEmpty() ? "" : found.get(0).getTextContent().trim();
    }

    static List<Element> children(Element parent, String tag) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                out.add(e);
            }
        }
        return out;
    }
}
