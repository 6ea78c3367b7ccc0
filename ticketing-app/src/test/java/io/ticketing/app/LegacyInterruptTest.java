package io.ticketing.app;

import io.ticketing.migration.legacy.LegacyDataGenerator;
import io.ticketing.migration.legacy.LegacySchema;
import io.ticketing.testsupport.TestDatabase;
import io.ticketing.testsupport.TestPostgres;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Arrays;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Legacy commands stopped as an operator stops them. Ctrl-C on `legacy import` in a terminal: the import's process in a
 * pseudo-terminal (so that its progress bars are drawn), SIGINT while a bar runs; it says in one line how to go on, and
 * the next run resumes. SIGTERM on a waiting rollback. And kill -9, after which the server ends the command's session.
 */
class LegacyInterruptTest {

    private static final Path SCRIPT = Path.of("/usr/bin/script");

    @RegisterExtension
    final CapturedConsole console = new CapturedConsole();

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void ctrl_c_during_the_progress_bars_says_how_to_resume_and_the_next_run_resumes() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(SCRIPT), "needs util-linux's script(1) for a pseudo-terminal");
        TestDatabase shop = TestPostgres.direct(TestPostgres.emptyDatabase());
        try (Connection connection = shop.connect()) {
            LegacySchema.create(connection);
            LegacyDataGenerator.generate(connection, 6_000, 3);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String[] command = concat(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "legacy", "import", "--throttle-ms", "300"), List.of("--db-url", shop.jdbcUrl(), "--db-user", shop.user(), "--db-password", shop.password()));
        String line = Arrays.stream(command).map(arg -> "'" + arg.replace("'", "'\\''") + "'").collect(Collectors.joining(" "));
        Path printed = Files.createTempFile("import", ".log");
        Process terminal = new ProcessBuilder(SCRIPT.toString(), "-qfec", line, "/dev/null").redirectErrorStream(true)
                .redirectOutput(printed.toFile()).start();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.readString(printed).contains("Seat ") && terminal.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(Files.readString(printed)).as("a progress bar drawn").contains("Seat ");
        ProcessHandle importer = terminal.descendants().filter(p -> p.info().command().orElse("").endsWith("java")).findFirst().orElseThrow();
        new ProcessBuilder("kill", "-INT", String.valueOf(importer.pid())).start().waitFor();

        assertThat(terminal.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(terminal.exitValue()).as(Files.readString(printed)).isEqualTo(130);
        assertThat(Files.readString(printed)).contains("ticketing: legacy import interrupted; run `legacy import` again to resume (what it had not "
                + "committed is redone), or `legacy rollback`");

        assertThat(Main.run("legacy", "import", "--no-progress", "--db-url", shop.jdbcUrl(), "--db-user", shop.user(),
                "--db-password", shop.password())).as(console.err()).isZero();
        assertThat(console.out()).contains("import: done; every legacy row is migrated or quarantined");
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void a_sigterm_while_rollback_waits_for_the_legacy_tables_says_nothing_changed_and_the_next_run_rolls_back() throws Exception {
        TestDatabase shop = importedLegacyShop();
        List<String> at = List.of("--db-url", shop.jdbcUrl(), "--db-user", shop.user(), "--db-password", shop.password());
        Path printed = Files.createTempFile("rollback", ".log");
        Process rollback;
        try (Connection report = shop.connect()) {
            // A legacy report in a transaction holds "Ticket": rollback waits to lock it.
            report.setAutoCommit(false);
            report.createStatement().execute("SELECT 1 FROM \"Ticket\" LIMIT 1");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            rollback = new ProcessBuilder(concat(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "legacy", "rollback"), at)).redirectErrorStream(true).redirectOutput(printed.toFile()).start();
            awaitLockWait(shop);

            rollback.destroy(); // SIGTERM
            assertThat(rollback.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(rollback.exitValue()).as(Files.readString(printed)).isEqualTo(143);
        assertThat(Files.readString(printed).strip()).isEqualTo("ticketing: legacy rollback interrupted; it changes the "
                + "database in one transaction at its end, so nothing was rolled back unless it had said so: run `legacy rollback` again");
        assertThat(Main.run(concat(List.of("legacy", "rollback"), at))).as(console.err()).isZero();
        assertThat(console.out()).contains("rollback: schemas ticketing and ticketing_import");
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void a_command_killed_while_its_statement_waits_for_a_legacy_table_leaves_the_server_at_once() throws Exception {
        TestDatabase shop = importedLegacyShop();
        List<String> at = List.of("--db-url", shop.jdbcUrl(), "--db-user", shop.user(), "--db-password", shop.password());
        try (Connection migration = shop.connect(); Connection watcher = shop.connect()) {
            // A schema change of the legacy app holds "Ticket": verify's statement waits for it, as long as it takes.
            migration.setAutoCommit(false);
            migration.createStatement().execute("LOCK TABLE \"Ticket\" IN ACCESS EXCLUSIVE MODE");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process verify = new ProcessBuilder(concat(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "legacy", "verify"), at)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            awaitLockWait(shop);
            long waiting = (Long) single(watcher, "SELECT pid::bigint FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    + "AND application_name = 'ticketing legacy'");

            verify.destroyForcibly(); // SIGKILL: the server learns of it only by watching the connection
            assertThat(verify.waitFor(10, TimeUnit.SECONDS)).isTrue();

            // Before, the session waited on (and kept its place in the lock's queue) until the schema change ended.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((Long) single(watcher, "SELECT count(*) FROM pg_stat_activity WHERE pid = " + waiting) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat((Long) single(watcher, "SELECT count(*) FROM pg_stat_activity WHERE pid = " + waiting))
                    .as("the killed command's session, while the lock it waits for is still held").isZero();
            migration.rollback();
        }
    }

    private static Object single(Connection connection, String sql) throws Exception {
        try (var rows = connection.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getObject(1);
        }
    }

    /** A legacy database of 3,000 seats, imported: the legacy app goes on writing it, an operator may still roll back. */
    private TestDatabase importedLegacyShop() throws Exception {
        TestDatabase shop = TestPostgres.direct(TestPostgres.emptyDatabase());
        try (Connection connection = shop.connect()) {
            LegacySchema.create(connection);
            LegacyDataGenerator.generate(connection, 3_000, 5);
        }
        assertThat(Main.run("legacy", "import", "--no-progress", "--db-url", shop.jdbcUrl(), "--db-user", shop.user(),
                "--db-password", shop.password())).as(console.err()).isZero();
        return shop;
    }

    /** Waits until a session of {@code database} waits for a lock (asked outside any transaction: statistics are a snapshot in one). */
    private static void awaitLockWait(TestDatabase database) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Connection connection = database.connect()) {
            while (System.nanoTime() < deadline) {
                try (var rows = connection.createStatement().executeQuery("SELECT count(*) FROM pg_stat_activity "
                        + "WHERE datname = current_database() AND wait_event_type = 'Lock' AND application_name = 'ticketing legacy'")) {
                    rows.next();
                    if (rows.getLong(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError("rollback never waited for the legacy tables");
    }

    private static String[] concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all.toArray(String[]::new);
    }
}
