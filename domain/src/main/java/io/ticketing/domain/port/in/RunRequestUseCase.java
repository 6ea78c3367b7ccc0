package io.ticketing.domain.port.in;

import io.ticketing.domain.model.RequestAnswer;

import java.util.function.Supplier;

/**
 * A client's request that changes something, run as one unit of work: what it changes, and with an
 * idempotency key the answer it gets, commit together or not at all. So a retry after any failure either
 * finds the committed answer and gets it again, or finds nothing committed and runs afresh; it never sees a
 * half-applied request. While the first request with a key runs, a retry is told so at once; when its
 * process dies, the key is free as soon as the storage has rolled its work back.
 *
 * <p>The {@code work} runs the request (it may run again, from the start, when the storage reports a
 * transient conflict) and returns its answer. An answer that refuses the request undoes whatever the work
 * changed; with a key, the refusal is kept as the key's answer. A work that throws keeps nothing.
 */
public interface RunRequestUseCase {

    RequestOutcome run(RequestCommand command, Supplier<RequestAnswer> work);
}
