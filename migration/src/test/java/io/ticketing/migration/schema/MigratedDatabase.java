package io.ticketing.migration.schema;

import io.ticketing.migration.legacy.Jdbc;
import io.ticketing.testsupport.TestDatabase;
import io.ticketing.testsupport.TestPostgres;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Fresh databases holding the migrated schema, and the few JDBC helpers the schema tests share. */
final class MigratedDatabase {

    private MigratedDatabase() {
    }

    /** A database of its own, copied from a template that the migrations built once per JVM. */
    static TestDatabase fresh() {
        return TestPostgres.freshDatabase("ticketing", d -> new SchemaMigrator(d.dataSource()).migrate());
    }

    static Connection connect(TestDatabase database) throws SQLException {
        Connection connection = database.connect();
        try (var statement = connection.createStatement()) {
            statement.execute("SET search_path = ticketing");
        }
        return connection;
    }

    /**
     * A connection whose writes skip V9's commit-time guards of the seat and claim rules, for tests
     * that write rows one statement at a time to show something else (an audit row, a refusal by an
     * index, a plan): their intermediate states would break those rules. SeatClaimGuardsTest shows the
     * guards themselves.
     */
    static Connection connectWithoutGuards(TestDatabase database) throws SQLException {
        Connection connection = connect(database);
        try (var statement = connection.createStatement()) {
            statement.execute("SET ticketing.check_invariants = off");
        }
        return connection;
    }

    static int update(Connection connection, String sql, Object... parameters) throws SQLException {
        return Jdbc.update(connection, sql, parameters);
    }

    static List<Map<String, Object>> query(Connection connection, String sql, Object... parameters) throws SQLException {
        return Jdbc.query(connection, sql, parameters);
    }

    static List<String> strings(Connection connection, String sql, Object... parameters) throws SQLException {
        return query(connection, sql, parameters).stream().map(row -> String.valueOf(row.values().iterator().next())).toList();
    }

    static Object single(Connection connection, String sql, Object... parameters) throws SQLException {
        List<Map<String, Object>> rows = query(connection, sql, parameters);
        if (rows.size() != 1) {
            throw new IllegalStateException("expected one row from " + sql + ", got " + rows.size());
        }
        return rows.get(0).values().iterator().next();
    }

    // Fixtures: the smallest valid rows, in plain SQL, as any client would write them.

    static UUID customer(Connection connection) throws SQLException {
        UUID id = UUID.randomUUID();
        update(connection, "INSERT INTO customer (id, email, name) VALUES (?, ?, 'Ada')", id, id + "@example.org");
        return id;
    }

    static UUID publishedEvent(Connection connection) throws SQLException {
        UUID id = UUID.randomUUID();
        update(connection, """
                INSERT INTO event (id, title, venue, starts_at, currency, status)
                VALUES (?, 'Concert', 'Hall', now() + interval '30 days', 'EUR', 'PUBLISHED')""", id);
        return id;
    }

    static UUID seat(Connection connection, UUID event, String row, int number, String price) throws SQLException {
        UUID id = UUID.randomUUID();
        update(connection, "INSERT INTO seat (event_id, id, section, \"row\", number, price) VALUES (?, ?, 'A', ?, ?, ?)",
                event, id, row, number, new BigDecimal(price));
        return id;
    }

    static UUID openSession(Connection connection, UUID event, UUID customer, String amount) throws SQLException {
        UUID id = UUID.randomUUID();
        update(connection, """
                INSERT INTO payment_session (event_id, id, customer_id, amount, currency, expires_at)
                VALUES (?, ?, ?, ?, 'EUR', now() + interval '15 minutes')""", event, id, customer, new BigDecimal(amount));
        return id;
    }

    static UUID pendingBooking(Connection connection, UUID event, UUID customer, UUID session, String total) throws SQLException {
        UUID id = UUID.randomUUID();
        update(connection, """
                INSERT INTO booking (event_id, id, customer_id, payment_session_id, total_amount)
                VALUES (?, ?, ?, ?, ?)""", event, id, customer, session, new BigDecimal(total));
        return id;
    }
}
