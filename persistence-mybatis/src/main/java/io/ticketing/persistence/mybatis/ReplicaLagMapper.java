package io.ticketing.persistence.mybatis;

/** How far a read replica is behind its primary, and whose data it holds. */
interface ReplicaLagMapper {

    /**
     * What a server says of itself: whether it is a standby, how many seconds behind (null: unknown), and which
     * database of which cluster it is (a streaming replica has its primary's system identifier).
     */
    record Position(boolean inRecovery, Double lagSeconds, long systemIdentifier, String database) {

        /** Whether this server holds the same database of the same cluster as {@code other}. */
        boolean sameDataAs(Position other) {
            return systemIdentifier == other.systemIdentifier && database.equals(other.database);
        }
    }

    Position position();
}
