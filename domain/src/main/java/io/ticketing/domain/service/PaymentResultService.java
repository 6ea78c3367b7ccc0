package io.ticketing.domain.service;

import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.model.Money;
import io.ticketing.domain.model.Booking;
import io.ticketing.domain.model.BookingStatus;
import io.ticketing.domain.model.ConcurrentChangeException;
import io.ticketing.domain.model.EventCancellation;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.SeatId;
import io.ticketing.domain.port.out.EventCancellationPort;
import io.ticketing.domain.port.out.EventCancellationPort.CancelledCheckouts;
import io.ticketing.domain.model.EventStatus;
import io.ticketing.domain.model.NotFoundException;
import io.ticketing.domain.model.PaymentSession;
import io.ticketing.domain.model.PaymentSessionStatus;
import io.ticketing.domain.model.RefundRequest;
import io.ticketing.domain.model.Seat;
import io.ticketing.domain.model.SeatStatus;
import io.ticketing.domain.model.Ticket;
import io.ticketing.domain.policy.AccessPolicy;
import io.ticketing.domain.policy.Decision;
import io.ticketing.domain.policy.RejectionReason;
import io.ticketing.domain.port.in.ApplyPaymentResultCommand;
import io.ticketing.domain.port.in.ApplyPaymentResultUseCase;
import io.ticketing.domain.port.in.PaymentResult;
import io.ticketing.domain.port.in.PaymentResultApplied;
import io.ticketing.domain.port.out.RowLock;
import io.ticketing.domain.port.out.LoadEventPort;
import io.ticketing.domain.port.out.RefundRequestPort;
import io.ticketing.domain.port.out.LoadSeatPort;
import io.ticketing.domain.port.out.SeatTransitionPort;
import io.ticketing.domain.port.out.LoadPaymentSessionPort;
import io.ticketing.domain.port.out.SavePaymentSessionPort;
import io.ticketing.domain.port.out.LoadBookingPort;
import io.ticketing.domain.port.out.SaveBookingPort;
import io.ticketing.domain.port.out.LoadTicketPort;
import io.ticketing.domain.port.out.SaveTicketPort;
import io.ticketing.domain.port.out.UnitOfWorkPort;

import java.time.Clock;
import java.util.Objects;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.LinkedHashSet;
import java.util.Set;

public class PaymentResultService extends ServiceSupport implements ApplyPaymentResultUseCase {

    /** Why a payment that arrived after its checkout had ended without a sale is refunded, by how it ended. */
    static final String PAID_AFTER_CANCELLATION = "paid after the event was cancelled";
    static final String PAID_AFTER_EXPIRY = "paid after the checkout expired";
    static final String PAID_AFTER_CHECKOUT_CANCELLED = "paid after the checkout was cancelled";
    static final String PAID_AFTER_FAILURE = "paid after the payment failed";
    /** Why a second payment of one checkout is refunded. */
    static final String PAID_TWICE = "a second payment of the checkout";
    /** Why a payment of another amount than its checkout's is refunded. */
    static final String PAID_ANOTHER_AMOUNT = "a payment of another amount than the checkout's";

    private final LoadEventPort loadEvent;
    private final LoadSeatPort loadSeat;
    private final LoadPaymentSessionPort loadPaymentSession;
    private final SavePaymentSessionPort savePaymentSession;
    private final LoadBookingPort loadBooking;
    private final SaveBookingPort saveBooking;
    private final LoadTicketPort loadTicket;
    private final SaveTicketPort saveTicket;
    private final RefundRequestPort refundRequests;
    private final EventCancellationPort eventCancellation;
    private final SeatMoves seatMoves;

    public PaymentResultService(UnitOfWorkPort unitOfWork, Clock clock, LoadEventPort loadEvent, LoadSeatPort loadSeat, SeatTransitionPort seatTransition, LoadPaymentSessionPort loadPaymentSession, SavePaymentSessionPort savePaymentSession, LoadBookingPort loadBooking, SaveBookingPort saveBooking, LoadTicketPort loadTicket, SaveTicketPort saveTicket, RefundRequestPort refundRequests, EventCancellationPort eventCancellation) {
        super(unitOfWork, clock);
        this.loadEvent = Objects.requireNonNull(loadEvent, "loadEvent");
        this.loadSeat = Objects.requireNonNull(loadSeat, "loadSeat");
        this.loadPaymentSession = Objects.requireNonNull(loadPaymentSession, "loadPaymentSession");
        this.savePaymentSession = Objects.requireNonNull(savePaymentSession, "savePaymentSession");
        this.loadBooking = Objects.requireNonNull(loadBooking, "loadBooking");
        this.saveBooking = Objects.requireNonNull(saveBooking, "saveBooking");
        this.loadTicket = Objects.requireNonNull(loadTicket, "loadTicket");
        this.saveTicket = Objects.requireNonNull(saveTicket, "saveTicket");
        this.refundRequests = Objects.requireNonNull(refundRequests, "refundRequests");
        this.eventCancellation = Objects.requireNonNull(eventCancellation, "eventCancellation");
        this.seatMoves = new SeatMoves(seatTransition);
    }

