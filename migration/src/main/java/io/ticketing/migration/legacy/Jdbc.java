package io.ticketing.migration.legacy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The few JDBC helpers the legacy tools share. */
public final class Jdbc {

    private Jdbc() {
    }

    static String resource(String path) {
        try (InputStream in = Jdbc.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a script (several statements; pgjdbc splits them, dollar quotes included). */
    static void script(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    public static int update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters)) {
            return statement.executeUpdate();
        }
    }

    public static List<Map<String, Object>> query(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters); ResultSet rows = statement.executeQuery()) {
            List<Map<String, Object>> result = new ArrayList<>();
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= columns; i++) {
                    row.put(rows.getMetaData().getColumnLabel(i), rows.getObject(i));
                }
                result.add(row);
            }
            return result;
        }
    }

    static Object single(Connection connection, String sql, Object... parameters) throws SQLException {
        List<Map<String, Object>> rows = query(connection, sql, parameters);
        return rows.isEmpty() ? null : rows.get(0).values().iterator().next();
    }

    static long count(Connection connection, String sql, Object... parameters) throws SQLException {
        Object value = single(connection, sql, parameters);
        return value == null ? 0 : ((Number) value).longValue();
    }

    /** From the catalog, which every role may read (to_regclass fails in a schema the role may not use). */
    static boolean exists(Connection connection, String schema, String table) throws SQLException {
        return single(connection, "SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?",
                schema, table) != null;
    }

    static boolean schemaExists(Connection connection, String schema) throws SQLException {
        return single(connection, "SELECT 1 FROM pg_namespace WHERE nspname = ?", schema) != null;
    }

    static String quoteIdent(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }
}
