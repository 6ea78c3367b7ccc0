package io.ticketing.persistence.mybatis;

import org.apache.ibatis.type.BaseTypeHandler;
import org.apache.ibatis.type.JdbcType;

import java.math.BigDecimal;
import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Collection;

/**
 * A collection as one PostgreSQL {@code text[]} parameter, which the statement casts to what it
 * holds: {@code #{seatIds,typeHandler=sqlArray}::uuid[]}. One parameter for any number of elements
 * keeps a statement's text the same whatever the count, so that MyBatis parses it once, at start,
 * and the driver keeps one server-side prepared statement for it per connection (none behind a
 * transaction pooler); a {@code <foreach>} made MyBatis build and parse the statement anew on every
 * call. Elements are written as PostgreSQL reads them back: enums by name, numbers without exponent,
 * instants in ISO 8601, nulls as NULL.
 */
public final class SqlArrayTypeHandler extends BaseTypeHandler<Collection<?>> {

    /** The alias statements name it by. */
    public static final String ALIAS = "sqlArray";

    @Override
    public void setNonNullParameter(PreparedStatement ps, int i, Collection<?> values, JdbcType jdbcType) throws java.sql.SQLException {
        String[] texts = values.stream().map(SqlArrayTypeHandler::text).toArray(String[]::new);
        ps.setArray(i, ps.getConnection().createArrayOf("text", texts));
    }

    private static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Enum<?> constant) {
            return constant.name();
        }
        return value instanceof BigDecimal number ? number.toPlainString() : value.toString();
    }

    @Override
    public Collection<?> getNullableResult(ResultSet rs, String columnName) {
        throw new UnsupportedOperationException("sqlArray passes parameters only");
    }

    @Override
    public Collection<?> getNullableResult(ResultSet rs, int columnIndex) {
        throw new UnsupportedOperationException("sqlArray passes parameters only");
    }

    @Override
    public Collection<?> getNullableResult(CallableStatement cs, int columnIndex) {
        throw new UnsupportedOperationException("sqlArray passes parameters only");
    }
}
