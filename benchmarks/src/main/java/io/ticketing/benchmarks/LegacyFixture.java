package io.ticketing.benchmarks;

import io.ticketing.localpostgres.LocalPostgres;
import io.ticketing.migration.legacy.ImportOptions;
import io.ticketing.migration.legacy.ImportReport;
import io.ticketing.migration.legacy.LegacyDataGenerator;
import io.ticketing.migration.legacy.LegacyImporter;
import io.ticketing.migration.legacy.LegacySchema;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A generated legacy database (LegacyDataGenerator, seed 1) and its import (LegacyImporter, default options), timed. */
final class LegacyFixture {

    static final long SEED = 1;

    private LegacyFixture() {
    }

    record Generated(String database, int seats, long legacyRows, String rowsByTable, double millis) {
    }

    /** What one LegacyImporter run took: in all, and its copy phase alone (the importer's own "copied in"). */
    record Imported(double millis, double copyMillis, ImportReport report) {
    }

    static Generated generate(LocalPostgres server, String database, int seats) throws SQLException {
        Bench.createDatabase(server, database);
        try (Connection connection = Bench.connect(server, database)) {
            long started = System.nanoTime();
            LegacySchema.create(connection);
            LegacyDataGenerator.generate(connection, seats, SEED);
            double millis = Bench.millisSince(started);
            long rows = Bench.legacyRows(connection);
            String byTable = Bench.legacyRowsByTable(connection);
            System.out.printf("generated legacy database %s: %d seats asked, %d legacy rows (%s) in %s%n",
                    database, seats, rows, byTable, Bench.seconds(millis));
            return new Generated(database, seats, rows, byTable, millis);
        }
    }

    static Imported importAll(DataSource dataSource) throws SQLException {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(new Tee(System.out, captured), true, StandardCharsets.UTF_8);
        long started = System.nanoTime();
        ImportReport report = new LegacyImporter(dataSource, ImportOptions.defaults(), out).run();
        double millis = Bench.millisSince(started);
        if (!report.addsUp()) {
            throw new IllegalStateException("the import does not add up: " + report.tables());
        }
        Matcher copied = Pattern.compile("copied in ([0-9.]+) s").matcher(captured.toString(StandardCharsets.UTF_8));
        double copyMillis = copied.find() ? Double.parseDouble(copied.group(1)) * 1000 : Double.NaN;
        System.out.printf("imported in %s (copy phase %s)%n", Bench.seconds(millis), Bench.seconds(copyMillis));
        return new Imported(millis, copyMillis, report);
    }

    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            try {
                first.write(bytes, offset, length);
                second.write(bytes, offset, length);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void flush() {
            try {
                first.flush();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
