package io.ticketing.persistence.mybatis.access;

import io.ticketing.domain.model.Actor;
import io.ticketing.persistence.mybatis.MigratedDatabase;
import io.ticketing.persistence.mybatis.Sessions;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeyRepositoryTest {

    private final javax.sql.DataSource dataSource = MigratedDatabase.create().dataSource();
    private final ApiKeyRepository keys = new ApiKeyRepository(new Sessions(dataSource));

    @Test
    void a_stored_key_is_found_by_its_hash_until_it_is_revoked() throws Exception {
        var id = keys.create("door-1", "STAFF", "hash-of-door-1");

        assertThat(keys.loadActiveApiKey("hash-of-door-1")).hasValueSatisfying(key -> {
            assertThat(key.name()).isEqualTo("door-1");
            assertThat(key.role()).isEqualTo(Actor.Role.STAFF);
        });
        assertThat(keys.anyActive("STAFF")).isTrue();
        assertThat(keys.anyActive("ADMIN")).isFalse();

        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("UPDATE ticketing.api_key SET revoked_at = now() WHERE id = '" + id + "'");
        }
        assertThat(keys.loadActiveApiKey("hash-of-door-1")).isEmpty();
    }

    @Test
    void an_unknown_hash_finds_nothing() {
        assertThat(keys.loadActiveApiKey("no-such-hash")).isEmpty();
    }
}
