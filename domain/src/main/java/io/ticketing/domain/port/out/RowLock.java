package io.ticketing.domain.port.out;

/**
 * How a load inside a unit of work keeps the row from changing until the unit of work ends.
 * A SQL adapter maps these to {@code FOR SHARE} and {@code FOR UPDATE}; readers outside a unit of work use NONE.
 */
public enum RowLock {
    /** A plain read. */
    NONE,
    /** Others may read and share-lock, but not change or delete the row (e.g. checkouts lock their event). */
    SHARED,
    /** Nobody else may lock or change the row: read-check-write sequences on it are safe. */
    EXCLUSIVE
}
