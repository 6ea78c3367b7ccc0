package io.ticketing.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.ticketing.api.web.violation.ClassesCallingEachOther;
import io.ticketing.api.web.violation.WebHandlerCallingAService;
import io.ticketing.api.web.violation.WebHandlerReachingIntoPersistence;
import io.ticketing.api.web.violation.WebHandlerReadingSqlStates;
import io.ticketing.app.violation.PoolForBenchmarks;
import io.ticketing.benchmarks.violation.BenchmarkReachingIntoTheWiring;
import io.ticketing.domain.port.out.violation.SeatRepository;
import io.ticketing.domain.violation.DomainClassUsingJdbc;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ArchitectureTest {

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.ticketing");
    }

    @TestFactory
    Stream<DynamicTest> every_rule_holds_for_the_production_code() {
        return ArchitectureRules.ALL.stream()
                .map(rule -> DynamicTest.dynamicTest(rule.getDescription(), () -> rule.check(production)));
    }

    @TestFactory
    Stream<DynamicTest> every_package_a_rule_names_holds_classes() {
        return ArchitectureRules.NAMED_PACKAGES.stream().map(pkg -> DynamicTest.dynamicTest(pkg, () ->
                assertThat(production.that(JavaClass.Predicates.resideInAPackage(pkg)))
                        .as("classes in %s", pkg)
                        .isNotEmpty()));
    }

    @Test
    void the_rules_catch_a_domain_class_that_uses_a_library() {
        assertViolated(ArchitectureRules.DOMAIN_USES_ONLY_THE_JDK, DomainClassUsingJdbc.class, "javax.sql.DataSource");
    }

    @Test
    void the_rules_catch_a_web_handler_that_reaches_into_persistence() {
        assertViolated(ArchitectureRules.WEB_LAYER_SEES_NO_ADAPTER, WebHandlerReachingIntoPersistence.class, "ConnectionPool");
        assertViolated(ArchitectureRules.MYBATIS_AND_HIKARI_ONLY_IN_PERSISTENCE, WebHandlerReachingIntoPersistence.class, "HikariDataSource");
    }

    @Test
    void the_rules_catch_a_web_handler_past_the_use_cases() {
        assertViolated(ArchitectureRules.WEB_SEES_ONLY_USE_CASES_MODEL_AND_POLICIES, WebHandlerCallingAService.class, "EventService");
        assertViolated(ArchitectureRules.WEB_SEES_ONLY_USE_CASES_MODEL_AND_POLICIES, WebHandlerCallingAService.class, "LoadEventPort");
    }

    @Test
    void the_rules_catch_a_web_handler_that_reads_sql_states() {
        assertViolated(ArchitectureRules.NO_JDBC_OR_MYBATIS_IN_WEB, WebHandlerReadingSqlStates.class, "java.sql.SQLException");
        assertViolated(ArchitectureRules.ONLY_THE_CLASSIFIER_READS_SQL_STATES, WebHandlerReadingSqlStates.class, "getSQLState");
    }

    @Test
    void the_rules_catch_two_classes_that_need_each_other() {
        var classes = new ClassFileImporter().importPackagesOf(ClassesCallingEachOther.class);
        var result = ArchitectureRules.NO_CLASS_CYCLES.evaluate(classes);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("ClassesCallingEachOther").contains("Helper");
    }

    @Test
    void the_rules_catch_an_out_port_not_named_port() {
        assertViolated(ArchitectureRules.OUT_PORTS_ARE_NAMED_PORT, SeatRepository.class, "SeatRepository");
    }

    @Test
    void the_rules_catch_a_benchmark_that_reaches_past_the_entry_points() {
        assertViolated(ArchitectureRules.ONLY_THE_ENTRY_POINTS_OF_THE_WIRING_ARE_PUBLIC, PoolForBenchmarks.class, "PoolForBenchmarks");
        assertViolated(ArchitectureRules.THE_WIRING_IS_REACHED_THROUGH_ITS_ENTRY_POINTS, BenchmarkReachingIntoTheWiring.class,
                "PoolForBenchmarks");
    }

    private static void assertViolated(ArchRule rule, Class<?> badClass, String expectedInReport) {
        var result = rule.evaluate(new ClassFileImporter().importClasses(badClass));
        assertThat(result.hasViolation()).as("%s should reject %s", rule.getDescription(), badClass.getSimpleName()).isTrue();
        assertThat(result.getFailureReport().toString()).contains(expectedInReport);
    }
}