    @Override
    public PaymentResultApplied applyPaymentResult(ApplyPaymentResultCommand command) {
        InvalidValueException.required(command, "command");
        AccessPolicy.mayOperate(command.actor()).orThrow();
        return inUnitOfWork(command.actor(), () -> {
            // A success while the checkout's event is being cancelled is settled as the cancellation's batch would
            // settle it; the cancellation is locked first, in the order its batches lock (it, then the checkouts).
            Optional<EventCancellation> cancelling = command.result() == PaymentResult.SUCCEEDED
                    ? eventCancellation.lockRunningEventCancellationOfPaymentSession(command.paymentSessionId()) : Optional.empty();
            // The exclusive lock orders this after (or before) the sweeper and other reports for this session.
            PaymentSession session = loadPaymentSession.loadPaymentSession(command.paymentSessionId(), RowLock.EXCLUSIVE)
                    .orElseThrow(() -> new NotFoundException("PaymentSession", command.paymentSessionId()));
            // Money taken must be money expected: a report of a payment that names no amount confirms nothing.
            Decision.allowedUnless(command.result() != PaymentResult.FAILED && command.reportedAmount() == null,
                    RejectionReason.PAYMENT_AMOUNT_MISMATCH,
                    "provider reported %s for checkout %s without an amount and its currency; it must report %s".formatted(
                            command.result(), session.id(), session.amount())).orThrow();
            if (command.reportedAmount() != null && !command.reportedAmount().equals(session.amount())) {
                return paymentOfAnotherAmount(session, command);
            }
            if (command.result() == PaymentResult.SUCCEEDED && tookMoneyAlready(session)
                    && command.providerReference() != null && session.providerReference() != null
                    && !command.providerReference().equals(session.providerReference())) {
                return anotherPayment(session, command.providerReference(), session.amount(), PAID_TWICE, now());
            }
            if (session.status() == command.result().sessionStatus()) {
                return appliedAlready(session); // providers retry reports; a repeat changes nothing
            }
            if (session.status() == PaymentSessionStatus.SUCCEEDED) {
                // A `processing` or `failed` report the success overtook: stale, it changes nothing, and is taken as it
                // is, so that the provider stops sending it.
                return appliedAlready(session);
            }
            if (command.result() == PaymentResult.FAILED && session.status() == PaymentSessionStatus.PROCESSING
                    && session.providerReference() != null && command.providerReference() != null
                    && !command.providerReference().equals(session.providerReference())) {
                // Another attempt failed: the payment under way is the one the checkout recorded, and it may still succeed.
                return appliedAlready(session);
            }
            // A payment the application may have to give back (its checkout ended, its event or booking cancelled)
            // is refunded by its reference (a repeat of a success, above, changes nothing and needs none). The reference a
            // failed checkout recorded is its failed payment's, not this one's.
            InvalidValueException.check(command.result() != PaymentResult.SUCCEEDED || command.providerReference() != null
                    || session.providerReference() != null && session.status() != PaymentSessionStatus.FAILED,
                    "providerReference is required for a succeeded payment: a refund names it");
            if (command.result() == PaymentResult.SUCCEEDED && command.providerReference() != null) {
                // A payment refunded as one of another amount cannot also be this checkout's payment of its own amount.
                Optional<RefundRequest> refunded = refundRequests.loadRefundRequestOfAnotherPayment(session.eventId(), session.id(),
                        command.providerReference());
                Decision.allowedUnless(refunded.isPresent(), RejectionReason.PAYMENT_AMOUNT_MISMATCH, refunded.map(refund ->
                        "provider reported payment %s of %s for checkout %s, which it reported of %s before (refunded)".formatted(
                                command.providerReference(), command.reportedAmount(), session.id(), refund.amount())).orElse("")).orThrow();
            }
            Optional<String> endedWithoutASale = endedWithoutASale(session);
            if (endedWithoutASale.isPresent()) {
                // The checkout ended while the provider was still taking the money: a success is accepted and refunded.
                // A late `processing` or `failed` report says no money came (should it come, `succeeded` says so):
                // nothing is left to change, and the report is taken as it is, so that the provider stops sending it.
                return command.result() == PaymentResult.SUCCEEDED
                        ? paidAfterItEnded(session, command.providerReference(), endedWithoutASale.get(), now())
                        : appliedAlready(session);
            }
            Instant now = now();
            if (cancelling.isPresent() || command.result() == PaymentResult.SUCCEEDED && cancelledWithoutACancellation(session)) {
                return paidWhileItsEventIsCancelled(session, cancelling, command.providerReference(), now);
            }
            return switch (command.result()) {
                case PROCESSING -> processing(session, command.providerReference(), now);
                case SUCCEEDED -> succeeded(session, command.providerReference(), now);
                case FAILED -> failed(session, command.providerReference(), now);
            };
        });
    }

