package io.ticketing.api.web;

import io.ticketing.domain.port.in.AddSeatsToSessionUseCase;
import io.ticketing.domain.port.in.ApplyPaymentWebhookUseCase;
import io.ticketing.domain.port.in.BlockSeatsUseCase;
import io.ticketing.domain.port.in.CancelBookingUseCase;
import io.ticketing.domain.port.in.CancelCheckoutUseCase;
import io.ticketing.domain.port.in.CancelEventUseCase;
import io.ticketing.domain.port.in.CheckInTicketUseCase;
import io.ticketing.domain.port.in.CreateEventUseCase;
import io.ticketing.domain.port.in.CreateSeatsUseCase;
import io.ticketing.domain.port.in.DeleteEventUseCase;
import io.ticketing.domain.port.in.EditEventUseCase;
import io.ticketing.domain.port.in.FindApiKeyUseCase;
import io.ticketing.domain.port.in.GetAuditTrailUseCase;
import io.ticketing.domain.port.in.GetAvailableSeatsUseCase;
import io.ticketing.domain.port.in.GetBookingSeatsUseCase;
import io.ticketing.domain.port.in.GetBookingTicketsUseCase;
import io.ticketing.domain.port.in.GetBookingUseCase;
import io.ticketing.domain.port.in.GetCheckoutUseCase;
import io.ticketing.domain.port.in.GetEventSalesAnalyticsUseCase;
import io.ticketing.domain.port.in.GetEventCancellationUseCase;
import io.ticketing.domain.port.in.GetEventStatsUseCase;
import io.ticketing.domain.port.in.GetEventUseCase;
import io.ticketing.domain.port.in.GetTicketUseCase;
import io.ticketing.domain.port.in.GetUpcomingEventsUseCase;
import io.ticketing.domain.port.in.ListBookingsToReviewUseCase;
import io.ticketing.domain.port.in.ListCustomerBookingsUseCase;
import io.ticketing.domain.port.in.ListEventsUseCase;
import io.ticketing.domain.port.in.MarkBookingReviewedUseCase;
import io.ticketing.domain.port.in.OpenCheckoutUseCase;
import io.ticketing.domain.port.in.PublishEventUseCase;
import io.ticketing.domain.port.in.RegisterCustomerUseCase;
import io.ticketing.domain.port.in.RestoreEventUseCase;
import io.ticketing.domain.port.in.RunRequestUseCase;

import java.util.Objects;

/**
 * The domain's use cases (ports in) the HTTP API calls, one component per interface: the wiring fills
 * it, {@link ApiApplication} hands each endpoint class the ones it calls and no other.
 */
public record ApiUseCases(GetUpcomingEventsUseCase getUpcomingEvents,
                          CreateEventUseCase createEvent,
                          GetEventUseCase getEvent,
                          EditEventUseCase editEvent,
                          DeleteEventUseCase deleteEvent,
                          PublishEventUseCase publishEvent,
                          CancelEventUseCase cancelEvent,
                          GetEventCancellationUseCase getEventCancellation,
                          RestoreEventUseCase restoreEvent,
                          ListEventsUseCase listEvents,
                          GetAvailableSeatsUseCase getAvailableSeats,
                          CreateSeatsUseCase createSeats,
                          BlockSeatsUseCase blockSeats,
                          GetEventStatsUseCase getEventStats,
                          GetEventSalesAnalyticsUseCase getEventSalesAnalytics,
                          OpenCheckoutUseCase openCheckout,
                          GetCheckoutUseCase getCheckout,
                          AddSeatsToSessionUseCase addSeatsToSession,
                          CancelCheckoutUseCase cancelCheckout,
                          ApplyPaymentWebhookUseCase applyPaymentWebhook,
                          ListCustomerBookingsUseCase listCustomerBookings,
                          ListBookingsToReviewUseCase listBookingsToReview,
                          GetBookingUseCase getBooking,
                          GetBookingSeatsUseCase getBookingSeats,
                          GetBookingTicketsUseCase getBookingTickets,
                          CancelBookingUseCase cancelBooking,
                          MarkBookingReviewedUseCase markBookingReviewed,
                          GetTicketUseCase getTicket,
                          CheckInTicketUseCase checkInTicket,
                          RegisterCustomerUseCase registerCustomer,
                          FindApiKeyUseCase findApiKey,
                          RunRequestUseCase requests,
                          GetAuditTrailUseCase getAuditTrail) {

    public ApiUseCases {
        Objects.requireNonNull(getUpcomingEvents, "getUpcomingEvents");
        Objects.requireNonNull(createEvent, "createEvent");
        Objects.requireNonNull(getEvent, "getEvent");
        Objects.requireNonNull(editEvent, "editEvent");
        Objects.requireNonNull(deleteEvent, "deleteEvent");
        Objects.requireNonNull(publishEvent, "publishEvent");
        Objects.requireNonNull(cancelEvent, "cancelEvent");
        Objects.requireNonNull(getEventCancellation, "getEventCancellation");
        Objects.requireNonNull(restoreEvent, "restoreEvent");
        Objects.requireNonNull(listEvents, "listEvents");
        Objects.requireNonNull(getAvailableSeats, "getAvailableSeats");
        Objects.requireNonNull(createSeats, "createSeats");
        Objects.requireNonNull(blockSeats, "blockSeats");
        Objects.requireNonNull(getEventStats, "getEventStats");
        Objects.requireNonNull(getEventSalesAnalytics, "getEventSalesAnalytics");
        Objects.requireNonNull(openCheckout, "openCheckout");
        Objects.requireNonNull(getCheckout, "getCheckout");
        Objects.requireNonNull(addSeatsToSession, "addSeatsToSession");
        Objects.requireNonNull(cancelCheckout, "cancelCheckout");
        Objects.requireNonNull(applyPaymentWebhook, "applyPaymentWebhook");
        Objects.requireNonNull(listCustomerBookings, "listCustomerBookings");
        Objects.requireNonNull(listBookingsToReview, "listBookingsToReview");
        Objects.requireNonNull(getBooking, "getBooking");
        Objects.requireNonNull(getBookingSeats, "getBookingSeats");
        Objects.requireNonNull(getBookingTickets, "getBookingTickets");
        Objects.requireNonNull(cancelBooking, "cancelBooking");
        Objects.requireNonNull(markBookingReviewed, "markBookingReviewed");
        Objects.requireNonNull(getTicket, "getTicket");
        Objects.requireNonNull(checkInTicket, "checkInTicket");
        Objects.requireNonNull(registerCustomer, "registerCustomer");
        Objects.requireNonNull(findApiKey, "findApiKey");
        Objects.requireNonNull(requests, "requests");
        Objects.requireNonNull(getAuditTrail, "getAuditTrail");
    }
}
