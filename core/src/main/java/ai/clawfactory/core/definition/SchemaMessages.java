package ai.clawfactory.core.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Turns the validator's findings into our problems: {@code file:line:col: path: what is wrong;
 * what to do}, one per mistake. The JSON pointer of each finding is mapped back to its YAML node;
 * the generic texts ("property 'x' is not defined in the schema", "must be valid to one and only
 * one schema") become ours, and of a {@code oneOf} none of whose branches fits only the branch
 * the value was evidently meant for is reported. Our sentences are keyed by the rule of the schema
 * a finding breaks ({@link SchemaText}): fixed ones in {@link SchemaTexts} and the step kinds'
 * slices, the ones that depend on the value below ({@link #CODE_KEYS}).
 */
final class SchemaMessages {

    // The rules whose sentence is made here in code (it depends on the value), by their schema key (see SchemaText).
    static final String STEP_KIND = "step/oneOf";
    static final String ALERT_KIND = "alertAction/oneOf";
    static final String WHEN_IT_RUNS = "scheduleFields/oneOf";
    static final String OWN_SCHEDULE = "ownSchedule/not";
    static final String SCHEDULE_ONLY_KEYS = "scheduleOnlyFile/additionalProperties";
    static final String STEPS_CAP = "steps/maxItems";
    static final String WORKFLOW_ID_LENGTH = "workflowIdPrefix/maxLength";
    static final String INPUT_DEFAULT = "scalar/type";

    /** Every key the code below handles by name: each must resolve in the schema (SchemaKeysTest). */
    static final Set<String> CODE_KEYS = Set.of(
            STEP_KIND,
            ALERT_KIND,
            WHEN_IT_RUNS,
            OWN_SCHEDULE,
            SCHEDULE_ONLY_KEYS,
            STEPS_CAP,
            WORKFLOW_ID_LENGTH,
            INPUT_DEFAULT);

    /** What a whole number stands for, by its key. */
    private static final Map<String, String> RANGE_HINTS = Map.of(
            "maximumAttempts", " (1 = no retry)",
            "after", " (consecutive failed runs before the first alert)",
            "timeoutSeconds", " of seconds");

    private final String file;
    private final DefinitionSchema.Document doc;
    private final List<Problem> out = new ArrayList<>();
    private final Set<String> said = new HashSet<>();

    /** @param doc a whole file, as checked */
    SchemaMessages(String file, DefinitionSchema.Document doc) {
        this.file = file;
        this.doc = doc;
    }

    List<Problem> translate(Collection<ValidationMessage> found) {
        List<ValidationMessage> all = new ArrayList<>(found);
        all.sort(Comparator.comparingInt(
                (ValidationMessage m) -> m.getEvaluationPath().getNameCount()));
        Set<ValidationMessage> dropped = new HashSet<>();
        Map<String, List<ValidationMessage>> anyOfs = new LinkedHashMap<>();
        for (ValidationMessage m : all) {
            if (dropped.contains(m)) {
                continue;
            }
            if (m.getType().equals("oneOf")) {
                List<ValidationMessage> children =
                        all.stream().filter(c -> c != m && under(c, m)).toList();
                if (!oneOf(m)) {
                    // None fits: report only the branch the value was meant for.
                    dropped.addAll(children);
                    dropped.removeAll(bestBranch(m, children));
                } else {
                    dropped.addAll(children);
                }
                continue;
            }
            String anyOf = anyOfOf(m);
            if (anyOf != null) {
                anyOfs.computeIfAbsent(m.getInstanceLocation() + " " + anyOf, k -> new ArrayList<>())
                        .add(m);
                continue;
            }
            one(m);
        }
        for (List<ValidationMessage> group : anyOfs.values()) {
            anyOf(group);
        }
        out.sort(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
        return out;
    }

    private static boolean under(ValidationMessage child, ValidationMessage parent) {
        return child.getEvaluationPath().getNameCount()
                        > parent.getEvaluationPath().getNameCount()
                && child.getEvaluationPath().startsWith(parent.getEvaluationPath());
    }

    /** The children of the branch a value was evidently meant for: not one its type rules out; of those, the fewest findings. */
    private static List<ValidationMessage> bestBranch(ValidationMessage oneOf, List<ValidationMessage> children) {
        int depth = oneOf.getEvaluationPath().getNameCount();
        Map<String, List<ValidationMessage>> branches = new LinkedHashMap<>();
        for (ValidationMessage c : children) {
            branches.computeIfAbsent(c.getEvaluationPath().getName(depth), k -> new ArrayList<>())
                    .add(c);
        }
        // On a tie, the branch whose finding is nearest its top (a $ref hop counts nothing: a named
        // $defs entry is as near as an inline rule), then the branch written first.
        List<String> order = new ArrayList<>(branches.keySet());
        order.sort(Comparator.comparingInt((String b) -> nearest(branches.get(b)))
                .thenComparingInt(SchemaMessages::branchIndex));
        List<ValidationMessage> best = List.of();
        int bestScore = Integer.MAX_VALUE;
        for (String index : order) {
            List<ValidationMessage> b = branches.get(index);
            boolean wrongType = b.stream()
                    .anyMatch(c -> (c.getType().equals("type") || c.getType().equals("const"))
                            && c.getInstanceLocation().equals(oneOf.getInstanceLocation()));
            int score = b.size() + (wrongType ? 1000 : 0);
            if (score < bestScore) {
                bestScore = score;
                best = b;
            }
        }
        return best;
    }

    /** How deep in the schema a branch's nearest finding is, not counting {@code $ref} hops. */
    private static int nearest(List<ValidationMessage> findings) {
        int best = Integer.MAX_VALUE;
        for (ValidationMessage f : findings) {
            int depth = 0;
            for (int i = 0; i < f.getEvaluationPath().getNameCount(); i++) {
                if (!"$ref".equals(f.getEvaluationPath().getName(i))) {
                    depth++;
                }
            }
            best = Math.min(best, depth);
        }
        return best;
    }

    private static int branchIndex(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    /** A oneOf whose branches say which of some keys a mapping has: our own sentence. Returns false if generic. */
    private boolean oneOf(ValidationMessage m) {
        JsonNode v = m.getInstanceNode();
        String path = path(m.getInstanceLocation().toString());
        Node node = node(m);
        switch (key(m)) {
            case STEP_KIND -> {
                Set<String> all = new LinkedHashSet<>();
                for (StepKind k : StepKind.values()) {
                    all.add(k.key());
                }
                List<String> kinds = all.stream().filter(v::has).toList();
                boolean misspelt = kinds.isEmpty()
                        && v != null
                        && java.util.stream.StreamSupport.stream(
                                        java.util.Spliterators.spliteratorUnknownSize(v.fieldNames(), 0), false)
                                .anyMatch(k -> closest(k, all) != null && !all.contains(k));
                if (misspelt) {
                    return true; // the unknown key's "did you mean" says it
                }
                add(
                        node,
                        path,
                        kinds.isEmpty()
                                ? "a step needs exactly one of " + or(List.copyOf(all))
                                : "a step has exactly one of " + or(List.copyOf(all)) + ", not "
                                        + String.join(" and ", kinds));
                return true;
            }
            case ALERT_KIND -> {
                add(
                        node,
                        path,
                        (path.endsWith(".notify") ? "notify" : "an alert") + " has exactly one of "
                                + or(List.copyOf(AlertsReader.ACTION_KINDS)));
                return true;
            }
            case WHEN_IT_RUNS -> {
                boolean cron = v.has("cron") || v.has("calendar");
                if (v.has("at") && (cron || v.has("interval"))) {
                    add(
                            doc.values.get(m.getInstanceLocation() + "/at"),
                            path + ".at",
                            "at is a one-shot: it goes without cron, calendar or interval");
                } else if (v.has("cron") && v.has("calendar")) {
                    add(node, path, "say when either with cron or with calendar, not both");
                } else if (cron && v.has("interval")) {
                    add(node, path, "say when either with cron/calendar or with interval, not both");
                } else {
                    add(
                            node,
                            path,
                            "missing: when it runs (cron: \"0 4 * * *\", calendar: {hour: 4}, interval: 30m, "
                                    + "or at: 2027-01-01T09:00:00Z)");
                }
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /** {@code a, b, c or d}. */
    private static String or(List<String> names) {
        return names.size() == 1
                ? names.get(0)
                : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    /** The {@code .../anyOf} schema location a finding is a branch of, or null. */
    private static String anyOfOf(ValidationMessage m) {
        String f = fragment(m);
        int i = f.lastIndexOf("/anyOf/");
        return i < 0 ? null : f.substring(0, i + "/anyOf".length());
    }

    /** Every branch of an anyOf failed: one problem, for the mapping. */
    private void anyOf(List<ValidationMessage> group) {
        ValidationMessage m = group.get(0);
        SchemaText text = SchemaTexts.ALL.get(keyOf(anyOfOf(m)));
        if (text != null) {
            say(m, text, text.message());
            return;
        }
        Set<String> keys = new LinkedHashSet<>();
        group.forEach(g -> keys.add(g.getProperty()));
        add(node(m), path(m.getInstanceLocation().toString()), "needs one of " + String.join(", ", keys));
    }

    private void one(ValidationMessage m) {
        String pointer = m.getInstanceLocation().toString();
        String path = path(pointer);
        Node node = node(m);
        JsonNode v = m.getInstanceNode();
        String at = fragment(m);
        String key = key(m);
        SchemaText text = text(key, m);
        switch (m.getType()) {
            case "additionalProperties" -> {
                String property = m.getProperty();
                if (key.equals(SCHEDULE_ONLY_KEYS)
                        && DefinitionSchema.properties("workflowFile").contains(property)) {
                    add(
                            doc.values.get(pointer + "/" + escape(property)),
                            join(path, property),
                            "a schedule-only file has no '" + property + "' (set schedule.input instead)");
                    return;
                }
                Set<String> allowed = new LinkedHashSet<>();
                DefinitionSchema.RAW.at(parent(at) + "/properties").fieldNames().forEachRemaining(allowed::add);
                String hint = closest(property, allowed);
                add(
                        doc.keys.get(pointer + "/" + escape(property)),
                        join(path, property),
                        "unknown key" + (hint == null ? "" : " (did you mean '" + hint + "'?)") + "; allowed here: "
                                + String.join(", ", allowed));
            }
            case "required" -> {
                SchemaText missing = SchemaTexts.ALL.get(key + "/" + m.getProperty());
                add(node, join(path, m.getProperty()), missing == null ? "missing" : missing.message());
            }
            case "type" ->
                add(
                        node,
                        path,
                        pointer.isEmpty()
                                ? "must be a mapping of key: value lines (a definition starts with name:, steps:)"
                                : (key.equals(INPUT_DEFAULT) && pointer.startsWith("/input/")
                                                ? "an input's default "
                                                : "")
                                        + "must be " + expected(DefinitionSchema.RAW.at(at)) + ", not " + found(v));
            case "enum" -> {
                List<String> options = new ArrayList<>();
                DefinitionSchema.RAW.at(at).forEach(o -> options.add(o.asText()));
                add(node, path, quote(v) + " is not one of " + String.join(", ", options));
            }
            case "pattern" ->
                add(node, path, quote(v) + " " + (text == null ? "does not have the expected form" : text.message()));
            case "propertyNames" -> {
                String property = m.getProperty();
                add(
                        doc.keys.get(pointer + "/" + escape(property)),
                        join(path, property),
                        text != null ? text.message() : "'" + property + "' is not allowed as a name here");
            }
            case "minimum", "maximum" -> {
                if (text != null) {
                    add(node, path, quote(v) + " " + text.message());
                    return;
                }
                JsonNode s = DefinitionSchema.RAW.at(parent(at));
                String name = pointer.substring(pointer.lastIndexOf('/') + 1);
                String what = s.path("type").asText().equals("integer") ? "a whole number" : "a number";
                String range = s.has("minimum") && s.has("maximum")
                        ? " from " + s.get("minimum") + " to " + s.get("maximum")
                        : s.has("minimum") ? " of at least " + s.get("minimum") : " of at most " + s.get("maximum");
                add(node, path, quote(v) + " must be " + what + range + RANGE_HINTS.getOrDefault(name, ""));
            }
            case "minLength" -> add(node, path, "must not be empty");
            case "maxLength" ->
                add(
                        node,
                        path,
                        key.equals(WORKFLOW_ID_LENGTH)
                                ? "is " + v.asText().length() + " characters; at most " + DefinitionSchema.RAW.at(at)
                                        + " (Temporal allows 1,000 with the fire time it appends)"
                                : "is longer than " + DefinitionSchema.RAW.at(at) + " characters");
            case "minItems" -> add(node, path, text != null ? text.message() : "is empty: list at least one");
            case "maxItems" -> {
                int max = DefinitionSchema.RAW.at(at).asInt();
                if (key.equals(STEPS_CAP)) {
                    add(
                            doc.values.get(pointer + "/" + max),
                            path + "[" + max + "]",
                            "a workflow has at most " + max + " steps, this one " + v.size()
                                    + " (split it into workflows of their own)");
                } else {
                    add(node, path, "has too many entries (at most " + max + ")");
                }
            }
            case "dependentRequired" -> {
                SchemaText needs = SchemaTexts.ALL.get(key + "/" + m.getProperty());
                if (needs != null) {
                    say(m, needs, needs.message());
                } else {
                    add(node, path, "'" + m.getProperty() + "' needs " + m.getArguments()[0]);
                }
            }
            case "not" -> {
                if (key.equals(OWN_SCHEDULE)) {
                    JsonNode name = doc.json.path("name");
                    add(
                            doc.values.get(pointer + "/workflow"),
                            path + ".workflow",
                            "only a schedule-only file names a workflow; "
                                    + "this schedule starts "
                                    + (name.isTextual() ? name.asText() : "the workflow of this file")
                                    + " (move it to a file of its own to start another workflow)");
                } else {
                    say(m, text, text == null ? "is not allowed here" : text.message());
                }
            }
            default -> add(node, path, m.getMessage().replaceFirst("^[^:]*: ", ""));
        }
    }

    /** Reports {@code message} where {@code text} says (null: at the finding's value). */
    private void say(ValidationMessage m, SchemaText text, String message) {
        String pointer = m.getInstanceLocation().toString();
        String path = path(pointer);
        if (text == null || text.at() == null) {
            add(node(m), path, message);
            return;
        }
        String child = text.at().equals(SchemaText.PROPERTY) ? m.getProperty() : text.at();
        Node at = doc.values.get(pointer + "/" + escape(child));
        add(at == null ? node(m) : at, join(path, child), message);
    }

    /** The text for a rule as met at this finding's value: the one for its key under this very key first. */
    private static SchemaText text(String key, ValidationMessage m) {
        String pointer = m.getInstanceLocation().toString();
        String last = pointer.substring(pointer.lastIndexOf('/') + 1);
        SchemaText under = SchemaTexts.ALL.get(key + "@" + last);
        return under != null ? under : SchemaTexts.ALL.get(key);
    }

    /** A finding's schema key: {@code <$defs name>/<keyword>} for a rule of a {@code $defs} entry's own. */
    private static String key(ValidationMessage m) {
        return keyOf(fragment(m));
    }

    private static String keyOf(String fragment) {
        return fragment.startsWith("/$defs/") ? fragment.substring("/$defs/".length()) : fragment;
    }

    private void add(Node at, String path, String message) {
        if (at == null) {
            at = doc.values.get("");
        }
        int line = at == null ? 1 : at.getStartMark().getLine() + 1;
        int column = at == null ? 1 : at.getStartMark().getColumn() + 1;
        if (said.add(line + ":" + column + ":" + path + ":" + message)) {
            out.add(new Problem(file, line, column, path, message));
        }
    }

    private Node node(ValidationMessage m) {
        return doc.values.get(m.getInstanceLocation().toString());
    }

    private static String fragment(ValidationMessage m) {
        String s = m.getSchemaLocation().toString();
        int hash = s.indexOf('#');
        return hash < 0 ? "" : s.substring(hash + 1);
    }

    private static String parent(String fragment) {
        return fragment.substring(0, fragment.lastIndexOf('/'));
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    /** A JSON pointer in our path style: {@code /steps/0/agentTurn} is {@code steps[0](id).agentTurn}. */
    String path(String pointer) {
        StringBuilder p = new StringBuilder();
        String full = pointer;
        String[] parts = full.isEmpty() ? new String[0] : full.substring(1).split("/", -1);
        String sofar = "";
        for (int i = 0; i < parts.length; i++) {
            String seg = parts[i].replace("~1", "/").replace("~0", "~");
            sofar += "/" + parts[i];
            if (seg.matches("\\d+") && i > 0) {
                p.append('[').append(seg).append(']');
                JsonNode id = doc.json.at(sofar + "/id");
                boolean next = i + 1 < parts.length;
                if (parts[i - 1].equals("steps")
                        && id.isTextual()
                        && (!next || !parts[i + 1].equals("id"))
                        && StepReader.STEP_ID.matcher(id.asText()).matches()) {
                    p.append('(').append(id.asText()).append(')');
                }
            } else {
                p.append(p.isEmpty() ? "" : ".").append(seg);
            }
        }
        return p.toString();
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String expected(JsonNode type) {
        List<String> names = new ArrayList<>();
        if (type.isArray()) {
            type.forEach(t -> names.add(t.asText()));
        } else {
            names.add(type.asText());
        }
        if (names.containsAll(List.of("string", "number", "boolean"))) {
            return "a single value (text, number or true/false)";
        }
        return String.join(" or ", names.stream().map(SchemaMessages::kind).toList());
    }

    private static String kind(String jsonType) {
        return switch (jsonType) {
            case "integer" -> "a whole number";
            case "number" -> "a number";
            case "string" -> "text";
            case "boolean" -> "true or false";
            case "object" -> "a mapping of key: value lines";
            case "array" -> "a list (each line starting with '- ')";
            default -> jsonType;
        };
    }

    private static String found(JsonNode v) {
        if (v == null || v.isNull()) {
            return "empty";
        }
        if (v.isTextual()) {
            return "text ('" + v.asText() + "')";
        }
        if (v.isNumber()) {
            return "a number (" + v + ")";
        }
        if (v.isBoolean()) {
            return v.asText();
        }
        return v.isObject() ? "a mapping" : "a list";
    }

    private static String quote(JsonNode v) {
        return "'" + (v == null ? "" : v.isTextual() ? v.asText() : v.toString()) + "'";
    }

    static String closest(String key, Set<String> allowed) {
        return DidYouMean.closest(key, allowed);
    }
}
