package io.ticketing.architecture;

import com.tngtech.archunit.lang.ArchRule;

import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The boundaries that Maven's module graph cannot see. Each rule names the packages it checks,
 * and {@link ArchitectureTest} makes sure every one of them holds classes, so that no rule can
 * silently check nothing.
 */
final class ArchitectureRules {

    static final String DOMAIN = "io.ticketing.domain..";
    static final String PERSISTENCE = "io.ticketing.persistence..";
    static final String MIGRATION = "io.ticketing.migration..";
    static final String API = "io.ticketing.api..";
    static final String API_WEB = "io.ticketing.api.web..";
    static final String API_BOOTSTRAP = "io.ticketing.api.bootstrap..";
    static final String LOCAL_POSTGRES = "io.ticketing.localpostgres..";

    /** Every package some rule below relies on. */
    static final List<String> NAMED_PACKAGES = List.of(
            DOMAIN, PERSISTENCE, MIGRATION, API, API_WEB, API_BOOTSTRAP, LOCAL_POSTGRES);

    static final ArchRule DOMAIN_USES_ONLY_THE_JDK = classes().that().resideInAPackage(DOMAIN)
            .should().onlyDependOnClassesThat().resideInAnyPackage(DOMAIN, "java..")
            .because("the domain is a pure Java library that embedders use with adapters of their own");

    static final ArchRule MYBATIS_AND_HIKARI_ONLY_IN_PERSISTENCE = noClasses().that().resideOutsideOfPackage(PERSISTENCE)
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.ibatis..", "com.zaxxer..")
            .because("SQL and connection pooling belong to the persistence adapter");

    static final ArchRule JAVALIN_ONLY_IN_THE_API = noClasses().that().resideOutsideOfPackage(API)
            .should().dependOnClassesThat().resideInAPackage("io.javalin..")
            .because("HTTP is one adapter among others");

    static final ArchRule FLYWAY_ONLY_IN_MIGRATION = noClasses().that().resideOutsideOfPackage(MIGRATION)
            .should().dependOnClassesThat().resideInAPackage("org.flywaydb..")
            .because("the schema's history is the migration module's business");

    static final ArchRule WEB_LAYER_SEES_NO_ADAPTER = noClasses().that().resideInAPackage(API_WEB)
            .should().dependOnClassesThat().resideInAnyPackage(PERSISTENCE, MIGRATION, LOCAL_POSTGRES)
            .because("handlers talk to use cases; only the bootstrap wires adapters");

    static final ArchRule ONLY_THE_BOOTSTRAP_WIRES_THE_APPLICATION = noClasses()
            .that().resideOutsideOfPackages(API_BOOTSTRAP)
            .should().dependOnClassesThat().resideInAPackage(API_BOOTSTRAP)
            .because("nothing depends on the composition root");

    static final ArchRule NO_PACKAGE_CYCLES = slices().matching("io.ticketing.(**)").should().beFreeOfCycles();

    static final List<ArchRule> ALL = List.of(
            DOMAIN_USES_ONLY_THE_JDK,
            MYBATIS_AND_HIKARI_ONLY_IN_PERSISTENCE,
            JAVALIN_ONLY_IN_THE_API,
            FLYWAY_ONLY_IN_MIGRATION,
            WEB_LAYER_SEES_NO_ADAPTER,
            ONLY_THE_BOOTSTRAP_WIRES_THE_APPLICATION,
            NO_PACKAGE_CYCLES);

    private ArchitectureRules() {
    }
}
