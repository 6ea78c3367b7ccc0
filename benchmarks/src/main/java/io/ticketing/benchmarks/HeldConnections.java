package io.ticketing.benchmarks;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * A data source over another (a pool) that times how long each connection it hands out is held: from the moment
 * the pool gives it (after any wait for a free one) until it is given back. A unit of work takes one connection and
 * gives it back after its commit or rollback, so the time held bounds every lock its transaction took; waiting for
 * the pool is not in it.
 */
final class HeldConnections implements DataSource {

    private final DataSource pool;
    private final List<Double> held = new ArrayList<>();

    HeldConnections(DataSource pool) {
        this.pool = pool;
    }

    /** The times held since the last take, in milliseconds, in the order the connections were given back. */
    synchronized List<Double> take() {
        List<Double> taken = List.copyOf(held);
        held.clear();
        return taken;
    }

    private synchronized void record(double millis) {
        held.add(millis);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return timed(pool.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return timed(pool.getConnection(username, password));
    }

    private Connection timed(Connection connection) {
        long taken = System.nanoTime();
        boolean[] closed = {false};
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close") && !closed[0]) {
                        closed[0] = true;
                        try {
                            return method.invoke(connection, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        } finally {
                            record(Bench.millisSince(taken));
                        }
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return pool.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return pool.isWrapperFor(type);
    }
}
