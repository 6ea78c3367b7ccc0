package io.ticketing.persistence.mybatis.adapter;

import io.ticketing.domain.port.out.TicketingPorts;
import io.ticketing.persistence.mybatis.ConnectionPool;
import io.ticketing.persistence.mybatis.MigratedDatabase;
import io.ticketing.testsupport.TestDatabase;

import java.time.Clock;
import java.time.Duration;

/** The adapter over a fresh migrated database and a pool of its own: what one contract test runs against. */
final class PostgresPorts implements AutoCloseable {

    /** Enough for the contract's races (up to 16 threads) and the concurrency test (32). */
    static final int POOL_SIZE = 40;

    final TestDatabase database;
    final ConnectionPool pool;
    final TicketingPorts ports;

    PostgresPorts(Clock clock) {
        database = MigratedDatabase.create();
        pool = ConnectionPool.open(database.jdbcUrl(), database.user(), database.password(), POOL_SIZE, Duration.ofSeconds(30));
        ports = MyBatisTicketingAdapter.create(pool.dataSource(), clock);
    }

    @Override
    public void close() {
        pool.close();
    }
}
