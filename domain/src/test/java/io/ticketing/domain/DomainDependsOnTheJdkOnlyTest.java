package io.ticketing.domain;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The domain is a library of rules: its main code imports the JDK and itself, nothing else. (The pom's
 * enforcer bans compile-scope dependencies; this catches a fully qualified name or a test dependency leaking in.)
 */
class DomainDependsOnTheJdkOnlyTest {

    private static final Path MAIN_SOURCES = Path.of("src/main/java");

    @Test
    void main_code_imports_only_the_jdk_and_the_domain() throws IOException {
        List<String> foreignImports;
        try (Stream<Path> files = Files.walk(MAIN_SOURCES)) {
            foreignImports = files.filter(file -> file.toString().endsWith(".java"))
                    .flatMap(DomainDependsOnTheJdkOnlyTest::importsOf)
                    .filter(line -> !line.matches("import (static )?(java|io\\.ticketing\\.domain)\\..*"))
                    .toList();
        }
        assertThat(foreignImports).isEmpty();
    }

    @Test
    void the_scan_sees_the_whole_domain() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN_SOURCES)) {
            assertThat(files.filter(file -> file.toString().endsWith("Service.java")).count()).isGreaterThanOrEqualTo(9);
        }
    }

    private static Stream<String> importsOf(Path file) {
        try {
            return Files.readAllLines(file).stream().map(String::strip).filter(line -> line.startsWith("import "))
                    .map(line -> file.getFileName() + ": " + line).map(line -> line.substring(line.indexOf("import ")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
