package io.ticketing.benchmarks;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.Event;
import io.ticketing.domain.model.EventDetails;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.SeatId;
import io.ticketing.domain.port.in.AvailableSeatsQuery;
import io.ticketing.domain.port.in.CreateEventCommand;
import io.ticketing.domain.port.in.CreateSeatsCommand;
import io.ticketing.domain.port.in.EventCommand;
import io.ticketing.domain.port.in.SeatBlock;
import io.ticketing.domain.port.in.SeatPage;
import io.ticketing.domain.service.TicketingServices;
import io.ticketing.localpostgres.LocalPostgres;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.math.BigDecimal;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * What every benchmark shares: the embedded server (one configuration for all), the machine line,
 * medians and percentiles, argument parsing, and the writing of its own section of
 * {@code docs/benchmarks.md} between {@code <!-- bench:NAME -->} markers.
 */
final class Bench {

    /**
     * The server configuration of every benchmark. Caches large enough to hold the 1M-seat data set
     * of both schemas, so that both sides are measured warm; commits do not wait for the WAL flush
     * (the disk of this shared machine is not what is measured); planner settings stay default.
     */
    static final Map<String, String> SERVER_SETTINGS = Map.of(
            "shared_buffers", "2GB",
            "synchronous_commit", "off",
            "max_wal_size", "8GB",
            "checkpoint_timeout", "30min",
            "maintenance_work_mem", "512MB",
            "max_connections", "200");

    private Bench() {
    }

    // ---- server and connections ---------------------------------------------------------------

    static String settings() {
        return new java.util.TreeMap<>(SERVER_SETTINGS).toString().replace("{", "").replace("}", "");
    }

    static LocalPostgres startServer() {
        System.out.println("starting the embedded PostgreSQL with " + settings());
        return LocalPostgres.startTemporary(SERVER_SETTINGS);
    }

    /** A published event in EUR 30 days ahead with {@code seats} seats at 50.00 (rounded up to blocks of 10,000: 100 rows of 100). */
    static Event publishedEvent(TicketingServices services, Actor admin, String title, int seats) {
        Instant startsAt = Instant.now().plus(Duration.ofDays(30));
        Event event = services.events().createEvent(new CreateEventCommand(admin,
                new EventDetails(title, null, "Arena", startsAt, startsAt.plus(Duration.ofHours(3))), Currency.getInstance("EUR")));
        List<SeatBlock> blocks = IntStream.range(0, (seats + 9_999) / 10_000)
                .mapToObj(s -> new SeatBlock("S" + s, IntStream.rangeClosed(1, 100).mapToObj(Integer::toString).toList(), 1, 100,
                        new BigDecimal("50.00")))
                .toList();
        services.seats().createSeats(new CreateSeatsCommand(admin, event.id(), blocks));
        return services.events().publishEvent(new EventCommand(admin, event.id()));
    }

    /** Every available seat of the event, read page by page as the seat map is (largest pages, following nextAfter). */
    static List<SeatId> availableSeats(TicketingServices services, Actor actor, EventId eventId) {
        List<SeatId> seats = new ArrayList<>();
        Optional<SeatId> after = Optional.empty();
        do {
            SeatPage page = services.seats().getAvailableSeats(new AvailableSeatsQuery(actor, eventId, after.orElse(null),
                    AvailableSeatsQuery.MAX_LIMIT));
            page.seats().forEach(seat -> seats.add(seat.id()));
            after = page.nextAfter();
        } while (after.isPresent());
        return seats;
    }

