package io.ticketing.domain.service;

import io.ticketing.domain.model.InvalidCursorException;
import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.Booking;
import io.ticketing.domain.model.BookingId;
import io.ticketing.domain.model.BookingStatus;
import io.ticketing.domain.model.NotFoundException;
import io.ticketing.domain.model.RefundRequest;
import io.ticketing.domain.model.Seat;
import io.ticketing.domain.model.SeatStatus;
import io.ticketing.domain.model.Ticket;
import io.ticketing.domain.model.TicketStatus;
import io.ticketing.domain.policy.AccessPolicy;
import io.ticketing.domain.policy.BookingCancellationPolicy;
import io.ticketing.domain.policy.BookingCancellationRequest;
import io.ticketing.domain.policy.Policy;
import io.ticketing.domain.port.in.BookingCommand;
import io.ticketing.domain.port.in.BookingPage;
import io.ticketing.domain.port.in.CancelBookingUseCase;
import io.ticketing.domain.port.in.GetBookingSeatsUseCase;
import io.ticketing.domain.port.in.GetBookingTicketsUseCase;
import io.ticketing.domain.port.in.GetTicketUseCase;
import io.ticketing.domain.port.in.TicketQuery;
import io.ticketing.domain.port.in.GetBookingUseCase;
import io.ticketing.domain.port.in.ListCustomerBookingsQuery;
import io.ticketing.domain.port.in.ListBookingsToReviewQuery;
import io.ticketing.domain.port.in.ListBookingsToReviewUseCase;
import io.ticketing.domain.port.in.ListCustomerBookingsUseCase;
import io.ticketing.domain.port.in.MarkBookingReviewedUseCase;
import io.ticketing.domain.port.out.RowLock;
import io.ticketing.domain.port.out.LoadEventPort;
import io.ticketing.domain.port.out.LoadSeatPort;
import io.ticketing.domain.port.out.SeatTransitionPort;
import io.ticketing.domain.port.out.LoadBookingPort;
import io.ticketing.domain.port.out.SaveBookingPort;
import io.ticketing.domain.port.out.LoadTicketPort;
import io.ticketing.domain.port.out.SaveTicketPort;
import io.ticketing.domain.port.out.RefundRequestPort;
import io.ticketing.domain.port.out.UnitOfWorkPort;

import java.time.Clock;
import java.util.Objects;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

