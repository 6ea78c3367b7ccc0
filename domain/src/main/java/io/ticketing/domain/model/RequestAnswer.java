package io.ticketing.domain.model;

/**
 * What a client's request was answered: a status in the client's protocol (for HTTP its status code:
 * below 400 done, 400–499 refused, 500 and above failed on the server's side), the body, kept as text
 * so that a replay is the first answer byte for byte, and where a created resource is ({@code location},
 * null when the answer names none).
 */
public record RequestAnswer(int status, String body, String location) {

    public RequestAnswer {
        InvalidValueException.check(status >= 100 && status <= 599, "an answer's status is 100 to 599");
    }

    public RequestAnswer(int status, String body) {
        this(status, body, null);
    }

    /** The request did what it asked. */
    public boolean done() {
        return status < 400;
    }

    /** The request was refused (invalid, not allowed, seats taken, …): an answer like any other, and kept. */
    public boolean refused() {
        return status >= 400 && status < 500;
    }
}