    static String createDatabase(LocalPostgres server, String name) throws SQLException {
        try (Connection admin = connect(server, "postgres"); Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name);
            statement.execute("CREATE DATABASE " + name);
        }
        return server.jdbcUrl(name);
    }

    static Connection connect(LocalPostgres server, String database) throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(database), LocalPostgres.SUPERUSER, "");
    }

    static PGSimpleDataSource dataSource(LocalPostgres server, String database) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(server.jdbcUrl(database));
        dataSource.setUser(LocalPostgres.SUPERUSER);
        dataSource.setPassword("");
        return dataSource;
    }

    static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    static long count(Connection connection, String sql, Object... args) throws SQLException {
        Object value = single(connection, sql, args);
        return value == null ? 0 : ((Number) value).longValue();
    }

    static Object single(Connection connection, String sql, Object... args) throws SQLException {
        List<Object[]> rows = rows(connection, sql, args);
        return rows.isEmpty() ? null : rows.get(0)[0];
    }

    static List<Object[]> rows(Connection connection, String sql, Object... args) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                List<Object[]> rows = new ArrayList<>();
                while (rs.next()) {
                    Object[] row = new Object[columns];
                    for (int c = 0; c < columns; c++) {
                        row[c] = rs.getObject(c + 1);
                    }
                    rows.add(row);
                }
                return rows;
            }
        }
    }

    /** Rows of the seven legacy tables. */
    static long legacyRows(Connection connection) throws SQLException {
        return count(connection, """
                SELECT (SELECT count(*) FROM public."User") + (SELECT count(*) FROM public."Event") + (SELECT count(*) FROM public."Seat")
                     + (SELECT count(*) FROM public."Booking") + (SELECT count(*) FROM public."PaymentSession")
                     + (SELECT count(*) FROM public."_PaymentSessionToSeat") + (SELECT count(*) FROM public."Ticket")""");
    }

    static String legacyRowsByTable(Connection connection) throws SQLException {
        StringBuilder out = new StringBuilder();
        for (String table : List.of("User", "Event", "Seat", "Booking", "PaymentSession", "_PaymentSessionToSeat", "Ticket")) {
            out.append(out.length() == 0 ? "" : ", ").append(table).append(' ')
                    .append(count(connection, "SELECT count(*) FROM public.\"" + table + "\""));
        }
        return out.toString();
    }

    // ---- the machine --------------------------------------------------------------------------

    static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    static String memory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("\\D", ""));
                    return String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return "unknown";
    }

    static String postgresVersion(Connection connection) throws SQLException {
        return (String) single(connection, "SHOW server_version");
    }

    /** Cores, memory, PostgreSQL and Java versions, and the time: the first line of every benchmark's output. */
    static String machineLine(LocalPostgres server) throws SQLException {
        try (Connection connection = connect(server, "postgres")) {
            return machineLine(connection);
        }
    }

    static String machineLine(Connection connection) throws SQLException {
        return machineLine(connection, "embedded");
    }

    /** The machine line of a server of the given kind (embedded, installed). */
    static String machineLine(Connection connection, String serverKind) throws SQLException {
        return "%d cores (nproc), %s memory, PostgreSQL %s (%s), Java %s; %s".formatted(cores(), memory(),
                postgresVersion(connection), serverKind, Runtime.version().feature(), Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    /** The 1, 5 and 15 minute load averages (/proc/loadavg), or "unknown". */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    // ---- statistics ---------------------------------------------------------------------------

    static double median(List<Double> values) {
        return percentile(values, 50);
    }

    /** Nearest-rank percentile. */
    static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    static String ms(double millis) {
        if (millis >= 100) {
            return String.format(Locale.ROOT, "%.0f ms", millis);
        }
        if (millis >= 1) {
            return String.format(Locale.ROOT, "%.2f ms", millis);
        }
        return String.format(Locale.ROOT, "%.3f ms", millis);
    }

    static String ratio(double ratio) {
        return ratio >= 10 ? String.format(Locale.ROOT, "%.0f×", ratio) : String.format(Locale.ROOT, "%.2f×", ratio);
    }

    static String seconds(double millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000);
    }

    static String perSecond(double rows, double millis) {
        return String.format(Locale.ROOT, "%,.0f", rows / (millis / 1000));
    }

    // ---- arguments ----------------------------------------------------------------------------

    /** {@code --name value} pairs. */
    static Map<String, String> options(String[] args, String usage, String... known) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (name == null || !Arrays.asList(known).contains(name) || i + 1 >= args.length) {
                System.err.println("usage: " + usage);
                System.exit(2);
            }
            options.put(name, args[++i]);
        }
        return options;
    }

    static List<Integer> intList(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }

    // ---- docs/benchmarks.md -------------------------------------------------------------------

    /** The command that reproduces this run, as benchmarks/run passed it. */
    static String command(String fallback) {
        return System.getProperty("benchmarks.command", fallback);
    }

    /** Replaces (or appends) the section of {@code name} in docs/benchmarks.md, creating the file with its intro. */
    static void writeSection(String name, String markdown) {
        Path doc = Path.of(System.getProperty("benchmarks.doc", "docs/benchmarks.md"));
        String begin = "<!-- bench:" + name + " -->";
        String end = "<!-- /bench:" + name + " -->";
        String section = begin + "\n" + markdown.strip() + "\n" + end;
        try {
            String text = Files.exists(doc) ? Files.readString(doc) : INTRO;
            int from = text.indexOf(begin);
            int to = text.indexOf(end);
            if (from >= 0 && to > from) {
                text = text.substring(0, from) + section + text.substring(to + end.length());
            } else {
                text = text.stripTrailing() + "\n\n" + section + "\n";
            }
            Files.createDirectories(doc.toAbsolutePath().getParent());
            Files.writeString(doc, text, StandardCharsets.UTF_8);
            System.out.println("wrote section " + name + " of " + doc.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + doc, e);
        }
    }

    private static final String INTRO = """
            # Benchmarks

            What the product promises to measure (the seed queries against the guide's 10–100×, booking
            throughput against pgbench, the summary triggers on a hot event, the import against a set-based
            copy, contention), each by one command of `benchmarks/run` (module `benchmarks`), which writes
            its own section below (between `<!-- bench:… -->` markers, replaced by the next run).
            """;

    /** A markdown table. */
    static String table(List<String> header, List<List<String>> rows) {
        StringBuilder out = new StringBuilder();
        out.append("| ").append(String.join(" | ", header)).append(" |\n");
        out.append("|").append("---|".repeat(header.size())).append("\n");
        for (List<String> row : rows) {
            out.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return out.toString();
    }
}
