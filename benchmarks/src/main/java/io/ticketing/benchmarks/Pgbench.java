package io.ticketing.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * PostgreSQL's own benchmark client running the SQL of one booking ({@code pgbench/booking.sql},
 * expanded for bookings of one and of two seats, chosen at random with equal weights as the HTTP
 * clients choose) against the API's database: its seat queues ({@code pgbench/setup.sql}), one run,
 * and what the run reports (transactions/s, each transaction's latency from {@code --log}, the
 * average latency of each statement from {@code -r}).
 */
final class Pgbench {

    static final String EXECUTABLE = "/usr/bin/pgbench";
    private static final Pattern REPEATED = Pattern.compile("\\[\\[(.*?)]]", Pattern.DOTALL);
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");
    private static final Pattern PROCESSED = Pattern.compile("number of transactions actually processed: (\\d+)");
    private static final Pattern FAILED = Pattern.compile("number of failed transactions: (\\d+)");
    /** A line of {@code -r}: average latency in ms, failures, then the statement's first line. */
    private static final Pattern STATEMENT = Pattern.compile("^\\s+([0-9.]+)\\s+(\\d+)\\s+(\\S.*)$");
    private static final int SLOWEST = 6;

    /**
     * One run: bookings/s and their latency percentiles; from {@code -r}, the average latency of the
     * queue claim (the one statement not the application's) and of a whole booking (the sum of its
     * statements' averages), and the slowest statements; {@code problem} when the run failed.
     */
    record Result(double perSecond, long bookings, long failed, double p50, double p99, double claimMillis, double bookingMillis,
                  List<String> slowest, String problem) {
    }

    /** The booking as the API sends it now (checked against the API's statement log before every run). */
    static final String CURRENT = "booking.sql";
    /** The booking as it was before a request became one transaction: the reference, kept unchanged. */
    static final String BEFORE = "booking-before.sql";

    private final int port;
    private final String database;
    private final Path directory;
    private final List<Path> scripts = new ArrayList<>();

