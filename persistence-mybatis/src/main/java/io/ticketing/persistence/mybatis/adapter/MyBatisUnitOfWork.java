package io.ticketing.persistence.mybatis.adapter;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.port.out.UnitOfWorkPort;

import java.util.Objects;
import java.util.function.Supplier;

/** One MyBatis session (one transaction) per unit of work; the actor's audit name reaches the audit triggers. */
final class MyBatisUnitOfWork implements UnitOfWorkPort {

    private final Database database;

    MyBatisUnitOfWork(Database database) {
        this.database = database;
    }

    @Override
    public <T> T inUnitOfWork(Actor actor, Supplier<T> work) {
        Objects.requireNonNull(actor, "actor");
        return database.inTransaction(actor.auditName(), work);
    }
}
