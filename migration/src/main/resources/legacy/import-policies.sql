-- Policies over whole legacy tables, for `verify` (the import applies them batch by batch). Created
-- after the status vocabularies, which they use. {i} is the import schema.

-- The legacy bookings still 'pending' whose migrated checkout expired before the import without a
-- payment result (checkout_status EXPIRED), and of which no checkout is still running: the import
-- cancels them (at the latest such expiry) and marks them for review.
CREATE OR REPLACE FUNCTION {i}.expired_unpaid_bookings() RETURNS TABLE (booking_legacy_id text, expired_at timestamptz)
    LANGUAGE sql STABLE
AS $$
    SELECT o."bookingId", max(o."expiresAt" AT TIME ZONE 'UTC')
                          FILTER (WHERE {i}.map_status('payment_session', o.status) = 'OPEN' AND x.status = 'EXPIRED'
                                    AND NOT EXISTS (SELECT 1 FROM {i}.quarantine q WHERE q.table_name = 'PaymentSession' AND q.legacy_id = o.id))
      FROM public."PaymentSession" o JOIN public."Booking" b ON b.id = o."bookingId"
     CROSS JOIN LATERAL (SELECT {i}.checkout_status(o.status, b.status, o."expiresAt", {i}.import_started()) AS status) x
     GROUP BY o."bookingId"
    HAVING bool_or({i}.map_status('payment_session', o.status) = 'OPEN' AND x.status = 'EXPIRED'
                   AND NOT EXISTS (SELECT 1 FROM {i}.quarantine q WHERE q.table_name = 'PaymentSession' AND q.legacy_id = o.id))
       AND NOT bool_or(x.status IN ('OPEN', 'PROCESSING'))
$$;
