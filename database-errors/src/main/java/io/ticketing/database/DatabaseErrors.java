package io.ticketing.database;

import org.postgresql.Driver;
import org.postgresql.util.PSQLException;

import javax.net.ssl.SSLException;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * What a PostgreSQL failure means, by its SQLSTATE, and how to say it in one line an operator can act
 * on: the one place that reads SQLSTATEs. The request path (persistence-mybatis) asks {@link #kindOf}
 * and turns each kind into the domain's exceptions; the command line ({@code ./ticketing …},
 * {@code ./ticketing legacy …}) asks the predicates and {@link #describe}.
 *
 * <p>A failure to connect says where it tried ({@code host:port}) and why, from the deepest cause
 * the JDBC driver kept: the driver wraps every socket failure in "The connection attempt failed.",
 * and with the default {@code sslmode=prefer} it reports the failure of its first (SSL) attempt,
 * which reads like an SSL problem when the host simply cannot be reached.
 */
public final class DatabaseErrors {

    /** What the request path does about a failed statement. */
    public enum Kind {
        /** 23505: a unique constraint or index refused the row. */
        UNIQUE_VIOLATION,
        /** 40001 or 40P01: the transaction lost a race through no fault of its own; running it again may work. */
        TRANSIENT_CONFLICT,
        /**
         * The database is out of reach rather than the request or the code wrong: no pooled connection within
         * the timeout, a connection failure (class 08), a server shutting down or cutting the session
         * (57P01 to 57P03), or one too busy or blocked to answer in time (57014 statement timeout or cancel, 55P03
         * lock timeout): asking again later may work.
         */
        UNAVAILABLE,
        /** Anything else: a bug, or a refusal the caller did not expect. */
        OTHER
    }

    private DatabaseErrors() {
    }

    /** One line for {@code failure}, a connection problem at {@code jdbcUrl} or any other error. */
    public static String describe(Throwable failure, String jdbcUrl) {
        return describe(failure, jdbcUrl, "--db-url");
    }

    /** As {@link #describe(Throwable, String)}, for a URL that {@code option} gave ({@code --db-direct-url}, say). */
    public static String describe(Throwable failure, String jdbcUrl, String option) {
        return connectionProblem(failure, jdbcUrl, option).orElseGet(() -> oneLine(failure));
    }

    /**
     * One line when {@code failure} is about reaching or logging in to the database at
     * {@code jdbcUrl} (unreachable, refused, timed out, not a PostgreSQL server, login refused, no
     * such database, connection lost); empty for any other failure.
     */
    public static Optional<String> connectionProblem(Throwable failure, String jdbcUrl) {
        return connectionProblem(failure, jdbcUrl, "--db-url");
    }

    /** As {@link #connectionProblem(Throwable, String)}, naming {@code option} as the one that gave the URL. */
    public static Optional<String> connectionProblem(Throwable failure, String jdbcUrl, String option) {
        SQLException sql = find(failure, SQLException.class);
        IOException io = find(failure, IOException.class);
        String state = sql == null || sql.getSQLState() == null ? "" : sql.getSQLState();
        String at = address(jdbcUrl);
        // A pooler (PgBouncer) passes the server's refusal of a login on as a protocol error (08P01), with the server's words.
        String poolerSays = state.equals("08P01") && sql.getMessage() != null ? sql.getMessage() : "";
        // The driver says so as a refused connection (08004), which is no refused login.
        if (sql != null && String.valueOf(sql.getMessage()).contains("does not support SSL")) {
            return Optional.of("the database at " + at + " does not support SSL, which " + option + " requires (sslmode); "
                    + "use a server with SSL, or another sslmode in " + option);
        }
        // Something answered "S" to the driver's SSL request and then no TLS (an SSH server's banner starts with "S").
        SSLException handshake = find(failure, SSLException.class);
        if (handshake != null && (state.startsWith("08") || state.isEmpty())) {
            return Optional.of("cannot reach the database at " + at + " (the server there does not answer as PostgreSQL: "
                    + "the SSL handshake failed, " + firstLine(handshake.getMessage()) + "); check the host and port of " + option);
        }
        if (state.startsWith("28") || state.equals("08004") || poolerSays.contains("authentication failed")) {
            return Optional.of("the database at " + at + " refused the login: " + serverMessage(sql)
                    + " (check --db-user and --db-password)");
        }
        if (state.equals("3D000") || poolerSays.matches("(?s).*database \".*\" does not exist.*")) {
            return Optional.of("no such database at " + at + ": " + serverMessage(sql) + " (check the database name in " + option + ")");
        }
        if (state.equals("08006") || state.equals("08003") || state.equals("57P01")) {
            return Optional.of("lost the connection to the database at " + at + " ("
                    + (io != null ? reason(io) : serverMessage(sql)) + ")");
        }
        if (state.equals("08P01") && sql.getMessage() != null && sql.getMessage().contains("SSL connection")) {
            return Optional.of("cannot reach the database at " + at + " (the server there does not answer as PostgreSQL; "
                    + "check the host and port of " + option + ")");
        }
        if (io == null && state.equals("08001") && serverMessage(sql).startsWith("Invalid ")) {
            return Optional.of("cannot use " + option + ": " + serverMessage(sql));
        }
        if (state.startsWith("08")) {
            return Optional.of("cannot reach the database at " + at + " (" + (io != null ? reason(io) : serverMessage(sql))
                    + "); check " + option + " and that the server is running and reachable from here");
        }
        return Optional.empty();
    }

    /**
     * The first line of {@code failure}'s message; when a database error lies beneath it and says
     * more, that error's first line and SQLSTATE too (Flyway, for one, puts it several lines down).
     */
    public static String oneLine(Throwable failure) {
        String message = firstLine(failure.getMessage());
        String line = message.isEmpty() ? failure.getClass().getSimpleName() : message;
        SQLException sql = find(failure, SQLException.class);
        if (sql != null && line.startsWith(MYBATIS_FRAME)) {
            line = serverMessage(sql); // MyBatis's "### Error committing transaction.  Cause: …" says nothing of its own
        }
        if (sql != null && sql != failure) {
            String cause = serverMessage(sql);
            if (!line.contains(cause)) {
                line += ": " + cause;
            }
        }
        if (sql != null && sql.getSQLState() != null) {
            line += " (SQLSTATE " + sql.getSQLState() + ")";
        }
        if (sql != null && "55P03".equals(sql.getSQLState())) {
            line += "; another transaction held a lock this needed for too long (see pg_stat_activity for long-running "
                    + "or idle-in-transaction sessions): run the command again once it ended";
        }
        if (sql != null && isCancelled(sql) && String.valueOf(sql.getMessage()).contains("statement timeout")) {
            line += "; the statement ran past statement_timeout (a setting of the role, the database, or the URL's options): "
                    + "raise it, or turn it off for this role (ALTER ROLE <role> IN DATABASE <database> SET statement_timeout = 0), "
                    + "and run the command again";
        }
        return line;
    }

    /** The first SQL failure among {@code failure} and its causes. */
    public static Optional<SQLException> sqlCause(Throwable failure) {
        return Optional.ofNullable(find(failure, SQLException.class));
    }

    /** The kind of the first SQL failure behind {@code failure}; OTHER when there is none. */
    public static Kind kindOf(Throwable failure) {
        return sqlCause(failure).map(DatabaseErrors::kindOf).orElse(Kind.OTHER);
    }

    public static Kind kindOf(SQLException sql) {
        String state = String.valueOf(sql.getSQLState());
        if (sql instanceof SQLTransientConnectionException || state.startsWith("08")
                || state.equals("57P01") || state.equals("57P02") || state.equals("57P03") || state.equals("57014")
                || state.equals("55P03")) {
            return Kind.UNAVAILABLE;
        }
        return switch (state) {
            case "23505" -> Kind.UNIQUE_VIOLATION;
            case "40001", "40P01" -> Kind.TRANSIENT_CONFLICT;
            default -> Kind.OTHER;
        };
    }

    /** 40P01, of the two transient conflicts: a deadlock rather than a serialization failure. */
    public static boolean isDeadlock(SQLException e) {
        return "40P01".equals(e.getSQLState());
    }

    /** 55P03: a lock was not to be had within lock_timeout. */
    public static boolean isLockTimeout(SQLException e) {
        return "55P03".equals(e.getSQLState());
    }

    /** 42P01: a table the statement names does not exist (here: dropped under a running process). */
    public static boolean isUndefinedTable(SQLException e) {
        return "42P01".equals(e.getSQLState());
    }

    /** 42883: a function the statement calls does not exist (with these argument types). */
    public static boolean isUndefinedFunction(SQLException e) {
        return "42883".equals(e.getSQLState());
    }

    /** 57014: statement_timeout (or a cancel request) ended the statement. */
    public static boolean isCancelled(SQLException e) {
        return "57014".equals(e.getSQLState());
    }

    /** 40001 or 40P01: the transaction lost a race (serialization failure, deadlock); running it again may work. */
    public static boolean isTransientConflict(SQLException e) {
        return "40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
    }

    /** 22023: a value the server does not take for a parameter (a setting this server's system cannot honour). */
    public static boolean isInvalidParameterValue(SQLException e) {
        return "22023".equals(e.getSQLState());
    }

    /** 42501: the role lacks a privilege (or ownership) the statement needs. */
    public static boolean isPermissionDenied(SQLException e) {
        return "42501".equals(e.getSQLState());
    }

    /** 23505: a unique index refused a row. */
    public static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    /** The server's DETAIL of the failure, e.g. {@code Key (status)=(AVAILABLE) is duplicated.}; empty when it sent none. */
    public static Optional<String> serverDetail(SQLException e) {
        return e instanceof PSQLException psql && psql.getServerErrorMessage() != null
                ? Optional.ofNullable(psql.getServerErrorMessage().getDetail()).map(DatabaseErrors::firstLine).filter(d -> !d.isEmpty())
                : Optional.empty();
    }

    /** 23503: a foreign key refused a row (it refers to a row that is not there, or one that it keeps is gone). */
    public static boolean isForeignKeyViolation(SQLException e) {
        return "23503".equals(e.getSQLState());
    }

    /** 23502: a NOT NULL column got no value. */
    public static boolean isNotNullViolation(SQLException e) {
        return "23502".equals(e.getSQLState());
    }

    /** Class 22 (data exception) or 23 (integrity constraint violation): the rows themselves were refused. */
    public static boolean isDataRefused(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    /** {@code host:port} (or several, comma-separated) of a PostgreSQL JDBC URL, defaults filled in as the driver does. */
    public static String address(String jdbcUrl) {
        Properties parsed = jdbcUrl == null ? null : Driver.parseURL(jdbcUrl, new Properties());
        if (parsed == null) {
            return String.valueOf(jdbcUrl);
        }
        String[] hosts = parsed.getProperty("PGHOST", "localhost").split(",");
        String[] ports = parsed.getProperty("PGPORT", "5432").split(",");
        StringBuilder address = new StringBuilder();
        for (int i = 0; i < hosts.length; i++) {
            address.append(i == 0 ? "" : ",").append(hosts[i]).append(':').append(ports[Math.min(i, ports.length - 1)]);
        }
        return address.toString();
    }

    private static String reason(IOException io) {
        String message = firstLine(io.getMessage());
        if (io instanceof ConnectException) {
            return "connection refused";
        }
        if (io instanceof UnknownHostException) {
            return "unknown host " + message;
        }
        if (io instanceof NoRouteToHostException) {
            return "no route to host";
        }
        if (io instanceof SocketTimeoutException) {
            return message.toLowerCase(Locale.ROOT).contains("connect") ? "connect timed out" : "the server did not answer in time";
        }
        if (io instanceof EOFException) {
            return "the server closed the connection";
        }
        if (io instanceof SSLException) {
            return "SSL: " + message;
        }
        return message.isEmpty() ? io.getClass().getSimpleName() : message.substring(0, 1).toLowerCase(Locale.ROOT) + message.substring(1);
    }

    /** How MyBatis begins the message of an exception it wraps a driver's in. */
    private static final String MYBATIS_FRAME = "### ";

    private static String serverMessage(SQLException sql) {
        String message = firstLine(sql.getMessage());
        if (message.equals("Connection attempt timed out.")) {
            return "no answer in time";
        }
        return message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.strip().lines().findFirst().orElse("").strip();
    }

    /** The outermost {@code type} in the cause chain of {@code failure}, itself included. */
    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
