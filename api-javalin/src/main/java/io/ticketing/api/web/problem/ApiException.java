package io.ticketing.api.web.problem;

/** Ends a request with the given problem; thrown by handlers and filters, rendered by {@link ApiApplication}. */
public final class ApiException extends RuntimeException {

    private final transient Problem problem;

    public ApiException(Problem problem) {
        super(problem.detail());
        this.problem = problem;
    }

    public static ApiException of(int status, String code, String title, String detail) {
        return new ApiException(Problem.of(status, code, title, detail));
    }

    public Problem problem() {
        return problem;
    }
}