public class BookingService extends ServiceSupport implements CancelBookingUseCase, GetBookingUseCase,
        GetBookingSeatsUseCase, GetBookingTicketsUseCase, GetTicketUseCase, ListCustomerBookingsUseCase,
        ListBookingsToReviewUseCase, MarkBookingReviewedUseCase {

    private final LoadEventPort loadEvent;
    private final LoadSeatPort loadSeat;
    private final LoadBookingPort loadBooking;
    private final SaveBookingPort saveBooking;
    private final LoadTicketPort loadTicket;
    private final SaveTicketPort saveTicket;
    private final RefundRequestPort refundRequests;
    private final SeatMoves seatMoves;

    public BookingService(UnitOfWorkPort unitOfWork, Clock clock, LoadEventPort loadEvent, LoadSeatPort loadSeat, SeatTransitionPort seatTransition, LoadBookingPort loadBooking, SaveBookingPort saveBooking, LoadTicketPort loadTicket, SaveTicketPort saveTicket, RefundRequestPort refundRequests) {
        super(unitOfWork, clock);
        this.loadEvent = Objects.requireNonNull(loadEvent, "loadEvent");
        this.loadSeat = Objects.requireNonNull(loadSeat, "loadSeat");
        this.loadBooking = Objects.requireNonNull(loadBooking, "loadBooking");
        this.saveBooking = Objects.requireNonNull(saveBooking, "saveBooking");
        this.loadTicket = Objects.requireNonNull(loadTicket, "loadTicket");
        this.saveTicket = Objects.requireNonNull(saveTicket, "saveTicket");
        this.refundRequests = Objects.requireNonNull(refundRequests, "refundRequests");
        this.seatMoves = new SeatMoves(seatTransition);
    }

    @Override
    public Booking cancelBooking(BookingCommand command) {
        InvalidValueException.required(command, "command");
        return inUnitOfWork(command.actor(), () -> {
            Booking booking = loadVisible(command.actor(), command.bookingId(), RowLock.EXCLUSIVE);
            List<Ticket> tickets = loadTicket.loadTicketsOfBooking(booking.id());
            Instant now = now();
            Policy.firstRejection(BookingCancellationPolicy.allCurrentPolicies(), new BookingCancellationRequest(
                    booking, existingEvent(loadEvent, booking.eventId(), RowLock.NONE), tickets, now)).orThrow();
            Booking cancelled = booking.cancel(now);
            saveBooking.updateBooking(cancelled, BookingStatus.CONFIRMED);
            // The tickets admit nobody from now on; they are REFUNDED once the provider reports the money back.
            // A migrated booking may hold tickets the legacy app had already cancelled or refunded: they stay so.
            tickets.stream().filter(ticket -> ticket.status() == TicketStatus.VALID)
                    .forEach(ticket -> saveTicket.updateTicket(ticket.cancel(), TicketStatus.VALID));
            // The refund goes through the outbox, like an event's cancellation's: the refund worker sends it.
            refundRequests.insertRefundRequest(RefundRequest.of(cancelled,
                    "booking cancelled by " + command.actor().auditName(), now));
            seatMoves.moveOwnedSeats("Booking " + booking.id(), booking.eventId(), booking.seatIds(),
                    SeatStatus.BOOKED, SeatStatus.AVAILABLE);
            return cancelled;
        });
    }

    @Override
    public Optional<Booking> getBooking(BookingCommand query) {
        InvalidValueException.required(query, "query");
        return inUnitOfWork(query.actor(), () -> loadBooking.loadBooking(query.bookingId(), RowLock.NONE)
                .filter(booking -> AccessPolicy.mayActFor(query.actor(), booking.customerId())));
    }

    @Override
    public List<Seat> getBookingSeats(BookingCommand query) {
        InvalidValueException.required(query, "query");
        return inUnitOfWork(query.actor(), () -> {
            Booking booking = loadVisible(query.actor(), query.bookingId(), RowLock.NONE);
            return loadSeat.loadSeats(booking.eventId(), booking.seatIds());
        });
    }

    @Override
    public List<Ticket> getBookingTickets(BookingCommand query) {
        InvalidValueException.required(query, "query");
        return inUnitOfWork(query.actor(), () -> loadTicket
                .loadTicketsOfBooking(loadVisible(query.actor(), query.bookingId(), RowLock.NONE).id()));
    }

    @Override
    public Optional<Ticket> getTicket(TicketQuery query) {
        InvalidValueException.required(query, "query");
        Actor requester = query.requester();
        boolean atTheDoor = AccessPolicy.mayCheckIn(requester).isAllowed();
        return inUnitOfWork(requester, () -> loadTicket.loadTicketByCode(query.code(), RowLock.NONE)
                .filter(ticket -> atTheDoor || AccessPolicy.mayActFor(requester, ticket.customerId())));
    }

    @Override
    public BookingPage listCustomerBookings(ListCustomerBookingsQuery query) {
        InvalidValueException.required(query, "query");
        if (!AccessPolicy.mayActFor(query.requester(), query.customerId())) {
            return new BookingPage(List.of(), Optional.empty());
        }
        return inUnitOfWork(query.requester(), () -> {
            requireCursor(query.after(), booking -> booking.customerId().equals(query.customerId()), "this customer's bookings");
            return page(loadBooking.loadBookingsOfCustomer(query.customerId(), query.after(), query.limit() + 1),
                    query.limit());
        });
    }

    @Override
    public BookingPage listBookingsToReview(ListBookingsToReviewQuery query) {
        InvalidValueException.required(query, "query");
        AccessPolicy.mayOperate(query.requester()).orThrow();
        return inUnitOfWork(query.requester(), () -> {
            // A booking reviewed since still marks where the next page starts.
            requireCursor(query.after(), booking -> true, "the bookings");
            return page(loadBooking.loadBookingsToReview(query.after(), query.limit() + 1), query.limit());
        });
    }

    /**
     * A page cursor must name a booking of the list: after anything else the page would be empty, which reads as the
     * last one.
     */
    private void requireCursor(BookingId after, Predicate<Booking> ofTheList, String list) {
        if (after != null && loadBooking.loadBooking(after, RowLock.NONE).filter(ofTheList).isEmpty()) {
            throw new InvalidCursorException("after is not one of " + list + ": pass the nextAfter of the previous page.");
        }
    }

    @Override
    public Booking markBookingReviewed(BookingCommand command) {
        InvalidValueException.required(command, "command");
        AccessPolicy.mayOperate(command.actor()).orThrow();
        return inUnitOfWork(command.actor(), () -> {
            Booking booking = loadVisible(command.actor(), command.bookingId(), RowLock.EXCLUSIVE);
            if (!booking.needsReview()) {
                return booking;
            }
            Booking reviewed = booking.reviewDone();
            saveBooking.updateBooking(reviewed, booking.status());
            return reviewed;
        });
    }

    /** {@code rows} holds one row more than a page when a next page exists: that tells it without counting. */
    private static BookingPage page(List<Booking> rows, int limit) {
        if (rows.size() <= limit) {
            return new BookingPage(rows, Optional.empty());
        }
        List<Booking> page = rows.subList(0, limit);
        return new BookingPage(page, Optional.of(page.get(page.size() - 1).id()));
    }

    private Booking loadVisible(Actor actor, BookingId id, RowLock lock) {
        return loadBooking.loadBooking(id, lock)
                .filter(booking -> AccessPolicy.mayActFor(actor, booking.customerId()))
                .orElseThrow(() -> new NotFoundException("Booking", id));
    }
}
