package io.ticketing.localpostgres;

/** The local PostgreSQL could not start; the message says why and what to do. */
public final class LocalPostgresException extends RuntimeException {
    public LocalPostgresException(String message, Throwable cause) {
        super(message, cause);
    }
}
