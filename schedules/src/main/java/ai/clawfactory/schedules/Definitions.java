package ai.clawfactory.schedules;

import ai.clawfactory.core.ExitCode;
import ai.clawfactory.core.definition.DefinitionException;
import ai.clawfactory.core.definition.DefinitionLoader;
import ai.clawfactory.core.definition.Problem;
import ai.clawfactory.core.definition.ScheduleDefinition;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Loading the definitions folder, with every problem reported before anything else happens. */
final class Definitions {

    private Definitions() {}

    /** All definitions and schedules in {@code dir}; on any problem prints them all and throws (exit 2). */
    static DefinitionLoader.DefinitionSet load(Path dir, PrintWriter err) {
        if (!Files.isDirectory(dir)) {
            throw new UserException(
                    ExitCode.INVALID.code(),
                    "No definitions folder at " + dir.toAbsolutePath()
                            + ": pass the folder as an argument or set DEFINITIONS_DIR.");
        }
        try {
            return DefinitionLoader.fromEnvironment().loadAll(dir);
        } catch (DefinitionException e) {
            for (Problem p : e.problems()) {
                err.println(p);
            }
            throw new UserException(
                    ExitCode.INVALID.code(),
                    e.problems().size() + " problem" + (e.problems().size() == 1 ? "" : "s") + " in " + dir
                            + "; nothing was applied. Fix them and run again.");
        }
    }

    /** The declared schedules (each workflow's own and those of schedule-only files), by id, starting runs on {@code taskQueue}. */
    static Map<String, DeclaredSchedule> schedules(DefinitionLoader.DefinitionSet set, String taskQueue) {
        Map<String, DeclaredSchedule> out = new LinkedHashMap<>();
        for (ScheduleDefinition s : set.schedules()) {
            out.put(s.id(), DeclaredSchedule.of(s, set.workflows().get(s.workflow()), taskQueue));
        }
        return out;
    }
}
