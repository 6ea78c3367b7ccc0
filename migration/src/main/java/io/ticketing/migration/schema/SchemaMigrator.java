package io.ticketing.migration.schema;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;

import javax.sql.DataSource;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The optimized schema's Flyway migrations ({@code db/migration}), applied to schema
 * {@value #SCHEMA}. Applied migrations are never edited: a change is a new version.
 */
public final class SchemaMigrator {

    public static final String SCHEMA = "ticketing";

    private final Flyway flyway;

    public SchemaMigrator(DataSource dataSource) {
        this(dataSource, MigrationVersion.LATEST);
    }

    private SchemaMigrator(DataSource dataSource, MigrationVersion target) {
        FluentConfiguration configuration = Flyway.configure()
                .dataSource(dataSource)
                .schemas(SCHEMA)
                .defaultSchema(SCHEMA)
                .createSchemas(true)
                .locations("classpath:db/migration")
                .failOnMissingLocations(true)
                .target(target)
                .loggers("slf4j");
        // Flyway's default lock on PostgreSQL is an advisory lock held by an open transaction for the
        // whole run; CREATE INDEX CONCURRENTLY (V6) waits for every open transaction to end, so it
        // waited for Flyway's own and failed on its lock_timeout. A session-level advisory lock
        // serialises concurrent migrators just as well.
        configuration.getConfigurationExtension(PostgreSQLConfigurationExtension.class).setTransactionalLock(false);
        this.flyway = configuration.load();
    }

    /** Migrates no further than {@code version}: an older release's schema, to rehearse an upgrade from. */
    static SchemaMigrator upTo(DataSource dataSource, String version) {
        return new SchemaMigrator(dataSource, MigrationVersion.fromVersion(version));
    }

    /** Applies every pending migration; returns the versions it applied. */
    public List<String> migrate() {
        MigrateResult result = flyway.migrate();
        return result.migrations.stream().map(migration -> migration.version).toList();
    }

    /** Every known versioned migration, applied or pending, oldest first. */
    public List<Migration> info() {
        return Arrays.stream(flyway.info().all())
                .filter(info -> info.getVersion() != null) // Flyway's own "schema created" marker
                .map(info -> new Migration(String.valueOf(info.getVersion()), info.getDescription(),
                        info.getState().getDisplayName(),
                        info.getInstalledOn() == null ? null : info.getInstalledOn().toInstant()))
                .toList();
    }

    /** One migration as {@code info} lists it; {@code installedOn} is null while pending. */
    public record Migration(String version, String description, String state, Instant installedOn) {
    }

    /** Throws when the applied migrations differ from the ones this build knows. */
    public void validate() {
        flyway.validate();
    }

    /** True when every migration this build knows is applied and none is pending or failed. */
    public boolean isCurrent() {
        var info = flyway.info();
        return info.pending().length == 0 && flyway.validateWithResult().validationSuccessful;
    }
}
