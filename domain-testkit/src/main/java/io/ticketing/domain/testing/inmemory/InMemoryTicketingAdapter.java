package io.ticketing.domain.testing.inmemory;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.Booking;
import io.ticketing.domain.model.BookingId;
import io.ticketing.domain.model.BookingStatus;
import io.ticketing.domain.model.ConcurrentChangeException;
import io.ticketing.domain.model.Customer;
import io.ticketing.domain.model.CustomerId;
import io.ticketing.domain.model.DuplicateException;
import io.ticketing.domain.model.Event;
import io.ticketing.domain.model.EventCancellation;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.EventPosition;
import io.ticketing.domain.model.EventSalesRow;
import io.ticketing.domain.model.EventStatus;
import io.ticketing.domain.model.EventSummary;
import io.ticketing.domain.model.PaymentSession;
import io.ticketing.domain.model.RefundRequest;
import io.ticketing.domain.model.RequestAnswer;
import io.ticketing.domain.model.PaymentSessionId;
import io.ticketing.domain.model.PaymentSessionStatus;
import io.ticketing.domain.model.Seat;
import io.ticketing.domain.model.SeatId;
import io.ticketing.domain.model.SeatPosition;
import io.ticketing.domain.model.SeatStatus;
import io.ticketing.domain.model.Ticket;
import io.ticketing.domain.model.TicketCode;
import io.ticketing.domain.model.TicketId;
import io.ticketing.domain.model.TicketStatus;
import io.ticketing.domain.model.Uuids;
import io.ticketing.domain.port.out.ClaimExpiredPaymentSessionsPort;
import io.ticketing.domain.port.out.EventCancellationPort;
import io.ticketing.domain.port.out.EventCancellationPort.CancelledCheckouts;
import io.ticketing.domain.port.out.EventSalesAnalyticsPort;
import io.ticketing.domain.port.out.IdempotencyPort;
import io.ticketing.domain.port.out.LoadBookingPort;
import io.ticketing.domain.port.out.LoadCustomerPort;
import io.ticketing.domain.port.out.LoadEventPort;
import io.ticketing.domain.port.out.LoadEventSummaryPort;
import io.ticketing.domain.port.out.LoadPaymentSessionPort;
import io.ticketing.domain.port.out.LoadSeatPort;
import io.ticketing.domain.port.out.LoadTicketPort;
import io.ticketing.domain.port.out.RefundRequestPort;
import io.ticketing.domain.port.out.RowLock;
import io.ticketing.domain.port.out.SaveBookingPort;
import io.ticketing.domain.port.out.SaveCustomerPort;
import io.ticketing.domain.port.out.SaveEventPort;
import io.ticketing.domain.port.out.SavePaymentSessionPort;
import io.ticketing.domain.port.out.SaveSeatPort;
import io.ticketing.domain.port.out.SaveTicketPort;
import io.ticketing.domain.port.out.SeatTransitionPort;
import io.ticketing.domain.port.out.SeatTransitionPort.Transition;
import io.ticketing.domain.port.out.TicketingPorts;
import io.ticketing.domain.port.out.UnitOfWorkPort;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * All ports in memory, for tests of code that embeds the domain. Thread-safe the simple way: one lock,
 * held for a whole unit of work (so units of work are serializable, and {@link RowLock}s are implied);
 * a unit of work that throws restores the state it started from, so nothing of it stays behind.
 * It keeps the same constraints as the database (unique seat positions, one active claim per seat, ...),
 * except foreign keys: when ports are mixed ({@code TicketingPorts.with…}), a parent may live in another
 * adapter, and the services never write a row without having loaded its parent through the ports.
 */
