package io.ticketing.domain.port.out;

import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.RefundRequest;

import java.util.List;

/** The refund outbox: refunds owed, written with the change that owes them, sent to the provider later. */
public interface RefundRequestPort {

    /**
     * Stores the request in the current unit of work unless its booking has one already (a booking is refunded at
     * most once, whoever asks twice): true if stored, false if the booking had one.
     */
    boolean insertRefundRequest(RefundRequest request);

    /** The event's refund requests, oldest first. */
    List<RefundRequest> loadRefundRequestsOfEvent(EventId eventId);
}
