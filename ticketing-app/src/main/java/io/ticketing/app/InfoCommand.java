package io.ticketing.app;

import io.ticketing.migration.schema.SchemaMigrator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

@Command(name = "info", mixinStandardHelpOptions = true, description = "List the migrations of the optimized schema and whether each is applied.")
final class InfoCommand implements Callable<Integer> {

    @Mixin
    DatabaseOptions database;

    @Override
    public Integer call() {
        try (RunDatabase db = RunDatabase.open(database)) {
            System.out.println("Database: " + db.description());
            String format = "%-8s %-40s %-10s %s%n";
            System.out.printf(format, "Version", "Description", "State", "Installed on");
            for (SchemaMigrator.Migration migration : new SchemaMigrator(db.dataSource()).info()) {
                System.out.printf(format, migration.version(), migration.description(), migration.state(),
                        migration.installedOn() == null ? "" : migration.installedOn());
            }
            return 0;
        }
    }
}
