package io.ticketing.app;

import io.ticketing.migration.schema.SchemaMigrator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "migrate", mixinStandardHelpOptions = true, description = "Apply the pending migrations of the optimized schema.")
final class MigrateCommand implements Callable<Integer> {

    @Mixin
    DatabaseOptions database;

    @Override
    public Integer call() {
        try (RunDatabase db = RunDatabase.open(database)) {
            List<String> applied = db.withSessionState("migrate", dataSource -> new SchemaMigrator(dataSource).migrate());
            System.out.println(applied.isEmpty()
                    ? "Schema " + SchemaMigrator.SCHEMA + " is up to date (" + db.description() + ")."
                    : "Applied " + applied.size() + " migration(s) " + String.join(", ", applied)
                    + " to schema " + SchemaMigrator.SCHEMA + " (" + db.description() + ").");
            return 0;
        }
    }
}
