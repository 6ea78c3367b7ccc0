package io.ticketing.persistence.mybatis.access;

import io.ticketing.persistence.mybatis.MigratedDatabase;
import io.ticketing.persistence.mybatis.Sessions;
import io.ticketing.domain.model.IdempotencyClaim.Outcome;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class IdempotencyRepositoryTest {

    private final javax.sql.DataSource dataSource = MigratedDatabase.create().dataSource();
    private final IdempotencyRepository keys = new IdempotencyRepository(new Sessions(dataSource), Duration.ofMinutes(1));

    @Test
    void the_first_request_claims_the_key_and_a_retry_while_it_runs_is_told_it_is_in_flight() {
        assertThat(keys.claimIdempotencyKey("customer:1", "k1", "hash-a").outcome()).isEqualTo(Outcome.CLAIMED);
        assertThat(keys.claimIdempotencyKey("customer:1", "k1", "hash-a").outcome()).isEqualTo(Outcome.IN_FLIGHT);
    }

    @Test
    void a_retry_after_completion_gets_the_first_answer() {
        keys.claimIdempotencyKey("customer:1", "k2", "hash-a");
        keys.completeIdempotencyKey("customer:1", "k2", 201, "{\"id\":\"x\"}");

        var replay = keys.claimIdempotencyKey("customer:1", "k2", "hash-a");

        assertThat(replay.outcome()).isEqualTo(Outcome.COMPLETED);
        assertThat(replay.status()).isEqualTo(201);
        assertThat(replay.body()).isEqualTo("{\"id\":\"x\"}");
    }

    @Test
    void the_same_key_with_another_body_is_a_different_request() {
        keys.claimIdempotencyKey("customer:1", "k3", "hash-a");

        assertThat(keys.claimIdempotencyKey("customer:1", "k3", "hash-b").outcome()).isEqualTo(Outcome.DIFFERENT_REQUEST);
    }

    @Test
    void keys_are_scoped_to_their_principal() {
        keys.claimIdempotencyKey("customer:1", "k4", "hash-a");

        assertThat(keys.claimIdempotencyKey("customer:2", "k4", "hash-b").outcome()).isEqualTo(Outcome.CLAIMED);
    }

    @Test
    void a_released_key_can_be_claimed_again() {
        keys.claimIdempotencyKey("customer:1", "k5", "hash-a");
        keys.releaseIdempotencyKey("customer:1", "k5");

        assertThat(keys.claimIdempotencyKey("customer:1", "k5", "hash-a").outcome()).isEqualTo(Outcome.CLAIMED);
    }

    @Test
    void a_claim_abandoned_in_flight_is_taken_over_by_a_retry() throws Exception {
        keys.claimIdempotencyKey("customer:1", "k6", "hash-a");
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("UPDATE ticketing.idempotency_key SET created_at = now() - interval '2 minutes' WHERE key = 'k6'");
        }

        assertThat(keys.claimIdempotencyKey("customer:1", "k6", "hash-a").outcome()).isEqualTo(Outcome.CLAIMED);
    }
}
