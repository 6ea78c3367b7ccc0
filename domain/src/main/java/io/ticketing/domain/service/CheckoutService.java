package io.ticketing.domain.service;

import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.Event;
import io.ticketing.domain.model.NotFoundException;
import io.ticketing.domain.model.PaymentSession;
import io.ticketing.domain.model.PaymentSessionId;
import io.ticketing.domain.model.PaymentSessionStatus;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.Seat;
import io.ticketing.domain.model.SeatId;
import io.ticketing.domain.model.SeatStatus;
import io.ticketing.domain.policy.AccessPolicy;
import io.ticketing.domain.policy.CheckoutLimits;
import io.ticketing.domain.policy.CheckoutPolicy;
import io.ticketing.domain.policy.CheckoutRequest;
import io.ticketing.domain.port.in.AddSeatsToSessionCommand;
import io.ticketing.domain.port.in.AddSeatsToSessionUseCase;
import io.ticketing.domain.port.in.CancelCheckoutUseCase;
import io.ticketing.domain.port.in.CheckoutCommand;
import io.ticketing.domain.port.in.GetCheckoutUseCase;
import io.ticketing.domain.port.in.OpenCheckoutCommand;
import io.ticketing.domain.port.in.OpenCheckoutUseCase;
import io.ticketing.domain.port.out.RowLock;
import io.ticketing.domain.port.out.LoadEventPort;
import io.ticketing.domain.port.out.LoadSeatPort;
import io.ticketing.domain.port.out.SeatTransitionPort;
import io.ticketing.domain.port.out.LoadPaymentSessionPort;
import io.ticketing.domain.port.out.SavePaymentSessionPort;
import io.ticketing.domain.port.out.LoadCustomerPort;
import io.ticketing.domain.port.out.UnitOfWorkPort;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

public class CheckoutService extends ServiceSupport implements OpenCheckoutUseCase, AddSeatsToSessionUseCase,
        GetCheckoutUseCase, CancelCheckoutUseCase {

    private final CheckoutLimits limits;
    private final LoadEventPort loadEvent;
    private final LoadSeatPort loadSeat;
    private final LoadPaymentSessionPort loadPaymentSession;
    private final SavePaymentSessionPort savePaymentSession;
    private final LoadCustomerPort loadCustomer;
    private final SeatMoves seatMoves;

    public CheckoutService(UnitOfWorkPort unitOfWork, Clock clock, LoadEventPort loadEvent, LoadSeatPort loadSeat, SeatTransitionPort seatTransition, LoadPaymentSessionPort loadPaymentSession, SavePaymentSessionPort savePaymentSession, LoadCustomerPort loadCustomer, CheckoutLimits limits) {
        super(unitOfWork, clock);
        this.loadEvent = Objects.requireNonNull(loadEvent, "loadEvent");
        this.loadSeat = Objects.requireNonNull(loadSeat, "loadSeat");
        this.loadPaymentSession = Objects.requireNonNull(loadPaymentSession, "loadPaymentSession");
        this.savePaymentSession = Objects.requireNonNull(savePaymentSession, "savePaymentSession");
        this.loadCustomer = Objects.requireNonNull(loadCustomer, "loadCustomer");
        this.seatMoves = new SeatMoves(seatTransition);
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    @Override
    public PaymentSession openCheckout(OpenCheckoutCommand command) {
        InvalidValueException.required(command, "command");
        AccessPolicy.mayActForCustomer(command.actor(), command.customerId()).orThrow();
        return inUnitOfWork(command.actor(), () -> {
            // Locking the customer serializes their checkouts: the open-checkout quota cannot be overrun by a race.
            loadCustomer.loadCustomer(command.customerId(), RowLock.EXCLUSIVE)
                    .orElseThrow(() -> new NotFoundException("Customer", command.customerId()));
            // A shared lock on the event keeps it from being deleted or unpublished until this checkout commits.
            // A customer asking for a draft or a deleted event learns no more than GET /events/{id} tells: not found.
            Event event = visibleEvent(loadEvent, command.eventId(), command.actor(), RowLock.SHARED);
            Instant now = now();
            long openCheckouts = loadPaymentSession.countOpenPaymentSessions(command.customerId(), now);
            CheckoutPolicy.evaluateAll(new CheckoutRequest(event, command.seatIds(),
                    loadSeat.loadSeats(event.id(), command.seatIds()), null, openCheckouts, limits, now)).orThrow();
            // Written once, with its seats and amount as the seats' move returned them.
            PaymentSession session = PaymentSession.open(event, command.customerId(), now, limits.expiry())
                    .withReservedSeats(reserve(event.id(), command.seatIds()));
            savePaymentSession.insertPaymentSession(session);
            return session;
        });
    }

    @Override
    public PaymentSession addSeatsToSession(AddSeatsToSessionCommand command) {
        InvalidValueException.required(command, "command");
        return inUnitOfWork(command.actor(), () -> {
            PaymentSession session = loadVisible(command.actor(), command.paymentSessionId(), RowLock.EXCLUSIVE);
            Event event = existingEvent(loadEvent, session.eventId(), RowLock.SHARED);
            List<SeatId> newSeats = command.seatIds().stream().filter(id -> !session.seatIds().contains(id)).toList();
            if (newSeats.isEmpty()) {
                // A retry of seats it holds already; but a closed checkout takes none, and must not answer as if it held them.
                CheckoutPolicy.sessionMustBeOpen.evaluate(new CheckoutRequest(event, List.of(), List.of(), session, 0, limits, now())).orThrow();
                return session;
            }
            CheckoutPolicy.evaluateAll(new CheckoutRequest(event, newSeats,
                    loadSeat.loadSeats(event.id(), newSeats), session, 0, limits, now())).orThrow();
            PaymentSession withSeats = session.withReservedSeats(reserve(event.id(), newSeats));
            savePaymentSession.updatePaymentSession(withSeats, PaymentSessionStatus.OPEN);
            return withSeats;
        });
    }

    @Override
    public Optional<PaymentSession> getCheckout(CheckoutCommand query) {
        InvalidValueException.required(query, "query");
        return inUnitOfWork(query.actor(), () -> loadPaymentSession
                .loadPaymentSession(query.paymentSessionId(), RowLock.NONE)
                .filter(session -> AccessPolicy.mayActFor(query.actor(), session.customerId())));
    }

    @Override
    public PaymentSession cancelCheckout(CheckoutCommand command) {
        InvalidValueException.required(command, "command");
        return inUnitOfWork(command.actor(), () -> {
            PaymentSession session = loadVisible(command.actor(), command.paymentSessionId(), RowLock.EXCLUSIVE);
            PaymentSession cancelled = session.cancelByCustomer();
            seatMoves.releaseSeatsOf(session);
            savePaymentSession.updatePaymentSession(cancelled, session.status());
            return cancelled;
        });
    }

    private PaymentSession loadVisible(Actor actor, PaymentSessionId id, RowLock lock) {
        return loadPaymentSession.loadPaymentSession(id, lock)
                .filter(session -> AccessPolicy.mayActFor(actor, session.customerId()))
                .orElseThrow(() -> new NotFoundException("PaymentSession", id));
    }

    /** The one atomic step that decides races for seats; losing it rolls back the whole unit of work. */
    private List<Seat> reserve(EventId eventId, List<SeatId> seatIds) {
        return seatMoves.moveSeatsOrRefuse(eventId, seatIds, SeatStatus.AVAILABLE, SeatStatus.RESERVED);
    }
}
