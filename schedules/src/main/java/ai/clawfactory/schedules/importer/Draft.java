package ai.clawfactory.schedules.importer;

import ai.clawfactory.core.definition.DefinitionWriter;
import ai.clawfactory.core.definition.ScheduleDefinition;
import ai.clawfactory.core.definition.WorkflowDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one OpenClaw job becomes: a definition to write, or the reason it is not imported.
 *
 * @param jobId      the job's id in OpenClaw
 * @param jobName    the job's name in OpenClaw
 * @param enabled    whether the job is enabled in OpenClaw (a disabled one is imported paused)
 * @param outcome    what the import does with it
 * @param reason     why it is skipped or refused; null for IMPORT
 * @param notes      every field that is not honoured exactly, or a choice the import made, one line each
 * @param summary    one line saying what the definition does
 * @param definition the definition as the file will say it (what it does not set is null: the loader's
 *                   defaults apply), without its name and schedule id (the file's name gives both);
 *                   null unless IMPORT
 * @param sourceDisabledByImport the file says the job was disabled in OpenClaw by {@code --disable-source}, so
 *                  later imports treat the disabled job as the enabled one it was
 */
record Draft(
        String jobId,
        String jobName,
        boolean enabled,
        Outcome outcome,
        String reason,
        List<String> notes,
        String summary,
        WorkflowDefinition definition,
        boolean sourceDisabledByImport) {

    Draft(
            String jobId,
            String jobName,
            boolean enabled,
            Outcome outcome,
            String reason,
            List<String> notes,
            String summary,
            WorkflowDefinition definition) {
        this(jobId, jobName, enabled, outcome, reason, notes, summary, definition, false);
    }

    /** The same draft, marked as disabled in OpenClaw by this import. */
    Draft markedSourceDisabled() {
        return new Draft(jobId, jobName, enabled, outcome, reason, notes, summary, definition, true);
    }

    /** IMPORT: written; SKIP: left alone on purpose; UNSUPPORTED: a kind of job clawfactory cannot run; ERROR: bad job data. */
    enum Outcome {
        IMPORT,
        SKIP,
        UNSUPPORTED,
        ERROR
    }

    static Draft skip(String jobId, String jobName, boolean enabled, String reason) {
        return new Draft(jobId, jobName, enabled, Outcome.SKIP, reason, List.of(), null, null);
    }

    static Draft unsupported(String jobId, String jobName, boolean enabled, String reason, List<String> notes) {
        return new Draft(jobId, jobName, enabled, Outcome.UNSUPPORTED, reason, List.copyOf(notes), null, null);
    }

    static Draft error(String jobId, String jobName, boolean enabled, String reason, List<String> notes) {
        return new Draft(jobId, jobName, enabled, Outcome.ERROR, reason, List.copyOf(notes), null, null);
    }

    Draft refused(String why) {
        return new Draft(jobId, jobName, enabled, Outcome.ERROR, why, notes, summary, definition);
    }

    /**
     * The file's text for a workflow (and schedule) called {@code name}; the same draft always gives
     * the same bytes. {@link DefinitionWriter} writes it: job data goes into scalars it quotes and
     * escapes, and into comment lines only through the header, each line of which stays one line.
     */
    String render(String name) {
        List<String> header = new ArrayList<>();
        header.add("Imported from OpenClaw cron job \"" + jobName + "\" (id " + jobId
                + ") by ./clawfactory import openclaw.");
        header.add("Edit freely: a later import leaves an edited file alone (unless --force).");
        if (!notes.isEmpty()) {
            header.add("Not carried over exactly:");
            for (String n : notes) {
                header.add("  - " + n);
            }
        }
        if (sourceDisabledByImport) {
            header.add(ImportFiles.SOURCE_DISABLED_MARK
                    + "yes (--disable-source; a re-import treats the disabled job as enabled)");
        }
        header.add(ImportFiles.JOB_ID_MARK + jobId);
        return DefinitionWriter.write(definition(name), header);
    }

    /** What the file says to a YAML parser: exactly this tree, whatever the job's text holds. */
    Map<String, Object> tree(String name) {
        return DefinitionWriter.tree(definition(name));
    }

    /** The definition named {@code name}, its schedule's id too. */
    WorkflowDefinition definition(String name) {
        ScheduleDefinition s = definition.schedule();
        ScheduleDefinition named = new ScheduleDefinition(
                name,
                s.cron(),
                s.interval(),
                s.offset(),
                s.timezone(),
                s.overlap(),
                s.catchupWindow(),
                s.jitter(),
                s.pauseOnFailure(),
                s.paused(),
                s.workflowId(),
                s.input(),
                s.note(),
                s.workflow(),
                s.source(),
                s.at(),
                s.deleteAfterRun(),
                s.alertOnSkip());
        return new WorkflowDefinition(
                        name, definition.description(), null, null, definition.input(), definition.steps(), named)
                .withAlerts(definition.alerts());
    }
}
