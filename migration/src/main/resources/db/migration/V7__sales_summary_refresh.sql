-- V7: the one way event_sales_summary is refreshed, whoever asks (the schedule of any API
-- instance, `refresh-analytics`, the API's ?refresh=true, the legacy import's last step):
-- under one transaction-level advisory lock, so that two refreshes never run at once, and
-- concurrently once the view holds data, so that readers are not blocked meanwhile.
--   wait = true   waits for a refresh running elsewhere, then refreshes; returns true
--   wait = false  returns false at once when another refresh runs (which does the work)
-- A function only: no table is touched, no lock taken beyond the catalogue's.

-- Flyway runs this script in one transaction: a failure rolls it back whole, so it re-runs as is
-- (migration/squawk-waivers.md):
-- squawk-ignore-file prefer-robust-stmts

SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';

CREATE FUNCTION ticketing.refresh_event_sales_summary(wait boolean) RETURNS boolean
    LANGUAGE plpgsql
AS $$
BEGIN
    IF wait THEN
        PERFORM pg_advisory_xact_lock(hashtext('ticketing.event_sales_summary'));
    ELSIF NOT pg_try_advisory_xact_lock(hashtext('ticketing.event_sales_summary')) THEN
        RETURN false;
    END IF;
    IF (SELECT ispopulated FROM pg_matviews WHERE schemaname = 'ticketing' AND matviewname = 'event_sales_summary') THEN
        REFRESH MATERIALIZED VIEW CONCURRENTLY ticketing.event_sales_summary;
    ELSE
        REFRESH MATERIALIZED VIEW ticketing.event_sales_summary;
    END IF;
    RETURN true;
END
$$;