    private PaymentResultApplied processing(PaymentSession session, String reference, Instant now) {
        PaymentSession processing = session.markProcessing(reference);
        savePaymentSession.updatePaymentSession(processing, session.status());
        Booking pending = insertPendingBooking(session, now);
        return new PaymentResultApplied(processing, Optional.of(pending), List.of());
    }

    private PaymentResultApplied succeeded(PaymentSession session, String reference, Instant now) {
        PaymentSession succeeded = session.succeed(reference);
        List<Seat> booked = seatMoves.moveOwnedSeats("PaymentSession " + session.id(), session.eventId(), session.seatIds(),
                SeatStatus.RESERVED, SeatStatus.BOOKED);
        savePaymentSession.updatePaymentSession(succeeded, session.status());
        // A booking exists already after a "processing" report (or, migrated, from the legacy app); else it is
        // written once, confirmed, with the seats' prices as their move returned them.
        Booking confirmed = loadBooking.loadBookingOfPaymentSession(session.id()).map(pending -> {
            Booking booking = pending.confirm(now);
            saveBooking.updateBooking(booking, pending.status());
            return booking;
        }).orElseGet(() -> {
            Booking booking = Booking.pendingFor(session, booked, now).confirm(now);
            saveBooking.insertBooking(booking);
            return booking;
        });
        List<Ticket> tickets = confirmed.seatIds().stream().map(seat -> Ticket.issue(confirmed, seat, now)).toList();
        saveTicket.insertTickets(tickets);
        return new PaymentResultApplied(succeeded, Optional.of(confirmed), tickets);
    }

    /**
     * Whether {@code session} has taken a payment already: SUCCEEDED, or ended without a sale and then paid (its booking
     * cancelled and paid, the refund requested). A success under another reference is then a second payment.
     */
    private boolean tookMoneyAlready(PaymentSession session) {
        return session.status() == PaymentSessionStatus.SUCCEEDED || endedWithoutASale(session).isPresent()
                && loadBooking.loadBookingOfPaymentSession(session.id()).filter(Booking::isRefunded).isPresent();
    }

    /**
     * A report of a payment of another amount than the checkout's, in its currency: the customer added seats while the
     * provider was taking the amount of before, or the provider charged what it was not asked. It is not the checkout's
     * payment, which may still come (or the checkout expire): a success confirms nothing and changes nothing of the
     * checkout, and its money is refunded as a second payment's is ({@link #anotherPayment}); a `processing` or `failed`
     * report of it changes nothing (should the money come, its success says so), nor does a success of 0.00. Refused, nothing changed: an amount in
     * another currency (no booking can stand for it), an amount reported under the payment reference the checkout
     * recorded (the provider contradicts its own report), and a success without a reference to refund it by.
     */
    private PaymentResultApplied paymentOfAnotherAmount(PaymentSession session, ApplyPaymentResultCommand command) {
        Money reported = command.reportedAmount();
        String reference = command.providerReference();
        String refused = !reported.currency().equals(session.amount().currency())
                ? "a payment in another currency cannot stand for a booking here: refund it through the provider"
                : reference != null && reference.equals(session.providerReference())
                ? "the checkout recorded payment %s of its own amount".formatted(reference)
                : command.result() == PaymentResult.SUCCEEDED && reference == null
                ? "a success of another amount must name its providerReference, by which it is refunded" : null;
        Decision.allowedUnless(refused != null, RejectionReason.PAYMENT_AMOUNT_MISMATCH,
                "provider reported %s for checkout %s of %s; %s".formatted(reported, session.id(), session.amount(), refused)).orThrow();
        // A success of nothing took nothing: no booking stands for it, and no refund gives it back.
        return command.result() == PaymentResult.SUCCEEDED && reported.amount().signum() > 0
                ? anotherPayment(session, reference, reported, PAID_ANOTHER_AMOUNT, now())
                : appliedAlready(session);
    }

