package io.ticketing.migration.schema;

import io.ticketing.testsupport.TestDatabase;
import io.ticketing.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;

import java.sql.Connection;

import static org.assertj.core.api.Assertions.assertThat;

class SchemaMigratorTest {

    @Test
    void migratesAnEmptyDatabaseToTheWholeSchemaThenHasNothingLeftToDo() throws Exception {
        TestDatabase database = TestPostgres.emptyDatabase();
        SchemaMigrator migrator = new SchemaMigrator(database.dataSource());

        assertThat(migrator.isCurrent()).isFalse();
        assertThat(migrator.migrate()).containsExactly("1", "2", "3", "4", "5", "6");
        assertThat(migrator.migrate()).isEmpty();

        migrator.validate();
        assertThat(migrator.isCurrent()).isTrue();
        // Flyway also lists its creation of the schema, as an unversioned entry.
        var versioned = migrator.info();
        assertThat(versioned).extracting(SchemaMigrator.Migration::version).containsExactly("1", "2", "3", "4", "5", "6");
        assertThat(versioned).extracting(SchemaMigrator.Migration::state).containsOnly("Success");
        try (Connection connection = MigratedDatabase.connect(database)) {
            assertThat(MigratedDatabase.single(connection,
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'ticketing' AND table_name = 'event_summary'"))
                    .isEqualTo(1L);
        }
    }

    @Test
    void aCopyOfTheMigratedTemplateIsCurrentAndValid() {
        TestDatabase database = MigratedDatabase.fresh();
        SchemaMigrator migrator = new SchemaMigrator(database.dataSource());

        assertThat(migrator.migrate()).isEmpty();
        migrator.validate();
        assertThat(migrator.isCurrent()).isTrue();
    }
}
