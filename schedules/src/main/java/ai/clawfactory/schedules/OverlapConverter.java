package ai.clawfactory.schedules;

import ai.clawfactory.core.definition.DefinitionLoader;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import picocli.CommandLine;

/** Reads an overlap policy by the name the definition format uses. */
final class OverlapConverter implements CommandLine.ITypeConverter<ScheduleOverlapPolicy> {
    @Override
    public ScheduleOverlapPolicy convert(String value) {
        if (!DefinitionLoader.OVERLAP_POLICIES.contains(value)) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not an overlap policy; use one of "
                    + String.join(", ", DefinitionLoader.OVERLAP_POLICIES));
        }
        return DeclaredSchedule.overlapPolicy(value);
    }
}
