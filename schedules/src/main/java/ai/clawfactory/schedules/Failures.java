package ai.clawfactory.schedules;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Optional;

/** Turning server errors into messages and exit codes. */
final class Failures {

    private Failures() {}

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** The gRPC status somewhere in the cause chain, if any. */
    static Optional<Status.Code> grpcCode(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StatusRuntimeException s) {
                return Optional.of(s.getStatus().getCode());
            }
        }
        return Optional.empty();
    }

    static boolean isNotFound(Throwable e) {
        return grpcCode(e).filter(c -> c == Status.Code.NOT_FOUND).isPresent();
    }

    static boolean isUnavailable(Throwable e) {
        return grpcCode(e)
                .filter(c -> c == Status.Code.UNAVAILABLE || c == Status.Code.DEADLINE_EXCEEDED)
                .isPresent();
    }
}
