package io.ticketing.app;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.Event;
import io.ticketing.domain.model.EventDetails;
import io.ticketing.domain.model.EventPosition;
import io.ticketing.domain.port.in.CreateEventCommand;
import io.ticketing.domain.port.in.CreateSeatsCommand;
import io.ticketing.domain.port.in.EventCommand;
import io.ticketing.domain.port.in.EventPage;
import io.ticketing.domain.port.in.GetUpcomingEventsQuery;
import io.ticketing.domain.port.in.SeatBlock;
import io.ticketing.domain.service.EventService;
import io.ticketing.domain.service.SeatService;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Currency;
import java.util.List;
import java.util.Optional;

/** {@code serve --demo}: one published event a month ahead, with a small hall of seats to try the API on. */
final class DemoData {

    static final String TITLE = "Demo Night: the ticketing tour";

    private DemoData() {
    }

    /** The demo event, created on the first start and found again on the next. */
    static Event load(EventService events, SeatService seats) {
        for (EventPage page = events.getUpcomingEvents(new GetUpcomingEventsQuery(100)); ;
             page = events.getUpcomingEvents(new GetUpcomingEventsQuery(EventPosition.of(page.events().get(page.events().size() - 1)), 100))) {
            Optional<Event> existing = page.events().stream().filter(event -> event.details().title().equals(TITLE)).findFirst();
            if (existing.isPresent()) {
                return existing.get();
            }
            if (page.nextAfter().isEmpty()) {
                break;
            }
        }
        Actor demo = Actor.system("demo");
        Instant startsAt = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
        Event event = events.createEvent(new CreateEventCommand(demo, new EventDetails(TITLE,
                "A sample event loaded by 'ticketing serve --demo'.", "Main Hall", startsAt, startsAt.plus(Duration.ofHours(3))),
                Currency.getInstance("EUR")));
        seats.createSeats(new CreateSeatsCommand(demo, event.id(), List.of(
                new SeatBlock("Stalls", List.of("A", "B", "C"), 1, 10, new BigDecimal("50.00")),
                new SeatBlock("Balcony", List.of("D", "E"), 1, 8, new BigDecimal("35.00")))));
        return events.publishEvent(new EventCommand(demo, event.id()));
    }
}
