package ai.clawfactory.api.problem;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error the server answers is problem+json: ours ({@link ApiProblem}), Micronaut's own
 * (unknown route, wrong method or media type, a body over the limit (Micronaut's own handler
 * answers 413), an unreadable one: through
 * {@link ErrorResponseProcessor}), and anything unexpected (a 500 that says to look at the
 * server's log, where the exception is, never its trace in the answer).
 */
public final class Problems {

    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

    private Problems() {}

    /** The response for {@code problem}. */
    public static MutableHttpResponse<Problem> response(Problem problem) {
        return HttpResponse.<Problem>status(HttpStatus.valueOf(problem.status()))
                .body(problem)
                .contentType(Problem.MEDIA_TYPE);
    }

    /** 401 with {@code WWW-Authenticate: Bearer realm=...}: no token, or not one of {@code realm}'s. */
    public static MutableHttpResponse<Problem> unauthenticated(String detail, String realm) {
        return response(new Problem(
                        Problem.TYPE_BASE + "unauthenticated", "Unauthenticated", 401, detail, "Authorization", null))
                .header(io.micronaut.http.HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"" + realm + "\"");
    }

    /** Our own problems. */
    @Singleton
    @Produces(Problem.MEDIA_TYPE)
    static final class ApiProblemHandler implements ExceptionHandler<ApiProblem, HttpResponse<Problem>> {
        @Override
        public HttpResponse<Problem> handle(HttpRequest request, ApiProblem exception) {
            return response(exception.problem());
        }
    }

    /** A parameter that does not convert (a page size that is not a number, say). */
    @Singleton
    @Produces(Problem.MEDIA_TYPE)
    static final class ConversionHandler implements ExceptionHandler<ConversionErrorException, HttpResponse<Problem>> {
        @Override
        public HttpResponse<Problem> handle(HttpRequest request, ConversionErrorException exception) {
            String name = exception.getArgument().getName();
            return response(new Problem(
                    Problem.TYPE_BASE + "invalid-request",
                    "Invalid request",
                    400,
                    "'" + name + "' cannot be read as "
                            + exception.getArgument().getType().getSimpleName().toLowerCase(Locale.ROOT)
                            + ": send it as the API documents it (GET /api/v1/openapi.yaml).",
                    name,
                    null));
        }
    }

    /** Anything else a handler threw: 500, logged here with its trace, none in the answer. */
    @Singleton
    @Produces(Problem.MEDIA_TYPE)
    static final class UnexpectedHandler implements ExceptionHandler<RuntimeException, HttpResponse<Problem>> {
        @Override
        public HttpResponse<Problem> handle(HttpRequest request, RuntimeException exception) {
            if (exception instanceof ApiProblem p) {
                return response(p.problem());
            }
            LOG.error("Unexpected error answering {} {}", request.getMethodName(), request.getPath(), exception);
            return response(new Problem(
                    Problem.TYPE_BASE + "internal",
                    "Internal error",
                    500,
                    "The API failed to answer (" + exception.getClass().getSimpleName()
                            + "). The server's log has the details; try again, and report it if it persists.",
                    null,
                    null));
        }
    }

    static Problem tooLarge() {
        return new Problem(
                Problem.TYPE_BASE + "too-large",
                "Request body too large",
                413,
                "The body is over 64 KiB, the most this API reads. Send a smaller input (a reference such as a URL instead of the content).",
                "/",
                null);
    }

    /** Micronaut's own errors (no route, method, media type, unreadable body) as problems. */
    @Singleton
    @Requires(classes = ErrorResponseProcessor.class)
    static final class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Problem> {
        @Override
        public MutableHttpResponse<Problem> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
            int status = response.code();
            if (status == 413) {
                return response.body(tooLarge()).contentType(Problem.MEDIA_TYPE);
            }
            String detail = context.getErrors().stream()
                    .map(Error::getMessage)
                    .findFirst()
                    .orElse(response.reason());
            String name;
            String title;
            String what;
            switch (status) {
                case 404 -> {
                    name = "no-route";
                    title = "No such resource";
                    what = "There is no " + context.getRequest().getPath()
                            + " here. The routes are listed in GET /api/v1/openapi.yaml.";
                }
                case 405 -> {
                    name = "method-not-allowed";
                    title = "Method not allowed";
                    what = context.getRequest().getMethodName()
                            + " is not allowed on this route; see GET /api/v1/openapi.yaml.";
                }
                case 406 -> {
                    name = "not-acceptable";
                    title = "Not acceptable";
                    what = "This route answers application/json (errors application/problem+json); accept one of them.";
                }
                case 415 -> {
                    name = "unsupported-media-type";
                    title = "Unsupported media type";
                    what = "Send the body as application/json (Content-Type: application/json).";
                }
                default -> {
                    name = status >= 500 ? "internal" : "invalid-request";
                    title = status >= 500 ? "Internal error" : "Invalid request";
                    what = status >= 500
                            ? "The API failed to answer. The server's log has the details; try again."
                            : oneLine(detail) + ". Send the request as GET /api/v1/openapi.yaml documents it.";
                }
            }
            return response.body(new Problem(Problem.TYPE_BASE + name, title, status, what, null, null))
                    .contentType(Problem.MEDIA_TYPE);
        }

        /** Micronaut's messages may quote the request (a JSON parser's excerpt): one line, bounded. */
        private static String oneLine(String s) {
            String line = s == null
                    ? "Bad request"
                    : s.replaceAll("[\\p{Cntrl}\\u2028\\u2029]", " ").strip();
            return line.length() > 200 ? line.substring(0, 200) + "…" : line;
        }
    }
}
