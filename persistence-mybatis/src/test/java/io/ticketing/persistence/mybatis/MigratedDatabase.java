package io.ticketing.persistence.mybatis;

import io.ticketing.migration.schema.SchemaMigrator;
import io.ticketing.testsupport.TestDatabase;
import io.ticketing.testsupport.TestPostgres;

/** A fresh database with the optimized schema, for one test class. */
public final class MigratedDatabase {

    private MigratedDatabase() {
    }

    public static TestDatabase create() {
        return TestPostgres.freshDatabase("ticketing-schema", database -> new SchemaMigrator(database.dataSource()).migrate());
    }
}
