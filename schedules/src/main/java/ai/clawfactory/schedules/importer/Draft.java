package ai.clawfactory.schedules.importer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one OpenClaw job becomes: a definition to write, or the reason it is not imported.
 *
 * @param jobId     the job's id in OpenClaw
 * @param jobName   the job's name in OpenClaw
 * @param enabled   whether the job is enabled in OpenClaw (a disabled one is imported paused)
 * @param outcome   what the import does with it
 * @param reason    why it is skipped or refused; null for IMPORT
 * @param notes     every field that is not honoured exactly, or a choice the import made, one line each
 * @param summary   one line saying what the definition does
 * @param description the definition's description
 * @param input     declared inputs (used to carry a message verbatim that looks like a template)
 * @param steps     the steps, as YAML mappings
 * @param schedule  the schedule block without its id, as a YAML mapping
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
        String description,
        Map<String, Object> input,
        List<Map<String, Object>> steps,
        Map<String, Object> schedule,
        boolean sourceDisabledByImport) {

    Draft(
            String jobId,
            String jobName,
            boolean enabled,
            Outcome outcome,
            String reason,
            List<String> notes,
            String summary,
            String description,
            Map<String, Object> input,
            List<Map<String, Object>> steps,
            Map<String, Object> schedule) {
        this(jobId, jobName, enabled, outcome, reason, notes, summary, description, input, steps, schedule, false);
    }

    /** The same draft, marked as disabled in OpenClaw by this import. */
    Draft markedSourceDisabled() {
        return new Draft(
                jobId, jobName, enabled, outcome, reason, notes, summary, description, input, steps, schedule, true);
    }

    /** IMPORT: written; SKIP: left alone on purpose; UNSUPPORTED: a kind of job clawfactory cannot run; ERROR: bad job data. */
    enum Outcome {
        IMPORT,
        SKIP,
        UNSUPPORTED,
        ERROR
    }

    static Draft skip(String jobId, String jobName, boolean enabled, String reason) {
        return new Draft(
                jobId, jobName, enabled, Outcome.SKIP, reason, List.of(), null, null, Map.of(), List.of(), Map.of());
    }

    static Draft unsupported(String jobId, String jobName, boolean enabled, String reason, List<String> notes) {
        return new Draft(
                jobId,
                jobName,
                enabled,
                Outcome.UNSUPPORTED,
                reason,
                List.copyOf(notes),
                null,
                null,
                Map.of(),
                List.of(),
                Map.of());
    }

    static Draft error(String jobId, String jobName, boolean enabled, String reason, List<String> notes) {
        return new Draft(
                jobId,
                jobName,
                enabled,
                Outcome.ERROR,
                reason,
                List.copyOf(notes),
                null,
                null,
                Map.of(),
                List.of(),
                Map.of());
    }

    Draft refused(String why) {
        return new Draft(
                jobId, jobName, enabled, Outcome.ERROR, why, notes, summary, description, input, steps, schedule);
    }

    /**
     * The first line of every file the import writes, as the shipped definitions have it: editors
     * (the YAML language server) check the file against the schema next to it in definitions/.
     */
    static final String SCHEMA_LINE = "# yaml-language-server: $schema=./clawfactory.definition.schema.json";

    /**
     * The file's text for a workflow (and schedule) called {@code name}; the same draft always gives
     * the same bytes. Job data goes into scalars ({@link YamlText} quotes and escapes them) and into
     * comment lines only through {@link YamlText#comment}, which no character can end early.
     */
    String render(String name) {
        StringBuilder sb = new StringBuilder(SCHEMA_LINE).append('\n');
        sb.append(YamlText.comment("Imported from OpenClaw cron job \"" + jobName + "\" (id " + jobId
                + ") by ./clawfactory import openclaw."));
        sb.append(YamlText.comment("Edit freely: a later import leaves an edited file alone (unless --force)."));
        if (!notes.isEmpty()) {
            sb.append(YamlText.comment("Not carried over exactly:"));
            for (String n : notes) {
                sb.append(YamlText.comment("  - " + n));
            }
        }
        if (sourceDisabledByImport) {
            sb.append(YamlText.comment(ImportFiles.SOURCE_DISABLED_MARK
                    + "yes (--disable-source; a re-import treats the disabled job as enabled)"));
        }
        sb.append(YamlText.comment(ImportFiles.JOB_ID_MARK + jobId));
        sb.append(YamlText.document(tree(name)));
        return sb.toString();
    }

    /** What the file says to a YAML parser: exactly this tree, whatever the job's text holds. */
    Map<String, Object> tree(String name) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("name", name);
        root.put("description", description);
        if (!input.isEmpty()) {
            root.put("input", input);
        }
        root.put("steps", steps);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", name);
        s.putAll(schedule);
        root.put("schedule", s);
        return root;
    }
}
