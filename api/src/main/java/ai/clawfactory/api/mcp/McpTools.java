package ai.clawfactory.api.mcp;

import ai.clawfactory.api.auth.Scope;
import ai.clawfactory.api.definitions.DefinitionCatalog;
import ai.clawfactory.api.definitions.DefinitionsController;
import ai.clawfactory.api.problem.ApiProblem;
import ai.clawfactory.api.runs.RunFilter;
import ai.clawfactory.api.runs.RunIds;
import ai.clawfactory.api.runs.Runs;
import ai.clawfactory.api.schedules.Schedules;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MCP tools, on the REST API's own code paths ({@link Runs}, {@link DefinitionCatalog},
 * {@link Schedules}, and the decide Update): each with a description, the JSON Schema of its
 * arguments (checked before it runs), MCP's safety annotations, and the scope it needs. A
 * failure is a tool error whose text says what is wrong and what to do (the API's problem detail);
 * a missing scope names it and how to grant it. Every call is logged once: who, which tool, the
 * outcome; never the arguments (an input may hold anything).
 */
@Singleton
public final class McpTools {

    private static final Logger LOG = LoggerFactory.getLogger(McpTools.class);

    /** Most runs one list_runs call returns (as the REST list). */
    static final int MAX_PAGE = 100;

    /** What a tool does with its checked arguments; answers a JSON-able value. */
    interface Handler {
        Object call(McpCaller caller, Map<String, Object> args);
    }

    /** A tool: what the client sees, the scope it needs, what it does. */
    record ToolDef(McpSchema.Tool tool, Map<String, Object> schema, Scope scope, Handler handler) {}

    private final ObjectMapper json;
    private final JsonSchemaValidator schemas;
    private final Map<String, ToolDef> tools = new LinkedHashMap<>();

    McpTools(Runs runs, DefinitionCatalog definitions, Schedules schedules, Approvals approvals) {
        this.json = JsonMapper.builder().build();
        this.schemas = new SchemaCheck(json);
        add(
                "list_definitions",
                "List the workflow types a run can be started as: each with its description, its inputs and their"
                        + " defaults, its steps and its schedule; and the definition files set aside with their problems.",
                "{}",
                Scope.READ,
                Hints.READ,
                (c, a) -> DefinitionsController.listing(definitions));
        add(
                "start_run",
                "Start a run of a defined workflow type (see list_definitions) with its input, checked against the"
                        + " definition. With an idempotencyKey the same key for the same type always names the same"
                        + " run: calling again returns that run (created: false) instead of starting another.",
                """
                {"type":"object","properties":{
                  "type":{"type":"string","description":"A workflow type from list_definitions"},
                  "input":{"type":"object","description":"Input values by name (text, numbers, true/false); defaults fill the rest",
                    "additionalProperties":{"type":["string","number","boolean"]}},
                  "idempotencyKey":{"type":"string","pattern":"^[A-Za-z0-9._~:-]{1,200}$",
                    "description":"Optional: 1 to 200 letters, digits and . _ ~ : - (a UUID works)"}},
                 "required":["type"],"additionalProperties":false}
                """,
                Scope.OPERATE,
                Hints.START,
                (c, a) -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("type", a.get("type"));
                    if (a.get("input") != null) {
                        body.put("input", a.get("input"));
                    }
                    return runs.startChecked(write(body), (String) a.get("idempotencyKey"), definitions);
                });
        add(
                "list_runs",
                "List runs, newest first, filtered by type, status, schedule and start time; page with nextPageToken.",
                """
                {"type":"object","properties":{
                  "type":{"type":"string","description":"A workflow type"},
                  "status":{"type":"string","enum":["running","completed","failed","canceled","terminated","timed_out","continued_as_new"]},
                  "schedule":{"type":"string","description":"The id of the schedule that started the runs"},
                  "startedAfter":{"type":"string","description":"ISO-8601 instant: runs started at or after it"},
                  "startedBefore":{"type":"string","description":"ISO-8601 instant: runs started before it"},
                  "pageSize":{"type":"integer","minimum":1,"maximum":100,"description":"Default 20"},
                  "pageToken":{"type":"string","description":"nextPageToken of the previous page"}},
                 "additionalProperties":false}
                """,
                Scope.READ,
                Hints.READ,
                (c, a) -> runs.list(
                        RunFilter.of(
                                (String) a.get("type"),
                                (String) a.get("status"),
                                (String) a.get("schedule"),
                                (String) a.get("startedAfter"),
                                (String) a.get("startedBefore")),
                        a.get("pageSize") instanceof Number n ? n.intValue() : 20,
                        (String) a.get("pageToken")));
        add(
                "get_run",
                "Get one run: its status; while it runs, its progress (current step, attempt, next wake time, steps"
                        + " done); once closed, its result (step outputs) or failure; its turns (each attempt of an agent turn, http call or"
                        + " command: status, HTTP status, duration, output) from the turn ledger.",
                ID_SCHEMA,
                Scope.READ,
                Hints.READ,
                (c, a) -> runs.details(RunIds.checkRunId((String) a.get("id"))));
        add(
                "cancel_run",
                "Cancel a running run: it stops at its current step and ends as canceled. Cannot be undone.",
                ID_SCHEMA,
                Scope.OPERATE,
                Hints.CANCEL,
                (c, a) -> runs.cancel(RunIds.checkRunId((String) a.get("id"))));
        add(
                "list_schedules",
                "List the schedules: the workflow type each starts, whether clawfactory manages it, paused or not,"
                        + " its next run times and its recent runs.",
                "{}",
                Scope.READ,
                Hints.READ,
                (c, a) -> schedules.list());
        add(
                "trigger_schedule",
                "Start a schedule's workflow now, as the schedule would (its overlap policy applies).",
                """
                {"type":"object","properties":{
                  "id":{"type":"string","description":"A schedule id from list_schedules"}},
                 "required":["id"],"additionalProperties":false}
                """,
                Scope.OPERATE,
                Hints.START,
                (c, a) -> schedules.trigger((String) a.get("id")));
        add(
                "approve",
                "Approve the approval step a run waits at, so the run goes on. Needs a token with the decide scope,"
                        + " and the step must accept decisions through MCP (its 'by:'); the run answers at once"
                        + " whether the decision counted.",
                DECIDE_SCHEMA,
                Scope.DECIDE,
                Hints.APPROVE,
                decide(approvals, true));
        add(
                "reject",
                "Reject the approval step a run waits at: the step fails as the definition says. Needs a token with"
                        + " the decide scope, and the step must accept decisions through MCP (its 'by:').",
                DECIDE_SCHEMA,
                Scope.DECIDE,
                Hints.REJECT,
                decide(approvals, false));
    }

    /** approve and reject: one decision through the run's decide Update, who = the caller. */
    private static Handler decide(Approvals approvals, boolean approve) {
        return (c, a) -> approvals.decide(
                RunIds.checkRunId((String) a.get("id")),
                (String) a.get("step"),
                approve,
                (String) a.get("note"),
                c.who());
    }

    private static final String ID_SCHEMA = """
            {"type":"object","properties":{
              "id":{"type":"string","minLength":1,"maxLength":1000,"description":"A run id from list_runs or start_run"}},
             "required":["id"],"additionalProperties":false}
            """;

    private static final String DECIDE_SCHEMA = """
            {"type":"object","properties":{
              "id":{"type":"string","minLength":1,"maxLength":1000,"description":"The run's id"},
              "step":{"type":"string","description":"The approval step's id; optional when one approval is pending"},
              "note":{"type":"string","maxLength":2048,"description":"Optional note kept with the decision"}},
             "required":["id"],"additionalProperties":false}
            """;

    /** MCP's safety annotations, set as each kind of tool really behaves. */
    private static final class Hints {
        /** Reads only; asking again changes nothing. */
        static final McpSchema.ToolAnnotations READ = hints(true, false, true);
        /** Starts a run: adds work, destroys nothing; a second call starts another (unless the same key). */
        static final McpSchema.ToolAnnotations START = hints(false, false, false);
        /** Stops a run for good; canceling it again changes nothing more. */
        static final McpSchema.ToolAnnotations CANCEL = hints(false, true, true);
        /** Lets a run go on; a second decision is refused (AlreadyDecided). */
        static final McpSchema.ToolAnnotations APPROVE = hints(false, false, true);
        /** Fails the step for good; a second decision is refused. */
        static final McpSchema.ToolAnnotations REJECT = hints(false, true, true);

        private static McpSchema.ToolAnnotations hints(boolean readOnly, boolean destructive, boolean idempotent) {
            return McpSchema.ToolAnnotations.builder()
                    .readOnlyHint(readOnly)
                    .destructiveHint(destructive)
                    .idempotentHint(idempotent)
                    .openWorldHint(false)
                    .build();
        }
    }

    private void add(
            String name,
            String description,
            String schema,
            Scope scope,
            McpSchema.ToolAnnotations hints,
            Handler handler) {
        Map<String, Object> inputSchema = "{}".equals(schema)
                ? Map.of("type", "object", "properties", Map.of(), "additionalProperties", false)
                : read(schema);
        McpSchema.Tool tool = McpSchema.Tool.builder()
                .name(name)
                .description(description + " Needs the '" + scope.word() + "' scope.")
                .inputSchema(inputSchema)
                .annotations(hints)
                .build();
        tools.put(name, new ToolDef(tool, inputSchema, scope, handler));
    }

    /** The tools as the client lists them. */
    public List<McpSchema.Tool> tools() {
        return tools.values().stream().map(ToolDef::tool).toList();
    }

    /** The validator the SDK is given (never its own supplier: see {@link SchemaCheck}). */
    public JsonSchemaValidator schemaValidator() {
        return schemas;
    }

    /** The tools for the stateless HTTP server: the caller comes from the transport context. */
    public List<McpStatelessServerFeatures.SyncToolSpecification> stateless() {
        return tools.values().stream()
                .map(t -> new McpStatelessServerFeatures.SyncToolSpecification(
                        t.tool(), (ctx, request) -> call(caller(ctx), request)))
                .toList();
    }

    /** The tools for the stdio server: one local caller for the whole session. */
    public List<McpServerFeatures.SyncToolSpecification> forSession(McpCaller caller) {
        return tools.values().stream()
                .map(t -> McpServerFeatures.SyncToolSpecification.builder()
                        .tool(t.tool())
                        .callHandler((exchange, request) -> call(caller, request))
                        .build())
                .toList();
    }

    /** Runs one call: scope, arguments, the tool; one log line with who, which and the outcome. */
    McpSchema.CallToolResult call(McpCaller caller, McpSchema.CallToolRequest request) {
        ToolDef def = tools.get(request.name());
        if (def == null) {
            log(caller, "(unknown tool)", "refused: no such tool");
            return error("There is no tool named that; tools/list names them.");
        }
        String name = def.tool().name();
        if (caller == null || !caller.scopes().contains(def.scope())) {
            log(caller, name, "refused: scope " + def.scope().word() + " missing");
            return error("This MCP token lacks the '" + def.scope().word() + "' scope " + name + " needs. Grant it on"
                    + " the token's line in the MCP token file (MCP_TOKEN_FILE or the credential mcp-token), e.g."
                    + " `TOKEN read,operate," + def.scope().word() + "`, and restart the API."
                    + (def.scope() == Scope.DECIDE
                            ? " Decide is left out by default on purpose: an agent should not approve the step"
                                    + " meant to stop it."
                            : ""));
        }
        Map<String, Object> args = request.arguments() == null ? Map.of() : request.arguments();
        JsonSchemaValidator.ValidationResponse valid = schemas.validate(def.schema(), args);
        if (!valid.valid()) {
            log(caller, name, "refused: arguments");
            return error(valid.errorMessage() + ". The tool's inputSchema in tools/list says what it takes.");
        }
        try {
            Object result = def.handler().call(caller, args);
            log(caller, name, "ok");
            return ok(result);
        } catch (ApiProblem p) {
            log(
                    caller,
                    name,
                    "error " + p.problem().status() + " " + p.problem().title());
            return error(p.problem().title() + ": " + p.problem().detail()
                    + (p.problem().field() == null ? "" : " (" + p.problem().field() + ")"));
        } catch (RuntimeException e) {
            LOG.error("MCP tool {} failed for {}", name, caller.who(), e);
            log(caller, name, "error " + e.getClass().getSimpleName());
            return error("The tool failed (" + e.getClass().getSimpleName()
                    + "). The API's log has the details; try again, and report it if it persists.");
        }
    }

    private static McpCaller caller(McpTransportContext ctx) {
        return ctx == null ? null : (McpCaller) ctx.get(McpCaller.CONTEXT_KEY);
    }

    private static void log(McpCaller caller, String tool, String outcome) {
        LOG.info("MCP call by {}: {} {}", caller == null ? "(nobody)" : caller.who(), tool, outcome);
    }

    private McpSchema.CallToolResult ok(Object result) {
        Map<String, Object> structured = json.convertValue(result, new TypeReference<Map<String, Object>>() {});
        return McpSchema.CallToolResult.builder()
                .structuredContent(structured)
                .addTextContent(write(structured))
                .isError(false)
                .build();
    }

    private static McpSchema.CallToolResult error(String message) {
        return McpSchema.CallToolResult.builder()
                .addTextContent(message)
                .isError(true)
                .build();
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write a tool's answer as JSON", e);
        }
    }

    private Map<String, Object> read(String schema) {
        try {
            return json.readValue(schema, new TypeReference<Map<String, Object>>() {});
        } catch (Exception e) {
            throw new IllegalStateException("a tool's schema is not JSON", e);
        }
    }
}
