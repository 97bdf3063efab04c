package ai.clawfactory.api.problem;

import io.micronaut.http.HttpStatus;

/** Thrown by a controller to answer with a {@link Problem}; never carries a stack trace out. */
public final class ApiProblem extends RuntimeException {

    private final Problem problem;

    private ApiProblem(Problem problem) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
    }

    public static ApiProblem of(HttpStatus status, String name, String title, String detail, String field) {
        return new ApiProblem(new Problem(Problem.TYPE_BASE + name, title, status.getCode(), detail, field, null));
    }

    public static ApiProblem withSuggestion(
            HttpStatus status, String name, String title, String detail, String field, String suggestion) {
        return new ApiProblem(
                new Problem(Problem.TYPE_BASE + name, title, status.getCode(), detail, field, suggestion));
    }

    /** 400: a request member is malformed. */
    public static ApiProblem badRequest(String field, String detail) {
        return of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", detail, field);
    }

    /** 422: well-formed, but not what the definition takes. */
    public static ApiProblem invalid(String field, String detail) {
        return of(HttpStatus.UNPROCESSABLE_ENTITY, "invalid-input", "Input not accepted", detail, field);
    }

    public static ApiProblem notFound(String field, String detail) {
        return of(HttpStatus.NOT_FOUND, "not-found", "Not found", detail, field);
    }

    public Problem problem() {
        return problem;
    }
}
