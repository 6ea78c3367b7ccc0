package io.ticketing.api.web;

import io.javalin.http.Context;
import io.ticketing.api.web.problem.ApiException;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.EventPosition;
import io.ticketing.domain.model.Uuids;
import io.ticketing.domain.port.in.EventPage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.UUID;

/**
 * The cursor of the upcoming events' pages: where the last page ended, its last event's start and id as they were then,
 * in base64url ("2027-05-01T20:00:00Z,&lt;id&gt;"), so that an event moved between two pages moves nobody else out of
 * the walk. A client passes it back as it came.
 */
final class UpcomingEventsCursor {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("+10000-01-01T00:00:00Z");

    private UpcomingEventsCursor() {
    }

    /** The page's nextAfter: its last event's place, or null on the last page. */
    static String next(EventPage page) {
        return page.nextAfter().isEmpty() ? null : ENCODER.encodeToString((page.events().get(page.events().size() - 1).details().startsAt()
                + "," + page.nextAfter().get().value()).getBytes(StandardCharsets.UTF_8));
    }

    /** The query's {@code after}, if given; 400 invalid-cursor when it is no cursor this list gave. */
    static EventPosition after(Context ctx) {
        String cursor = Requests.query(ctx, "after");
        if (cursor == null) {
            return null;
        }
        try {
            String[] place = new String(DECODER.decode(cursor), StandardCharsets.UTF_8).split(",", -1);
            UUID id = place.length == 2 ? Uuids.exact(place[1]) : null;
            Instant startsAt = id == null ? null : Instant.parse(place[0]);
            // within the years an event's start can have: a forged one past them would reach PostgreSQL out of its range
            if (startsAt != null && !startsAt.isBefore(EARLIEST) && startsAt.isBefore(LATEST)) {
                return new EventPosition(startsAt, new EventId(id));
            }
        } catch (IllegalArgumentException | DateTimeParseException malformed) {
            // not base64url, or no date-time: no cursor of this list
        }
        throw ApiException.of(400, "invalid-cursor", "'" + cursor + "' is not a valid after: pass the nextAfter of the previous page.");
    }
}
