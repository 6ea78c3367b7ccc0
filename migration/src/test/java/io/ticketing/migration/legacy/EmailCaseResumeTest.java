package io.ticketing.migration.legacy;

import io.ticketing.migration.legacy.cli.LegacyCommand;
import io.ticketing.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which emails the database and the JVM lower differently is decided by an import's first run: a resume on a Java (or a
 * database) that decides otherwise would decide anew only the users changed since, and is refused.
 */
class EmailCaseResumeTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void a_resume_that_lowers_emails_otherwise_than_the_first_run_is_refused_naming_the_first_runs_java_and_changes_nothing()
            throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions().withCatchUp(false), QUIET).run();
        String otherJava = Runtime.version().feature() == 21 ? "17.0.12" : "21.0.5";
        Map<String, Object> recorded;
        try (Connection connection = database.connect()) {
            recorded = Jdbc.query(connection, "SELECT email_case, email_case_java FROM ticketing_import.run").get(0);
            assertThat(recorded.get("email_case_java")).isEqualTo(System.getProperty("java.version"));
            // As a first run on another Java (other Unicode tables) would have recorded it.
            Jdbc.update(connection, "UPDATE ticketing_import.run SET email_case = md5('other letters'), email_case_java = ?", otherJava);
        }
        Map<String, String> legacy = LegacyDatabases.legacyHashes(database);
        Map<String, String> ticketing = LegacyDatabases.ticketingHashes(database);

        StringWriter err = new StringWriter();
        assertThat(importAgain(database, err)).isEqualTo(1);

        assertThat(err.toString().strip()).doesNotContain("\n")
                .startsWith("ticketing: this import started on Java " + otherJava + ", which decided the emails it quarantines as "
                        + "lowered differently by the database and the application, and this Java (" + System.getProperty("java.version")
                        + ") decides otherwise: resume it with Java " + otherJava.split("\\.")[0] + ", or run `legacy rollback`, then "
                        + "`legacy import` again");
        assertThat(LegacyDatabases.legacyHashes(database)).isEqualTo(legacy);
        assertThat(LegacyDatabases.ticketingHashes(database)).isEqualTo(ticketing);
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.query(connection, "SELECT email_case_java, cutover_at FROM ticketing_import.run").get(0))
                    .containsEntry("email_case_java", otherJava).containsEntry("cutover_at", null);
            // The same Java, and yet another decision: the database's lower case changed since.
            Jdbc.update(connection, "UPDATE ticketing_import.run SET email_case_java = ?", System.getProperty("java.version"));
        }
        err = new StringWriter();
        assertThat(importAgain(database, err)).isEqualTo(1);
        assertThat(err.toString().strip()).doesNotContain("\n")
                .startsWith("ticketing: this import started when the database lowered emails otherwise than it does now")
                .endsWith("run `legacy rollback`, then `legacy import` again");

        // As the first run decided: the resume goes on.
        try (Connection connection = database.connect()) {
            Jdbc.update(connection, "UPDATE ticketing_import.run SET email_case = ?", recorded.get("email_case"));
        }
        err = new StringWriter();
        assertThat(importAgain(database, err)).as(err.toString()).isZero();
    }

    private static int importAgain(TestDatabase database, StringWriter err) {
        return new CommandLine(new LegacyCommand()).setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(err))
                .execute("import", "--no-progress", "--db-url", database.jdbcUrl(), "--db-user", database.user(),
                        "--db-password", database.password());
    }
}
