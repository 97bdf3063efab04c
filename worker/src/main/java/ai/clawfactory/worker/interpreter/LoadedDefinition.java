package ai.clawfactory.worker.interpreter;

import ai.clawfactory.core.definition.WorkflowDefinition;
import java.util.List;

/**
 * The definition pinned into a run's history at its start (null when the type is unknown or its
 * file is invalid), with the known types and, for an invalid file, its problems for the error
 * message. Recorded in history: fields may be added (older payloads read them as null), never
 * renamed or removed.
 *
 * @param refusal the problems of the file that declares the type, one per line, or null
 * @param indexed whether the namespace has the search attributes runs are indexed by (null in
 *                histories from before they existed)
 */
public record LoadedDefinition(
        WorkflowDefinition definition, List<String> knownTypes, String refusal, Boolean indexed) {}
