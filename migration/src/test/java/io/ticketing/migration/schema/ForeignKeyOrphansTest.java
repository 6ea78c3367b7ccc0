package io.ticketing.migration.schema;

import io.ticketing.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.Map;
import java.util.UUID;

import static io.ticketing.migration.schema.MigratedDatabase.customer;
import static io.ticketing.migration.schema.MigratedDatabase.openSession;
import static io.ticketing.migration.schema.MigratedDatabase.publishedEvent;
import static io.ticketing.migration.schema.MigratedDatabase.seat;
import static io.ticketing.migration.schema.MigratedDatabase.update;
import static org.assertj.core.api.Assertions.assertThat;

/** The set-based foreign key check that follows a copy made with triggers off. */
class ForeignKeyOrphansTest {

    @Test
    void a_sound_schema_has_no_orphans_and_a_row_without_its_parent_is_named_by_its_constraint() throws Exception {
        TestDatabase database = MigratedDatabase.fresh();
        try (Connection connection = MigratedDatabase.connect(database)) {
            UUID event = publishedEvent(connection);
            seat(connection, event, "A", 1, "10.00");
            UUID session = openSession(connection, event, customer(connection), "10.00");
            assertThat(SchemaInvariants.foreignKeyOrphans(connection)).isEmpty();

            // A checkout pointing at a booking that does not exist, slipped in while the constraint
            // was away (as a copy with session_replication_role = replica could).
            update(connection, "ALTER TABLE payment_session DROP CONSTRAINT payment_session_booking_fkey");
            update(connection, "UPDATE payment_session SET booking_id = ? WHERE id = ?", UUID.randomUUID(), session);
            update(connection, "ALTER TABLE payment_session ADD CONSTRAINT payment_session_booking_fkey "
                    + "FOREIGN KEY (event_id, booking_id) REFERENCES booking (event_id, id) NOT VALID");

            assertThat(SchemaInvariants.foreignKeyOrphans(connection)).containsExactly(Map.entry("payment_session_booking_fkey", 1L));
        }
    }
}
