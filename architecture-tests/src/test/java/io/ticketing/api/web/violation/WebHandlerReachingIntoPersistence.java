package io.ticketing.api.web.violation;

import com.zaxxer.hikari.HikariDataSource;
import io.ticketing.persistence.mybatis.ConnectionPool;

/** Deliberately wrong, to prove that the rules bite: a web handler that opens its own pool. */
public final class WebHandlerReachingIntoPersistence {
    public ConnectionPool pool;
    public HikariDataSource dataSource;
}
