package io.ticketing.migration.schema;

import io.ticketing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.Connection;
import java.util.List;

import static io.ticketing.migration.schema.MigratedDatabase.query;
import static io.ticketing.migration.schema.MigratedDatabase.strings;
import static org.assertj.core.api.Assertions.assertThat;

/** The guide's Step 5 ("\dt", "\dv", "\df"), as assertions on the catalog of a migrated database. */
class SchemaCatalogTest {

    static final List<String> EVENT_SCOPED = List.of(
            "seat", "payment_session", "payment_session_seat", "booking", "booked_seat", "ticket", "event_summary_shard");

    static Connection connection;

    @BeforeAll
    static void migrate() throws Exception {
        TestDatabase database = MigratedDatabase.fresh();
        // Outside the search path, so that the catalog names every object with its schema.
        connection = database.connect();
    }

    @AfterAll
    static void close() throws Exception {
        connection.close();
    }

    @Test
    void has_every_table() throws Exception {
        assertThat(strings(connection, """
                SELECT table_name FROM information_schema.tables
                 WHERE table_schema = 'ticketing' AND table_type = 'BASE TABLE' AND table_name <> 'flyway_schema_history'"""))
                .containsExactlyInAnyOrder("customer", "event", "seat", "payment_session", "payment_session_seat",
                        "booking", "booked_seat", "ticket", "event_summary_shard", "audit_log",
                        "api_key", "idempotency_key", "processed_webhook_event", "sales_summary_refresh",
                        "event_cancellation", "refund_request", "serving_instance");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "event_status           | DRAFT,PUBLISHED,CANCELLED",
            "seat_status            | AVAILABLE,RESERVED,BOOKED,BLOCKED",
            "booking_status         | PENDING,CONFIRMED,CANCELLED",
            "payment_session_status | OPEN,PROCESSING,SUCCEEDED,FAILED,EXPIRED,CANCELLED",
            "ticket_status          | VALID,USED,CANCELLED,REFUNDED"})
    void has_each_enum_with_exactly_its_values_in_order(String type, String values) throws Exception {
        assertThat(strings(connection, """
                SELECT e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
                  JOIN pg_namespace n ON n.oid = t.typnamespace
                 WHERE n.nspname = 'ticketing' AND t.typname = ? ORDER BY e.enumsortorder""", type))
                .containsExactly(values.split(","));
    }

    @Test
    void has_no_other_enum() throws Exception {
        assertThat(strings(connection, """
                SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                 WHERE n.nspname = 'ticketing' AND t.typtype = 'e'"""))
                .containsExactlyInAnyOrder("event_status", "seat_status", "booking_status", "payment_session_status", "ticket_status");
    }

    @ParameterizedTest
    @CsvSource({
            "event, status, event_status", "seat, status, seat_status", "booking, status, booking_status",
            "payment_session, status, payment_session_status", "ticket, status, ticket_status"})
    void status_columns_use_their_enum(String table, String column, String type) throws Exception {
        assertThat(strings(connection, """
                SELECT udt_name FROM information_schema.columns
                 WHERE table_schema = 'ticketing' AND table_name = ? AND column_name = ?""", table, column))
                .containsExactly(type);
    }

    @Test
    void has_the_views_and_the_materialized_view() throws Exception {
        assertThat(strings(connection, "SELECT viewname FROM pg_views WHERE schemaname = 'ticketing'"))
                .containsExactlyInAnyOrder("event_summary", "event_summary_recount", "event_summary_drift");
        assertThat(strings(connection, "SELECT matviewname FROM pg_matviews WHERE schemaname = 'ticketing'"))
                .containsExactly("event_sales_summary");
        assertThat(strings(connection, """
                SELECT column_name FROM information_schema.columns
                 WHERE table_schema = 'ticketing' AND table_name = 'event_summary_recount' ORDER BY ordinal_position"""))
                .containsExactly("event_id", "seats_total", "seats_available", "seats_reserved", "seats_booked",
                        "seats_blocked", "bookings_pending", "bookings_confirmed", "bookings_cancelled",
                        "tickets_sold", "tickets_checked_in", "gross_revenue", "refunded_amount");
        assertThat(strings(connection, """
                SELECT a.attname FROM pg_attribute a
                 WHERE a.attrelid = 'ticketing.event_sales_summary'::regclass AND a.attnum > 0 ORDER BY a.attnum"""))
                .containsExactly("event_id", "title", "currency", "tickets_sold", "bookings", "total_revenue",
                        "refunds", "sell_through", "last_sale_at");
    }

    @Test
    void has_the_functions() throws Exception {
        assertThat(strings(connection, """
                SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                 WHERE n.nspname = 'ticketing'"""))
                .containsExactlyInAnyOrder("audit_actor", "audit_row_change", "audit_log_refuse_update",
                        "touch_updated_at", "rebuild_event_summary", "event_summary_add", "event_summary_shard_lock",
                        "event_summary_on_event_insert", "event_summary_on_seat_change",
                        "event_summary_on_booking_change", "event_summary_on_ticket_change", "refresh_event_sales_summary",
                        "repair_event_summary", "guard_once", "assert_seat", "assert_checkout",
                        "assert_booking", "guard_seat", "guard_checkout", "guard_booking", "guard_booking_seats", "guard_moved_row", "written_here",
                        "guard_truncate", "refuse_event_move",
                        "has_visible_text");
    }

    @Test
    void has_the_triggers() throws Exception {
        assertThat(query(connection, """
                SELECT c.relname AS table_name, t.tgname AS trigger_name, p.proname AS function_name
                  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
                  JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'ticketing' AND NOT t.tgisinternal AND t.tgenabled <> 'D'""")
                .stream().map(row -> row.get("table_name") + "." + row.get("trigger_name") + "->" + row.get("function_name")))
                .containsExactlyInAnyOrder(
                        "audit_log.audit_log_append_only->audit_log_refuse_update",
                        "event.event_audit->audit_row_change",
                        "payment_session.payment_session_audit->audit_row_change",
                        "booking.booking_audit->audit_row_change",
                        "ticket.ticket_audit->audit_row_change",
                        "seat.seat_audit_admin_change->audit_row_change",
                        "seat.seat_audit_delete->audit_row_change",
                        "customer.customer_touch_updated_at->touch_updated_at",
                        "event.event_touch_updated_at->touch_updated_at",
                        "seat.seat_touch_updated_at->touch_updated_at",
                        "payment_session.payment_session_touch_updated_at->touch_updated_at",
                        "payment_session_seat.payment_session_seat_touch_updated_at->touch_updated_at",
                        "booking.booking_touch_updated_at->touch_updated_at",
                        "booked_seat.booked_seat_touch_updated_at->touch_updated_at",
                        "ticket.ticket_touch_updated_at->touch_updated_at",
                        "event_summary_shard.event_summary_shard_touch_updated_at->touch_updated_at",
                        "api_key.api_key_touch_updated_at->touch_updated_at",
                        "idempotency_key.idempotency_key_touch_updated_at->touch_updated_at",
                        "event.event_summary_on_event_insert->event_summary_on_event_insert",
                        "seat.event_summary_on_seat_insert->event_summary_on_seat_change",
                        "seat.event_summary_on_seat_update->event_summary_on_seat_change",
                        "seat.event_summary_on_seat_delete->event_summary_on_seat_change",
                        "booking.event_summary_on_booking_insert->event_summary_on_booking_change",
                        "booking.event_summary_on_booking_update->event_summary_on_booking_change",
                        "booking.event_summary_on_booking_delete->event_summary_on_booking_change",
                        "ticket.event_summary_on_ticket_insert->event_summary_on_ticket_change",
                        "ticket.event_summary_on_ticket_update->event_summary_on_ticket_change",
                        "ticket.event_summary_on_ticket_delete->event_summary_on_ticket_change",
                        // V9: the commit-time guards of the seat and claim rules
                        "seat.seat_guard_insert->guard_seat",
                        "seat.seat_guard_update->guard_seat",
                        "payment_session_seat.payment_session_seat_guard_seat->guard_seat",
                        "payment_session_seat.payment_session_seat_guard_checkout->guard_checkout",
                        "payment_session_seat.payment_session_seat_guard_moved->guard_moved_row",
                        "payment_session_seat.payment_session_seat_guard_delete->guard_seat",
                        "payment_session.payment_session_guard_update->guard_checkout",
                        "booked_seat.booked_seat_guard_seat->guard_seat",
                        "booked_seat.booked_seat_guard_booking->guard_booking",
                        "booked_seat.booked_seat_guard_moved->guard_moved_row",
                        "booked_seat.booked_seat_guard_delete->guard_seat",
                        "booking.booking_guard_insert->guard_booking",
                        "booking.booking_guard_update->guard_booking",
                        "booking.booking_guard_seats->guard_booking_seats",
                        "ticket.ticket_guard_insert->guard_booking",
                        "ticket.ticket_guard_update->guard_booking",
                        "ticket.ticket_guard_moved->guard_moved_row",
                        "ticket.ticket_guard_delete->guard_booking",
                        // V12: event cancellations and the refund outbox
                        "event_cancellation.event_cancellation_touch_updated_at->touch_updated_at",
                        "refund_request.refund_request_touch_updated_at->touch_updated_at",
                        "event_cancellation.event_cancellation_audit->audit_row_change",
                        "event_cancellation.event_cancellation_audit_state->audit_row_change",
                        "refund_request.refund_request_audit->audit_row_change",
                        // V23: TRUNCATE, which fires no row trigger, refused while the guards are on
                        "payment_session.payment_session_guard_truncate->guard_truncate",
                        "seat.seat_guard_truncate->guard_truncate",
                        "payment_session_seat.payment_session_seat_guard_truncate->guard_truncate",
                        "booking.booking_guard_truncate->guard_truncate",
                        "booked_seat.booked_seat_guard_truncate->guard_truncate",
                        "ticket.ticket_guard_truncate->guard_truncate",
                        // V25: a claim or ticket stays in its event
                        "payment_session_seat.payment_session_seat_stays_in_its_event->refuse_event_move",
                        "booked_seat.booked_seat_stays_in_its_event->refuse_event_move",
                        "ticket.ticket_stays_in_its_event->refuse_event_move");
    }

    @Test
    void every_table_with_updated_at_keeps_it_current_and_every_table_says_when_its_rows_appeared() throws Exception {
        assertThat(strings(connection, """
                SELECT c.table_name FROM information_schema.columns c
                 WHERE c.table_schema = 'ticketing' AND c.column_name = 'updated_at'
                   AND c.table_name NOT IN (SELECT event_object_table FROM information_schema.triggers
                                             WHERE trigger_schema = 'ticketing' AND action_statement LIKE '%touch_updated_at%')
                   AND c.table_name IN (SELECT table_name FROM information_schema.tables
                                         WHERE table_schema = 'ticketing' AND table_type = 'BASE TABLE')""")).isEmpty();
        // Append-only tables, the one-row record of the last sales-view refresh and the running instances (when each
        // started, when it was last seen) carry their own timestamps instead of created_at/updated_at.
        assertThat(strings(connection, """
                SELECT t.table_name FROM information_schema.tables t
                 WHERE t.table_schema = 'ticketing' AND t.table_type = 'BASE TABLE' AND t.table_name <> 'flyway_schema_history'
                   AND NOT EXISTS (SELECT 1 FROM information_schema.columns c
                                    WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name
                                      AND c.column_name = 'updated_at' AND c.data_type = 'timestamp with time zone')"""))
                .containsExactlyInAnyOrder("audit_log", "processed_webhook_event", "sales_summary_refresh", "serving_instance");
    }

    @Test
    void has_the_indexes() throws Exception {
        assertThat(strings(connection, "SELECT indexname FROM pg_indexes WHERE schemaname = 'ticketing'"))
                .contains(
                        // keys
                        "customer_pkey", "customer_email_key", "customer_legacy_id_key", "event_pkey", "event_legacy_id_key",
                        "seat_pkey", "seat_position_key", "payment_session_pkey", "booking_pkey", "booking_payment_session_key",
                        "payment_session_seat_pkey", "booked_seat_pkey", "ticket_pkey", "ticket_code_key",
                        "event_summary_shard_pkey", "audit_log_pkey", "api_key_key_hash_key", "idempotency_key_pkey",
                        "processed_webhook_event_pkey",
                        // the last line of defence
                        "payment_session_seat_active_claim_key", "booked_seat_active_claim_key", "ticket_live_seat_key",
                        // lookups
                        "seat_id_idx", "payment_session_id_idx", "booking_id_idx", "ticket_id_idx", "ticket_code_idx",
                        "ticket_booking_idx", "ticket_customer_idx", "payment_session_customer_idx", "payment_session_customer_active_idx",
                        "payment_session_provider_ref_idx", "payment_session_booking_idx", "audit_log_entity_idx",
                        "audit_log_event_idx", "idempotency_key_created_idx",
                        // V2: seed queries
                        "seat_available_idx", "event_upcoming_idx", "payment_session_open_expiry_idx",
                        "booked_seat_booking_idx", "payment_session_seat_session_idx", "booking_customer_idx",
                        "event_sales_summary_event_key",
                        // V13: what an event's cancellation still has to undo
                        "booking_event_active_idx", "payment_session_event_active_idx");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "booked_seat_active_claim_key          | CREATE UNIQUE INDEX booked_seat_active_claim_key ON ticketing.booked_seat USING btree (event_id, seat_id) INCLUDE (booking_id) WHERE (released_at IS NULL)",
            "payment_session_seat_active_claim_key | CREATE UNIQUE INDEX payment_session_seat_active_claim_key ON ticketing.payment_session_seat USING btree (event_id, seat_id) INCLUDE (payment_session_id) WHERE (released_at IS NULL)",
            "ticket_live_seat_key                  | CREATE UNIQUE INDEX ticket_live_seat_key ON ticketing.ticket USING btree (event_id, seat_id) WHERE (status = ANY (ARRAY['VALID'::ticketing.ticket_status, 'USED'::ticketing.ticket_status]))",
            "seat_available_idx                    | CREATE INDEX seat_available_idx ON ticketing.seat USING btree (event_id, section, \"row\", number) INCLUDE (id, price) WHERE (status = 'AVAILABLE'::ticketing.seat_status)",
            "event_upcoming_idx                    | CREATE INDEX event_upcoming_idx ON ticketing.event USING btree (starts_at) WHERE ((status = 'PUBLISHED'::ticketing.event_status) AND (NOT is_deleted))",
            "payment_session_open_expiry_idx       | CREATE INDEX payment_session_open_expiry_idx ON ticketing.payment_session USING btree (expires_at) INCLUDE (event_id, id) WHERE (status = 'OPEN'::ticketing.payment_session_status)",
            "booking_customer_idx                  | CREATE INDEX booking_customer_idx ON ticketing.booking USING btree (customer_id, created_at DESC, id DESC)",
            "event_sales_summary_event_key         | CREATE UNIQUE INDEX event_sales_summary_event_key ON ticketing.event_sales_summary USING btree (event_id)"})
    void partial_and_covering_indexes_are_defined_as_intended(String index, String definition) throws Exception {
        assertThat(strings(connection, "SELECT indexdef FROM pg_indexes WHERE schemaname = 'ticketing' AND indexname = ?", index))
                .containsExactly(definition);
    }

    @Test
    void event_scoped_tables_are_keyed_by_event_first() throws Exception {
        for (String table : EVENT_SCOPED) {
            assertThat(strings(connection, """
                    SELECT a.attname FROM pg_constraint c
                      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
                     WHERE c.contype = 'p' AND c.conrelid = ('ticketing.' || ?)::regclass""", table))
                    .as("first primary key column of %s", table).containsExactly("event_id");
        }
    }

    @Test
    void every_key_between_event_scoped_tables_includes_the_event() throws Exception {
        // Citus can co-locate by event_id only if every unique key and every foreign key between
        // event-scoped tables includes it.
        List<String> offenders = strings(connection, """
                SELECT c.conname FROM pg_constraint c
                 WHERE c.connamespace = 'ticketing'::regnamespace AND c.contype IN ('p', 'u', 'f')
                   AND c.conrelid::regclass::text = ANY (?)
                   AND (c.contype <> 'f' OR c.confrelid::regclass::text = ANY (?))
                   AND NOT EXISTS (SELECT 1 FROM pg_attribute a
                                    WHERE a.attrelid = c.conrelid AND a.attname = 'event_id' AND a.attnum = ANY (c.conkey))
                UNION ALL
                SELECT i.indexrelid::regclass::text FROM pg_index i
                 WHERE i.indisunique AND i.indrelid::regclass::text = ANY (?)
                   AND NOT EXISTS (SELECT 1 FROM pg_attribute a
                                    WHERE a.attrelid = i.indrelid AND a.attname = 'event_id' AND a.attnum = ANY (i.indkey))""",
                scoped(), scoped(), scoped());
        assertThat(offenders).isEmpty();
        assertThat(strings(connection, """
                SELECT c.conname FROM pg_constraint c
                 WHERE c.connamespace = 'ticketing'::regnamespace AND c.contype = 'f'
                   AND c.conrelid::regclass::text = ANY (?) AND c.confrelid::regclass::text = ANY (?)""", scoped(), scoped()))
                .containsExactlyInAnyOrder("payment_session_booking_fkey", "booking_payment_session_fkey",
                        "payment_session_seat_payment_session_fkey", "payment_session_seat_seat_fkey",
                        "booked_seat_booking_fkey", "booked_seat_seat_fkey", "ticket_booked_seat_fkey");
    }

    @Test
    void has_the_check_and_foreign_key_constraints() throws Exception {
        assertThat(strings(connection, "SELECT conname FROM pg_constraint WHERE connamespace = 'ticketing'::regnamespace"))
                .contains("event_currency_check", "event_soft_delete_check", "event_ends_after_start_check",
                        "seat_price_check", "seat_event_fkey", "payment_session_event_fkey", "payment_session_customer_fkey",
                        "booking_event_fkey", "booking_customer_fkey", "booking_confirmed_at_check", "booking_cancelled_at_check",
                        "ticket_customer_fkey", "ticket_checked_in_at_check", "event_summary_shard_event_fkey", "event_summary_shard_shard_check",
                        "audit_log_action_check", "api_key_role_check", "idempotency_key_state_check");
    }

    private static java.sql.Array scoped() throws Exception {
        return connection.createArrayOf("text", EVENT_SCOPED.stream().map(t -> "ticketing." + t).toArray());
    }
}
