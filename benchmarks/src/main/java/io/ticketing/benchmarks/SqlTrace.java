package io.ticketing.benchmarks;

import io.ticketing.localpostgres.LocalPostgres;
import io.ticketing.persistence.mybatis.ConnectionPool;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What PostgreSQL receives from the API for one booking (checkout with an Idempotency-Key, then a paid
 * webhook) of an existing customer, read from the statement log of a server of its own, against
 * pgbench/booking.sql expanded for two seats. {@code http-vs-pgbench --show-sql} prints both; every
 * run of {@link HttpVsPgbench} first checks that their statements agree in kind and order, so that a
 * mapper change the script has not followed stops the benchmark instead of skewing it.
 */
final class SqlTrace {

    private static final String DATABASE = "sql_trace";
    private static final Pattern LOGGED = Pattern.compile("^app=ticketing=LOG: {2}(?:statement|execute [^:]+): ?(.*)$");
    private static final Pattern TABLE = Pattern.compile("ticketing\\.\\w+");

    private SqlTrace() {
    }

    /** Prints the API's statements for one booking, the script, and whether they match. */
    static void print() throws Exception {
        String traced = traceOneBooking();
        System.out.println("-- What the API sent for one booking of two seats (server log; prefix = application name;");
        System.out.println("-- the checkout-expiry sweeper, every 5 s, may appear in between):");
        System.out.println(traced);
        System.out.println("-- pgbench/booking.sql for two seats:");
        System.out.println(Pgbench.script(Pgbench.CURRENT, 2));
        compare(kinds(logged(traced)), kinds(scripted(Pgbench.script(Pgbench.CURRENT, 2))));
    }

    /** The number of statements of the script when they match the API's in kind and order; empty (and the differences printed) otherwise. */
    static OptionalInt scriptMatchesApi() throws Exception {
        System.out.println("checking pgbench/booking.sql against the statements the API sends for one booking");
        List<String> script = kinds(scripted(Pgbench.script(Pgbench.CURRENT, 2)));
        return compare(kinds(logged(traceOneBooking())), script) ? OptionalInt.of(script.size()) : OptionalInt.empty();
    }

    /** The server's log of one booking through the API: a server of its own, logging every statement. */
    private static String traceOneBooking() throws Exception {
        Map<String, String> settings = new HashMap<>(Bench.SERVER_SETTINGS);
        settings.put("logging_collector", "on");
        settings.put("log_directory", "log"); // in the data directory; read back with pg_read_file
        settings.put("log_statement", "all");
        settings.put("log_line_prefix", "app=%a="); // the application name tells the API's statements from ours (no shell characters: pg_ctl -o)
        try (LocalPostgres server = LocalPostgres.startTemporary(settings);
             InProcessApi api = InProcessApi.start(server, DATABASE, 1, ConnectionPool.DEFAULT_SIZE, Path.of("benchmarks/target/sql-trace-access.log"));
             Connection connection = Bench.connect(server, DATABASE)) {
            ApiClient client = api.client(0);
            String eventId = client.publishedEvent("Trace", 1, 10);
            List<String> seats = new ArrayList<>();
            for (Object[] row : Bench.rows(connection, "SELECT id::text FROM ticketing.seat WHERE event_id = ?::uuid ORDER BY id", eventId)) {
                seats.add((String) row[0]);
            }
            book(client, eventId, seats.subList(0, 1)); // registers the customer: the traced booking is a returning customer's
            Bench.execute(connection, "SELECT 'trace: begin'");
            book(client, eventId, seats.subList(1, 3));
            Bench.execute(connection, "SELECT 'trace: end'");
            Thread.sleep(500); // the logging collector writes asynchronously
            String log = (String) Bench.single(connection, "SELECT pg_read_file(pg_current_logfile())");
            return between(log, "trace: begin", "trace: end");
        }
    }

    private static void book(ApiClient client, String eventId, List<String> seats) {
        ApiClient.Reply checkout = ApiClient.expect(201, client.checkout("trace@example.com", eventId, seats, UUID.randomUUID().toString()));
        ApiClient.expect(200, client.payment("evt_" + UUID.randomUUID(), "succeeded", checkout.json().get("id").asText(),
                checkout.json().get("amount").get("amount").asText()));
    }

    /**
     * Compares the statements' kinds (BEGIN, COMMIT, or the verb and the first table named), which
     * catches a statement added, removed or moved, or a transaction split, though not a changed clause.
     */
    private static boolean compare(List<String> app, List<String> script) {
        if (app.equals(script)) {
            System.out.printf("-- The script's %d statements match the API's in kind and order (the seat claim aside).%n", app.size());
            return true;
        }
        System.out.println("-- THE SCRIPT DIFFERS FROM THE API: kinds of statement, API | script:");
        for (int i = 0; i < Math.max(app.size(), script.size()); i++) {
            String a = i < app.size() ? app.get(i) : "";
            String b = i < script.size() ? script.get(i) : "";
            System.out.printf("%s %-50s | %s%n", a.equals(b) ? "  " : "!=", a, b);
        }
        return false;
    }

    /** The statements of the API's log lines: each starts at "statement: " or "execute <name>: ". */
    private static List<String> logged(String lines) {
        List<String> statements = new ArrayList<>();
        for (String line : lines.split("\n")) {
            Matcher start = LOGGED.matcher(line);
            if (start.find()) {
                statements.add(start.group(1));
            } else if (line.startsWith("\t") && !statements.isEmpty()) {
                statements.set(statements.size() - 1, statements.get(statements.size() - 1) + " " + line.strip());
            }
        }
        statements.removeIf(statement -> statement.isBlank() || statement.startsWith("SET application_name"));
        return statements;
    }

    /** The statements of the expanded script but its first (the seat claim, not the application's). */
    private static List<String> scripted(String script) {
        String sql = script.lines().filter(line -> !line.startsWith("--")).collect(Collectors.joining("\n"));
        List<String> statements = new ArrayList<>(Arrays.stream(sql.split(";|\\\\gset[^\n]*")).map(String::strip)
                .filter(statement -> !statement.isEmpty()).toList());
        return statements.subList(1, statements.size());
    }

    private static List<String> kinds(List<String> statements) {
        return statements.stream().map(statement -> {
            String verb = statement.split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
            Matcher table = TABLE.matcher(statement);
            return table.find() ? verb + " " + table.group() : verb;
        }).toList();
    }

    /** The API's lines (and their continuation lines) between the two markers. */
    private static String between(String log, String begin, String end) {
        StringBuilder out = new StringBuilder();
        boolean inside = false;
        boolean keep = false;
        for (String line : log.split("\n")) {
            if (line.contains(begin)) {
                inside = true;
                continue;
            }
            if (line.contains(end)) {
                break;
            }
            if (!line.startsWith("\t")) {
                keep = inside && line.startsWith("app=ticketing=");
            }
            if (keep) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }
}
