package io.ticketing.domain.port.out;

import io.ticketing.domain.model.Actor;

import java.util.function.Supplier;

/**
 * Runs a block in one transaction: all of its port calls commit together, or, if it throws, none of
 * them is visible to anybody. The actor is what the audit trail records for every change in the block.
 * A nested call joins the surrounding unit of work. The services call every other port only inside one,
 * so an adapter may bind its connection or session to the unit of work.
 */
public interface UnitOfWorkPort {

    <T> T inUnitOfWork(Actor actor, Supplier<T> work);
}
