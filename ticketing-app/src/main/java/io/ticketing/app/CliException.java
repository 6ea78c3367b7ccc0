package io.ticketing.app;

/** A failure the user can act on: printed as one line, with a non-zero exit code. */
final class CliException extends RuntimeException {

    static final int USAGE = 2;
    static final int FAILURE = 1;

    private final int exitCode;

    CliException(String message, Throwable cause) {
        this(message, FAILURE, cause);
    }

    CliException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
