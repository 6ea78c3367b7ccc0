package io.ticketing.migration.legacy;

import org.postgresql.ds.PGSimpleDataSource;

import java.io.PrintStream;
import java.io.OutputStream;
import java.time.Duration;

/** The import in a process of its own, so that a test can kill it for real: args url user password batchSize throttleMs. */
public final class ImportProcessMain {

    private ImportProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(args[0]);
        dataSource.setUser(args[1]);
        dataSource.setPassword(args[2]);
        ImportOptions options = new ImportOptions(Integer.parseInt(args[3]), Long.parseLong(args[4]), Duration.ofSeconds(2), 5, "EUR", false, true, 2);
        new LegacyImporter(dataSource, options, new PrintStream(OutputStream.nullOutputStream())).run();
    }
}