    /**
     * Money {@code session} took beside its own payment, {@code paid} under {@code reference}: the provider charged the
     * checkout twice (two payment pages open, a retry that became a charge) and reports a success under another payment
     * reference, or it took another amount ({@link #paymentOfAnotherAmount}). It confirms nothing and changes neither
     * the checkout nor its booking: it is refunded under a booking of its own that stands for it
     * ({@link Booking#anotherPaymentOf}), its refund naming the payment. A repeat of the report (another provider event
     * id, the same reference) finds that refund and requests nothing more.
     */
    private PaymentResultApplied anotherPayment(PaymentSession session, String reference, Money paid, String reason, Instant now) {
        Optional<RefundRequest> refunded = refundRequests.loadRefundRequestOfAnotherPayment(session.eventId(), session.id(), reference);
        if (refunded.isPresent()) {
            // One payment has one amount: another one under its reference contradicts the provider's first report.
            Decision.allowedUnless(!refunded.get().amount().equals(paid), RejectionReason.PAYMENT_AMOUNT_MISMATCH,
                    "provider reported payment %s of %s for checkout %s, which it reported of %s before".formatted(reference, paid,
                            session.id(), refunded.get().amount())).orThrow();
            return new PaymentResultApplied(session, loadBooking.loadBooking(refunded.get().bookingId(), RowLock.NONE), List.of());
        }
        Booking booking = Booking.anotherPaymentOf(session, loadSeat.loadSeats(session.eventId(), session.seatIds()), paid, now);
        saveBooking.insertBooking(booking);
        refundRequests.insertRefundRequest(RefundRequest.ofAnotherPayment(booking, session.id(), reference, reason, now));
        return new PaymentResultApplied(session, Optional.of(booking), List.of());
    }

    /**
     * Why money that comes for {@code session} now is given back, if the checkout ended without a sale: it
     * expired, its customer or its event's cancellation cancelled it, or its payment failed. Empty while it is
     * OPEN or PROCESSING, and once SUCCEEDED. A CANCELLED checkout of a cancelled event is taken as one that
     * cancellation ended (nothing stored tells apart one its customer cancelled just before).
     */
    private Optional<String> endedWithoutASale(PaymentSession session) {
        return Optional.ofNullable(switch (session.status()) {
            case EXPIRED -> PAID_AFTER_EXPIRY;
            case FAILED -> PAID_AFTER_FAILURE;
            case CANCELLED -> existingEvent(loadEvent, session.eventId(), RowLock.NONE).status() == EventStatus.CANCELLED
                    ? PAID_AFTER_CANCELLATION : PAID_AFTER_CHECKOUT_CANCELLED;
            case OPEN, PROCESSING, SUCCEEDED -> null;
        });
    }

    /**
     * A payment that succeeded after its checkout ended without a sale is accepted and refunded, for {@code reason}:
     * the checkout keeps its status (with the provider's reference, for the refund), its booking is paid and
     * cancelled (written so, with its seats released, if the checkout had none; a PENDING one was cancelled when
     * the checkout failed or its event was cancelled), and its refund is requested. No ticket, and no seat is
     * touched: the checkout let its seats go when it ended, and they may be someone else's by now (or the
     * cancelled event's). A repeat (another provider event id) requests nothing more.
     * <p>
     * A migrated checkout may name a booking that is live: another checkout, or the legacy app, paid for it after
     * this one ended. This money is then a second payment, not the booking's: it is refunded under a booking of its
     * own, as for a checkout without one (which the checkout names from then on), and the live booking stays as it is.
     */
    private PaymentResultApplied paidAfterItEnded(PaymentSession session, String reference, String reason, Instant now) {
        PaymentSession recorded = session.withProviderReference(reference);
        savePaymentSession.updatePaymentSession(recorded, session.status());
        Booking paid = loadBooking.loadBookingOfPaymentSession(session.id())
                .filter(booking -> booking.status() == BookingStatus.CANCELLED
                        || booking.paymentSessionId().equals(Optional.of(session.id())))
                .map(booking -> {
            Booking late = booking.paidAfterCancellation(now);
            if (late != booking) {
                saveBooking.updateBooking(late, booking.status());
            }
            return late;
        }).orElseGet(() -> {
            Booking late = Booking.pendingFor(session, loadSeat.loadSeats(session.eventId(), session.seatIds()), now)
                    .confirm(now).cancel(now);
            saveBooking.insertBooking(late);
            return late;
        });
        // This checkout took the money, whether or not the booking names it (a migrated one names none).
        refundRequests.insertRefundRequest(RefundRequest.of(paid, session.id(), reason, now));
        return new PaymentResultApplied(recorded, Optional.of(paid), List.of());
    }

