package io.ticketing.migration.legacy;

import io.ticketing.testsupport.TestDatabase;
import io.ticketing.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The legacy fixture is exactly the DDL Prisma 6.19.3 generates from the legacy app's schema.prisma. */
class LegacyFixtureTest {

    private static final Path REFERENCE = Path.of("..", "..", "shared", "legacy", "legacy-schema.sql");

    /**
     * The reference lives in the project's shared folder beside the repository. A clone on its own
     * has no such folder and skips this check; CI always has it, so there it can never be skipped.
     */
    @Test
    void the_fixture_is_byte_for_byte_the_reference_ddl() throws Exception {
        if (System.getenv("CI") != null) {
            assertThat(REFERENCE).as("CI runs with shared/ beside the repository").exists();
        }
        assumeTrue(Files.exists(REFERENCE), "the reference DDL is not checked out next to the repository");
        assertThat(LegacySchema.ddl()).isEqualTo(Files.readString(REFERENCE));
    }

    @Test
    void the_fixture_creates_the_legacy_tables_columns_types_and_constraints() throws Exception {
        TestDatabase database = TestPostgres.emptyDatabase();
        try (Connection connection = database.connect()) {
            LegacySchema.create(connection);
            List<String> columns = Jdbc.query(connection, """
                    SELECT table_name || '.' || column_name || ' ' || data_type || coalesce('(' || numeric_precision || ',' || numeric_scale || ')', '')
                           || coalesce('(' || datetime_precision || ')', '') || CASE is_nullable WHEN 'NO' THEN ' not null' ELSE '' END AS c
                      FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position""")
                    .stream().map(r -> (String) r.get("c")).toList();
            assertThat(columns).hasSize(52).contains(
                    "Booking.seats jsonb not null", "Booking.totalAmount numeric(10,2) not null",
                    "Seat.price numeric(10,2) not null", "Seat.number integer(32,0) not null",
                    "Event.endDate timestamp without time zone(3)", "User.createdAt timestamp without time zone(3) not null",
                    "_PaymentSessionToSeat.A text not null", "PaymentSession.bookingId text");
            List<String> constraints = Jdbc.query(connection, """
                    SELECT conname || ' ' || pg_get_constraintdef(oid) AS c FROM pg_constraint
                     WHERE connamespace = 'public'::regnamespace ORDER BY conname""").stream().map(r -> (String) r.get("c")).toList();
            assertThat(constraints).hasSize(18).contains(
                    "PaymentSession_bookingId_fkey FOREIGN KEY (\"bookingId\") REFERENCES \"Booking\"(id) ON UPDATE CASCADE ON DELETE SET NULL",
                    "_PaymentSessionToSeat_AB_pkey PRIMARY KEY (\"A\", \"B\")");
            assertThat(Jdbc.query(connection, "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1"))
                    .extracting(r -> r.get("indexname")).contains("User_email_key", "Ticket_code_key", "_PaymentSessionToSeat_B_index");
        }
    }
}
