package io.ticketing.persistence.mybatis.access;

import io.ticketing.domain.model.AuditEntry;
import io.ticketing.persistence.mybatis.MigratedDatabase;
import io.ticketing.persistence.mybatis.Sessions;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class AuditLogRepositoryTest {

    private final Sessions sessions = new Sessions(MigratedDatabase.create().dataSource());
    private final AuditLogRepository auditLog = new AuditLogRepository(sessions);

    @Test
    void finds_the_changes_of_an_event_newest_first_with_the_actor_and_the_values() {
        UUID eventId = UUID.randomUUID();
        execute("admin:alice", "INSERT INTO ticketing.event (id, title, starts_at, currency) VALUES ('" + eventId + "', 'Gala', now() + interval '1 day', 'EUR')");
        execute("admin:bob", "UPDATE ticketing.event SET title = 'Gala night' WHERE id = '" + eventId + "'");

        var entries = auditLog.loadAuditEntries(eventId, null, null, null, 10);

        assertThat(entries).extracting(AuditEntry::action).containsExactly("UPDATE", "INSERT");
        assertThat(entries).extracting(AuditEntry::actor).containsExactly("admin:bob", "admin:alice");
        assertThat(entries.get(0).oldValues()).contains("\"title\": \"Gala\"");
        assertThat(entries.get(0).newValues()).contains("\"title\": \"Gala night\"");
        assertThat(auditLog.loadAuditEntries(eventId, null, null, entries.get(0).id(), 10)).extracting(AuditEntry::action)
                .containsExactly("INSERT");
        assertThat(auditLog.loadAuditEntries(UUID.randomUUID(), null, null, null, 10)).isEmpty();
    }

    private void execute(String actor, String sql) {
        sessions.inTransaction(actor, session -> {
            try (var statement = session.getConnection().createStatement()) {
                return statement.execute(sql);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
