package ai.clawfactory.worker.interpreter;

import ai.clawfactory.worker.step.StepResult;
import java.util.Map;

/** A finished run's result: which definition ran and what every step produced. */
public record RunResult(String workflowType, String definitionVersion, Map<String, StepResult> steps) {}
