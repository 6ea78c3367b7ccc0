package io.ticketing.domain.service;

import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.model.ConcurrentChangeException;
import io.ticketing.domain.model.DuplicateException;
import io.ticketing.domain.model.Event;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.InvalidCursorException;
import io.ticketing.domain.model.Money;
import io.ticketing.domain.model.NotFoundException;
import io.ticketing.domain.model.Seat;
import io.ticketing.domain.model.SeatPosition;
import io.ticketing.domain.model.SeatStatus;
import io.ticketing.domain.policy.AccessPolicy;
import io.ticketing.domain.policy.Policy;
import io.ticketing.domain.policy.EventChangePolicy;
import io.ticketing.domain.policy.SeatAdministrationPolicy;
import io.ticketing.domain.policy.SeatAdministrationRequest;
import io.ticketing.domain.port.in.AvailableSeatsQuery;
import io.ticketing.domain.port.in.BlockSeatsUseCase;
import io.ticketing.domain.port.in.ChangeSeatPriceCommand;
import io.ticketing.domain.port.in.ChangeSeatPriceUseCase;
import io.ticketing.domain.port.in.CreateSeatsCommand;
import io.ticketing.domain.port.in.CreateSeatsUseCase;
import io.ticketing.domain.port.in.GetAvailableSeatsUseCase;
import io.ticketing.domain.port.in.SeatAdminCommand;
import io.ticketing.domain.port.in.SeatBlock;
import io.ticketing.domain.port.in.SeatPage;
import io.ticketing.domain.port.out.RowLock;
import io.ticketing.domain.port.out.LoadEventPort;
import io.ticketing.domain.port.out.LoadSeatPort;
import io.ticketing.domain.port.out.SaveSeatPort;
import io.ticketing.domain.port.out.SeatTransitionPort;
import io.ticketing.domain.port.out.UnitOfWorkPort;

import java.time.Clock;
import java.util.Objects;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

