package io.ticketing.migration.legacy;

import io.ticketing.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The currency an import starts with is the one it resumes with; one the application cannot serve is refused up front. */
class ImportCurrencyTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void only_codes_java_util_currency_knows_are_accepted() {
        ImportOptions defaults = ImportOptions.defaults();
        for (String code : new String[]{"XYZ", "ABC", "xyz", "EURO", "", "éur", "XAU", "XTS", "CLF", "USN"}) {
            assertThatThrownBy(() -> new ImportOptions(defaults.batchSize(), 0, defaults.lockTimeout(), 5, code, false, true, 1))
                    .as(code).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("--currency must be an ISO 4217 code of money such as EUR, got " + code);
        }
        assertThat(new ImportOptions(defaults.batchSize(), 0, defaults.lockTimeout(), 5, "CHF", false, true, 1).currency()).isEqualTo("CHF");
        assertThat(new ImportOptions(defaults.batchSize(), 0, defaults.lockTimeout(), 5, "chf", false, true, 1).currency())
                .as("small letters mean the capitals").isEqualTo("CHF");
    }

    @Test
    void in_a_currency_without_minor_unit_an_amount_with_decimals_is_quarantined_and_a_whole_one_migrated() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        Map<String, String> seats = new LinkedHashMap<>();
        String booking;
        String checkout;
        try (Connection connection = database.connect()) {
            List<String> available = Jdbc.query(connection, "SELECT id FROM \"Seat\" WHERE status = 'available' ORDER BY id LIMIT 2")
                    .stream().map(row -> (String) row.get("id")).toList();
            Jdbc.update(connection, "UPDATE \"Seat\" SET price = 1250.50 WHERE id = ?", available.get(0));
            Jdbc.update(connection, "UPDATE \"Seat\" SET price = 1250 WHERE id = ?", available.get(1));
            seats.put(available.get(0), "price with decimals, which JPY has none of");
            seats.put(available.get(1), "migrated");
            booking = (String) Jdbc.single(connection, "SELECT id FROM \"Booking\" WHERE status = 'confirmed' ORDER BY id LIMIT 1");
            Jdbc.update(connection, "UPDATE \"Booking\" SET \"totalAmount\" = 12.50 WHERE id = ?", booking);
            checkout = (String) Jdbc.single(connection, "SELECT id FROM \"PaymentSession\" WHERE \"bookingId\" <> ? ORDER BY id LIMIT 1", booking);
            Jdbc.update(connection, "UPDATE \"PaymentSession\" SET amount = 0.50 WHERE id = ?", checkout);
        }
        ImportOptions inYen = new ImportOptions(1000, 0, ImportOptions.defaults().lockTimeout(), 5, "JPY", false, true, 2);

        ImportReport plan = new LegacyPlanner(database.dataSource(), inYen, QUIET).run().report();
        ImportReport report = new LegacyImporter(database.dataSource(), inYen, QUIET).run();

        assertThat(report.addsUp()).isTrue();
        assertThat(plan.tables()).isEqualTo(report.tables());
        assertThat(plan.anomalyCounts()).isEqualTo(report.anomalyCounts());
        try (Connection connection = database.connect()) {
            for (var seat : seats.entrySet()) {
                assertThat(reason(connection, "Seat", seat.getKey())).as(seat.getKey()).isEqualTo(seat.getValue());
            }
            assertThat(reason(connection, "Booking", booking)).isEqualTo("amount with decimals, which JPY has none of");
            assertThat(reason(connection, "PaymentSession", checkout)).isEqualTo("amount with decimals, which JPY has none of");
            // What the application loads holds no decimals: Money in JPY would refuse them.
            assertThat(Jdbc.count(connection, """
                    SELECT (SELECT count(*) FROM ticketing.seat WHERE price <> trunc(price))
                         + (SELECT count(*) FROM ticketing.booking WHERE total_amount <> trunc(total_amount))
                         + (SELECT count(*) FROM ticketing.booked_seat WHERE price <> trunc(price))
                         + (SELECT count(*) FROM ticketing.payment_session WHERE amount <> trunc(amount))""")).isZero();
            assertThat(Jdbc.single(connection, "SELECT string_agg(DISTINCT currency, ',') FROM ticketing.event")).isEqualTo("JPY");
        }
        assertThat(new LegacyVerifier(database.dataSource()).run().clean()).isTrue();
    }

    private static String reason(Connection connection, String table, String legacyId) throws Exception {
        return (String) Jdbc.single(connection, "SELECT coalesce((SELECT reason FROM ticketing_import.quarantine "
                + "WHERE table_name = ? AND legacy_id = ?), 'migrated')", table, legacyId);
    }

    @Test
    void a_resume_names_the_currency_the_import_started_with_or_says_to_roll_back_one_that_cannot_be_served() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions().withCatchUp(false), QUIET).run();
        ImportOptions inUsd = new ImportOptions(1000, 0, ImportOptions.defaults().lockTimeout(), 5, "USD", false, true, 2);

        assertThatThrownBy(() -> new LegacyImporter(database.dataSource(), inUsd, QUIET).run())
                .hasMessage("this import started with currency EUR; resume it with --currency EUR");

        try (Connection connection = database.connect()) {
            // As an import started before unknown codes were refused left it.
            Jdbc.update(connection, "UPDATE ticketing_import.run SET currency = 'XYZ'");
        }
        assertThatThrownBy(() -> new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run())
                .hasMessageStartingWith("this import started with currency XYZ, which the application cannot serve")
                .hasMessageEndingWith("run `legacy rollback`, then `legacy import` with a known --currency");
    }
}
