package io.ticketing.persistence.mybatis.adapter;

import io.ticketing.domain.model.Deletion;
import io.ticketing.domain.model.Event;
import io.ticketing.domain.model.EventDetails;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.EventStatus;
import io.ticketing.domain.port.out.RowLock;
import org.apache.ibatis.annotations.Param;

import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.UUID;

/** Table {@code event}; also home of the shared SQL fragments (not deleted, row locks). */
interface EventMapper {

    int insert(@Param("event") Event event);

    /** Optimistic: 0 when the stored version is not {@code event.version()}. */
    int update(@Param("event") Event event, @Param("deleted") boolean deleted);

    EventRow findById(@Param("id") UUID id, @Param("lock") RowLock lock);

    List<EventRow> findAll(@Param("includeDeleted") boolean includeDeleted, @Param("after") UUID after, @Param("limit") int limit);

    /** The seed's getUpcomingEvents, after the event that starts at {@code afterStart} with id {@code afterId} (both null: from the first). */
    List<EventRow> findUpcoming(@Param("from") Instant from, @Param("afterStart") Instant afterStart, @Param("afterId") UUID afterId,
                                @Param("limit") int limit);

    /** The seed's deleteEvent (soft): a plain statement for tools; the use case goes through {@link #update}. */
    int softDelete(@Param("id") UUID id, @Param("deletedAt") Instant deletedAt, @Param("deletedBy") String deletedBy);

    record EventRow(UUID id, String title, String description, String venue, Instant startsAt, Instant endsAt,
                    String currency, String status, Instant deletedAt, String deletedBy, long version, Instant createdAt) {

        Event toDomain() {
            Deletion deletion = deletedAt == null ? null
                    : new Deletion(deletedAt, deletedBy == null || deletedBy.isBlank() ? "unknown" : deletedBy);
            return new Event(new EventId(id), new EventDetails(title, description, venue, startsAt, endsAt),
                    Currency.getInstance(currency), EventStatus.valueOf(status), deletion, version, createdAt);
        }
    }
}
