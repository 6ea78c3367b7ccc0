package io.ticketing.testsupport;

/** Prepares a template database once per test JVM, for example by applying the schema migrations. */
@FunctionalInterface
public interface DatabaseInitializer {
    void initialize(TestDatabase database) throws Exception;
}
