-- V17: the guards' triggers decide in plain expressions whether to queue a check.
--
-- A trigger's WHEN is made ready once per statement that may fire it (PostgreSQL's expression_planner),
-- and that step inlines the SQL functions it calls by parsing their bodies: V9's WHEN called
-- ticketing.guard_queue, a SQL function since V10, and built its keys with `'s' || NEW.id`, whose text ||
-- uuid operator is itself a SQL function (textanycat). With the guards on or off, every write statement
-- then parsed those bodies for each guard trigger of its table: some 9 % of the server's CPU in a
-- booking (perf over pgbench running benchmarks/src/main/resources/pgbench/booking.sql), against some
-- 10 % for the checks themselves. The same conditions are now written out in each WHEN with built-in
-- operators only (`::text` casts, current_setting), in V10's order: whether the write can break the
-- rule, whether the guards are on, then ticketing.guard_once (PL/pgSQL, called only when the first two
-- hold, as before). Same triggers, same functions, same keys; guard_queue is no longer used and goes.
--
-- Dropping a trigger takes an ACCESS EXCLUSIVE lock on its table, held to the end of the migration (milliseconds
-- once it has them): the six tables are locked first, in one statement, so that the migration never holds some of
-- them while it waits for the others behind a long transaction; lock_timeout makes it give up rather than queue
-- (and a request it blocks waits, or is retried if PostgreSQL breaks a deadlock with it).
-- Flyway runs this script in one transaction: a failure rolls it back whole, so it re-runs as is
-- (migration/squawk-waivers.md):
-- squawk-ignore-file prefer-robust-stmts

SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';

LOCK TABLE ticketing.payment_session, ticketing.seat, ticketing.payment_session_seat, ticketing.booking,
           ticketing.booked_seat, ticketing.ticket IN ACCESS EXCLUSIVE MODE;

DROP TRIGGER seat_guard_insert ON ticketing.seat;
DROP TRIGGER seat_guard_update ON ticketing.seat;
DROP TRIGGER payment_session_seat_guard_seat ON ticketing.payment_session_seat;
DROP TRIGGER payment_session_seat_guard_checkout ON ticketing.payment_session_seat;
DROP TRIGGER payment_session_seat_guard_moved ON ticketing.payment_session_seat;
DROP TRIGGER payment_session_seat_guard_delete ON ticketing.payment_session_seat;
DROP TRIGGER payment_session_guard_update ON ticketing.payment_session;
DROP TRIGGER booked_seat_guard_seat ON ticketing.booked_seat;
DROP TRIGGER booked_seat_guard_booking ON ticketing.booked_seat;
DROP TRIGGER booked_seat_guard_moved ON ticketing.booked_seat;
DROP TRIGGER booked_seat_guard_delete ON ticketing.booked_seat;
DROP TRIGGER booking_guard_insert ON ticketing.booking;
DROP TRIGGER booking_guard_update ON ticketing.booking;
DROP TRIGGER booking_guard_seats ON ticketing.booking;
DROP TRIGGER ticket_guard_insert ON ticketing.ticket;
DROP TRIGGER ticket_guard_update ON ticketing.ticket;
DROP TRIGGER ticket_guard_moved ON ticketing.ticket;
DROP TRIGGER ticket_guard_delete ON ticketing.ticket;
DROP FUNCTION ticketing.guard_queue(boolean, text);