    /**
     * Whether the checkout's event is CANCELLED and has no cancellation here: the legacy app cancelled it without ending
     * its sales, and `maintain` reports it until an admin runs this application's cancellation. Read without a lock: a
     * cancelled event stays cancelled. An event whose cancellation began since this report looked for a running one is
     * not: that cancellation's batches, which lock it before the checkouts, settle the payment as one made just before
     * it (confirmed, then cancelled and refunded, counted in its progress); this report, holding the checkout, may not
     * lock the cancellation now.
     */
    private boolean cancelledWithoutACancellation(PaymentSession session) {
        return existingEvent(loadEvent, session.eventId(), RowLock.NONE).status() == EventStatus.CANCELLED
                && eventCancellation.loadEventCancellation(session.eventId(), RowLock.NONE).isEmpty();
    }

    /**
     * A success for a checkout still OPEN or PROCESSING of a cancelled event: while its event's cancellation runs,
     * before a batch reached it, or before any ran (an event the legacy app cancelled). Confirmed, it would answer a
     * booking with tickets for an event that will not take place. What a batch would do is done here instead, and
     * counted in the running cancellation's progress, if one runs: the checkout and a PENDING booking of it
     * cancelled, their seats BLOCKED; then the money is taken and refunded as for any payment that came after its
     * checkout ended.
     */
    private PaymentResultApplied paidWhileItsEventIsCancelled(PaymentSession session, Optional<EventCancellation> cancellation,
                                                              String reference, Instant now) {
        EventId eventId = session.eventId();
        Optional<Booking> pending = loadBooking.loadBookingOfPaymentSession(session.id())
                .filter(booking -> booking.status() == BookingStatus.PENDING);
        int bookings = pending.isEmpty() ? 0 : eventCancellation.cancelBookings(eventId, List.of(pending.get().id()), now);
        PaymentSession cancelled = session.cancel();
        CancelledCheckouts checkout = eventCancellation.cancelActivePaymentSessions(eventId, List.of(session.id()));
        if (bookings != (pending.isEmpty() ? 0 : 1) || checkout.checkouts() != 1) {
            throw new ConcurrentChangeException("PaymentSession", session.id(), "no longer %s".formatted(session.status()));
        }
        // A pending booking's seats are its checkout's, but a migrated one may list others: the batch frees both.
        Set<SeatId> freed = new LinkedHashSet<>(checkout.releasedSeats());
        pending.ifPresent(booking -> freed.addAll(booking.seatIds()));
        if (!freed.isEmpty() && eventCancellation.blockSeats(eventId, freed) != freed.size()) {
            throw new IllegalStateException("PaymentSession %s released seats %s of cancelled event %s but could not block them; the storage is inconsistent"
                    .formatted(session.id(), freed, eventId));
        }
        cancellation.ifPresent(running -> eventCancellation.updateEventCancellation(running.afterBatch(bookings, 1, freed.size(), 0)));
        return paidAfterItEnded(cancelled, reference, PAID_AFTER_CANCELLATION, now);
    }

    private PaymentResultApplied failed(PaymentSession session, String reference, Instant now) {
        PaymentSession failed = session.fail(reference);
        savePaymentSession.updatePaymentSession(failed, session.status());
        seatMoves.releaseSeatsOf(session);
        // Only a booking still waiting for this payment ends with it (a migrated checkout may point at a paid one).
        Optional<Booking> cancelled = loadBooking.loadBookingOfPaymentSession(session.id())
                .filter(booking -> booking.status() == BookingStatus.PENDING).map(pending -> {
            Booking booking = pending.cancel(now);
            saveBooking.updateBooking(booking, BookingStatus.PENDING);
            return booking;
        });
        return new PaymentResultApplied(failed, cancelled, List.of());
    }

    private Booking insertPendingBooking(PaymentSession session, Instant now) {
        Booking booking = Booking.pendingFor(session, loadSeat.loadSeats(session.eventId(), session.seatIds()), now);
        saveBooking.insertBooking(booking);
        return booking;
    }

    private PaymentResultApplied appliedAlready(PaymentSession session) {
        Optional<Booking> booking = loadBooking.loadBookingOfPaymentSession(session.id());
        List<Ticket> tickets = booking.map(b -> loadTicket.loadTicketsOfBooking(b.id())).orElse(List.of());
        return new PaymentResultApplied(session, booking, tickets);
    }
}
