package ai.clawfactory.schedules;

import ai.clawfactory.core.definition.DefinitionException;
import ai.clawfactory.core.definition.DefinitionLoader;
import ai.clawfactory.core.definition.Problem;
import ai.clawfactory.core.definition.WorkflowDefinition;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Loading the definitions folder, with every problem reported before anything else happens. */
final class Definitions {

    /** Environment variable: timezone for schedules that name none (unset: a timezone is required). */
    static final String DEFAULT_TIMEZONE_ENV = "SCHEDULES_DEFAULT_TIMEZONE";

    private Definitions() {
    }

    /** All definitions in {@code dir}; on any problem prints them all and throws (exit 2). */
    static Map<String, WorkflowDefinition> load(Path dir, PrintWriter err) {
        if (!Files.isDirectory(dir)) {
            throw new UserException(SchedulesCommand.EXIT_INVALID, "No definitions folder at " + dir.toAbsolutePath()
                    + ": pass the folder as an argument or set DEFINITIONS_DIR.");
        }
        try {
            return new DefinitionLoader(System.getenv(DEFAULT_TIMEZONE_ENV)).loadDirectory(dir);
        } catch (DefinitionException e) {
            for (Problem p : e.problems()) {
                err.println(p);
            }
            throw new UserException(SchedulesCommand.EXIT_INVALID, e.problems().size() + " problem"
                    + (e.problems().size() == 1 ? "" : "s") + " in " + dir + "; nothing was applied. Fix them and run again.");
        }
    }

    /** The declared schedules, by id. */
    static Map<String, DeclaredSchedule> schedules(Map<String, WorkflowDefinition> defs) {
        Map<String, DeclaredSchedule> out = new LinkedHashMap<>();
        for (WorkflowDefinition d : defs.values()) {
            if (d.schedule() != null) {
                out.put(d.schedule().id(), DeclaredSchedule.of(d));
            }
        }
        return out;
    }
}
