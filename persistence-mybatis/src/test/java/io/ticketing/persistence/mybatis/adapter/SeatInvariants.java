package io.ticketing.persistence.mybatis.adapter;

import io.ticketing.migration.schema.SchemaInvariants;
import io.ticketing.testsupport.TestDatabase;

import java.sql.Connection;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** What must hold at every commit, checked with plain SQL ({@link SchemaInvariants}), independently of the adapter. */
final class SeatInvariants {

    private SeatInvariants() {
    }

    static void assertHold(TestDatabase database) throws SQLException {
        try (Connection connection = database.connect()) {
            SchemaInvariants.count(connection).forEach((check, violations) -> assertThat(violations).as(check).isZero());
        }
    }
}
