package io.ticketing.migration.schema;

import io.ticketing.database.DatabaseErrors;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.CoreErrorCode;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;
import org.flywaydb.core.api.output.MigrateResult;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The optimized schema's Flyway migrations ({@code db/migration}), applied to schema
 * {@value #SCHEMA}. Applied migrations are never edited: a change is a new version.
 */
public final class SchemaMigrator {

    public static final String SCHEMA = "ticketing";

    private final DataSource dataSource;
    private final Flyway flyway;
    /** The same, blind to pending migrations: what else is wrong. */
    private final Flyway flywayIgnoringPending;

    public SchemaMigrator(DataSource dataSource) {
        this(dataSource, MigrationVersion.LATEST);
    }

    private SchemaMigrator(DataSource dataSource, MigrationVersion target) {
        this.dataSource = dataSource;
        FluentConfiguration configuration = Flyway.configure()
                .dataSource(dataSource)
                .schemas(SCHEMA)
                .defaultSchema(SCHEMA)
                .createSchemas(true)
                .locations("classpath:db/migration")
                .failOnMissingLocations(true)
                .target(target)
                .loggers("slf4j");
        // A session advisory lock instead of one held in an open transaction, which
        // CREATE INDEX CONCURRENTLY would otherwise wait for until its lock_timeout (V6).
        configuration.getPluginRegister().getPlugin(PostgreSQLConfigurationExtension.class).setTransactionalLock(false);
        this.flyway = configuration.load();
        this.flywayIgnoringPending = new FluentConfiguration().configuration(configuration)
                .ignoreMigrationPatterns("*:pending").load();
    }

    /** Migrates no further than {@code version}: an older release's schema, to rehearse an upgrade from. */
    static SchemaMigrator upTo(DataSource dataSource, String version) {
        return new SchemaMigrator(dataSource, MigrationVersion.fromVersion(version));
    }

    /** Applies every pending migration (retrying one that failed half-way, see below); returns the versions it applied. */
    public List<String> migrate() {
        try (Connection connection = dataSource.getConnection()) {
            requireUtf8(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the database's encoding: " + e.getMessage(), e);
        }
        forgetFailedMigrations();
        MigrateResult result = flyway.migrate();
        return result.migrations.stream().map(migration -> migration.version).toList();
    }

    /**
     * Refuses a database whose encoding is neither UTF8 nor SQL_ASCII (which takes any bytes), before anything changes:
     * the migrations' and the import's SQL holds characters beyond Latin-1 ('…', '→', the Unicode ranges of an email's
     * invisible ends), which such a database refuses half-way through a script, leaving a schema behind.
     */
    public static void requireUtf8(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT current_setting('server_encoding'), current_database()")) {
            row.next();
            String encoding = row.getString(1);
            if (!"UTF8".equals(encoding) && !"SQL_ASCII".equals(encoding)) {
                throw new IllegalStateException("database " + row.getString(2) + " is in " + encoding + ", and the schema " + SCHEMA
                        + " needs UTF8: nothing was changed; dump it and restore it into a database created with ENCODING 'UTF8' "
                        + "TEMPLATE template0 (PostgreSQL converts its text), and run this there");
            }
        }
    }

    /**
     * A migration that runs outside a transaction (V6 builds an index CONCURRENTLY) and fails half-way,
     * for instance on its lock_timeout while a long transaction runs, stays recorded as failed, and Flyway
     * then refuses every later migrate until someone repairs the history by hand. Such scripts are written
     * to run again from the start, so the failed entries are removed (Flyway's repair) and the next migrate
     * runs them again; but only when nothing else is wrong: an edited applied migration still stops it.
     */
    private void forgetFailedMigrations() {
        boolean failed = Arrays.stream(flyway.info().all()).anyMatch(info -> info.getState() == MigrationState.FAILED);
        if (failed && flywayIgnoringPending.validateWithResult().invalidMigrations.stream()
                .allMatch(invalid -> invalid.errorDetails != null && invalid.errorDetails.errorCode == CoreErrorCode.FAILED_VERSIONED_MIGRATION)) {
            flyway.repair();
        }
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

    /** The versions applied so far, oldest first. */
    public List<String> applied() {
        return Arrays.stream(flyway.info().applied())
                .filter(info -> info.getVersion() != null && info.getState().isApplied() && !info.getState().isFailed())
                .map(info -> String.valueOf(info.getVersion()))
                .toList();
    }

    /** One migration as {@code info} lists it; {@code installedOn} is null while pending. */
    public record Migration(String version, String description, String state, Instant installedOn) {
    }

    /** Throws when the applied migrations differ from the ones this build knows. */
    public void validate() {
        flyway.validate();
    }

    /**
     * True when every migration this build knows is applied and none is pending or failed. A role that may not read
     * the schema's migration history is told so, not in Flyway's words about its history table.
     */
    public boolean isCurrent() {
        try {
            var info = flyway.info();
            return info.pending().length == 0 && flyway.validateWithResult().validationSuccessful;
        } catch (FlywayException e) {
            Optional<SQLException> denied = DatabaseErrors.sqlCause(e).filter(DatabaseErrors::isPermissionDenied);
            if (denied.isEmpty()) {
                throw e;
            }
            throw new IllegalStateException("this role may not read the schema " + SCHEMA + " ("
                    + denied.get().getMessage().lines().findFirst().orElse("permission denied") + "): run the command as the schema's owner, "
                    + "or as a role granted USAGE on schema " + SCHEMA + " and SELECT on its tables", e);
        }
    }
}
