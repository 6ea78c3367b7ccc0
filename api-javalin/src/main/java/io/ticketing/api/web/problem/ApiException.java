package io.ticketing.api.web.problem;

/** Ends a request with the given problem; thrown by handlers and filters, rendered by {@link ProblemResponses}. */
public final class ApiException extends RuntimeException {

    private final transient Problem problem;

    public ApiException(Problem problem) {
        super(problem.detail());
        this.problem = problem;
    }

    public static ApiException of(int status, String code, String detail) {
        return new ApiException(Problem.of(status, code, detail));
    }

    /** Nothing to show: absent, or not the caller's to see (another customer's data is simply not there for them). */
    public static ApiException notFound(String what, String id) {
        return of(404, "not-found", "No " + what + " " + id + " (or not yours to see).");
    }

    public Problem problem() {
        return problem;
    }
}
