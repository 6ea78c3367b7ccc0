package io.ticketing.domain.model;

/**
 * A page cursor that names nothing the list holds (a seat of another event, an id of something else): the
 * request is wrong, and answering an empty page would tell the client it has read everything.
 */
public final class InvalidCursorException extends DomainException {

    public InvalidCursorException(String message) {
        super("INVALID_CURSOR", message);
    }
}
