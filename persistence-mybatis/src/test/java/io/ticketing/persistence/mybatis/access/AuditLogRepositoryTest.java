package io.ticketing.persistence.mybatis.access;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.AuditEntry;
import io.ticketing.domain.model.Event;
import io.ticketing.domain.model.EventDetails;
import io.ticketing.domain.port.in.AuditTrailQuery;
import io.ticketing.domain.port.out.TicketingPorts;
import io.ticketing.persistence.mybatis.adapter.MyBatisTicketingAdapter;
import io.ticketing.persistence.mybatis.MigratedDatabase;
import io.ticketing.persistence.mybatis.Sessions;
import io.ticketing.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class AuditLogRepositoryTest {

    private final TestDatabase database = MigratedDatabase.create();
    private final Sessions sessions = new Sessions(database.dataSource());
    private final AuditLogRepository auditLog = new AuditLogRepository(sessions);
    /** The domain's writes, through the adapter: what the audit triggers see of the actor. */
    private final TicketingPorts ports = MyBatisTicketingAdapter.create(sessions, Clock.systemUTC());

    @Test
    void finds_the_changes_of_an_event_newest_first_with_the_actor_and_the_values() {
        Instant startsAt = Instant.now().plus(1, ChronoUnit.DAYS);
        Event draft = Event.draft(new EventDetails("Gala", null, null, startsAt, null), Currency.getInstance("EUR"), Instant.now());
        ports.unitOfWork().inUnitOfWork(Actor.admin("alice"), () -> {
            ports.saveEvent().insertEvent(draft);
            return null;
        });
        ports.unitOfWork().inUnitOfWork(Actor.admin("bob"), () -> ports.saveEvent().updateEvent(
                draft.edit(new EventDetails("Gala night", null, null, startsAt, null))));
        UUID eventId = draft.id().value();

        var entries = auditLog.loadAuditEntries(eventId, null, null, null, 10);

        assertThat(entries).extracting(AuditEntry::action).containsExactly("UPDATE", "INSERT");
        assertThat(entries).extracting(AuditEntry::actor).containsExactly("admin:bob", "admin:alice");
        assertThat(entries.get(0).oldValues()).contains("\"title\": \"Gala\"");
        assertThat(entries.get(0).newValues()).contains("\"title\": \"Gala night\"");
        assertThat(auditLog.loadAuditEntries(eventId, null, null, entries.get(0).id(), 10)).extracting(AuditEntry::action)
                .containsExactly("INSERT");
        assertThat(auditLog.loadAuditEntries(UUID.randomUUID(), null, null, null, 10)).isEmpty();
    }

    @Test
    void a_nested_unit_of_work_acting_as_someone_else_is_recorded_as_them_for_its_length_only() {
        Instant startsAt = Instant.now().plus(1, ChronoUnit.DAYS);
        Event draft = Event.draft(new EventDetails("Outer", null, null, startsAt, null), Currency.getInstance("EUR"), Instant.now());
        ports.unitOfWork().inUnitOfWork(Actor.system("api"), () -> {
            ports.saveEvent().insertEvent(draft);
            Event inner = ports.unitOfWork().inUnitOfWork(Actor.admin("carol"), () -> ports.saveEvent().updateEvent(
                    draft.edit(new EventDetails("Inner", null, null, startsAt, null))));
            return ports.saveEvent().updateEvent(inner.edit(new EventDetails("Outer again", null, null, startsAt, null)));
        });

        var entries = auditLog.loadAuditEntries(draft.id().value(), null, null, null, 10);

        assertThat(entries).extracting(AuditEntry::actor).containsExactly("system:api", "admin:carol", "system:api");
    }

    @Test
    void every_table_the_triggers_audit_is_a_kind_of_entity_an_admin_may_filter_by() throws Exception {
        List<String> audited = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
             ResultSet tables = connection.createStatement().executeQuery("""
                     SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                      WHERE t.tgfoid = 'ticketing.audit_row_change()'::regprocedure
                      ORDER BY 1""")) {
            while (tables.next()) {
                audited.add(tables.getString(1));
            }
        }
        assertThat(audited).isNotEmpty();
        assertThat(AuditTrailQuery.ENTITY_TYPES).containsAll(audited);
    }
}
