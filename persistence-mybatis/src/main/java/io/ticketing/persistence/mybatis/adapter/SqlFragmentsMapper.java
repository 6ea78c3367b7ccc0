package io.ticketing.persistence.mybatis.adapter;

/**
 * The namespace of the SQL fragments that several mappers share (SqlFragmentsMapper.xml): the row lock,
 * the soft-delete predicate, the seat order. No statements of its own.
 */
interface SqlFragmentsMapper {
}
