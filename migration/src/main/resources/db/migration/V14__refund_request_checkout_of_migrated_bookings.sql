-- Refund requests of migrated bookings written before the refund outbox looked up the checkout that paid for
-- them: a migrated booking names no checkout, its legacy checkout names the booking (payment_session.booking_id).
-- Without that checkout the refund worker finds no provider reference and fails the refund for an operator to
-- pay back by hand. Each request still REQUESTED is given the checkout the outbox now gives a new one (SUCCEEDED,
-- naming the booking, the one with the provider's reference first); a FAILED or sent one stays as it is.
-- One UPDATE over the requests without a checkout, each found by payment_session_booking_idx.
UPDATE ticketing.refund_request r
   SET payment_session_id = (SELECT ps.id FROM ticketing.payment_session ps
                              WHERE ps.event_id = r.event_id AND ps.booking_id = r.booking_id AND ps.status = 'SUCCEEDED'
                              ORDER BY ps.provider_ref IS NULL, ps.updated_at DESC, ps.id
                              LIMIT 1)
 WHERE r.payment_session_id IS NULL
   AND r.status = 'REQUESTED';
