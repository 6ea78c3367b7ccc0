package io.ticketing.app;

import io.ticketing.persistence.mybatis.Sessions;
import io.ticketing.persistence.mybatis.access.AnalyticsRefresh;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

@Command(name = "refresh-analytics", mixinStandardHelpOptions = true, description = "Refresh the sales analytics view now (concurrently: readers are not blocked).")
final class RefreshAnalyticsCommand implements Callable<Integer> {

    @Mixin
    DatabaseOptions database;

    @Override
    public Integer call() {
        try (RunDatabase db = RunDatabase.open(database)) {
            db.requireCurrentSchema();
            boolean refreshed = new AnalyticsRefresh(new Sessions(db.dataSource())).refreshUnlessRunningElsewhere();
            System.out.println(refreshed
                    ? "Refreshed event_sales_summary."
                    : "Another instance is refreshing event_sales_summary right now; nothing to do.");
            return 0;
        }
    }
}
