package io.ticketing.persistence.mybatis;

import org.apache.ibatis.annotations.Param;

/** Settings of the current transaction. */
interface TransactionMapper {

    /** The actor the audit triggers record, for this transaction only. */
    String setActor(@Param("actor") String actor);
}
