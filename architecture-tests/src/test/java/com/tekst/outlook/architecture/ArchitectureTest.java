package com.tekst.outlook.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The house rules that a compiler does not check: modules keep their {@code internal} packages to themselves, and
 * core's public API is free of msal4j, OkHttp, Graph and Jackson types, and every public exception is in
 * {@code com.tekst.outlook}.
 */
class ArchitectureTest {
    private static final String ROOT = "com.tekst.outlook";
    private static final List<String> FOREIGN_PREFIXES = List.of("com.microsoft.", "okhttp3.", "okio.",
            "com.fasterxml.jackson.", "com.azure.", "kotlin.", "mockwebserver3.");

    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages(ROOT);
        // The modules are on the class path as jars when Maven runs this module; import those too.
        JavaClasses fromJars = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
        classes = fromJars.size() > classes.size() ? fromJars : classes;
    }

    /** Which module a class was compiled in, from where its class file lives. */
    static String moduleOf(JavaClass c) {
        String uri = c.getSource().map(s -> s.getUri().toString()).orElse("");
        for (String module : List.of("tekst-outlook-core", "tekst-outlook-graph", "tekst-outlook-testkit")) {
            if (uri.contains("/" + module + "/") || uri.contains("/" + module + "-")) {
                return module;
            }
        }
        return "other:" + uri;
    }

    static boolean isInternal(JavaClass c) {
        return c.getPackageName().contains(".internal");
    }

    @Test
    void everyModuleIsImported() {
        Set<String> modules = new TreeSet<>();
        classes.forEach(c -> modules.add(moduleOf(c)));
        assertThat(modules).contains("tekst-outlook-core", "tekst-outlook-graph", "tekst-outlook-testkit");
        assertThat(modules).noneMatch(m -> m.startsWith("other:"));
    }

    @Test
    void noModuleUsesAnotherModulesInternalPackages() {
        List<String> violations = new ArrayList<>();
        for (JavaClass c : classes) {
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                JavaClass target = d.getTargetClass().getBaseComponentType();
                if (target.getPackageName().startsWith(ROOT) && isInternal(target)
                        && !moduleOf(target).equals(moduleOf(c))) {
                    violations.add(moduleOf(c) + ": " + d.getDescription());
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void coreDependsOnNoGraphMsalOkHttpOrJacksonType() {
        List<String> violations = new ArrayList<>();
        for (JavaClass c : classes) {
            if (!moduleOf(c).equals("tekst-outlook-core")) {
                continue;
            }
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                if (isForeign(d.getTargetClass())) {
                    violations.add(d.getDescription());
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void corePublicSignaturesExposeNoForeignType() {
        List<String> violations = new ArrayList<>();
        for (JavaClass c : classes) {
            if (!moduleOf(c).equals("tekst-outlook-core") || isInternal(c) || !isPublicApi(c)) {
                continue;
            }
            for (JavaCodeUnit m : c.getCodeUnits()) {
                if (!isVisible(m.getModifiers())) {
                    continue;
                }
                List<JavaClass> types = new ArrayList<>(m.getRawParameterTypes());
                types.add(m.getRawReturnType());
                types.addAll(m.getThrowsClause().getTypes());
                types.stream().filter(ArchitectureTest::isForeign)
                        .forEach(t -> violations.add(m.getFullName() + " exposes " + t.getName()));
            }
            for (JavaField f : c.getFields()) {
                if (isVisible(f.getModifiers()) && isForeign(f.getRawType())) {
                    violations.add(f.getFullName() + " exposes " + f.getRawType().getName());
                }
            }
            Optional.ofNullable(c.getRawSuperclass().orElse(null)).filter(ArchitectureTest::isForeign)
                    .ifPresent(s -> violations.add(c.getName() + " extends " + s.getName()));
        }
        assertThat(violations).isEmpty();
    }

    /** One home for the error model: every public exception of core, graph and testkit is in {@code com.tekst.outlook}. */
    @Test
    void everyPublicExceptionLivesInTheRootPackage() {
        List<String> exceptions = new ArrayList<>();
        List<String> violations = new ArrayList<>();
        for (JavaClass c : classes) {
            if (moduleOf(c).startsWith("other:") || isInternal(c) || !isPublicApi(c)
                    || !c.isAssignableTo(Throwable.class)) {
                continue;
            }
            exceptions.add(c.getName());
            if (!c.getPackageName().equals(ROOT)) {
                violations.add(c.getName() + " is outside " + ROOT);
            }
        }
        assertThat(exceptions).contains(ROOT + ".OutlookException", ROOT + ".StoreException",
                ROOT + ".DeltaExpiredException", ROOT + ".FolderNotFoundException");
        assertThat(violations).isEmpty();
    }

    private static boolean isPublicApi(JavaClass c) {
        JavaClass outer = c;
        while (outer.getEnclosingClass().isPresent()) {
            if (!isVisible(outer.getModifiers())) {
                return false;
            }
            outer = outer.getEnclosingClass().get();
        }
        return outer.getModifiers().contains(JavaModifier.PUBLIC);
    }

    private static boolean isVisible(Set<JavaModifier> modifiers) {
        return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
    }

    /** Whether a type, or the element type of an array type, comes from a foreign library. */
    private static boolean isForeign(JavaClass type) {
        String name = type.getBaseComponentType().getName();
        return FOREIGN_PREFIXES.stream().anyMatch(name::startsWith);
    }
}
