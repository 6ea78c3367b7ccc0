-- V23: a TRUNCATE of a table the guards watch is refused while the guards are on.
--
-- TRUNCATE fires no row trigger: it removed a seat's claims (payment_session_seat, booked_seat), a checkout, a booking
-- or its tickets past V9's guards, and every row past the summary triggers, leaving seats RESERVED or BOOKED with
-- nothing holding them and summaries that count rows no longer there. A statement trigger BEFORE TRUNCATE on each of
-- the six tables now refuses it, naming the way out: DELETE, whose rows the guards check at commit; or, for an
-- operator who means it, the guards turned off in the session (`SET ticketing.check_invariants = off`, as the legacy
-- import's bulk copy does), then `ticketing maintain` to find what it left and `--repair` to recount the summaries.
-- Nothing in the application truncates these tables.
--
-- CREATE TRIGGER takes a SHARE ROW EXCLUSIVE lock of its table, held to the end of the migration: the six tables are
-- locked first, in one statement and in V17's order, with lock_timeout so that the migration gives up rather than
-- queue behind a long transaction. Writers wait the migration's milliseconds.
-- Flyway runs this script in one transaction: a failure rolls it back whole, so it re-runs as is
-- (migration/squawk-waivers.md):
-- squawk-ignore-file prefer-robust-stmts

SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';

LOCK TABLE ticketing.payment_session, ticketing.seat, ticketing.payment_session_seat, ticketing.booking,
           ticketing.booked_seat, ticketing.ticket IN SHARE ROW EXCLUSIVE MODE;

CREATE FUNCTION ticketing.guard_truncate() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    IF current_setting('ticketing.check_invariants', true) IS DISTINCT FROM 'off' THEN
        RAISE EXCEPTION 'TRUNCATE of %.% refused: it would pass the seat and claim rules and the event summaries, which see rows one by one',
                TG_TABLE_SCHEMA, TG_TABLE_NAME
            USING ERRCODE = 'prohibited_sql_statement_attempted',
                  HINT = 'DELETE the rows instead (the rules check them at commit); to truncate anyway, SET ticketing.check_invariants = off '
                      || 'in the session first, then run `ticketing maintain` (its --repair recounts the summaries)';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER payment_session_guard_truncate BEFORE TRUNCATE ON ticketing.payment_session
    FOR EACH STATEMENT EXECUTE FUNCTION ticketing.guard_truncate();
CREATE TRIGGER seat_guard_truncate BEFORE TRUNCATE ON ticketing.seat
    FOR EACH STATEMENT EXECUTE FUNCTION ticketing.guard_truncate();
CREATE TRIGGER payment_session_seat_guard_truncate BEFORE TRUNCATE ON ticketing.payment_session_seat
    FOR EACH STATEMENT EXECUTE FUNCTION ticketing.guard_truncate();
CREATE TRIGGER booking_guard_truncate BEFORE TRUNCATE ON ticketing.booking
    FOR EACH STATEMENT EXECUTE FUNCTION ticketing.guard_truncate();
CREATE TRIGGER booked_seat_guard_truncate BEFORE TRUNCATE ON ticketing.booked_seat
    FOR EACH STATEMENT EXECUTE FUNCTION ticketing.guard_truncate();
CREATE TRIGGER ticket_guard_truncate BEFORE TRUNCATE ON ticketing.ticket
    FOR EACH STATEMENT EXECUTE FUNCTION ticketing.guard_truncate();
