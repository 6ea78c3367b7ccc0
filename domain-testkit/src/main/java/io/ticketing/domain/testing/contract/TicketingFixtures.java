package io.ticketing.domain.testing.contract;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.Customer;
import io.ticketing.domain.model.Event;
import io.ticketing.domain.model.EventCancellation;
import io.ticketing.domain.model.EventDetails;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.Money;
import io.ticketing.domain.model.PaymentSession;
import io.ticketing.domain.model.Seat;
import io.ticketing.domain.model.SeatId;
import io.ticketing.domain.port.in.ApplyPaymentResultCommand;
import io.ticketing.domain.port.in.AvailableSeatsQuery;
import io.ticketing.domain.port.in.CancelEventCommand;
import io.ticketing.domain.port.in.ContinueEventCancellationCommand;
import io.ticketing.domain.port.in.CreateEventCommand;
import io.ticketing.domain.port.in.CreateSeatsCommand;
import io.ticketing.domain.port.in.EventCommand;
import io.ticketing.domain.port.in.OpenCheckoutCommand;
import io.ticketing.domain.port.in.PaymentResult;
import io.ticketing.domain.port.in.PaymentResultApplied;
import io.ticketing.domain.port.in.RegisterCustomerCommand;
import io.ticketing.domain.port.in.SeatBlock;
import io.ticketing.domain.port.in.SeatPage;
import io.ticketing.domain.service.TicketingServices;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** "Given" steps in the ubiquitous language, built only from use cases, so they work with any adapter. */
public final class TicketingFixtures {

    public static final Actor ADMIN = Actor.admin("fixture-admin");
    public static final Actor PAYMENTS = Actor.system("payment-webhook");
    public static final Actor SWEEPER = Actor.system("expiry-sweeper");
    public static final Actor DOOR_STAFF = Actor.staff("door-1");
    public static final BigDecimal SEAT_PRICE = new BigDecimal("25.00");
    public static final String CURRENCY = "EUR";

    private static final AtomicInteger CUSTOMER_NUMBER = new AtomicInteger();

    private final TicketingServices services;
    private final Clock clock;

    public TicketingFixtures(TicketingServices services, Clock clock) {
        this.services = services;
        this.clock = clock;
    }

    public record EventWithSeats(Event event, List<Seat> seats) {

        public List<SeatId> seatIds(int fromIndex, int toIndex) {
            return seats.subList(fromIndex, toIndex).stream().map(Seat::id).toList();
        }

        public SeatId seat(int index) {
            return seats.get(index).id();
        }
    }

    public EventDetails detailsStartingIn(Duration fromNow, String title) {
        return new EventDetails(title, "a fixture event", "Main Hall", clock.instant().plus(fromNow), null);
    }

    public Event draftEvent(Duration startsIn) {
        return services.events().createEvent(new CreateEventCommand(ADMIN, detailsStartingIn(startsIn, "Concert"),
                Money.currency(CURRENCY)));
    }

    /** A published event 30 days ahead with seats A/1/1..n at {@link #SEAT_PRICE}. */
    public EventWithSeats publishedEventWithSeats(int seats) {
        return publishedEventWithSeats(seats, Duration.ofDays(30));
    }

    public EventWithSeats publishedEventWithSeats(int seats, Duration startsIn) {
        Event draft = draftEvent(startsIn);
        List<Seat> created = services.seats().createSeats(new CreateSeatsCommand(ADMIN, draft.id(),
                List.of(new SeatBlock("A", List.of("1"), 1, seats, SEAT_PRICE))));
        Event published = services.events().publishEvent(new EventCommand(ADMIN, draft.id()));
        return new EventWithSeats(published, created);
    }

    /** The event's seat map as {@code requester} reads it, page after page of {@code pageSize} seats. */
    public List<Seat> seatMap(Actor requester, EventId eventId, int pageSize) {
        List<Seat> seats = new ArrayList<>();
        SeatPage page = services.seats().getAvailableSeats(new AvailableSeatsQuery(requester, eventId, null, pageSize));
        seats.addAll(page.seats());
        while (page.nextAfter().isPresent()) {
            page = services.seats().getAvailableSeats(new AvailableSeatsQuery(requester, eventId, page.nextAfter().get(), pageSize));
            seats.addAll(page.seats());
        }
        return seats;
    }

    public Customer customer() {
        int number = CUSTOMER_NUMBER.incrementAndGet();
        return services.customers().registerCustomer(new RegisterCustomerCommand(Actor.anonymous(),
                "customer" + number + "-" + System.nanoTime() + "@example.org", "Customer " + number));
    }

    public PaymentSession checkout(Customer customer, EventWithSeats event, List<SeatId> seats) {
        return services.checkouts().openCheckout(OpenCheckoutCommand.byCustomer(customer.id(), event.event().id(), seats));
    }

    public PaymentResultApplied report(PaymentSession session, PaymentResult result) {
        return services.paymentResults().applyPaymentResult(new ApplyPaymentResultCommand(PAYMENTS, session.id(),
                result, "provider-" + session.id(), session.amount()));
    }

    /** A customer who paid for the given seats: a CONFIRMED booking with VALID tickets. */
    public PaymentResultApplied paidBooking(Customer customer, EventWithSeats event, List<SeatId> seats) {
        return report(checkout(customer, event, seats), PaymentResult.SUCCEEDED);
    }

    /** The event cancelled for {@code reason}, its cascade run to the end in batches of {@code batchSize}. */
    public EventCancellation cancelledEvent(EventId eventId, String reason, int batchSize) {
        EventCancellation progress = services.cancellations().cancelEvent(new CancelEventCommand(ADMIN, eventId, reason));
        while (!progress.isDone()) {
            progress = services.cancellations().continueEventCancellation(
                    new ContinueEventCancellationCommand(ADMIN, eventId, batchSize));
        }
        return progress;
    }

    public EventCancellation cancelledEvent(EventId eventId) {
        return cancelledEvent(eventId, "the venue is closed", 500);
    }
}
