package io.ticketing.persistence.mybatis.access;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.Customer;
import io.ticketing.domain.model.RequestAnswer;
import io.ticketing.domain.port.in.RequestCommand;
import io.ticketing.domain.port.in.RequestOutcome;
import io.ticketing.domain.port.in.RequestOutcome.Kind;
import io.ticketing.domain.port.out.TicketingPorts;
import io.ticketing.domain.service.RequestService;
import io.ticketing.persistence.mybatis.MigratedDatabase;
import io.ticketing.persistence.mybatis.Sessions;
import io.ticketing.persistence.mybatis.adapter.MyBatisTicketingAdapter;
import io.ticketing.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Idempotency keys in the request's own transaction, on PostgreSQL: the domain's request service over this adapter. */
class IdempotencyRepositoryTest {

    private static final Actor ADMIN = Actor.admin("tester");

    private final TestDatabase database = MigratedDatabase.create();
    private final Sessions sessions = new Sessions(database.dataSource());
    private final TicketingPorts ports = MyBatisTicketingAdapter.create(sessions, Clock.systemUTC());
    private final RequestService requests = new RequestService(ports.unitOfWork(), new IdempotencyRepository(sessions));
    private final AtomicInteger runs = new AtomicInteger();

    @Test
    void a_retry_gets_the_committed_answer_and_the_key_with_another_request_is_refused() {
        RequestAnswer created = new RequestAnswer(201, "{\"id\":\"x\"}", "/things/x");
        RequestOutcome first = requests.run(keyed("k1", "hash-a"), () -> {
            runs.incrementAndGet();
            return created;
        });
        RequestOutcome retry = requests.run(keyed("k1", "hash-a"), () -> answer(201, "{\"id\":\"other\"}"));
        RequestOutcome otherRequest = requests.run(keyed("k1", "hash-b"), () -> answer(201, "{}"));

        assertThat(first).isEqualTo(new RequestOutcome(Kind.ANSWERED, created));
        assertThat(retry).as("status, body and location").isEqualTo(new RequestOutcome(Kind.REPLAYED, created));
        assertThat(otherRequest.kind()).isEqualTo(Kind.KEY_REUSED);
        assertThat(runs).as("the work ran once").hasValue(1);
    }

    @Test
    void keys_belong_to_their_principal() {
        requests.run(keyed("k2", "hash-a"), () -> answer(201, "a"));

        RequestOutcome another = requests.run(RequestCommand.idempotent(Actor.admin("other"), "admin:other", "k2", "hash-b"),
                () -> answer(201, "b"));

        assertThat(another).isEqualTo(new RequestOutcome(Kind.ANSWERED, new RequestAnswer(201, "b")));
    }

    @Test
    void a_refusal_undoes_what_the_request_changed_and_is_kept_as_the_keys_answer() {
        RequestOutcome refused = requests.run(keyed("k3", "hash-a"), () -> {
            ports.saveCustomer().insertCustomerIfAbsent(Customer.register("undone@example.com", "Undone", Instant.now()));
            return answer(409, "{\"code\":\"seats-unavailable\"}");
        });
        RequestOutcome retry = requests.run(keyed("k3", "hash-a"), () -> answer(201, "{}"));

        assertThat(refused.answer().status()).isEqualTo(409);
        assertThat(retry).isEqualTo(new RequestOutcome(Kind.REPLAYED, new RequestAnswer(409, "{\"code\":\"seats-unavailable\"}")));
        assertThat(ports.unitOfWork().inUnitOfWork(ADMIN, () -> ports.loadCustomer().loadCustomerByEmail("undone@example.com")))
                .as("the refused request's write").isEmpty();
    }

    @Test
    void a_failure_keeps_nothing_so_the_retry_runs_afresh() {
        assertThatThrownBy(() -> requests.run(keyed("k4", "hash-a"), () -> {
            ports.saveCustomer().insertCustomerIfAbsent(Customer.register("failed@example.com", "Failed", Instant.now()));
            runs.incrementAndGet();
            throw new IllegalStateException("the server failed");
        })).hasMessage("the server failed");
        RequestOutcome serverError = requests.run(keyed("k4", "hash-a"), () -> answer(503, "{}"));
        RequestOutcome retry = requests.run(keyed("k4", "hash-a"), () -> answer(201, "{\"id\":\"y\"}"));

        assertThat(serverError.answer().status()).isEqualTo(503);
        assertThat(retry).isEqualTo(new RequestOutcome(Kind.ANSWERED, new RequestAnswer(201, "{\"id\":\"y\"}")));
        assertThat(runs).hasValue(3);
        assertThat(ports.unitOfWork().inUnitOfWork(ADMIN, () -> ports.loadCustomer().loadCustomerByEmail("failed@example.com")))
                .isEmpty();
    }

    @Test
    void while_the_first_request_runs_a_retry_is_told_so_at_once() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        CompletableFuture<RequestOutcome> first = CompletableFuture.supplyAsync(() -> requests.run(keyed("k5", "hash-a"), () -> {
            running.countDown();
            await(finish);
            return answer(201, "first");
        }));
        running.await(10, TimeUnit.SECONDS);

        RequestOutcome retryWhileRunning = requests.run(keyed("k5", "hash-a"), () -> answer(201, "second"));
        finish.countDown();
        RequestOutcome firstOutcome = first.get(10, TimeUnit.SECONDS);
        RequestOutcome retryAfter = requests.run(keyed("k5", "hash-a"), () -> answer(201, "third"));

        assertThat(retryWhileRunning.kind()).isEqualTo(Kind.IN_FLIGHT);
        assertThat(firstOutcome.answer().body()).isEqualTo("first");
        assertThat(retryAfter).isEqualTo(new RequestOutcome(Kind.REPLAYED, new RequestAnswer(201, "first")));
    }

    @Test
    void the_key_of_a_request_whose_connection_died_is_free_at_once() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        CompletableFuture<RequestOutcome> holder = CompletableFuture.supplyAsync(() -> requests.run(keyed("k6", "hash-a"), () -> {
            running.countDown();
            await(finish);
            return answer(201, "never committed");
        }));
        running.await(10, TimeUnit.SECONDS);
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             // The holder's backend, as an operator (or the process's death) would end it.
             ResultSet killed = statement.executeQuery("""
                     SELECT pg_terminate_backend(pid) FROM pg_locks
                      WHERE locktype = 'advisory' AND objsubid = 2 AND granted
                        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())""")) {
            assertThat(killed.next() && killed.getBoolean(1)).as("a holder was terminated").isTrue();
        }

        RequestOutcome retry = awaitNotInFlight(() -> requests.run(keyed("k6", "hash-a"), () -> answer(201, "the retry")));
        finish.countDown();

        assertThat(retry).isEqualTo(new RequestOutcome(Kind.ANSWERED, new RequestAnswer(201, "the retry")));
        assertThat(holder).failsWithin(10, TimeUnit.SECONDS);
    }

    private RequestCommand keyed(String key, String hash) {
        return RequestCommand.idempotent(ADMIN, "admin:tester", key, hash);
    }

    private RequestAnswer answer(int status, String body) {
        runs.incrementAndGet();
        return new RequestAnswer(status, body);
    }

    /** PostgreSQL releases a terminated backend's locks as the backend exits: a moment, not a timeout. */
    private static RequestOutcome awaitNotInFlight(java.util.function.Supplier<RequestOutcome> attempt) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            RequestOutcome outcome = attempt.get();
            if (outcome.kind() != Kind.IN_FLIGHT) {
                return outcome;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the key stayed in flight after its holder's backend was terminated");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