-- Each WHEN: the write can break the rule and the guards are on, then the key is not queued yet. CASE, whose
-- order of evaluation PostgreSQL documents (an AND's it does not): guard_once, which records its key as queued,
-- runs only for a write that queues a check.

CREATE CONSTRAINT TRIGGER seat_guard_insert AFTER INSERT ON ticketing.seat
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (CASE WHEN (NEW.status IN ('RESERVED', 'BOOKED')) IS TRUE
          AND current_setting('ticketing.check_invariants', true) IS DISTINCT FROM 'off'
          THEN ticketing.guard_once('s' || NEW.id::text) ELSE false END)
    EXECUTE FUNCTION ticketing.guard_seat();
CREATE CONSTRAINT TRIGGER seat_guard_update AFTER UPDATE OF status ON ticketing.seat
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (CASE WHEN OLD.status IS DISTINCT FROM NEW.status
          AND current_setting('ticketing.check_invariants', true) IS DISTINCT FROM 'off'
          THEN ticketing.guard_once('s' || NEW.id::text) ELSE false END)
    EXECUTE FUNCTION ticketing.guard_seat();

CREATE CONSTRAINT TRIGGER payment_session_seat_guard_seat AFTER INSERT OR UPDATE OF released_at, seat_id, payment_session_id
    ON ticketing.payment_session_seat
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (CASE WHEN current_setting('ticketing.check_invariants', true) IS DISTINCT FROM 'off'
          THEN ticketing.guard_once('s' || NEW.seat_id::text) ELSE false END)
    EXECUTE FUNCTION ticketing.guard_seat();
CREATE CONSTRAINT TRIGGER payment_session_seat_guard_checkout AFTER INSERT OR UPDATE OF released_at, seat_id, payment_session_id
    ON ticketing.payment_session_seat
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (CASE WHEN current_setting('ticketing.check_invariants', true) IS DISTINCT FROM 'off'
          THEN ticketing.guard_once('c' || NEW.payment_session_id::text) ELSE false END)
    EXECUTE FUNCTION ticketing.guard_checkout();
CREATE CONSTRAINT TRIGGER payment_session_seat_guard_moved AFTER UPDATE OF seat_id, payment_session_id ON ticketing.payment_session_seat
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (CASE WHEN (OLD.seat_id <> NEW.seat_id OR OLD.payment_session_id <> NEW.payment_session_id) IS TRUE
          AND current_setting('ticketing.check_invariants', true) IS DISTINCT FROM 'off'
          THEN ticketing.guard_once('m' || OLD.payment_session_id::text || OLD.seat_id::text) ELSE false END)
    EXECUTE FUNCTION ticketing.guard_moved_row();
CREATE CONSTRAINT TRIGGER payment_session_seat_guard_delete AFTER DELETE ON ticketing.payment_session_seat
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (CASE WHEN OLD.released_at IS NULL
          AND current_setting('ticketing.check_invariants', true) IS DISTINCT FROM 'off'
          THEN ticketing.guard_once('s' || OLD.seat_id::text) ELSE false END)
    EXECUTE FUNCTION ticketing.guard_seat();

CREATE CONSTRAINT TRIGGER payment_session_guard_update AFTER UPDATE OF status ON ticketing.payment_session
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (CASE WHEN OLD.status IS DISTINCT FROM NEW.status
          AND current_setting('ticketing.check_invariants', true) IS DISTINCT FROM 'off'
          THEN ticketing.guard_once('c' || NEW.id::text) ELSE false END)
    EXECUTE FUNCTION ticketing.guard_checkout();

CREATE CONSTRAINT TRIGGER booked_seat_guard_seat AFTER INSERT OR UPDATE OF released_at, seat_id, booking_id ON ticketing.booked_seat
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (CASE WHEN current_setting('ticketing.check_invariants', true) IS DISTINCT FROM 'off'
          THEN ticketing.guard_once('s' || NEW.seat_id::text) ELSE false END)
    EXECUTE FUNCTION ticketing.guard_seat();
CREATE CONSTRAINT TRIGGER booked_seat_guard_booking AFTER INSERT OR UPDATE OF released_at, seat_id, booking_id ON ticketing.booked_seat
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (CASE WHEN current_setting('ticketing.check_invariants', true) IS DISTINCT FROM 'off'
          THEN ticketing.guard_once('b' || NEW.booking_id::text) ELSE false END)
    EXECUTE FUNCTION ticketing.guard_booking();
CREATE CONSTRAINT TRIGGER booked_seat_guard_moved AFTER UPDATE OF seat_id, booking_id ON ticketing.booked_seat
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (CASE WHEN (OLD.seat_id <> NEW.seat_id OR OLD.booking_id <> NEW.booking_id) IS TRUE
          AND current_setting('ticketing.check_invariants', true) IS DISTINCT FROM 'off'
          THEN ticketing.guard_once('m' || OLD.booking_id::text || OLD.seat_id::text) ELSE false END)
    EXECUTE FUNCTION ticketing.guard_moved_row();
CREATE CONSTRAINT TRIGGER booked_seat_guard_delete AFTER DELETE ON ticketing.booked_seat
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (CASE WHEN OLD.released_at IS NULL
          AND current_setting('ticketing.check_invariants', true) IS DISTINCT FROM 'off'
          THEN ticketing.guard_once('s' || OLD.seat_id::text) ELSE false END)
    EXECUTE FUNCTION ticketing.guard_seat();

CREATE CONSTRAINT TRIGGER booking_guard_insert AFTER INSERT ON ticketing.booking
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (CASE WHEN current_setting('ticketing.check_invariants', true) IS DISTINCT FROM 'off'
          THEN ticketing.guard_once('b' || NEW.id::text) ELSE false END)
    EXECUTE FUNCTION ticketing.guard_booking();
CREATE CONSTRAINT TRIGGER booking_guard_update AFTER UPDATE OF status ON ticketing.booking
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (CASE WHEN OLD.status IS DISTINCT FROM NEW.status
          AND current_setting('ticketing.check_invariants', true) IS DISTINCT FROM 'off'
          THEN ticketing.guard_once('b' || NEW.id::text) ELSE false END)
    EXECUTE FUNCTION ticketing.guard_booking();
CREATE CONSTRAINT TRIGGER booking_guard_seats AFTER UPDATE OF status ON ticketing.booking
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (CASE WHEN OLD.status IS DISTINCT FROM NEW.status
          AND current_setting('ticketing.check_invariants', true) IS DISTINCT FROM 'off'
          THEN ticketing.guard_once('p' || NEW.id::text) ELSE false END)
    EXECUTE FUNCTION ticketing.guard_booking_seats();

-- A ticket's rules are its booking's (V9). VALID to USED (a check-in) queues nothing.
CREATE CONSTRAINT TRIGGER ticket_guard_insert AFTER INSERT ON ticketing.ticket
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (CASE WHEN (NEW.status IN ('VALID', 'USED')) IS TRUE
          AND current_setting('ticketing.check_invariants', true) IS DISTINCT FROM 'off'
          THEN ticketing.guard_once('b' || NEW.booking_id::text) ELSE false END)
    EXECUTE FUNCTION ticketing.guard_booking();
CREATE CONSTRAINT TRIGGER ticket_guard_update AFTER UPDATE OF status, booking_id, seat_id ON ticketing.ticket
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (CASE WHEN ((OLD.status IN ('VALID', 'USED')) <> (NEW.status IN ('VALID', 'USED'))
           OR OLD.booking_id <> NEW.booking_id OR OLD.seat_id <> NEW.seat_id) IS TRUE
          AND current_setting('ticketing.check_invariants', true) IS DISTINCT FROM 'off'
          THEN ticketing.guard_once('b' || NEW.booking_id::text) ELSE false END)
    EXECUTE FUNCTION ticketing.guard_booking();
CREATE CONSTRAINT TRIGGER ticket_guard_moved AFTER UPDATE OF booking_id ON ticketing.ticket
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (CASE WHEN (OLD.booking_id <> NEW.booking_id) IS TRUE
          AND current_setting('ticketing.check_invariants', true) IS DISTINCT FROM 'off'
          THEN ticketing.guard_once('m' || OLD.id::text) ELSE false END)
    EXECUTE FUNCTION ticketing.guard_moved_row();
CREATE CONSTRAINT TRIGGER ticket_guard_delete AFTER DELETE ON ticketing.ticket
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (CASE WHEN OLD.status IN ('VALID', 'USED')
          AND current_setting('ticketing.check_invariants', true) IS DISTINCT FROM 'off'
          THEN ticketing.guard_once('b' || OLD.booking_id::text) ELSE false END)
    EXECUTE FUNCTION ticketing.guard_booking();