public final class InMemoryTicketingAdapter implements UnitOfWorkPort, LoadEventPort, SaveEventPort, LoadSeatPort,
        SaveSeatPort, SeatTransitionPort, LoadPaymentSessionPort, SavePaymentSessionPort,
        ClaimExpiredPaymentSessionsPort, LoadBookingPort, SaveBookingPort, LoadTicketPort, SaveTicketPort,
        LoadCustomerPort, SaveCustomerPort, LoadEventSummaryPort, EventSalesAnalyticsPort, EventCancellationPort,
        RefundRequestPort, IdempotencyPort {

    /** One line of the audit trail: who changed what. */
    public record AuditEntry(String actor, String entity, String entityId, String action) {
    }

    private static final Comparator<Seat> SEAT_ORDER = Comparator
            .comparing((Seat seat) -> seat.position().section())
            .thenComparing(seat -> seat.position().row())
            .thenComparingInt(seat -> seat.position().number());

    private final ReentrantLock lock = new ReentrantLock();
    private State state = new State();
    private Actor currentActor;

    /** Ports backed by a new, empty adapter. */
    public static TicketingPorts newPorts(Clock clock) {
        return TicketingPorts.of(new InMemoryTicketingAdapter(), clock);
    }

    @Override
    public <T> T inUnitOfWork(Actor actor, Supplier<T> work) {
        Objects.requireNonNull(actor, "actor");
        lock.lock();
        try {
            if (lock.getHoldCount() > 1) {
                return work.get(); // nested: joins the surrounding unit of work
            }
            State before = state.copy();
            currentActor = actor;
            try {
                return work.get();
            } catch (RuntimeException | Error failure) {
                state = before;
                throw failure;
            } finally {
                currentActor = null;
            }
        } finally {
            lock.unlock();
        }
    }

    public List<AuditEntry> auditTrail() {
        return locked(() -> List.copyOf(state.audit));
    }

    // ---- events

    @Override
    public Optional<Event> loadEvent(EventId eventId, RowLock rowLock) {
        return locked(() -> Optional.ofNullable(state.events.get(eventId)));
    }

    @Override
    public List<Event> loadUpcomingEvents(Instant from, EventPosition after, int limit) {
        Comparator<Event> byStart = Comparator.comparing((Event event) -> event.details().startsAt()).thenComparing(Event::id);
        return locked(() -> state.events.values().stream()
                .filter(event -> event.status() == EventStatus.PUBLISHED && !event.isDeleted())
                .filter(event -> !event.details().startsAt().isBefore(from))
                .filter(event -> after == null || event.details().startsAt().isAfter(after.startsAt())
                        || event.details().startsAt().equals(after.startsAt()) && event.id().compareTo(after.eventId()) > 0)
                .sorted(byStart)
                .limit(limit)
                .toList());
    }

    @Override
    public List<Event> loadEvents(boolean includeDeleted, EventId after, int limit) {
        return locked(() -> state.events.values().stream()
                .filter(event -> includeDeleted || !event.isDeleted())
                .filter(event -> after == null || Uuids.DATABASE_ORDER.compare(event.id().value(), after.value()) > 0)
                .sorted(Comparator.comparing((Event event) -> event.id().value(), Uuids.DATABASE_ORDER))
                .limit(limit)
                .toList());
    }

    @Override
    public void insertEvent(Event event) {
        locked(() -> {
            requireAbsent(state.events, event.id(), "Event");
            state.events.put(event.id(), event);
            audit("Event", event.id(), "created " + event.status());
        });
    }

    @Override
    public Event updateEvent(Event changed) {
        return locked(() -> {
            Event stored = state.events.get(changed.id());
            if (stored == null || stored.version() != changed.version()) {
                throw new ConcurrentChangeException("Event", changed.id(), "version " + changed.version());
            }
            Event saved = changed.withVersion(stored.version() + 1);
            state.events.put(saved.id(), saved);
            audit("Event", saved.id(), "updated " + saved.status() + (saved.isDeleted() ? " deleted" : ""));
            return saved;
        });
    }

    // ---- seats

    @Override
    public List<Seat> loadSeats(EventId eventId, Collection<SeatId> seatIds) {
        return locked(() -> seatIds.stream().distinct().map(state.seats::get)
                .filter(seat -> seat != null && seat.eventId().equals(eventId))
                .sorted(SEAT_ORDER).toList());
    }

    @Override
    public List<Seat> loadSeatsOfEvent(EventId eventId) {
        return seatsWhere(seat -> seat.eventId().equals(eventId));
    }

    @Override
    public List<Seat> loadAvailableSeats(EventId eventId, SeatId after, int limit) {
        return locked(() -> {
            Seat cursor = after == null ? null : state.seats.get(after);
            if (after != null && (cursor == null || !cursor.eventId().equals(eventId))) {
                return List.of(); // as in the database: an unknown cursor is after nothing
            }
            Event event = state.events.get(eventId);
            if (event == null || event.isDeleted()) {
                return List.of();
            }
            return seatsWhere(seat -> seat.eventId().equals(eventId) && seat.status() == SeatStatus.AVAILABLE
                    && (cursor == null || SEAT_ORDER.compare(seat, cursor) > 0)).stream().limit(limit).toList();
        });
    }

    @Override
    public void insertSeats(List<Seat> seats) {
        locked(() -> {
            Set<String> taken = new HashSet<>();
            state.seats.values().forEach(seat -> taken.add(positionKey(seat.eventId(), seat.position())));
            for (Seat seat : seats) {
                requireAbsent(state.seats, seat.id(), "Seat");
                if (!taken.add(positionKey(seat.eventId(), seat.position()))) {
                    throw new DuplicateException("Seat", "position " + seat.position() + " in event " + seat.eventId());
                }
            }
            seats.forEach(seat -> state.seats.put(seat.id(), seat));
            audit("Seat", seats.size() + " seats", "created");
        });
    }

    @Override
    public Seat updateSeat(Seat changed) {
        return locked(() -> {
            Seat stored = state.seats.get(changed.id());
            if (stored == null || stored.version() != changed.version()) {
                throw new ConcurrentChangeException("Seat", changed.id(), "version " + changed.version());
            }
            Seat saved = stored.reprice(changed.price()).withVersion(stored.version() + 1);
            state.seats.put(saved.id(), saved);
            audit("Seat", saved.id(), "price " + saved.price());
            return saved;
        });
    }

    @Override
    public Transition transitionSeats(EventId eventId, Collection<SeatId> seatIds, SeatStatus from, SeatStatus to) {
        return locked(() -> {
            Set<SeatId> refused = new LinkedHashSet<>();
            for (SeatId id : seatIds) {
                Seat seat = state.seats.get(id);
                if (seat == null || !seat.eventId().equals(eventId) || seat.status() != from) {
                    refused.add(id);
                }
            }
            if (!refused.isEmpty()) {
                return Transition.refused(refused);
            }
            List<Seat> moved = new ArrayList<>();
            for (SeatId id : new LinkedHashSet<>(seatIds)) {
                Seat seat = state.seats.get(id);
                Seat now = seat.moveTo(to).withVersion(seat.version() + 1);
                state.seats.put(id, now);
                moved.add(now);
                audit("Seat", id, from + " -> " + to);
            }
            moved.sort(SEAT_ORDER);
            return Transition.moved(moved);
        });
    }

    // ---- payment sessions

    @Override
    public Optional<PaymentSession> loadPaymentSession(PaymentSessionId id, RowLock rowLock) {
        return locked(() -> Optional.ofNullable(state.sessions.get(id)));
    }

    @Override
    public long countOpenPaymentSessions(CustomerId customerId, Instant now) {
        return locked(() -> state.sessions.values().stream()
                .filter(session -> session.customerId().equals(customerId))
                .filter(session -> session.status() == PaymentSessionStatus.OPEN && !session.isExpiredAt(now))
                .count());
    }

    @Override
    public void insertPaymentSession(PaymentSession session) {
        locked(() -> {
            requireAbsent(state.sessions, session.id(), "PaymentSession");
            storeSession(session);
            audit("PaymentSession", session.id(), "created " + session.status());
        });
    }

    @Override
    public void updatePaymentSession(PaymentSession changed, PaymentSessionStatus expectedStatus) {
        locked(() -> {
            PaymentSession stored = state.sessions.get(changed.id());
            if (stored == null || stored.status() != expectedStatus) {
                throw new ConcurrentChangeException("PaymentSession", changed.id(), "status " + expectedStatus);
            }
            Set<SeatId> linked = new LinkedHashSet<>(stored.seatIds());
            linked.addAll(changed.seatIds()); // links are only ever added (skip duplicates)
            storeSession(new PaymentSession(changed.id(), stored.eventId(), stored.customerId(), List.copyOf(linked),
                    changed.amount(), changed.status(), stored.createdAt(), changed.expiresAt(), changed.providerReference()));
            audit("PaymentSession", changed.id(), stored.status() + " -> " + changed.status());
        });
    }

    @Override
    public List<PaymentSession> claimExpiredOpenSessions(Instant now, int limit, Set<PaymentSessionId> skipping) {
        return locked(() -> state.sessions.values().stream()
                .filter(session -> session.status() == PaymentSessionStatus.OPEN && session.isExpiredAt(now))
                .filter(session -> !skipping.contains(session.id()))
                .sorted(Comparator.comparing(PaymentSession::expiresAt))
                .limit(limit)
                .toList());
    }

    /** Like the partial unique index: a seat is in at most one session that still holds seats. */
    private void storeSession(PaymentSession session) {
        if (session.status().holdsSeats()) {
            state.sessions.values().stream()
                    .filter(other -> !other.id().equals(session.id()) && other.status().holdsSeats())
                    .flatMap(other -> other.seatIds().stream())
                    .filter(session.seatIds()::contains)
                    .findAny()
                    .ifPresent(seat -> {
                        throw new DuplicateException("PaymentSessionSeat", "seat " + seat + " is held by another checkout");
                    });
        }
        state.sessions.put(session.id(), session);
    }

    // ---- bookings

    @Override
    public Optional<Booking> loadBooking(BookingId id, RowLock rowLock) {
        return locked(() -> Optional.ofNullable(state.bookings.get(id)));
    }

    @Override
    public Optional<Booking> loadBookingOfPaymentSession(PaymentSessionId paymentSessionId) {
        return locked(() -> state.bookings.values().stream()
                .filter(booking -> booking.paymentSessionId().equals(Optional.of(paymentSessionId))).findFirst());
    }

    @Override
    public List<Booking> loadBookingsOfCustomer(CustomerId customerId, BookingId after, int limit) {
        Comparator<Booking> newestFirst = Comparator.comparing(Booking::createdAt).thenComparing(Booking::id).reversed();
        return locked(() -> {
            Booking cursor = after == null ? null : state.bookings.get(after);
            if (after != null && (cursor == null || !cursor.customerId().equals(customerId))) {
                return List.of(); // as in the database: an unknown cursor is after nothing
            }
            return state.bookings.values().stream()
                    .filter(booking -> booking.customerId().equals(customerId))
                    .filter(booking -> cursor == null || newestFirst.compare(booking, cursor) > 0)
                    .sorted(newestFirst)
                    .limit(limit)
                    .toList();
        });
    }

    @Override
    public List<Booking> loadBookingsOfEvent(EventId eventId) {
        return locked(() -> state.bookings.values().stream()
                .filter(booking -> booking.eventId().equals(eventId)).sorted(Comparator.comparing(Booking::id)).toList());
    }

    @Override
    public List<Booking> loadBookingsToReview(BookingId after, int limit) {
        Comparator<Booking> order = Comparator.comparing(Booking::createdAt).thenComparing(Booking::id);
        return locked(() -> {
            Booking cursor = after == null ? null : state.bookings.get(after);
            if (after != null && cursor == null) {
                return List.of(); // as in the database: an unknown cursor is after nothing
            }
            return state.bookings.values().stream()
                    .filter(Booking::needsReview)
                    .filter(booking -> cursor == null || order.compare(booking, cursor) > 0)
                    .sorted(order)
                    .limit(limit)
                    .toList();
        });
    }

    @Override
    public void insertBooking(Booking booking) {
        locked(() -> {
            requireAbsent(state.bookings, booking.id(), "Booking");
            // A booking may have no checkout of its own (a migrated one); one made from a checkout is its only booking.
            booking.paymentSessionId().ifPresent(session -> {
                if (loadBookingOfPaymentSession(session).isPresent()) {
                    throw new DuplicateException("Booking", "of payment session " + session);
                }
            });
            storeBooking(booking);
            audit("Booking", booking.id(), "created " + booking.status());
        });
    }

    @Override
    public void updateBooking(Booking changed, BookingStatus expectedStatus) {
        locked(() -> {
            Booking stored = state.bookings.get(changed.id());
            if (stored == null || stored.status() != expectedStatus) {
                throw new ConcurrentChangeException("Booking", changed.id(), "status " + expectedStatus);
            }
            storeBooking(new Booking(stored.id(), stored.eventId(), stored.customerId(), stored.paymentSessionId(),
                    stored.seats(), stored.total(), changed.status(), stored.createdAt(), changed.confirmedAt(),
                    changed.cancelledAt(), changed.reviewReason()));
            audit("Booking", changed.id(), stored.status() + " -> " + changed.status());
        });
    }

    /** Like the partial unique index: a seat is in at most one booking that is not CANCELLED. */
    private void storeBooking(Booking booking) {
        if (booking.status() != BookingStatus.CANCELLED) {
            state.bookings.values().stream()
                    .filter(other -> !other.id().equals(booking.id()) && other.status() != BookingStatus.CANCELLED)
                    .flatMap(other -> other.seatIds().stream())
                    .filter(booking.seatIds()::contains)
                    .findAny()
                    .ifPresent(seat -> {
                        throw new DuplicateException("BookedSeat", "seat " + seat + " is in another active booking");
                    });
        }
        state.bookings.put(booking.id(), booking);
    }

    // ---- tickets

    @Override
    public Optional<Ticket> loadTicketByCode(TicketCode code, RowLock rowLock) {
        return locked(() -> state.tickets.values().stream().filter(ticket -> ticket.code().equals(code)).findFirst());
    }

    @Override
    public List<Ticket> loadTicketsOfBooking(BookingId bookingId) {
        return ticketsWhere(ticket -> ticket.bookingId().equals(bookingId));
    }

    @Override
    public List<Ticket> loadTicketsOfEvent(EventId eventId) {
        return ticketsWhere(ticket -> ticket.eventId().equals(eventId));
    }

    @Override
    public void insertTickets(List<Ticket> tickets) {
        locked(() -> {
            Set<TicketCode> codes = new HashSet<>();
            state.tickets.values().forEach(ticket -> codes.add(ticket.code()));
            for (Ticket ticket : tickets) {
                requireAbsent(state.tickets, ticket.id(), "Ticket");
                if (!codes.add(ticket.code())) {
                    throw new DuplicateException("Ticket", "code of ticket " + ticket.id());
                }
            }
            tickets.forEach(ticket -> state.tickets.put(ticket.id(), ticket));
            audit("Ticket", tickets.size() + " tickets", "issued");
        });
    }

    @Override
    public void updateTicket(Ticket changed, TicketStatus expectedStatus) {
        locked(() -> {
            Ticket stored = state.tickets.get(changed.id());
            if (stored == null || stored.status() != expectedStatus) {
                throw new ConcurrentChangeException("Ticket", changed.id(), "status " + expectedStatus);
            }
            state.tickets.put(changed.id(), new Ticket(stored.id(), stored.eventId(), stored.bookingId(), stored.seatId(),
                    stored.customerId(), stored.code(), changed.status(), stored.issuedAt(), changed.checkedInAt()));
            audit("Ticket", changed.id(), stored.status() + " -> " + changed.status());
        });
    }

    // ---- customers

    @Override
    public Optional<Customer> loadCustomer(CustomerId id, RowLock rowLock) {
        return locked(() -> Optional.ofNullable(state.customers.get(id)));
    }

    @Override
    public Optional<Customer> loadCustomerByEmail(String email) {
        String normalized = Customer.accountEmail(email);
        return locked(() -> state.customers.values().stream().filter(c -> c.email().equals(normalized)).findFirst());
    }

    @Override
    public Customer insertCustomerIfAbsent(Customer candidate) {
        return locked(() -> loadCustomerByEmail(candidate.email()).orElseGet(() -> {
            requireAbsent(state.customers, candidate.id(), "Customer");
            state.customers.put(candidate.id(), candidate);
            audit("Customer", candidate.id(), "registered");
            return candidate;
        }));
    }

    // ---- summaries and analytics

    /** Recounted on every read: the in-memory twin of the triggers, exact by construction. */
    @Override
    public Optional<EventSummary> loadEventSummary(EventId eventId) {
        return locked(() -> Optional.ofNullable(state.events.get(eventId)).map(this::recount));
    }

    @Override
    public List<EventSalesRow> loadEventSales() {
        return locked(() -> state.salesView);
    }

    @Override
    public void refreshEventSales() {
        locked(() -> {
            state.salesView = state.events.values().stream()
                    .filter(event -> !event.isDeleted())
                    .map(event -> EventSalesRow.of(event, recount(event), lastSaleAt(event.id())))
                    .sorted(Comparator.comparing((EventSalesRow row) -> row.totalRevenue().amount()).reversed()
                            .thenComparing(EventSalesRow::eventId))
                    .toList();
        });
    }

    private EventSummary recount(Event event) {
        return EventSummary.recount(event.id(), event.currency(), loadSeatsOfEvent(event.id()),
                loadBookingsOfEvent(event.id()), loadTicketsOfEvent(event.id()));
    }

    private Instant lastSaleAt(EventId eventId) {
        return loadBookingsOfEvent(eventId).stream().map(Booking::confirmedAt).filter(Objects::nonNull)
                .max(Comparator.naturalOrder()).orElse(null);
    }

    // ---- event cancellations and refunds

    @Override
    public Optional<EventCancellation> loadEventCancellation(EventId eventId, RowLock rowLock) {
        return locked(() -> Optional.ofNullable(state.cancellations.get(eventId)));
    }

    @Override
    public Optional<EventCancellation> lockRunningEventCancellationOfPaymentSession(PaymentSessionId paymentSessionId) {
        return locked(() -> Optional.ofNullable(state.sessions.get(paymentSessionId))
                .map(session -> state.cancellations.get(session.eventId()))
                .filter(cancellation -> !cancellation.isDone()));
    }

    @Override
    public List<EventId> loadRunningEventCancellations(int limit) {
        return locked(() -> state.cancellations.values().stream()
                .filter(cancellation -> !cancellation.isDone())
                .sorted(Comparator.comparing(EventCancellation::requestedAt)
                        .thenComparing(cancellation -> cancellation.eventId().value(), Uuids.DATABASE_ORDER))
                .limit(limit)
                .map(EventCancellation::eventId)
                .toList());
    }

    @Override
    public void insertEventCancellation(EventCancellation cancellation) {
        locked(() -> {
            requireAbsent(state.cancellations, cancellation.eventId(), "EventCancellation");
            state.cancellations.put(cancellation.eventId(), cancellation);
            audit("EventCancellation", cancellation.eventId(), "created " + cancellation.state() + ": " + cancellation.reason());
        });
    }

    @Override
    public void updateEventCancellation(EventCancellation changed) {
        locked(() -> {
            EventCancellation stored = state.cancellations.get(changed.eventId());
            if (stored == null) {
                throw new ConcurrentChangeException("EventCancellation", changed.eventId(), "existence");
            }
            state.cancellations.put(changed.eventId(), changed);
            if (stored.state() != changed.state()) {
                audit("EventCancellation", changed.eventId(), stored.state() + " -> " + changed.state());
            }
        });
    }

    @Override
    public EventCancellation.Work countCancellationWork(EventId eventId) {
        return locked(() -> new EventCancellation.Work(
                activeBookingsOf(eventId).count(),
                activeSessionsOf(eventId).count(),
                state.seats.values().stream()
                        .filter(seat -> seat.eventId().equals(eventId) && seat.status() != SeatStatus.BLOCKED).count()));
    }

    @Override
    public List<Booking> loadActiveBookingsOfEvent(EventId eventId, int limit) {
        return locked(() -> activeBookingsOf(eventId).sorted(Comparator.comparing(Booking::id)).limit(limit).toList());
    }

    @Override
    public List<PaymentSession> loadActivePaymentSessionsOfEvent(EventId eventId, int limit) {
        return locked(() -> activeSessionsOf(eventId)
                .sorted(Comparator.comparing((PaymentSession session) -> session.id().value(), Uuids.DATABASE_ORDER))
                .limit(limit).toList());
    }

    /** Only bookings name their checkout here (nothing is migrated into this store). */
    @Override
    public List<PaymentSessionId> loadActivePaymentSessionIdsOfBookings(EventId eventId, Collection<BookingId> bookingIds) {
        return locked(() -> {
            Set<PaymentSessionId> named = new LinkedHashSet<>();
            for (BookingId id : bookingIds) {
                Booking booking = state.bookings.get(id);
                if (booking != null && booking.eventId().equals(eventId)) {
                    booking.paymentSessionId().ifPresent(named::add);
                }
            }
            return activeSessionsOf(eventId).map(PaymentSession::id).filter(named::contains).toList();
        });
    }

    @Override
    public List<SeatId> loadAvailableSeatIds(EventId eventId, int limit) {
        return locked(() -> state.seats.values().stream()
                .filter(seat -> seat.eventId().equals(eventId) && seat.status() == SeatStatus.AVAILABLE)
                .map(Seat::id)
                .sorted(Comparator.comparing(SeatId::value, Uuids.DATABASE_ORDER))
                .limit(limit).toList());
    }

    /** Each booking as {@link #updateBooking} would cancel it: its claims go with its status here. */
    @Override
    public int cancelBookings(EventId eventId, Collection<BookingId> bookingIds, Instant cancelledAt) {
        int[] cancelled = {0};
        locked(() -> {
            for (BookingId id : new LinkedHashSet<>(bookingIds)) {
                Booking stored = state.bookings.get(id);
                if (stored != null && stored.eventId().equals(eventId) && stored.status() != BookingStatus.CANCELLED) {
                    updateBooking(stored.cancel(cancelledAt), stored.status());
                    cancelled[0]++;
                }
            }
        });
        return cancelled[0];
    }

    @Override
    public int cancelValidTicketsOfBookings(EventId eventId, Collection<BookingId> bookingIds) {
        Set<BookingId> bookings = Set.copyOf(bookingIds);
        int[] cancelled = {0};
        locked(() -> {
            List<Ticket> valid = state.tickets.values().stream()
                    .filter(ticket -> ticket.eventId().equals(eventId) && bookings.contains(ticket.bookingId())
                            && ticket.status() == TicketStatus.VALID)
                    .toList();
            valid.forEach(ticket -> updateTicket(ticket.cancel(), TicketStatus.VALID));
            cancelled[0] = valid.size();
        });
        return cancelled[0];
    }

    @Override
    public CancelledCheckouts cancelActivePaymentSessions(EventId eventId, Collection<PaymentSessionId> paymentSessionIds) {
        List<PaymentSession> cancelled = new ArrayList<>();
        locked(() -> {
            for (PaymentSessionId id : new LinkedHashSet<>(paymentSessionIds)) {
                PaymentSession stored = state.sessions.get(id);
                if (stored != null && stored.eventId().equals(eventId) && stored.status().holdsSeats()) {
                    updatePaymentSession(stored.cancel(), stored.status());
                    cancelled.add(stored);
                }
            }
        });
        Set<SeatId> released = new LinkedHashSet<>();
        cancelled.forEach(session -> released.addAll(session.seatIds()));
        return new CancelledCheckouts(cancelled.size(), released);
    }

    @Override
    public int blockSeats(EventId eventId, Collection<SeatId> seatIds) {
        int[] blocked = {0};
        locked(() -> {
            Set<SeatId> ids = new LinkedHashSet<>(seatIds);
            boolean all = ids.stream().map(state.seats::get).allMatch(seat ->
                    seat != null && seat.eventId().equals(eventId) && seat.status() != SeatStatus.BLOCKED);
            if (all) {
                for (SeatId id : ids) {
                    Seat seat = state.seats.get(id);
                    Seat free = seat.status() == SeatStatus.AVAILABLE ? seat : seat.moveTo(SeatStatus.AVAILABLE);
                    state.seats.put(id, free.moveTo(SeatStatus.BLOCKED).withVersion(seat.version() + 1));
                    audit("Seat", id, seat.status() + " -> " + SeatStatus.BLOCKED);
                }
                blocked[0] = ids.size();
            }
        });
        return blocked[0];
    }

    /** Like the unique key of the outbox: one refund request per booking. */
    @Override
    public int insertRefundRequests(List<RefundRequest> requests) {
        int[] stored = {0};
        locked(() -> {
            for (RefundRequest request : requests) {
                if (state.refunds.putIfAbsent(request.bookingId(), request) == null) {
                    state.refundProgress.put(request.bookingId(), new RefundProgress(0, request.requestedAt(), null, null, null));
                    audit("RefundRequest", request.id(), "requested " + request.amount() + " for booking " + request.bookingId());
                    stored[0]++;
                }
            }
        });
        return stored[0];
    }

    @Override
    public List<RefundRequest> loadRefundRequestsOfEvent(EventId eventId) {
        return locked(() -> state.refunds.values().stream()
                .filter(request -> request.eventId().equals(eventId))
                .sorted(Comparator.comparing(RefundRequest::requestedAt).thenComparing(RefundRequest::id))
                .toList());
    }

    /** Units of work run one at a time here, so nothing is ever skipped as locked by another. */
    @Override
    public List<DueRefund> claimDueRefundRequests(Instant now, Instant leasedUntil, int limit) {
        return locked(() -> {
            List<RefundRequest> due = state.refunds.values().stream()
                    .filter(request -> request.status() == RefundRequest.Status.REQUESTED
                            && !state.refundProgress.get(request.bookingId()).nextAttemptAt().isAfter(now))
                    .sorted(Comparator.comparing((RefundRequest request) -> state.refundProgress.get(request.bookingId()).nextAttemptAt())
                            .thenComparing(request -> request.id().value(), Uuids.DATABASE_ORDER))
                    .limit(limit).toList();
            return due.stream().map(request -> {
                RefundProgress progress = state.refundProgress.get(request.bookingId());
                state.refundProgress.put(request.bookingId(), new RefundProgress(progress.attempts(), leasedUntil,
                        progress.providerRefundRef(), progress.lastError(), progress.completedAt()));
                Optional<String> paymentRef = request.paymentReference().or(() -> request.paymentSessionId().map(state.sessions::get)
                        .map(PaymentSession::providerReference));
                return new DueRefund(request, paymentRef, progress.attempts());
            }).toList();
        });
    }

    @Override
    public boolean recordRefundAttempt(RefundAttempt attempt) {
        boolean[] recorded = {false};
        locked(() -> state.refunds.values().stream()
                .filter(request -> request.id().equals(attempt.id()) && request.eventId().equals(attempt.eventId())
                        && request.status() == RefundRequest.Status.REQUESTED)
                .findFirst()
                .ifPresent(request -> {
                    RefundProgress progress = state.refundProgress.get(request.bookingId());
                    state.refunds.put(request.bookingId(), request.withStatus(attempt.status()));
                    state.refundProgress.put(request.bookingId(), new RefundProgress(attempt.attempts(),
                            attempt.nextAttemptAt() != null ? attempt.nextAttemptAt() : progress.nextAttemptAt(),
                            attempt.providerRefundRef() != null ? attempt.providerRefundRef() : progress.providerRefundRef(),
                            attempt.lastError(), attempt.completedAt()));
                    audit("RefundRequest", request.id(), "attempt " + attempt.attempts() + ": " + attempt.status());
                    recorded[0] = true;
                }));
        return recorded[0];
    }

    @Override
    public Optional<RefundRequest> loadRefundRequestOfPaymentSession(PaymentSessionId paymentSessionId, String refundReference,
                                                                     RowLock lock) {
        return locked(() -> {
            List<RefundRequest> ofSession = state.refunds.values().stream()
                    .filter(request -> request.paymentSessionId().equals(Optional.of(paymentSessionId))).toList();
            return ofSession.stream()
                    .filter(request -> refundReference != null
                            && refundReference.equals(state.refundProgress.get(request.bookingId()).providerRefundRef()))
                    .findFirst().or(() -> ofSession.size() == 1 ? Optional.of(ofSession.get(0)) : Optional.empty());
        });
    }

    @Override
    public Optional<RefundRequest> loadRefundRequestOfAnotherPayment(EventId eventId, PaymentSessionId paymentSessionId,
                                                                     String paymentReference) {
        return locked(() -> state.refunds.values().stream()
                .filter(request -> request.eventId().equals(eventId) && request.paymentSessionId().equals(Optional.of(paymentSessionId))
                        && request.paymentReference().equals(Optional.of(paymentReference)))
                .findFirst());
    }

    @Override
    public boolean recordRefundCompleted(RefundRequest request, String providerRefundRef, Instant completedAt) {
        boolean[] recorded = {false};
        locked(() -> {
            RefundRequest stored = state.refunds.get(request.bookingId());
            if (stored != null && stored.id().equals(request.id()) && stored.status() != RefundRequest.Status.REFUNDED) {
                RefundProgress progress = state.refundProgress.get(request.bookingId());
                state.refunds.put(request.bookingId(), stored.withStatus(RefundRequest.Status.REFUNDED));
                state.refundProgress.put(request.bookingId(), new RefundProgress(progress.attempts(), progress.nextAttemptAt(),
                        progress.providerRefundRef() != null ? progress.providerRefundRef() : providerRefundRef,
                        progress.lastError(), completedAt));
                audit("RefundRequest", request.id(), "refunded");
                recorded[0] = true;
            }
        });
        return recorded[0];
    }

    /** The refund worker's columns of a request: what a {@link RefundRequest} leaves to the outbox. */
    private record RefundProgress(int attempts, Instant nextAttemptAt, String providerRefundRef, String lastError,
                                  Instant completedAt) {
    }

    private Stream<Booking> activeBookingsOf(EventId eventId) {
        return state.bookings.values().stream()
                .filter(booking -> booking.eventId().equals(eventId) && booking.status() != BookingStatus.CANCELLED);
    }

    private Stream<PaymentSession> activeSessionsOf(EventId eventId) {
        return state.sessions.values().stream()
                .filter(session -> session.eventId().equals(eventId) && session.status().holdsSeats());
    }

    // ---- plumbing

    private List<Seat> seatsWhere(Predicate<Seat> filter) {
        return locked(() -> state.seats.values().stream().filter(filter).sorted(SEAT_ORDER).toList());
    }

    private List<Ticket> ticketsWhere(Predicate<Ticket> filter) {
        return locked(() -> state.tickets.values().stream().filter(filter)
                .sorted(Comparator.comparing(Ticket::id)).toList());
    }

    private static String positionKey(EventId eventId, SeatPosition position) {
        return eventId + "|" + position.section() + "|" + position.row() + "|" + position.number();
    }

    private static <K> void requireAbsent(Map<K, ?> table, K id, String entity) {
        if (table.containsKey(id)) {
            throw new DuplicateException(entity, "id " + id);
        }
    }

    private void audit(String entity, Object id, String action) {
        String actor = currentActor == null ? "unknown" : currentActor.auditName();
        state.audit.add(new AuditEntry(actor, entity, String.valueOf(id), action));
    }

    private <T> T locked(Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    /** A write outside a unit of work is its own unit of work (autocommit), rolled back if it throws. */
    private void locked(Runnable write) {
        lock.lock();
        try {
            inUnitOfWork(currentActor != null ? currentActor : Actor.system("autocommit"), () -> {
                write.run();
                return null;
            });
        } finally {
            lock.unlock();
        }
    }

    // ---- idempotency keys

    /** Units of work run one at a time here, so the key of the one running is never held by another. */
    @Override
    public boolean lockIdempotencyKey(String principal, String key) {
        return locked(() -> true);
    }

    @Override
    public Optional<KeptAnswer> findIdempotencyAnswer(String principal, String key) {
        return locked(() -> Optional.ofNullable(state.keptAnswers.get(List.of(principal, key))));
    }

    @Override
    public void keepIdempotencyAnswer(String principal, String key, String requestHash, RequestAnswer answer) {
        locked(() -> {
            if (state.keptAnswers.putIfAbsent(List.of(principal, key), new KeptAnswer(requestHash, answer)) != null) {
                throw new IllegalStateException("idempotency key " + key + " of " + principal + " was answered already");
            }
        });
    }

    /** Plain maps of immutable records: a copy is a consistent snapshot to roll back to. */
    private static final class State {
        final Map<EventId, Event> events = new LinkedHashMap<>();
        final Map<SeatId, Seat> seats = new LinkedHashMap<>();
        final Map<PaymentSessionId, PaymentSession> sessions = new LinkedHashMap<>();
        final Map<BookingId, Booking> bookings = new LinkedHashMap<>();
        final Map<TicketId, Ticket> tickets = new LinkedHashMap<>();
        final Map<CustomerId, Customer> customers = new LinkedHashMap<>();
        final List<AuditEntry> audit = new ArrayList<>();
        final Map<List<String>, KeptAnswer> keptAnswers = new LinkedHashMap<>();
        final Map<EventId, EventCancellation> cancellations = new LinkedHashMap<>();
        final Map<BookingId, RefundRequest> refunds = new LinkedHashMap<>();
        final Map<BookingId, RefundProgress> refundProgress = new LinkedHashMap<>();
        List<EventSalesRow> salesView = List.of();

        State copy() {
            State copy = new State();
            copy.events.putAll(events);
            copy.seats.putAll(seats);
            copy.sessions.putAll(sessions);
            copy.bookings.putAll(bookings);
            copy.tickets.putAll(tickets);
            copy.customers.putAll(customers);
            copy.audit.addAll(audit);
            copy.keptAnswers.putAll(keptAnswers);
            copy.cancellations.putAll(cancellations);
            copy.refunds.putAll(refunds);
            copy.refundProgress.putAll(refundProgress);
            copy.salesView = salesView;
            return copy;
        }
    }
}
