package ai.clawfactory.worker.observe;

import ai.clawfactory.worker.definition.DefinitionRegistry;
import ai.clawfactory.worker.ledger.TurnLedger;
import ai.clawfactory.worker.temporal.TemporalConnection;
import io.micronaut.context.BeanProvider;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Whether the worker can do its job right now: Temporal answers, the definitions folder was read,
 * and the ledger takes writes. {@code GET /health} is 200 with {@code "status":"UP"} when all
 * three hold, else 503 with {@code "DOWN"} and the reasons. The systemd unit waits for it before
 * it reports the worker active.
 */
@Singleton
public class Health {

    private final BeanProvider<TemporalConnection> connection;
    private final BeanProvider<DefinitionRegistry> definitionsProvider;
    private final BeanProvider<TurnLedger> ledgerProvider;

    /**
     * What it checks is looked up at each check, not built with it: the endpoint answers from the
     * second start-up step on (DOWN while Temporal is still being reached), and serving it never
     * decides when the connection, the definitions or the ledger are made.
     */
    public Health(
            BeanProvider<TemporalConnection> connection,
            BeanProvider<DefinitionRegistry> definitions,
            BeanProvider<TurnLedger> ledger) {
        this.connection = connection;
        this.definitionsProvider = definitions;
        this.ledgerProvider = ledger;
    }

    /** The verdict and one line per component. */
    public record Report(boolean up, Map<String, String> components, List<String> reasons) {}

    public Report check() {
        Map<String, String> components = new LinkedHashMap<>();
        List<String> reasons = new ArrayList<>();
        WorkflowServiceStubs stubs = connection.get().connectedNow();
        DefinitionRegistry definitions = definitionsProvider.get();
        TurnLedger ledger = ledgerProvider.get();
        if (stubs == null) {
            components.put("temporal", "DOWN");
            reasons.add("Temporal: still connecting");
        } else {
            try {
                stubs.blockingStub()
                        .withDeadlineAfter(2, TimeUnit.SECONDS)
                        .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
                components.put("temporal", "UP");
            } catch (RuntimeException e) {
                components.put("temporal", "DOWN");
                reasons.add("Temporal does not answer: " + oneLine(e));
            }
        }
        String folder = definitions.folderProblem();
        if (folder == null) {
            components.put(
                    "definitions",
                    "UP (" + definitions.knownTypes().size() + " served"
                            + (definitions.refusedTypes().isEmpty()
                                    ? ""
                                    : ", refused: " + String.join(", ", definitions.refusedTypes()))
                            + ")");
        } else {
            components.put("definitions", "DOWN");
            reasons.add(folder);
        }
        try {
            ledger.checkWritable();
            components.put("ledger", "UP");
        } catch (RuntimeException e) {
            components.put("ledger", "DOWN");
            reasons.add("the turn ledger does not take writes: " + oneLine(e));
        }
        return new Report(reasons.isEmpty(), components, reasons);
    }

    private static String oneLine(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.lines().findFirst().orElse(m);
    }
}