    /** Writes the expanded scripts of {@code resource} to a temporary folder (removed by {@link #deleteFiles}). */
    Pgbench(int port, String database, String resource) {
        this.port = port;
        this.database = database;
        try {
            this.directory = Files.createTempDirectory("pgbench-booking");
            for (int seats = 1; seats <= 2; seats++) {
                Path script = directory.resolve("booking-" + seats + "-seat.sql");
                Files.writeString(script, script(resource, seats));
                scripts.add(script);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the pgbench scripts", e);
        }
    }

    /** Exits with a one-line message when pgbench is not installed. */
    static void requireInstalled() {
        if (!Files.isExecutable(Path.of(EXECUTABLE))) {
            System.err.println("pgbench not found at " + EXECUTABLE + ": install the PostgreSQL client (apt-get install postgresql-client)");
            System.exit(1);
        }
    }

    /** What {@code pgbench --version} says, e.g. "pgbench (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)". */
    static String version() {
        try {
            Process process = new ProcessBuilder(EXECUTABLE, "--version").redirectErrorStream(true).start();
            String version = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            process.waitFor();
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException("pgbench --version failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** A booking script for a booking of {@code seats} seats: each [[…]] repeated per seat ({n} = 1…, {i} = 0…), joined by ", ". */
    static String script(String resource, int seats) {
        Matcher repeated = REPEATED.matcher(resource(resource));
        StringBuilder out = new StringBuilder();
        while (repeated.find()) {
            String part = repeated.group(1);
            String expanded = IntStream.rangeClosed(1, seats)
                    .mapToObj(n -> part.replace("{n}", Integer.toString(n)).replace("{i}", Integer.toString(n - 1)))
                    .collect(Collectors.joining(", "));
            repeated.appendReplacement(out, Matcher.quoteReplacement(expanded));
        }
        repeated.appendTail(out);
        return out.toString().replace("{seats}", Integer.toString(seats));
    }

    /** The bench schema: seat queues and the id functions (pgbench/setup.sql). */
    static void install(Connection connection) throws SQLException {
        Bench.execute(connection, resource("setup.sql"));
    }

    /**
     * Refills the queues with the event's available seats in random order: of every three, one is a
     * one-seat booking and two are a two-seat booking, so that both scripts can run equally often.
     *
     * @return the bookings queued
     */
    static long fillQueues(Connection connection, String eventId) throws SQLException {
        Bench.execute(connection, "TRUNCATE bench.booking_queue_1, bench.booking_queue_2");
        Bench.execute(connection, "ALTER SEQUENCE bench.booking_queue_1_n RESTART");
        Bench.execute(connection, "ALTER SEQUENCE bench.booking_queue_2_n RESTART");
        Bench.execute(connection, "DROP TABLE IF EXISTS pg_temp.free_seat");
        try (var statement = connection.prepareStatement("""
                CREATE TEMPORARY TABLE free_seat AS
                SELECT event_id, id, price, row_number() OVER (ORDER BY random()) - 1 AS r
                  FROM ticketing.seat WHERE event_id = ?::uuid AND status = 'AVAILABLE'""")) {
            statement.setString(1, eventId);
            statement.execute();
        }
        Bench.execute(connection, """
                INSERT INTO bench.booking_queue_1 (n, event_id, seat1, price1, amount)
                SELECT r / 3 + 1, event_id, id, price, price FROM free_seat WHERE r % 3 = 0""");
        Bench.execute(connection, """
                INSERT INTO bench.booking_queue_2 (n, event_id, seat1, price1, seat2, price2, amount)
                SELECT a.r / 3 + 1, a.event_id, a.id, a.price, b.id, b.price, a.price + b.price
                  FROM free_seat a JOIN free_seat b ON b.r = a.r + 1
                 WHERE a.r % 3 = 1""");
        Bench.execute(connection, "ANALYZE bench.booking_queue_1, bench.booking_queue_2");
        return Bench.count(connection, "SELECT (SELECT count(*) FROM bench.booking_queue_1) + (SELECT count(*) FROM bench.booking_queue_2)");
    }

    /** One run of {@code seconds} with {@code clients} connections (one pgbench thread, prepared statements). */
    Result run(int clients, int seconds) {
        Path logs = directory.resolve("log-" + System.nanoTime());
        try {
            Files.createDirectories(logs);
            List<String> command = new ArrayList<>(List.of(EXECUTABLE, "-h", "127.0.0.1", "-p", Integer.toString(port),
                    "-U", "postgres", "-n", "-M", "prepared", "-c", Integer.toString(clients), "-j", "1",
                    "-T", Integer.toString(seconds), "-r", "--log", "--log-prefix=" + logs.resolve("tx")));
            scripts.forEach(script -> command.addAll(List.of("-f", script + "@1")));
            command.add(database);
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = process.waitFor();
            return parse(output, exit, latencies(logs));
        } catch (IOException e) {
            throw new UncheckedIOException("pgbench failed to run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            delete(logs);
        }
    }

    void deleteFiles() {
        delete(directory);
    }

    private static Result parse(String output, int exit, List<Double> latencies) {
        double tps = find(TPS, output).map(Double::parseDouble).orElse(Double.NaN);
        long processed = find(PROCESSED, output).map(Long::parseLong).orElse(0L);
        long failed = find(FAILED, output).map(Long::parseLong).orElse(0L);
        // -r prints the statements of each script; the claim is the first of each, the rest is the booking.
        List<List<Double>> perScript = new ArrayList<>();
        Map<String, List<Double>> byStatement = new LinkedHashMap<>();
        int transaction = 0;
        for (String line : output.split("\n")) {
            if (line.startsWith("SQL script")) {
                perScript.add(new ArrayList<>());
                transaction = 0;
            }
            Matcher statement = STATEMENT.matcher(line);
            if (statement.matches() && !perScript.isEmpty()) {
                double millis = Double.parseDouble(statement.group(1));
                String text = statement.group(3).strip();
                transaction += text.startsWith("BEGIN") ? 1 : 0;
                perScript.get(perScript.size() - 1).add(millis);
                // The same first line recurs (seats read three times, five COMMITs): keyed by position, named by transaction.
                String key = perScript.get(perScript.size() - 1).size() + "\ttransaction " + transaction + ": " + text;
                byStatement.computeIfAbsent(key, k -> new ArrayList<>()).add(millis);
            }
        }
        double claim = perScript.stream().filter(s -> !s.isEmpty()).mapToDouble(s -> s.get(0)).average().orElse(Double.NaN);
        double all = perScript.stream().mapToDouble(s -> s.stream().mapToDouble(Double::doubleValue).sum()).average().orElse(Double.NaN);
        List<String> slowest = byStatement.entrySet().stream()
                .map(e -> Map.entry(e.getValue().stream().mapToDouble(Double::doubleValue).average().orElse(0), e.getKey().split("\t", 2)[1]))
                .sorted(Map.Entry.<Double, String>comparingByKey().reversed()).limit(SLOWEST)
                .map(e -> Bench.ms(e.getKey()) + "  " + e.getValue()).toList();
        String problem = null;
        if (exit != 0 || processed == 0) {
            problem = output.contains("expected one row, got 0")
                    ? "the seat queue ran dry: run with more --seats"
                    : "pgbench exited with " + exit + ":\n" + output;
        }
        return new Result(tps, processed, failed, Bench.median(latencies), Bench.percentile(latencies, 99), claim, all, slowest, problem);
    }

    /** Latency of every transaction in ms: field 3 of each line of the --log files, in µs ("failed" when it failed). */
    private static List<Double> latencies(Path logs) throws IOException {
        List<Double> latencies = new ArrayList<>();
        try (Stream<Path> files = Files.list(logs)) {
            for (Path file : files.toList()) {
                for (String line : Files.readAllLines(file)) {
                    String[] fields = line.split(" ");
                    if (fields.length > 2 && fields[2].chars().allMatch(Character::isDigit)) {
                        latencies.add(Long.parseLong(fields[2]) / 1000.0);
                    }
                }
            }
        }
        return latencies;
    }

    private static java.util.Optional<String> find(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? java.util.Optional.of(matcher.group(1)) : java.util.Optional.empty();
    }

    static String resource(String name) {
        try (InputStream in = Pgbench.class.getResourceAsStream("/pgbench/" + name)) {
            if (in == null) {
                throw new IllegalStateException("resource pgbench/" + name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path path) {
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.out.println("could not delete " + path + ": " + e.getMessage());
        }
    }
}
