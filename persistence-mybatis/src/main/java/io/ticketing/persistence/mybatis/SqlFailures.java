package io.ticketing.persistence.mybatis;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;

/**
 * What a failed statement says, by its SQLSTATE: the one place that reads them. The adapters turn
 * each kind into the domain's exceptions, so that no SQL error reaches a use case or the web.
 */
public final class SqlFailures {

    public enum Kind {
        /** 23505: a unique constraint or index refused the row. */
        UNIQUE_VIOLATION,
        /** 40001 or 40P01: the transaction lost a race through no fault of its own; running it again may work. */
        TRANSIENT_CONFLICT,
        /**
         * The database is out of reach rather than the request or the code wrong: no pooled connection within
         * the timeout, a connection failure (class 08), or a server shutting down or cutting the session
         * (57P01 to 57P03).
         */
        UNAVAILABLE,
        /** Anything else: a bug, or a refusal the caller did not expect. */
        OTHER
    }

    private SqlFailures() {
    }

    /** The first SQL failure among {@code failure} and its causes. */
    public static Optional<SQLException> sqlCause(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                return Optional.of(sql);
            }
        }
        return Optional.empty();
    }

    public static Kind kindOf(SQLException sql) {
        String state = String.valueOf(sql.getSQLState());
        if (sql instanceof SQLTransientConnectionException || state.startsWith("08")
                || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
            return Kind.UNAVAILABLE;
        }
        return switch (state) {
            case "23505" -> Kind.UNIQUE_VIOLATION;
            case "40001", "40P01" -> Kind.TRANSIENT_CONFLICT;
            default -> Kind.OTHER;
        };
    }

    /** 40P01, of the two transient conflicts: a deadlock rather than a serialization failure. */
    public static boolean isDeadlock(SQLException sql) {
        return "40P01".equals(sql.getSQLState());
    }

    /** The kind of the first SQL failure behind {@code failure}; OTHER when there is none. */
    public static Kind kindOf(Throwable failure) {
        return sqlCause(failure).map(SqlFailures::kindOf).orElse(Kind.OTHER);
    }
}
