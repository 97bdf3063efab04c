package ai.clawfactory.api.auth;

import ai.clawfactory.api.problem.Problem;
import ai.clawfactory.api.problem.Problems;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Every {@code /api/} request needs {@code Authorization: Bearer TOKEN} with the scope of its
 * route: {@code read} for GET, {@code operate} for POST, {@code decide} for a decision on an
 * approval. A missing or unknown token is 401, a missing scope 403, both problem+json; neither is
 * logged (the count is on {@code /health}). An accepted request carries the token's name
 * ({@link ApiTokens#label}) as the attribute {@link #CALLER}.
 */
@Requires(notEnv = "mcp-stdio") // the stdio MCP server needs no API token
@ServerFilter("/api/**")
public final class TokenFilter implements Ordered {

    /** The request attribute holding the token's name ({@link ApiTokens#label}), never the token. */
    public static final String CALLER = "clawfactory.caller";

    /** The request attribute holding the token's scopes (a {@code Set<Scope>}), for a route that checks again. */
    public static final String SCOPES = "clawfactory.scopes";

    /** The route that decides approvals: {@code POST /api/v1/runs/{id}/approvals}. */
    private static final Pattern DECIDE = Pattern.compile("/api/v1/runs/[^/]+/approvals/?");

    private final ApiTokens tokens;
    private final AtomicLong refused = new AtomicLong();

    TokenFilter(ApiTokens tokens) {
        this.tokens = tokens;
    }

    /** Requests refused for want of a valid token or scope since start. */
    public long refused() {
        return refused.get();
    }

    @RequestFilter
    @Nullable
    HttpResponse<Problem> check(HttpRequest<?> request) {
        String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        Optional<ApiTokens.Token> token = tokens.fromHeader(header);
        Optional<Set<Scope>> scopes = token.map(ApiTokens.Token::scopes);
        if (scopes.isEmpty()) {
            refused.incrementAndGet();
            return Problems.unauthenticated(
                    (header == null ? "No token was sent" : "The token is not one of this API's")
                            + ": send Authorization: Bearer TOKEN with a token from the API's token file"
                            + " (API_TOKEN_FILE; ./clawfactory dev prints where its token is).",
                    "clawfactory");
        }
        Scope needed = needed(request.getMethod(), request.getPath());
        if (!scopes.get().contains(needed)) {
            refused.incrementAndGet();
            return Problems.response(new Problem(
                    Problem.TYPE_BASE + "forbidden",
                    "Scope missing",
                    403,
                    "This token lacks the '" + needed.word() + "' scope this call needs. Use a token whose line in"
                            + " the token file lists it (TOKEN read,operate" + (needed == Scope.DECIDE ? ",decide" : "")
                            + ").",
                    "Authorization",
                    null));
        }
        request.setAttribute(CALLER, token.get().label());
        request.setAttribute(SCOPES, scopes.get());
        return null;
    }

    /** The scope a request needs: a decision on an approval decide, else as {@link #needed(HttpMethod)}. */
    static Scope needed(HttpMethod method, String path) {
        return method == HttpMethod.POST && DECIDE.matcher(path).matches() ? Scope.DECIDE : needed(method);
    }

    /** The scope a method needs: GET/HEAD/OPTIONS read, anything else operate. */
    static Scope needed(HttpMethod method) {
        return method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS
                ? Scope.READ
                : Scope.OPERATE;
    }

    /** Among the first filters: nothing else sees a request without a token. */
    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.order();
    }
}
