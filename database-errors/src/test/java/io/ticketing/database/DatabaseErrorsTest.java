package io.ticketing.database;

import io.ticketing.database.DatabaseErrors.Kind;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseErrorsTest {

    @Test
    void the_request_path_sees_each_sqlstate_as_its_kind_through_any_wrapper() {
        assertThat(DatabaseErrors.kindOf(wrapped(new SQLException("duplicate key", "23505")))).isEqualTo(Kind.UNIQUE_VIOLATION);
        assertThat(DatabaseErrors.kindOf(wrapped(new SQLException("deadlock detected", "40P01")))).isEqualTo(Kind.TRANSIENT_CONFLICT);
        assertThat(DatabaseErrors.kindOf(wrapped(new SQLException("could not serialize", "40001")))).isEqualTo(Kind.TRANSIENT_CONFLICT);
        assertThat(DatabaseErrors.kindOf(wrapped(new SQLException("connection failure", "08006")))).isEqualTo(Kind.UNAVAILABLE);
        assertThat(DatabaseErrors.kindOf(wrapped(new SQLException("terminating connection", "57P01")))).isEqualTo(Kind.UNAVAILABLE);
        assertThat(DatabaseErrors.kindOf(wrapped(new SQLTransientConnectionException("pool timed out")))).isEqualTo(Kind.UNAVAILABLE);
        assertThat(DatabaseErrors.kindOf(wrapped(new SQLException("canceling statement due to statement timeout", "57014"))))
                .isEqualTo(Kind.UNAVAILABLE);
        assertThat(DatabaseErrors.kindOf(wrapped(new SQLException("canceling statement due to lock timeout", "55P03"))))
                .isEqualTo(Kind.UNAVAILABLE);
        assertThat(DatabaseErrors.kindOf(wrapped(new SQLException("division by zero", "22012")))).isEqualTo(Kind.OTHER);
        assertThat(DatabaseErrors.kindOf(new IllegalStateException("no SQL here"))).isEqualTo(Kind.OTHER);
    }

    @Test
    void the_command_line_reads_the_same_states_as_predicates() {
        assertThat(DatabaseErrors.isDeadlock(new SQLException("", "40P01"))).isTrue();
        assertThat(DatabaseErrors.isUndefinedTable(new SQLException("", "42P01"))).isTrue();
        assertThat(DatabaseErrors.isUndefinedTable(new SQLException("", "42P07"))).isFalse();
        assertThat(DatabaseErrors.isDeadlock(new SQLException("", "40001"))).isFalse();
        assertThat(DatabaseErrors.isTransientConflict(new SQLException("", "40001"))).isTrue();
        assertThat(DatabaseErrors.isLockTimeout(new SQLException("", "55P03"))).isTrue();
        assertThat(DatabaseErrors.isCancelled(new SQLException("", "57014"))).isTrue();
        assertThat(DatabaseErrors.isPermissionDenied(new SQLException("", "42501"))).isTrue();
        assertThat(DatabaseErrors.isInvalidParameterValue(new SQLException("", "22023"))).isTrue();
        assertThat(DatabaseErrors.isInvalidParameterValue(new SQLException("", "42704"))).isFalse();
        assertThat(DatabaseErrors.isNotNullViolation(new SQLException("", "23502"))).isTrue();
        assertThat(DatabaseErrors.isDataRefused(new SQLException("", "22001"))).isTrue();
        assertThat(DatabaseErrors.isDataRefused(new SQLException("", "23505"))).isTrue();
        assertThat(DatabaseErrors.isDataRefused(new SQLException("", "42P01"))).isFalse();
    }

    @Test
    void an_unreachable_host_reads_as_unreachable_not_as_an_ssl_problem() {
        SQLException driver = new SQLException("The connection attempt failed.", "08001", new ConnectException("Connection refused"));
        assertThat(DatabaseErrors.describe(driver, "jdbc:postgresql://db.example:6543/app"))
                .isEqualTo("cannot reach the database at db.example:6543 (connection refused); "
                        + "check --db-url and that the server is running and reachable from here");
    }

    @Test
    void a_poolers_refusal_of_a_login_reads_as_the_servers_would() {
        // What PgBouncer answers (08P01, the server's words) where PostgreSQL itself answers 3D000 and 28P01.
        assertThat(DatabaseErrors.describe(new SQLException("FATAL: database \"shop\" does not exist", "08P01"),
                "jdbc:postgresql://pooler:6432/shop")).startsWith("no such database at pooler:6432: ");
        assertThat(DatabaseErrors.describe(new SQLException("FATAL: password authentication failed", "08P01"),
                "jdbc:postgresql://pooler:6432/shop")).startsWith("the database at pooler:6432 refused the login: ");
    }

    @Test
    void a_lock_timeout_says_what_to_do() {
        assertThat(DatabaseErrors.oneLine(wrapped(new SQLException("canceling statement due to lock timeout", "55P03"))))
                .startsWith("update failed: canceling statement due to lock timeout (SQLSTATE 55P03); another transaction held a lock");
    }

    @Test
    void a_statement_timeout_names_the_setting_and_what_to_do_and_a_cancel_request_does_not() {
        assertThat(DatabaseErrors.oneLine(wrapped(new SQLException("ERROR: canceling statement due to statement timeout", "57014"))))
                .startsWith("update failed: ERROR: canceling statement due to statement timeout (SQLSTATE 57014); the statement ran past "
                        + "statement_timeout").contains("ALTER ROLE <role> IN DATABASE <database> SET statement_timeout = 0");
        assertThat(DatabaseErrors.oneLine(wrapped(new SQLException("ERROR: canceling statement due to user request", "57014"))))
                .doesNotContain("statement_timeout");
    }

    @Test
    void a_failure_wrapped_by_mybatis_reads_as_the_servers_own_message() {
        SQLException sql = new SQLException("ERROR: seat 7 of event 3 is BLOCKED, which disagrees with its active claims", "23514");
        RuntimeException mybatis = new RuntimeException("""

                ### Error committing transaction.  Cause: org.postgresql.util.PSQLException: ERROR: seat 7 of event 3 is BLOCKED
                ### Cause: org.postgresql.util.PSQLException: ERROR: seat 7 of event 3 is BLOCKED""", sql);
        assertThat(DatabaseErrors.oneLine(mybatis))
                .isEqualTo("ERROR: seat 7 of event 3 is BLOCKED, which disagrees with its active claims (SQLSTATE 23514)");
    }

    private static RuntimeException wrapped(SQLException sql) {
        return new RuntimeException("update failed", sql);
    }
}
