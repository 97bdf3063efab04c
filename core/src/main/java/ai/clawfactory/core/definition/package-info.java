/**
 * The definition language: the model (the records a run pins into its history), the loader and
 * validator, and the writer.
 *
 * <h2>One source per rule</h2>
 * Structure (keys, types, patterns, enums, limits, defaults, the rules between keys) is the JSON
 * Schema's, {@code definitions/clawfactory.definition.schema.json}, on the classpath as committed:
 * {@link ai.clawfactory.core.definition.DefinitionSchema} checks every file against it and Java
 * reads from it what it needs (a pattern, the step cap, the overlap policies). Java checks only
 * what a schema cannot say: references to steps and inputs, conditions and templates, cron syntax,
 * time zones, durations against each other and against what Temporal accepts, and the rules across
 * the files of a folder ({@link ai.clawfactory.core.definition.DefinitionLoader}). The validator's
 * findings get our sentences by the rule they break
 * ({@link ai.clawfactory.core.definition.SchemaText}).
 *
 * <h2>Reading a file</h2>
 * {@code FileReader} composes the YAML ({@code YamlSource}), checks the schema, and hands a
 * {@code YamlCursor} (a node, its path, the file's one {@code Problems} sink) to small readers:
 * {@code StepReader}, {@code ScheduleReader}, {@code AlertsReader}, and for each step kind its
 * {@code StepKindSlice}; templates are checked against a {@code TemplateScope}. The loader gets a
 * {@code FileRead} back.
 *
 * <h2>Adding a step kind</h2>
 * <ol>
 *   <li>The schema: a {@code $defs/<key>} entry for the kind's block, its property in
 *       {@code $defs/step} and a branch in the step's {@code oneOf}; a rule that gets its own
 *       sentence gets a {@code $defs} entry of its own.
 *   <li>The model: a record implementing {@link ai.clawfactory.core.definition.StepAction} (add it
 *       to the {@code permits} list), a {@link ai.clawfactory.core.definition.StepKind} constant, and
 *       a nullable component of {@link ai.clawfactory.core.definition.StepDefinition} (appended last,
 *       with a constructor keeping the old shape: the records are the history contract) that
 *       {@code action()} and {@code of()} know.
 *   <li>The slice: one class implementing {@code StepKindSlice} (read, write, what the Web UI
 *       shows, the sentences for its part of the schema), registered in {@code StepSlices.ALL}.
 * </ol>
 * {@code SchemaKeysTest} fails until the schema, the enum and the slices agree.
 */
package ai.clawfactory.core.definition;
