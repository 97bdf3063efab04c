package ai.clawfactory.core.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.erosb.jsonsKema.FormatValidationPolicy;
import com.github.erosb.jsonsKema.JsonParser;
import com.github.erosb.jsonsKema.SchemaLoader;
import com.github.erosb.jsonsKema.ValidationFailure;
import com.github.erosb.jsonsKema.Validator;
import com.github.erosb.jsonsKema.ValidatorConfig;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The schema and {@code validate} agree on structure, over a corpus made by mutating valid
 * definitions ({@link MutationCorpus}: unknown keys, missing and misspelt keys, wrong types,
 * misspelt enum values, broken patterns, zero durations, and the rules that lived only in Java).
 * Each mutant is checked by two JSON Schema validators that share no code: networknt (the one the
 * loader uses) and json-sKema. They must agree with each other; a mutant the schema refuses,
 * the loader must refuse; and a mutant the schema accepts, the loader may refuse only for what a
 * schema cannot say (references, cron, zones, parsed durations, what the server refuses).
 */
class SchemaAgreesWithValidateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What only code checks: a schema-valid file refused by the loader says one of these. */
    private static final List<Pattern> CODE_ONLY = List.of(
            Pattern.compile(".*names an undeclared input.*"),
            Pattern.compile(".*is not a declared input of this workflow.*"),
            Pattern.compile(".*refers to (step|an unknown step).*"),
            Pattern.compile(".*'.*' must start with input\\., steps\\..*"),
            Pattern.compile(".*should be (steps|failure|workflow)\\..*"),
            Pattern.compile(".*has an empty side of.*"),
            Pattern.compile(".*is not a condition \\(write e\\.g\\..*"),
            Pattern.compile(".*is not one of failed, ok, skipped"),
            Pattern.compile(".*is not a valid cron expression.*"),
            Pattern.compile(".*is not a known macro.*"),
            Pattern.compile(".*calendar '.*"),
            Pattern.compile(".*is not an IANA timezone.*"),
            Pattern.compile(".*is not a zone of the tz database.*"),
            Pattern.compile(".*is not a duration \\(write e\\.g\\..*"),
            Pattern.compile(".*is longer than the longest duration allowed.*"),
            Pattern.compile(".*must not be shorter than initialInterval"),
            Pattern.compile(".*at least 1s \\(Temporal's shortest interval\\)"),
            Pattern.compile(".*must be at least 10s \\(Temporal's minimum\\)"),
            Pattern.compile(".*must be shorter than the interval.*"),
            Pattern.compile(".*whole seconds \\(Temporal counts intervals in seconds\\).*"),
            Pattern.compile(".*is not a date and time.*|.*has no offset: add one.*"),
            Pattern.compile(".*is not a regular expression.*"),
            Pattern.compile(".*is used by an earlier step.*"),
            Pattern.compile(".*missing: an IANA timezone such as UTC.*"),
            Pattern.compile(".*secrets can only be used in an http step.*|.*secret\\..*"),
            Pattern.compile(".*failure\\.\\* is only known in an alerts block.*"),
            Pattern.compile(".*is in the URL's scheme or host.*|.*must start with http:// or https://.*"),
            Pattern.compile(".*is outside a JSON string.*|.*is not JSON.*|.*header.*"),
            Pattern.compile(".*has '\\{\\{' without a matching '}}'.*"),
            Pattern.compile(".*is a list, but no step's forEach reads it.*|.*fans out over.*"),
            Pattern.compile(".*is not a step of this workflow.*|.*cannot need itself|.*the needs form a cycle.*"),
            Pattern.compile(".*has no forEach, so no items.*"));

    private final DefinitionLoader loader = new DefinitionLoader();

    @Test
    void theSchemaAndValidateAgreeOnEveryMutant() throws IOException {
        String schemaText = JSON.writeValueAsString(DefinitionSchema.RAW);
        Checks definitions = new Checks(schemaText);
        ObjectNode alertsRoot = DefinitionSchema.RAW.deepCopy();
        alertsRoot.remove("oneOf");
        alertsRoot.put("$ref", "#/$defs/alertsFile");
        Checks alertsFiles = new Checks(JSON.writeValueAsString(alertsRoot));

        List<MutationCorpus.Mutant> mutants = MutationCorpus.all();
        List<String> disagreements = new ArrayList<>();
        int refusedBySchema = 0;
        int refusedByCodeOnly = 0;
        for (MutationCorpus.Mutant m : mutants) {
            Node root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(m.text()));
            String instance = JSON.writeValueAsString(new DefinitionSchema.Document(root).json);
            Checks checks = m.alertsFile() ? alertsFiles : definitions;
            boolean networknt = checks.networknt(instance);
            boolean skema = checks.skema(instance);
            List<Problem> problems = loaderProblems(m);
            if (networknt != skema) {
                disagreements.add(m + ": networknt says " + verdict(networknt) + ", json-sKema " + verdict(skema));
            } else if (!networknt && problems.isEmpty()) {
                disagreements.add(m + ": the schema refuses it, the loader accepts it");
            } else if (networknt && !problems.isEmpty()) {
                for (Problem p : problems) {
                    if (CODE_ONLY.stream().noneMatch(c -> c.matcher(p.message()).matches())) {
                        disagreements.add(m + ": the schema accepts it, the loader refuses its structure: " + p);
                    }
                }
                refusedByCodeOnly++;
            }
            if (!networknt) {
                refusedBySchema++;
            }
        }
        assertEquals(List.of(), disagreements, disagreements.size() + " of " + mutants.size() + " mutants");
        assertTrue(mutants.size() > 2000, "the corpus has its mutants: " + mutants.size());
        assertTrue(refusedBySchema > 1000, "most mutants break the structure: " + refusedBySchema);
        assertTrue(refusedByCodeOnly > 50, "and some only what code checks: " + refusedByCodeOnly);
    }

    @Test
    void theRulesThatLivedOnlyInJavaAreTheSchemasNow() throws IOException {
        String schemaText = JSON.writeValueAsString(DefinitionSchema.RAW);
        Checks checks = new Checks(schemaText);
        for (MutationCorpus.Mutant m : MutationCorpus.targeted()) {
            Node root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(m.text()));
            String instance = JSON.writeValueAsString(new DefinitionSchema.Document(root).json);
            assertTrue(!checks.networknt(instance) && !checks.skema(instance), m + ": both validators refuse it");
            assertTrue(!loaderProblems(m).isEmpty(), m + ": the loader refuses it");
        }
    }

    private List<Problem> loaderProblems(MutationCorpus.Mutant m) {
        try {
            if (m.alertsFile()) {
                loader.parseAlertsFile("m.yaml", m.text());
            } else {
                loader.parse("m.yaml", m.text());
            }
            return List.of();
        } catch (DefinitionException e) {
            return e.problems();
        }
    }

    private static String verdict(boolean valid) {
        return valid ? "valid" : "invalid";
    }

    /** One schema, compiled by both validators. */
    private static final class Checks {
        private final JsonSchema networknt;
        private final Validator skema;

        Checks(String schemaText) {
            this.networknt = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(schemaText);
            this.skema = Validator.create(
                    new SchemaLoader(new JsonParser(schemaText).parse()).load(),
                    new ValidatorConfig(FormatValidationPolicy.NEVER));
        }

        boolean networknt(String instance) {
            try {
                return networknt.validate(JSON.readTree(instance)).isEmpty();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        boolean skema(String instance) {
            ValidationFailure f = skema.validate(new JsonParser(instance).parse());
            return f == null;
        }
    }
}
