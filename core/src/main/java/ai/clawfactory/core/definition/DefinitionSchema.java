package ai.clawfactory.core.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The committed JSON Schema ({@code definitions/clawfactory.definition.schema.json}, on the
 * classpath as it is), compiled once per process, and a file's YAML checked against it. The
 * validator's findings are turned into our problems by {@link SchemaMessages}: the JSON pointer of
 * each goes back to the YAML node it came from, for its line and column.
 */
final class DefinitionSchema {

    static final String RESOURCE = "clawfactory.definition.schema.json";
    private static final String ID = "https://clawfactory.ai/schemas/";

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V202012, b -> b.schemaMappers(m -> m.mapPrefix(ID, "classpath:")));
    private static final SchemaValidatorsConfig CONFIG =
            SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER).build();
    /** Compiled once per process: the worker reads its definitions at start-up, the CLI on every run. */
    static final JsonSchema WORKFLOW_FILE = compile("workflowFile");
    /** The raw schema (as the factory read it, not a second parse), for what a message leaves out: the keys allowed, a range's bounds. */
    static final JsonNode RAW =
            FACTORY.getSchema(SchemaLocation.of(ID + RESOURCE), CONFIG).getSchemaNode();

    /** Compiled on first use: most folders hold no schedule-only file, and only the worker reads an alerts defaults file. */
    private static final class Rare {
        static final JsonSchema SCHEDULE_ONLY_FILE = compile("scheduleOnlyFile");
        static final JsonSchema ALERTS_FILE = compile("alertsFile");
    }

    /** The schema's {@code $defs} entry of this name; throws when there is none (a rule Java reads must be there). */
    static JsonNode def(String name) {
        JsonNode d = RAW.path("$defs").path(name);
        if (d.isMissingNode()) {
            throw new IllegalStateException(RESOURCE + " has no $defs/" + name);
        }
        return d;
    }

    /** The {@code pattern} of a {@code $defs} entry, compiled: Java never retypes one. */
    static Pattern pattern(String def) {
        JsonNode p = def(def).path("pattern");
        if (!p.isTextual()) {
            throw new IllegalStateException(RESOURCE + ": $defs/" + def + " has no pattern");
        }
        return Pattern.compile(p.asText());
    }

    /** The property names of a {@code $defs} entry, in the schema's order. */
    static Set<String> properties(String def) {
        Set<String> names = new LinkedHashSet<>();
        def(def).path("properties").fieldNames().forEachRemaining(names::add);
        return Collections.unmodifiableSet(names);
    }

    /** The {@code default} at a pointer below a {@code $defs} entry (what the loader fills in when a key is not written). */
    static String defaultAt(String def, String pointer) {
        JsonNode d = def(def).at(pointer + "/default");
        if (d.isMissingNode()) {
            throw new IllegalStateException(RESOURCE + ": $defs/" + def + pointer + " has no default");
        }
        return d.asText();
    }

    /** The values of an {@code enum} at a pointer below a {@code $defs} entry. */
    static List<String> enumAt(String def, String pointer) {
        List<String> values = new ArrayList<>();
        def(def).at(pointer + "/enum").forEach(v -> values.add(v.asText()));
        if (values.isEmpty()) {
            throw new IllegalStateException(RESOURCE + ": $defs/" + def + pointer + " has no enum");
        }
        return List.copyOf(values);
    }

    private static final Pattern CANONICAL_INT = Pattern.compile("[-+]?(0|[1-9][0-9]*)");
    private static final Pattern CANONICAL_FLOAT =
            Pattern.compile("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?");

    private DefinitionSchema() {}

    private static JsonSchema compile(String def) {
        if (DefinitionSchema.class.getClassLoader().getResource(RESOURCE) == null) {
            throw new IllegalStateException(
                    RESOURCE + " is not on the classpath (core's pom puts it there from definitions/)");
        }
        JsonSchema s = FACTORY.getSchema(SchemaLocation.of(ID + RESOURCE + "#/$defs/" + def), CONFIG);
        s.initializeValidators();
        return s;
    }

    /** A YAML document as JSON, with the YAML node behind every JSON pointer (and the key node of every property). */
    static final class Document {
        final JsonNode json;
        final Map<String, Node> values = new HashMap<>();
        final Map<String, Node> keys = new HashMap<>();

        Document(Node root) {
            this.json = convert(root, "");
        }

        private JsonNode convert(Node n, String pointer) {
            values.put(pointer, n);
            JsonNodeFactory f = JsonNodeFactory.instance;
            if (n instanceof MappingNode m) {
                ObjectNode o = f.objectNode();
                for (NodeTuple t : m.getValue()) {
                    String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : String.valueOf(t.getKeyNode());
                    String p = pointer + "/" + key.replace("~", "~0").replace("/", "~1");
                    keys.put(p, t.getKeyNode());
                    o.set(key, convert(t.getValueNode(), p));
                }
                return o;
            }
            if (n instanceof SequenceNode seq) {
                ArrayNode a = f.arrayNode();
                int i = 0;
                for (Node item : seq.getValue()) {
                    a.add(convert(item, pointer + "/" + i++));
                }
                return a;
            }
            return scalar((ScalarNode) n);
        }

        /**
         * A scalar by its YAML type; forms the loader reads as text (sexagesimal 06:30, octal,
         * yes/no, timestamps) stay text, so the schema and the loader agree on what is what.
         */
        private static JsonNode scalar(ScalarNode s) {
            JsonNodeFactory f = JsonNodeFactory.instance;
            String tag = s.getTag().getValue();
            String v = s.getValue();
            if (tag.endsWith(":null")) {
                return f.nullNode();
            }
            if (tag.endsWith(":bool") && (v.equals("true") || v.equals("false"))) {
                return f.booleanNode(Boolean.parseBoolean(v));
            }
            if (tag.endsWith(":int") && CANONICAL_INT.matcher(v).matches()) {
                return f.numberNode(new BigInteger(v));
            }
            if (tag.endsWith(":float") && CANONICAL_FLOAT.matcher(v).matches()) {
                return f.numberNode(new BigDecimal(v));
            }
            return f.textNode(v);
        }
    }

    /** The structural problems of a workflow file or a schedule-only file. */
    static List<Problem> check(String file, Node root, boolean scheduleOnly) {
        Document d = new Document(root);
        JsonSchema schema = scheduleOnly ? Rare.SCHEDULE_ONLY_FILE : WORKFLOW_FILE;
        return new SchemaMessages(file, d).translate(schema.validate(d.json));
    }

    /** The structural problems of an alerts defaults file. */
    static List<Problem> checkAlertsFile(String file, Node root) {
        Document d = new Document(root);
        return new SchemaMessages(file, d).translate(Rare.ALERTS_FILE.validate(d.json));
    }
}
