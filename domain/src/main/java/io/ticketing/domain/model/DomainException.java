package io.ticketing.domain.model;

/**
 * Base of every rule violation the domain reports. {@link #code()} is stable and machine-readable
 * (adapters map it to HTTP problems or exit codes); the message says what happened, to what, and
 * what to do next.
 */
public abstract class DomainException extends RuntimeException {

    private final String code;

    protected DomainException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
