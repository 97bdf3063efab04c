package ai.clawfactory.api.temporal;

import ai.clawfactory.api.problem.ApiProblem;
import ai.clawfactory.core.temporal.TemporalClientSettings;
import io.grpc.Status;
import io.micronaut.http.HttpStatus;
import java.util.Optional;

/** Temporal's gRPC failures as problems: away is 503, anything else 502, never a trace. */
public final class TemporalErrors {

    private TemporalErrors() {}

    /** The gRPC status code somewhere in {@code e}'s causes. */
    public static Optional<Status.Code> code(Throwable e) {
        return TemporalClientSettings.grpcCode(e);
    }

    /** The problem for a failed call to Temporal that is not the caller's fault. */
    public static ApiProblem unavailable(String doing, Throwable e) {
        Status.Code c = code(e).orElse(Status.Code.UNKNOWN);
        if (c == Status.Code.UNAVAILABLE || c == Status.Code.DEADLINE_EXCEEDED) {
            return ApiProblem.of(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "temporal-unavailable",
                    "Temporal unavailable",
                    "Temporal did not answer while " + doing + " (" + c + "). Try again shortly; if it persists, check"
                            + " clawfactory-temporal.service.",
                    null);
        }
        return ApiProblem.of(
                HttpStatus.BAD_GATEWAY,
                "temporal-error",
                "Temporal refused the call",
                "Temporal answered " + c + " while " + doing + ". The API's log has no more; check the Temporal"
                        + " server's log and the API's Temporal settings (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE).",
                null);
    }
}
