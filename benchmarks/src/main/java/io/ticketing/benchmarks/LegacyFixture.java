package io.ticketing.benchmarks;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A generated legacy database (LegacyDataGenerator, seed 1) and its import (LegacyImporter, default options), timed. */
final class LegacyFixture {

    static final long SEED = 1;

    private LegacyFixture() {
    }

    record Generated(String database, int seats, long legacyRows, String rowsByTable, double millis) {
    }

    /** A line the importer printed, and when (System.nanoTime) it was printed. */
    record Line(long nanos, String text) {
    }

    /**
     * What one LegacyImporter run took: in all, and its copy phase alone (the importer's own "copied in");
     * when it started and ended (System.nanoTime), and the lines it printed with their times.
     */
    record Imported(double millis, double copyMillis, ImportReport report, long startNanos, long endNanos, List<Line> lines) {

        /** The first line starting with {@code prefix}, if it printed one. */
        Optional<Line> line(String prefix) {
            return lines.stream().filter(l -> l.text().startsWith(prefix)).findFirst();
        }

        /** The cut-over's "legacy writes blocked for N ms", or -1 when it printed none. */
        long blockedMillis() {
            return line("final catch-up:").map(l -> {
                Matcher m = BLOCKED.matcher(l.text());
                return m.find() ? Long.parseLong(m.group(1)) : -1L;
            }).orElse(-1L);
        }

        /** The cut-over's "N changed legacy rows carried over", or -1 when it printed none. */
        long cutOverRows() {
            return line("final catch-up:").map(l -> {
                Matcher m = CARRIED.matcher(l.text());
                return m.find() ? Long.parseLong(m.group(1)) : -1L;
            }).orElse(-1L);
        }
    }

    private static final Pattern COPIED = Pattern.compile("copied in ([0-9.]+) s");
    private static final Pattern BLOCKED = Pattern.compile("legacy writes blocked for (\\d+) ms");
    private static final Pattern CARRIED = Pattern.compile("final catch-up: (\\d+) changed");

    static Generated generate(Server server, String database, int seats) throws SQLException {
        server.createDatabase(database);
        try (Connection connection = server.connect(database)) {
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
        return importAll(dataSource, ImportOptions.defaults());
    }

    static Imported importAll(DataSource dataSource, ImportOptions options) throws SQLException {
        Lines lines = new Lines(System.out);
        PrintStream out = new PrintStream(lines, true, StandardCharsets.UTF_8);
        long started = System.nanoTime();
        ImportReport report = new LegacyImporter(dataSource, options, out).run();
        long ended = System.nanoTime();
        double millis = (ended - started) / 1e6;
        out.flush();
        if (!report.addsUp()) {
            throw new IllegalStateException("the import does not add up: " + report.tables());
        }
        Imported imported = new Imported(millis, Double.NaN, report, started, ended, List.copyOf(lines.lines));
        double copyMillis = imported.line("copied in").map(l -> {
            Matcher m = COPIED.matcher(l.text());
            return m.find() ? Double.parseDouble(m.group(1)) * 1000 : Double.NaN;
        }).orElse(Double.NaN);
        System.out.printf("imported in %s%s%n", Bench.seconds(millis),
                Double.isNaN(copyMillis) ? " (copied by an earlier run)" : " (copy phase " + Bench.seconds(copyMillis) + ")");
        return new Imported(millis, copyMillis, report, started, ended, imported.lines());
    }

    /** Passes the importer's output on, and keeps each line with the time it was printed. */
    private static final class Lines extends OutputStream {
        private final OutputStream next;
        private final ByteArrayOutputStream current = new ByteArrayOutputStream();
        private final List<Line> lines = new ArrayList<>();

        Lines(OutputStream next) {
            this.next = next;
        }

        @Override
        public void write(int b) {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            try {
                next.write(bytes, offset, length);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            for (int i = offset; i < offset + length; i++) {
                if (bytes[i] == '\n') {
                    lines.add(new Line(System.nanoTime(), current.toString(StandardCharsets.UTF_8)));
                    current.reset();
                } else {
                    current.write(bytes[i]);
                }
            }
        }

        @Override
        public void flush() {
            try {
                next.flush();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
