package ai.clawfactory.worker.interpreter;

import ai.clawfactory.core.definition.WorkflowDefinition;

import java.util.List;

/**
 * The definition pinned into a run's history at its start (null when the type is unknown), with
 * the known types for the error message.
 */
public record LoadedDefinition(WorkflowDefinition definition, List<String> knownTypes) {
}
