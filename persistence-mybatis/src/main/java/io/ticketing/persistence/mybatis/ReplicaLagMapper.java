package io.ticketing.persistence.mybatis;

/** How far a read replica is behind its primary. */
interface ReplicaLagMapper {

    /** What the replica says of itself: whether it is a standby, and how many seconds behind (null: unknown). */
    record Position(boolean inRecovery, Double lagSeconds) {
    }

    Position position();
}
