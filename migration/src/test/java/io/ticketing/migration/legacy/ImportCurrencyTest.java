package io.ticketing.migration.legacy;

import io.ticketing.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.Connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The currency an import starts with is the one it resumes with; one the application cannot serve is refused up front. */
class ImportCurrencyTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void only_codes_java_util_currency_knows_are_accepted() {
        ImportOptions defaults = ImportOptions.defaults();
        for (String code : new String[]{"XYZ", "ABC", "xyz", "EURO", "", "éur"}) {
            assertThatThrownBy(() -> new ImportOptions(defaults.batchSize(), 0, defaults.lockTimeout(), 5, code, false, true, 1))
                    .as(code).isInstanceOf(IllegalArgumentException.class).hasMessage("--currency must be an ISO 4217 code such as EUR, got " + code);
        }
        assertThat(new ImportOptions(defaults.batchSize(), 0, defaults.lockTimeout(), 5, "CHF", false, true, 1).currency()).isEqualTo("CHF");
        assertThat(new ImportOptions(defaults.batchSize(), 0, defaults.lockTimeout(), 5, "chf", false, true, 1).currency())
                .as("small letters mean the capitals").isEqualTo("CHF");
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
