package io.ticketing.domain.service;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.CustomerId;
import io.ticketing.domain.model.Event;
import io.ticketing.domain.model.EventStatus;
import io.ticketing.domain.model.IllegalTransitionException;
import io.ticketing.domain.model.Money;
import io.ticketing.domain.policy.RejectionReason;
import io.ticketing.domain.port.in.CreateEventCommand;
import io.ticketing.domain.port.in.EditEventCommand;
import io.ticketing.domain.port.in.EventCommand;
import io.ticketing.domain.port.in.EventQuery;
import io.ticketing.domain.port.out.UnitOfWorkPort;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static io.ticketing.domain.testing.contract.DomainAssertions.assertRejected;
import static io.ticketing.domain.testing.contract.TicketingFixtures.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventServiceTest extends UseCaseTestSupport {

    @Test
    void an_admin_creates_a_draft_that_only_operators_see() {
        Event draft = given.draftEvent(Duration.ofDays(3));

        assertThat(draft.status()).isEqualTo(EventStatus.DRAFT);
        assertThat(services.events().getEvent(new EventQuery(Actor.anonymous(), draft.id()))).isEmpty();
        assertThat(services.events().getEvent(new EventQuery(ADMIN, draft.id()))).contains(draft);
    }

    @Test
    void customers_cannot_create_events() {
        CreateEventCommand command = new CreateEventCommand(Actor.customer(CustomerId.newId()),
                given.detailsStartingIn(Duration.ofDays(1), "Mine"), Money.currency("EUR"));
        assertRejected(() -> services.events().createEvent(command), RejectionReason.ACCESS_DENIED);
    }

    @Test
    void publishing_twice_is_an_illegal_transition_naming_the_event() {
        Event published = given.publishedEventWithSeats(1).event();
        assertThatThrownBy(() -> services.events().publishEvent(new EventCommand(ADMIN, published.id())))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining("Event " + published.id() + " is PUBLISHED and cannot become PUBLISHED");
    }

    @Test
    void a_deleted_event_cannot_be_edited_or_published_until_restored() {
        Event draft = given.draftEvent(Duration.ofDays(3));
        Event deleted = services.events().deleteEvent(new EventCommand(ADMIN, draft.id()));

        assertRejected(() -> services.events().publishEvent(new EventCommand(ADMIN, draft.id())), RejectionReason.EVENT_DELETED);
        assertRejected(() -> services.events().editEvent(new EditEventCommand(ADMIN, draft.id(), deleted.version(),
                given.detailsStartingIn(Duration.ofDays(4), "New"))), RejectionReason.EVENT_DELETED);

        services.events().restoreEvent(new EventCommand(ADMIN, draft.id()));
        assertThat(services.events().publishEvent(new EventCommand(ADMIN, draft.id())).status()).isEqualTo(EventStatus.PUBLISHED);
    }

    @Test
    void every_change_runs_in_one_unit_of_work_on_behalf_of_the_acting_principal() {
        List<Actor> actors = new ArrayList<>();
        UnitOfWorkPort recordingUnitOfWork = new UnitOfWorkPort() {
            @Override
            public <T> T inUnitOfWork(Actor actor, Supplier<T> work) {
                actors.add(actor);
                return adapter.inUnitOfWork(actor, work);
            }
        };
        Actor alice = Actor.admin("alice");

        Event draft = new EventService(recordingUnitOfWork, clock, adapter, adapter, adapter).createEvent(new CreateEventCommand(alice,
                given.detailsStartingIn(Duration.ofDays(1), "Audited"), Money.currency("EUR")));

        assertThat(actors).containsExactly(alice);
        assertThat(adapter.auditTrail()).anySatisfy(entry -> {
            assertThat(entry.actor()).isEqualTo("admin:alice");
            assertThat(entry.entityId()).isEqualTo(draft.id().toString());
        });
    }
}
