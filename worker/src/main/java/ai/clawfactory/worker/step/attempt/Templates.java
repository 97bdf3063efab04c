package ai.clawfactory.worker.step.attempt;

import ai.clawfactory.core.definition.Expressions;
import ai.clawfactory.worker.ledger.TurnLedger;
import ai.clawfactory.worker.step.StepResult;
import ai.clawfactory.worker.step.TurnContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.function.Function;

/** Renders a step's templates against its run; outputs kept in the ledger are read from there. */
@Singleton
public class Templates {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TurnLedger ledger;

    public Templates(TurnLedger ledger) {
        this.ledger = ledger;
    }

    public String render(String template, TurnContext context) {
        return Expressions.render(template, resolver(context));
    }

    /** What each reference of a run stands for; {@code secret.*} is never resolved here (see {@code HttpCallActivitiesImpl}). */
    public Function<String, String> resolver(TurnContext context) {
        return ref -> resolve(ref, context);
    }

    /** A step's output: inline, or read from the ledger. */
    private String output(StepResult r) {
        return r.output() != null
                ? r.output()
                : r.outputRef() == null ? "" : ledger.output(r.outputRef()).orElse("");
    }

    /** A fan-out's results as a JSON list, in item order: each item, its status, output and error. */
    private String items(StepResult r) {
        ArrayNode list = JSON.createArrayNode();
        for (StepResult i : r.items() == null ? List.<StepResult>of() : r.items()) {
            ObjectNode o = list.addObject();
            o.put("item", i.item());
            o.put("status", i.status().wire());
            o.put("output", output(i));
            if (i.error() != null) {
                o.put("error", i.error());
            }
        }
        return list.toString();
    }

    private String resolve(String ref, TurnContext c) {
        String[] p = ref.split("\\.");
        if (p.length == 1 && c.item() != null) {
            return c.item().getOrDefault(p[0], ""); // a fan-out's item, by its name
        }
        if (p.length < 2) {
            return "";
        }
        switch (p[0]) {
            case "secret":
                return "";
            case "input":
                return c.input() == null ? "" : c.input().getOrDefault(p[1], "");
            case "failure":
                return c.failure() == null ? "" : c.failure().getOrDefault(p[1], "");
            case "approval":
                return c.approval() == null ? "" : c.approval().getOrDefault(p[1], "");
            case "workflow":
                return switch (p[1]) {
                    case "id" -> c.workflowId();
                    case "runId" -> c.runId();
                    case "type" -> c.workflowType();
                    default -> c.startTime();
                };
            default:
                StepResult r = c.steps() == null ? null : c.steps().get(p[1]);
                if (r == null || p.length < 3) {
                    return "";
                }
                return switch (p[2]) {
                    case "output" -> output(r);
                    case Expressions.ITEMS -> items(r);
                    case "status" -> r.status().wire();
                    case "runId" -> r.runId() == null ? "" : r.runId();
                    case "error" -> r.error() == null ? "" : r.error();
                    default -> r.httpStatus() == null ? "" : String.valueOf(r.httpStatus());
                };
        }
    }
}
