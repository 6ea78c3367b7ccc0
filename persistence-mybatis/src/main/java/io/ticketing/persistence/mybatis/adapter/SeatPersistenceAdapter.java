package io.ticketing.persistence.mybatis.adapter;

import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.Seat;
import io.ticketing.domain.model.SeatId;
import io.ticketing.domain.model.SeatStatus;
import io.ticketing.domain.port.out.LoadSeatPort;
import io.ticketing.domain.port.out.SaveSeatPort;
import io.ticketing.domain.port.out.SeatTransitionPort;
import io.ticketing.domain.port.out.SeatTransitionPort.Transition;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** Seats, and the one way their statuses change. */
final class SeatPersistenceAdapter implements LoadSeatPort, SaveSeatPort, SeatTransitionPort {

    private static final String SEAT = "Seat";
    /** Rows per multi-row INSERT: well below PostgreSQL's 65535 bind parameters. */
    private static final int INSERT_CHUNK = 1000;

    private final Database database;

    SeatPersistenceAdapter(Database database) {
        this.database = database;
    }

    @Override
    public List<Seat> loadSeats(EventId eventId, Collection<SeatId> seatIds) {
        List<UUID> ids = distinctIds(seatIds);
        if (ids.isEmpty()) {
            return List.of();
        }
        return database.call(SeatMapper.class, SEAT, mapper -> toDomain(mapper.findSeats(eventId.value(), ids)));
    }

    @Override
    public List<Seat> loadSeatsOfEvent(EventId eventId) {
        return database.call(SeatMapper.class, SEAT, mapper -> toDomain(mapper.findSeatsOfEvent(eventId.value())));
    }

    @Override
    public List<Seat> loadAvailableSeats(EventId eventId, SeatId after, int limit) {
        return database.call(SeatMapper.class, SEAT, mapper -> toDomain(mapper.findAvailableSeats(eventId.value(),
                after == null ? null : after.value(), limit)));
    }

    @Override
    public void insertSeats(List<Seat> seats) {
        // Several statements for a large layout, but one unit of work: a duplicate anywhere rolls back all of them.
        database.call(SeatMapper.class, SEAT, mapper -> {
            for (int from = 0; from < seats.size(); from += INSERT_CHUNK) {
                mapper.insertSeats(seats.subList(from, Math.min(seats.size(), from + INSERT_CHUNK)));
            }
            return null;
        });
    }

    @Override
    public Seat updateSeat(Seat changed) {
        return database.call(SeatMapper.class, SEAT, mapper -> {
            Database.updatedOrStale(mapper.updatePrice(changed), SEAT, changed.id(), "version " + changed.version());
            return changed.withVersion(changed.version() + 1);
        });
    }

    /**
     * Locks all requested seats of the event in id order, checks them, and changes all or none. The locks
     * last until the unit of work ends, so nobody can take a checked seat in between.
     */
    @Override
    public Transition transitionSeats(EventId eventId, Collection<SeatId> seatIds, SeatStatus from, SeatStatus to) {
        List<UUID> ids = distinctIds(seatIds);
        if (ids.isEmpty()) {
            return Transition.moved(List.of());
        }
        return database.call(SeatMapper.class, SEAT, mapper -> {
            List<SeatMapper.SeatMove> rows = mapper.moveSeats(eventId.value(), ids, ids.size(), from, to);
            Map<UUID, String> before = rows.stream()
                    .collect(Collectors.toMap(SeatMapper.SeatMove::id, SeatMapper.SeatMove::statusBefore));
            Set<SeatId> refused = ids.stream()
                    .filter(id -> !from.name().equals(before.get(id)))
                    .map(SeatId::new)
                    .collect(Collectors.toUnmodifiableSet());
            if (!refused.isEmpty()) {
                return Transition.refused(refused);
            }
            if (!rows.stream().allMatch(SeatMapper.SeatMove::moved)) {
                throw new IllegalStateException("locked seats %s of event %s were all %s but not all moved to %s"
                        .formatted(ids, eventId, from, to));
            }
            return Transition.moved(rows.stream().map(SeatMapper.SeatMove::toDomain).toList());
        });
    }

    private static List<UUID> distinctIds(Collection<SeatId> seatIds) {
        return List.copyOf(seatIds.stream().map(SeatId::value).collect(Collectors.toCollection(LinkedHashSet::new)));
    }

    private static List<Seat> toDomain(List<SeatMapper.SeatRow> rows) {
        return rows.stream().map(SeatMapper.SeatRow::toDomain).toList();
    }
}
