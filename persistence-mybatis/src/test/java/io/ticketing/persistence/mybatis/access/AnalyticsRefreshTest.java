package io.ticketing.persistence.mybatis.access;

import io.ticketing.persistence.mybatis.MigratedDatabase;
import io.ticketing.persistence.mybatis.Sessions;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

class AnalyticsRefreshTest {

    private final DataSource dataSource = MigratedDatabase.create().dataSource();
    private final AnalyticsRefresh refresh = new AnalyticsRefresh(new Sessions(dataSource));

    @Test
    void refreshes_the_view_when_no_other_instance_is_refreshing() throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO ticketing.event (title, starts_at, currency, status) "
                    + "VALUES ('Refreshed', now() + interval '1 day', 'EUR', 'PUBLISHED')");
        }

        assertThat(refresh.refreshUnlessRunningElsewhere()).isTrue();
        assertThat(rowsInView()).isEqualTo(1);
    }

    @Test
    void skips_the_refresh_while_another_instance_holds_the_lock() throws Exception {
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (Statement statement = other.createStatement();
                 ResultSet locked = statement.executeQuery("SELECT pg_try_advisory_xact_lock(hashtext('ticketing.event_sales_summary'))")) {
                locked.next();
                assertThat(locked.getBoolean(1)).isTrue();
            }

            assertThat(refresh.refreshUnlessRunningElsewhere()).isFalse();
            other.rollback();
        }
        assertThat(refresh.refreshUnlessRunningElsewhere()).isTrue();
    }

    private long rowsInView() throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT count(*) FROM ticketing.event_sales_summary")) {
            result.next();
            return result.getLong(1);
        }
    }
}
