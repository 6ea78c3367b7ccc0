package io.ticketing.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

import java.sql.SQLException;
import java.util.List;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
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
    static final String APP = "io.ticketing.app..";
    static final String LOCAL_POSTGRES = "io.ticketing.localpostgres..";
    static final String DOMAIN_MODEL = "io.ticketing.domain.model..";
    static final String DOMAIN_POLICY = "io.ticketing.domain.policy..";
    static final String PORTS_IN = "io.ticketing.domain.port.in..";
    static final String PORTS_OUT = "io.ticketing.domain.port.out..";
    static final String DOMAIN_SERVICES = "io.ticketing.domain.service..";
    static final String PERSISTENCE_ADAPTER = "io.ticketing.persistence.mybatis.adapter..";
    static final String BENCHMARKS = "io.ticketing.benchmarks..";

    /** Every package some rule below relies on. */
    static final List<String> NAMED_PACKAGES = List.of(
            DOMAIN, PERSISTENCE, MIGRATION, API, API_WEB, APP, LOCAL_POSTGRES,
            DOMAIN_MODEL, DOMAIN_POLICY, PORTS_IN, PORTS_OUT, DOMAIN_SERVICES, PERSISTENCE_ADAPTER, BENCHMARKS);

    static final ArchRule DOMAIN_USES_ONLY_THE_JDK = classes().that().resideInAPackage(DOMAIN)
            .should().onlyDependOnClassesThat().resideInAnyPackage(DOMAIN, "java..")
            .because("the domain is a pure Java library that embedders use with adapters of their own");

    static final ArchRule MYBATIS_AND_HIKARI_ONLY_IN_PERSISTENCE = noClasses().that().resideOutsideOfPackage(PERSISTENCE)
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.ibatis..", "com.zaxxer..")
            .because("SQL and connection pooling belong to the persistence adapter");

    static final ArchRule JAVALIN_ONLY_IN_THE_API = noClasses().that().resideOutsideOfPackages(API, APP)
            .should().dependOnClassesThat().resideInAPackage("io.javalin..")
            .because("HTTP is one adapter among others; the wiring starts it");

    static final ArchRule FLYWAY_ONLY_IN_MIGRATION = noClasses().that().resideOutsideOfPackage(MIGRATION)
            .should().dependOnClassesThat().resideInAPackage("org.flywaydb..")
            .because("the schema's history is the migration module's business");

    static final ArchRule WEB_LAYER_SEES_NO_ADAPTER = noClasses().that().resideInAPackage(API_WEB)
            .should().dependOnClassesThat().resideInAnyPackage(PERSISTENCE, MIGRATION, LOCAL_POSTGRES)
            .because("handlers talk to use cases; only the wiring (ticketing-app) plugs adapters in");

    static final ArchRule ONLY_THE_BOOTSTRAP_WIRES_THE_APPLICATION = noClasses()
            .that().resideOutsideOfPackages(APP, BENCHMARKS)
            .should().dependOnClassesThat().resideInAPackage(APP)
            .because("nothing depends on the composition root");

    static final ArchRule MODEL_AND_POLICIES_KNOW_NO_PORTS_OR_SERVICES = noClasses()
            .that().resideInAnyPackage(DOMAIN_MODEL, DOMAIN_POLICY)
            .should().dependOnClassesThat().resideInAnyPackage(PORTS_IN, PORTS_OUT, DOMAIN_SERVICES)
            .because("the model and its rules are the core; ports and services are built around them");

    static final ArchRule PORTS_DO_NOT_DEPEND_ON_SERVICES = noClasses().that().resideInAnyPackage(PORTS_IN, PORTS_OUT)
            .should().dependOnClassesThat().resideInAPackage(DOMAIN_SERVICES)
            .because("ports are the contract; services implement the incoming ones");

    static final ArchRule ADAPTERS_USE_PORTS_NOT_SERVICES = noClasses().that().resideInAPackage(PERSISTENCE)
            .should().dependOnClassesThat().resideInAnyPackage(DOMAIN_SERVICES, PORTS_IN)
            .because("an outgoing adapter implements ports out and never calls use cases");

    static final ArchRule USE_CASES_ARE_INTERFACES_NAMED_USE_CASE = classes().that().resideInAPackage(PORTS_IN)
            .and().areInterfaces()
            .should().haveSimpleNameEndingWith("UseCase");

    static final ArchRule SERVICES_ARE_NAMED_SERVICE = classes().that().resideInAPackage(DOMAIN_SERVICES)
            .and().arePublic().and().areNotRecords()
            .should().haveSimpleNameEndingWith("Service");

    static final ArchRule MYBATIS_MAPPERS_ARE_PACKAGE_PRIVATE_INTERFACES_NAMED_MAPPER = classes()
            .that().resideInAPackage(PERSISTENCE).and().areInterfaces().and().areTopLevelClasses()
            .should().haveSimpleNameEndingWith("Mapper").andShould().notBePublic()
            .because("mappers are the adapter's own business, behind the ports");

    static final ArchRule PERSISTENCE_ADAPTERS_ARE_HIDDEN_BEHIND_THE_PORTS = classes()
            .that().resideInAPackage(PERSISTENCE_ADAPTER).and().areTopLevelClasses()
            .and().doNotHaveSimpleName("MyBatisTicketingAdapter")
            .should().notBePublic()
            .because("users of the adapter see ports only (STYLE: package-private adapters)");

    static final ArchRule NO_PACKAGE_CYCLES = slices().matching("io.ticketing.(**)").should().beFreeOfCycles();

    static final ArchRule WEB_SEES_ONLY_USE_CASES_MODEL_AND_POLICIES = classes().that().resideInAPackage(API)
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("io.ticketing..")
                    .or(resideInAnyPackage(API, PORTS_IN, DOMAIN_MODEL, DOMAIN_POLICY)))
            .because("a handler calls the use cases (ports in) and shows the model; services and ports out are the wiring's");

    static final ArchRule NO_JDBC_OR_MYBATIS_IN_WEB = noClasses().that().resideInAPackage(API)
            .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "org.postgresql..", "org.apache.ibatis..")
            .because("the web maps the domain's exceptions; SQL failures are classified once, in persistence");

    /**
     * One classifier: what a SQLSTATE means is decided in the database-errors module, which the request path
     * (persistence) and the command line (migration, the commands) share. The benchmarks, not part of the
     * application, count the failures they measure by SQLSTATE.
     */
    static final ArchRule ONLY_THE_CLASSIFIER_READS_SQL_STATES = noClasses()
            .that().doNotHaveFullyQualifiedName("io.ticketing.database.DatabaseErrors")
            .and().resideOutsideOfPackage(BENCHMARKS)
            .should().callMethodWhere(target(name("getSQLState")).and(target(owner(assignableTo(SQLException.class)))))
            .because("what a SQLSTATE means is decided in one place, DatabaseErrors");

    /**
     * Each top-level class of the application's modules is a slice of its own (its nested classes with it);
     * other classes, and the benchmarks (not part of the application), are left out.
     */
    private static final SliceAssignment EACH_TOP_LEVEL_CLASS = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            if (!javaClass.getPackageName().startsWith("io.ticketing")) {
                return SliceIdentifier.ignore();
            }
            String name = javaClass.getName();
            int nested = name.indexOf('$');
            return SliceIdentifier.of(nested < 0 ? name : name.substring(0, nested));
        }

        @Override
        public String getDescription() {
            return "each top-level class of the application";
        }
    };

    static final ArchRule NO_CLASS_CYCLES = slices().assignedFrom(EACH_TOP_LEVEL_CLASS).should().beFreeOfCycles()
            .because("two classes that need each other are one concept in two places (the package rule cannot see them)");

    static final ArchRule OUT_PORTS_ARE_NAMED_PORT = classes().that().resideInAPackage(PORTS_OUT).and().areInterfaces()
            .should().haveSimpleNameEndingWith("Port")
            .because("every storage concern is an out-port named by its role");

    static final DescribedPredicate<JavaClass> ENTRY_POINTS = DescribedPredicate.describe("Main or Application",
            javaClass -> javaClass.getName().equals("io.ticketing.app.Main")
                    || javaClass.getName().startsWith("io.ticketing.app.Main$")
                    || javaClass.getName().equals("io.ticketing.app.Application")
                    || javaClass.getName().startsWith("io.ticketing.app.Application$"));

    static final ArchRule ONLY_THE_ENTRY_POINTS_OF_THE_WIRING_ARE_PUBLIC = classes().that().resideInAPackage(APP)
            .and().areTopLevelClasses().and().arePublic()
            .should(com.tngtech.archunit.lang.conditions.ArchConditions.be(ENTRY_POINTS))
            .because("commands, options and the composition's parts are the wiring's own business");

    static final ArchRule THE_WIRING_IS_REACHED_THROUGH_ITS_ENTRY_POINTS = noClasses().that().resideOutsideOfPackage(APP)
            .should().dependOnClassesThat(resideInAPackage(APP).and(DescribedPredicate.not(ENTRY_POINTS)))
            .because("benchmarks and tests start the application as a user would: Main, or Application.start");

    static final List<ArchRule> ALL = List.of(
            DOMAIN_USES_ONLY_THE_JDK,
            MYBATIS_AND_HIKARI_ONLY_IN_PERSISTENCE,
            JAVALIN_ONLY_IN_THE_API,
            FLYWAY_ONLY_IN_MIGRATION,
            WEB_LAYER_SEES_NO_ADAPTER,
            ONLY_THE_BOOTSTRAP_WIRES_THE_APPLICATION,
            MODEL_AND_POLICIES_KNOW_NO_PORTS_OR_SERVICES,
            PORTS_DO_NOT_DEPEND_ON_SERVICES,
            ADAPTERS_USE_PORTS_NOT_SERVICES,
            USE_CASES_ARE_INTERFACES_NAMED_USE_CASE,
            SERVICES_ARE_NAMED_SERVICE,
            MYBATIS_MAPPERS_ARE_PACKAGE_PRIVATE_INTERFACES_NAMED_MAPPER,
            PERSISTENCE_ADAPTERS_ARE_HIDDEN_BEHIND_THE_PORTS,
            NO_PACKAGE_CYCLES,
            WEB_SEES_ONLY_USE_CASES_MODEL_AND_POLICIES,
            NO_JDBC_OR_MYBATIS_IN_WEB,
            ONLY_THE_CLASSIFIER_READS_SQL_STATES,
            NO_CLASS_CYCLES,
            OUT_PORTS_ARE_NAMED_PORT,
            ONLY_THE_ENTRY_POINTS_OF_THE_WIRING_ARE_PUBLIC,
            THE_WIRING_IS_REACHED_THROUGH_ITS_ENTRY_POINTS);

    private ArchitectureRules() {
    }
}