public class SeatService extends ServiceSupport implements CreateSeatsUseCase, GetAvailableSeatsUseCase,
        BlockSeatsUseCase, ChangeSeatPriceUseCase {

    private final LoadEventPort loadEvent;
    private final LoadSeatPort loadSeat;
    private final SaveSeatPort saveSeat;
    private final SeatMoves seatMoves;

    public SeatService(UnitOfWorkPort unitOfWork, Clock clock, LoadEventPort loadEvent, LoadSeatPort loadSeat, SaveSeatPort saveSeat, SeatTransitionPort seatTransition) {
        super(unitOfWork, clock);
        this.loadEvent = Objects.requireNonNull(loadEvent, "loadEvent");
        this.loadSeat = Objects.requireNonNull(loadSeat, "loadSeat");
        this.saveSeat = Objects.requireNonNull(saveSeat, "saveSeat");
        this.seatMoves = new SeatMoves(seatTransition);
    }

    @Override
    public List<Seat> createSeats(CreateSeatsCommand command) {
        InvalidValueException.required(command, "command");
        AccessPolicy.mayOperate(command.actor()).orThrow();
        return inUnitOfWork(command.actor(), () -> {
            Event event = existingEvent(loadEvent, command.eventId(), RowLock.SHARED);
            Policy.firstRejection(EventChangePolicy.seatsForSale(), event).orThrow();
            List<Seat> seats = layOut(event, command.blocks());
            saveSeat.insertSeats(seats);
            return seats;
        });
    }

    @Override
    public SeatPage getAvailableSeats(AvailableSeatsQuery query) {
        InvalidValueException.required(query, "query");
        return inUnitOfWork(query.requester(), () -> {
            EventId eventId = visibleEvent(loadEvent, query.eventId(), query.requester(), RowLock.NONE).id();
            // The cursor may have been sold or blocked since (its position still says where the next page starts),
            // but it must be a seat of this event: after anything else, an empty page would read as the last one.
            if (query.after() != null && loadSeat.loadSeats(eventId, List.of(query.after())).isEmpty()) {
                throw new InvalidCursorException("after is not a seat of event " + eventId + ": pass the nextAfter of the previous page.");
            }
            // One row more than asked tells whether a next page exists without counting.
            List<Seat> rows = loadSeat.loadAvailableSeats(eventId, query.after(), query.limit() + 1);
            if (rows.size() <= query.limit()) {
                return new SeatPage(rows, Optional.empty());
            }
            List<Seat> page = rows.subList(0, query.limit());
            return new SeatPage(page, Optional.of(page.get(page.size() - 1).id()));
        });
    }

    @Override
    public List<Seat> blockSeats(SeatAdminCommand command) {
        InvalidValueException.required(command, "command");
        return changeStatus(command, SeatAdministrationPolicy.blocking(), SeatStatus.AVAILABLE, SeatStatus.BLOCKED);
    }

    @Override
    public List<Seat> unblockSeats(SeatAdminCommand command) {
        InvalidValueException.required(command, "command");
        return changeStatus(command, SeatAdministrationPolicy.unblocking(), SeatStatus.BLOCKED, SeatStatus.AVAILABLE);
    }

    @Override
    public Seat changeSeatPrice(ChangeSeatPriceCommand command) {
        InvalidValueException.required(command, "command");
        AccessPolicy.mayOperate(command.actor()).orThrow();
        return inUnitOfWork(command.actor(), () -> {
            Event event = existingEvent(loadEvent, command.eventId(), RowLock.NONE);
            List<Seat> found = loadSeat.loadSeats(event.id(), List.of(command.seatId()));
            Seat seat = found.stream().findFirst().orElseThrow(() -> new NotFoundException("Seat", command.seatId()));
            if (seat.version() != command.expectedVersion()) {
                throw new ConcurrentChangeException("Seat", seat.id(), "version " + command.expectedVersion());
            }
            Policy.firstRejection(SeatAdministrationPolicy.repricing(),
                    new SeatAdministrationRequest(event.id(), List.of(seat.id()), found)).orThrow();
            return saveSeat.updateSeat(seat.reprice(Money.price(command.newPrice(), event.currency())));
        });
    }

    private List<Seat> changeStatus(SeatAdminCommand command, List<SeatAdministrationPolicy> policies,
                                    SeatStatus from, SeatStatus to) {
        AccessPolicy.mayOperate(command.actor()).orThrow();
        return inUnitOfWork(command.actor(), () -> {
            if (to == SeatStatus.AVAILABLE) {
                // Shared: a cancellation starting takes the event's row exclusively, so it comes before or after, not beside.
                Policy.firstRejection(EventChangePolicy.seatsForSale(), existingEvent(loadEvent, command.eventId(), RowLock.SHARED)).orThrow();
            }
            List<Seat> found = loadSeat.loadSeats(command.eventId(), command.seatIds());
            Policy.firstRejection(policies,
                    new SeatAdministrationRequest(command.eventId(), command.seatIds(), found)).orThrow();
            seatMoves.moveSeatsOrRefuse(command.eventId(), command.seatIds(), from, to);
            return loadSeat.loadSeats(command.eventId(), command.seatIds());
        });
    }

    private static List<Seat> layOut(Event event, List<SeatBlock> blocks) {
        List<Seat> seats = new ArrayList<>();
        Set<SeatPosition> positions = new HashSet<>();
        for (SeatBlock block : blocks) {
            Money price = Money.price(block.price(), event.currency());
            for (String row : block.rows()) {
                // long: a block ending at Integer.MAX_VALUE must not wrap around to negative numbers
                for (long number = block.firstNumber(); number <= block.lastNumber(); number++) {
                    SeatPosition position = new SeatPosition(block.section(), row, (int) number);
                    if (!positions.add(position)) {
                        throw new DuplicateException("Seat", "position " + position + " appears twice in the request");
                    }
                    seats.add(Seat.available(event.id(), position, price));
                }
            }
        }
        return seats;
    }
}
