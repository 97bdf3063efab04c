package ai.clawfactory.core.definition;

import java.util.regex.Pattern;

/**
 * The schema's patterns for the names other processes take from users (the API's filters and
 * paths), read from the schema so no caller retypes one.
 */
public final class NamePatterns {

    private static final Pattern WORKFLOW_TYPE = DefinitionSchema.pattern("name");
    private static final Pattern SCHEDULE_ID = DefinitionSchema.pattern("scheduleId");

    private NamePatterns() {}

    /** True when {@code s} can be a workflow type ({@code $defs/name}). */
    public static boolean isWorkflowType(String s) {
        return s != null && WORKFLOW_TYPE.matcher(s).matches();
    }

    /** True when {@code s} can be a schedule id ({@code $defs/scheduleId}). */
    public static boolean isScheduleId(String s) {
        return s != null && SCHEDULE_ID.matcher(s).matches();
    }
}
