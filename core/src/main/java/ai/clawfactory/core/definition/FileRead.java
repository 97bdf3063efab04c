package ai.clawfactory.core.definition;

import java.util.List;
import java.util.Map;

/**
 * What reading one file gave the loader: its problems, and what it declares, with the positions
 * the checks across a folder's files report at.
 *
 * @param problems     every problem of the file (none: the file is good)
 * @param workflow     the definition, or null (problems, or a schedule-only file)
 * @param declaredName the workflow type the file declares when its name could be read (even if other parts are bad)
 * @param nameAt       where that name is written
 * @param schedule     the file's schedule as read (its own or a schedule-only file's), or null
 * @param standalone   a schedule-only file's schedule when the file has no problem, else null
 */
record FileRead(
        List<Problem> problems,
        WorkflowDefinition workflow,
        String declaredName,
        Position nameAt,
        ScheduleRead schedule,
        ScheduleDefinition standalone) {

    /** A line and column (1-based; 0 when unknown). */
    record Position(int line, int column) {
        static final Position UNKNOWN = new Position(0, 0);

        static Position of(YamlCursor at) {
            return at == null ? UNKNOWN : new Position(at.line(), at.column());
        }
    }

    /**
     * A schedule block as read.
     *
     * @param definition the schedule
     * @param idAt       where its id is written (or the block, when the id is the default)
     * @param workflowAt a schedule-only file's {@code workflow}
     * @param inputs     a schedule-only file's inputs by name, where each is written: checked once the folder is read
     */
    record ScheduleRead(
            ScheduleDefinition definition, Position idAt, Position workflowAt, Map<String, Position> inputs) {}

    /** A file that could not be read at all. */
    static FileRead failed(List<Problem> problems) {
        return new FileRead(problems, null, null, Position.UNKNOWN, null, null);
    }
}
