package io.ticketing.persistence.mybatis.adapter;

import io.ticketing.domain.model.ConcurrentChangeException;
import io.ticketing.domain.model.DuplicateException;
import io.ticketing.domain.model.SeatId;
import io.ticketing.domain.model.SeatsUnavailableException;
import io.ticketing.persistence.mybatis.Sessions;
import io.ticketing.database.DatabaseErrors;
import org.apache.ibatis.exceptions.PersistenceException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the adapters reach the database: a mapper of the current unit of work (or of a short transaction of
 * its own), with PostgreSQL's refusals translated into the domain's exceptions, so that no SQL error
 * reaches a use case.
 */
final class Database {

    private static final int MAX_ATTEMPTS = 5;
    private static final Pattern UUID_PATTERN =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** What each unique constraint means, for the message of a DuplicateException. */
    private static final Map<String, String> UNIQUE_RULES = Map.ofEntries(
            Map.entry("seat_position_key", "a seat at this position in its event"),
            Map.entry("seat_pkey", "a seat with this id"),
            Map.entry("event_pkey", "an event with this id"),
            Map.entry("customer_pkey", "a customer with this id"),
            Map.entry("customer_email_key", "a customer with this email"),
            Map.entry("payment_session_pkey", "a payment session with this id"),
            Map.entry("payment_session_provider_ref_key", "a payment session with this provider reference"),
            Map.entry("booking_pkey", "a booking with this id"),
            Map.entry("booking_payment_session_key", "a booking of this payment session"),
            Map.entry("ticket_pkey", "a ticket with this id"),
            Map.entry("ticket_code_key", "a ticket with this code"),
            Map.entry("ticket_live_seat_key", "a valid ticket for this seat"),
            Map.entry("event_cancellation_event_key", "a cancellation of this event"));

    /** The partial unique indexes that allow one active claim per seat. */
    private static final Set<String> ACTIVE_CLAIMS =
            Set.of("payment_session_seat_active_claim_key", "booked_seat_active_claim_key");

    private final Sessions sessions;

    Database(Sessions sessions) {
        this.sessions = sessions;
    }

    <M, T> T call(Class<M> mapper, String entity, Function<M, T> work) {
        try {
            return translated(entity, () -> sessions.withMapper(mapper, work));
        } catch (TransientConflict conflict) {
            if (sessions.inTransaction()) {
                throw conflict; // the unit of work around us retries
            }
            throw conflict.error;
        }
    }

    /**
     * One unit of work. A deadlock or serialization failure aborts the whole transaction through no
     * fault of the work: the outermost unit of work then runs it again from the start, a few times,
     * after a short random pause, before reporting a concurrent modification. (Every booking of an
     * event adds to one of that event's summary shard rows, so transactions of one event can meet there.)
     */
    <T> T inTransaction(String actor, Supplier<T> work) {
        if (sessions.inTransaction()) {
            return translated("Unit of work", () -> sessions.inTransaction(actor, session -> work.get()));
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return translated("Unit of work", () -> sessions.inTransaction(actor, session -> work.get()));
            } catch (TransientConflict conflict) {
                if (attempt == MAX_ATTEMPTS) {
                    throw conflict.error;
                }
                pauseBeforeRetry(attempt);
            }
        }
    }

    private static void pauseBeforeRetry(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 10L * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConcurrentChangeException("Unit of work", "(interrupted)", "a retry after a deadlock");
        }
    }

    /**
     * The check of every conditional update ({@code WHERE version = ?} or {@code WHERE status = ?}): no row
     * updated means someone changed the row since it was read.
     */
    static void updatedOrStale(int rowsUpdated, String entity, Object id, String expected) {
        if (rowsUpdated == 0) {
            throw new ConcurrentChangeException(entity, id, expected);
        }
    }

    /** A deadlock or serialization failure: retried by the outermost unit of work, else reported as {@link #error}. */
    static final class TransientConflict extends RuntimeException {
        final ConcurrentChangeException error;

        TransientConflict(ConcurrentChangeException error) {
            super(error.getMessage(), null, false, false);
            this.error = error;
        }
    }

    private static <T> T translated(String entity, Supplier<T> work) {
        try {
            return work.get();
        } catch (PersistenceException e) {
            throw translate(e, entity);
        }
    }

    static RuntimeException translate(PersistenceException failure, String entity) {
        SQLException sql = DatabaseErrors.sqlCause(failure).orElse(null);
        if (sql == null) {
            return failure;
        }
        ServerErrorMessage server = sql instanceof PSQLException psql ? psql.getServerErrorMessage() : null;
        String constraint = server == null ? null : server.getConstraint();
        return switch (DatabaseErrors.kindOf(sql)) {
            case UNIQUE_VIOLATION -> constraint != null && ACTIVE_CLAIMS.contains(constraint)
                    ? new SeatsUnavailableException(claimedSeats(server.getDetail()))
                    : new DuplicateException(entity, UNIQUE_RULES.getOrDefault(constraint,
                            "a row violating " + (constraint == null ? "a unique constraint" : constraint)));
            case TRANSIENT_CONFLICT -> new TransientConflict(new ConcurrentChangeException(entity,
                    "(rows of this unit of work)", "no conflicting concurrent change, but the database reported "
                            + (DatabaseErrors.isDeadlock(sql) ? "a deadlock" : "a serialization failure")));
            case UNAVAILABLE, OTHER -> failure;
        };
    }

    /** "Key (event_id, seat_id)=(e, s) already exists.": the seat is the last uuid. */
    private static Set<SeatId> claimedSeats(String detail) {
        Set<SeatId> seats = new LinkedHashSet<>();
        if (detail != null) {
            Matcher matcher = UUID_PATTERN.matcher(detail);
            String last = null;
            while (matcher.find()) {
                last = matcher.group();
            }
            if (last != null) {
                seats.add(new SeatId(UUID.fromString(last)));
            }
        }
        return seats;
    }
}
