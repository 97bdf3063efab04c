package ai.clawfactory.api.definitions;

import ai.clawfactory.core.definition.Describe;
import ai.clawfactory.core.definition.Problem;
import ai.clawfactory.core.definition.WorkflowDefinition;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@code GET /api/v1/definitions}: the workflow types a run can be started as, and the files set aside. */
@Controller("/api/v1/definitions")
@Tag(name = "definitions")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class DefinitionsController {

    /** A workflow type as the API shows it: its inputs with their defaults, one line per step. */
    public record DefinitionView(
            String name,
            String description,
            String file,
            String version,
            Map<String, String> inputs,
            List<String> steps,
            String schedule) {}

    /** A problem of a file that is set aside (file, line and column, the path inside it, the message). */
    public record ProblemView(String file, int line, int column, String path, String message) {}

    /** What the folder holds: the valid definitions, every problem, the types refused for them. */
    public record Definitions(List<DefinitionView> definitions, List<ProblemView> problems, List<String> refused) {}

    private final DefinitionCatalog catalog;

    DefinitionsController(DefinitionCatalog catalog) {
        this.catalog = catalog;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    @Operation(
            summary = "List the workflow definitions",
            description = "Every valid definition in the definitions folder, and the problems of the files set aside"
                    + " (a run of a refused type cannot start until its file is fixed).")
    Definitions list() {
        return listing(catalog);
    }

    /** What {@code GET /api/v1/definitions} answers, for the MCP tool list_definitions too. */
    public static Definitions listing(DefinitionCatalog catalog) {
        List<DefinitionView> views = catalog.knownTypes().stream()
                .map(catalog::find)
                .filter(d -> d != null)
                .map(DefinitionsController::view)
                .toList();
        List<ProblemView> problems =
                catalog.problems().stream().map(DefinitionsController::view).toList();
        return new Definitions(views, problems, catalog.refusedTypes());
    }

    private static DefinitionView view(WorkflowDefinition d) {
        return new DefinitionView(
                d.name(),
                d.description(),
                fileName(d.source()),
                d.version(),
                d.input(),
                Describe.steps(d),
                d.schedule() == null ? null : d.schedule().id());
    }

    private static ProblemView view(Problem p) {
        return new ProblemView(fileName(p.file()), p.line(), p.column(), p.path(), p.message());
    }

    /** The file's name only: the server's folders are none of the caller's business. */
    static String fileName(String path) {
        if (path == null || path.isBlank()) {
            return path;
        }
        Path name = Path.of(path).getFileName();
        return name == null ? path : name.toString();
    }
}
