package io.ticketing.domain.service;

import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.model.RequestAnswer;
import io.ticketing.domain.port.in.RequestCommand;
import io.ticketing.domain.port.in.RequestOutcome;
import io.ticketing.domain.port.in.RequestOutcome.Kind;
import io.ticketing.domain.port.in.RunRequestUseCase;
import io.ticketing.domain.port.out.IdempotencyPort;
import io.ticketing.domain.port.out.UnitOfWorkPort;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Requests as units of work, and idempotency keys in the same unit of work as the request's effect (the
 * "atomic phases" of idempotency keys): take the key, look for its answer, run the request, keep its answer,
 * commit. Nothing about a key is ever stored apart from the effect, so there is no claim to release after a
 * failure and none for a dead process to leave behind.
 */
public class RequestService implements RunRequestUseCase {

    private final UnitOfWorkPort unitOfWork;
    private final IdempotencyPort keys;

    public RequestService(UnitOfWorkPort unitOfWork, IdempotencyPort keys) {
        this.unitOfWork = Objects.requireNonNull(unitOfWork, "unitOfWork");
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    @Override
    public RequestOutcome run(RequestCommand command, Supplier<RequestAnswer> work) {
        InvalidValueException.required(command, "command");
        Objects.requireNonNull(work, "work");
        try {
            return unitOfWork.inUnitOfWork(command.actor(), () -> unlessAnsweredBefore(command, () -> {
                RequestAnswer answer = Objects.requireNonNull(work.get(), "the request's answer");
                if (!answer.done()) {
                    throw new NotDone(answer); // undoes whatever the request changed before it was refused
                }
                keep(command, answer);
                return RequestOutcome.answered(answer);
            }));
        } catch (NotDone notDone) {
            if (!notDone.answer.refused() || !command.hasIdempotencyKey()) {
                return RequestOutcome.answered(notDone.answer); // a failure on the server's side keeps nothing
            }
            // The refusal is the key's answer. Kept in a unit of work of its own, which yields to a retry that
            // took the key in between (in flight, or its answer committed), so that no two answers of one key contradict.
            return unitOfWork.inUnitOfWork(command.actor(), () -> unlessAnsweredBefore(command, () -> {
                keep(command, notDone.answer);
                return RequestOutcome.answered(notDone.answer);
            }));
        }
    }

    private RequestOutcome unlessAnsweredBefore(RequestCommand command, Supplier<RequestOutcome> firstRun) {
        if (!command.hasIdempotencyKey()) {
            return firstRun.get();
        }
        if (!keys.lockIdempotencyKey(command.principal(), command.idempotencyKey())) {
            return new RequestOutcome(Kind.IN_FLIGHT, null);
        }
        Optional<IdempotencyPort.KeptAnswer> kept = keys.findIdempotencyAnswer(command.principal(), command.idempotencyKey());
        if (kept.isEmpty()) {
            return firstRun.get();
        }
        return kept.get().requestHash().equals(command.requestHash())
                ? new RequestOutcome(Kind.REPLAYED, kept.get().answer())
                : new RequestOutcome(Kind.KEY_REUSED, null);
    }

    private void keep(RequestCommand command, RequestAnswer answer) {
        if (command.hasIdempotencyKey()) {
            keys.keepIdempotencyAnswer(command.principal(), command.idempotencyKey(), command.requestHash(), answer);
        }
    }

    /** Carries an answer that is not a success out of the unit of work, which rolls back on the way. */
    private static final class NotDone extends RuntimeException {
        private final transient RequestAnswer answer;

        NotDone(RequestAnswer answer) {
            super("request not done: " + answer.status(), null, false, false);
            this.answer = answer;
        }
    }
}
