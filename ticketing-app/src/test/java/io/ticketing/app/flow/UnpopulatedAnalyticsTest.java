package io.ticketing.app.flow;

import io.ticketing.app.TestApplication;
import io.ticketing.app.TestApplication.Response;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sales view emptied (a restore, {@code REFRESH … WITH NO DATA}): reading it says so and how to fill it,
 * rather than failing with a 500, and a refresh makes it answer again.
 */
class UnpopulatedAnalyticsTest {

    @Test
    void sales_analytics_of_an_emptied_view_answer_analytics_not_ready_until_refreshed() throws Exception {
        try (TestApplication api = TestApplication.start()) {
            Response notReady;
            // The refresh's own lock held meanwhile, so that the server's scheduled refresh skips its turns.
            try (Connection refreshing = api.database().connect(); Statement lock = refreshing.createStatement();
                 Connection connection = api.database().connect(); Statement statement = connection.createStatement()) {
                refreshing.setAutoCommit(false);
                lock.execute("SELECT pg_advisory_xact_lock(hashtext('ticketing.event_sales_summary'))");
                statement.execute("REFRESH MATERIALIZED VIEW ticketing.event_sales_summary WITH NO DATA");

                notReady = api.admin().get("/analytics/sales");

                refreshing.commit();
            }

            assertThat(notReady.status()).as(notReady.toString()).isEqualTo(503);
            assertThat(notReady.contentType()).startsWith("application/problem+json");
            assertThat(notReady.json().get("code").asText()).isEqualTo("analytics-not-ready");
            assertThat(notReady.json().get("detail").asText()).contains("refresh-analytics", "maintain --refresh");
            assertThat(api.admin().get("/analytics/sales?refresh=true").status()).isEqualTo(200);
            assertThat(api.admin().get("/analytics/sales").status()).isEqualTo(200);
        }
    }
}
