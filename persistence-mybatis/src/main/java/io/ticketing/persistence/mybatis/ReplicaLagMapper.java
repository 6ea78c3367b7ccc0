package io.ticketing.persistence.mybatis;

/** How far a read replica is behind its primary. */
interface ReplicaLagMapper {

    ReplicaHealth.Position position();
}
