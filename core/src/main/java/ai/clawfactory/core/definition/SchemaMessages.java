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
import java.util.stream.Stream;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Turns the validator's findings into our problems: {@code file:line:col: path: what is wrong;
 * what to do}, one per mistake. The JSON pointer of each finding is mapped back to its YAML node;
 * the generic texts ("property 'x' is not defined in the schema", "must be valid to one and only
 * one schema") become ours, and of a {@code oneOf} none of whose branches fits only the branch
 * the value was evidently meant for is reported.
 */
final class SchemaMessages {

    /** What a missing key is for, by {@code <$defs name>.<key>}. */
    private static final Map<String, String> MISSING = Map.of(
            "workflowFile.steps", "missing: a workflow needs at least one step",
            "scheduleOnlyFile.workflow", "missing: the workflow type this schedule starts, as named in its definition",
            "scheduleOnlyFile.id", "missing: a schedule-only file needs its own schedule id",
            "wait.timezone", "missing: until needs an IANA timezone, e.g. Europe/Berlin or UTC",
            "http.url", "missing: the URL to call",
            "wake.text", "missing: what the main session is told",
            "step.id", "missing: every step needs an id (letters, digits, '_' or '-', starting with a letter)");

    /** The rule a value breaks, by the schema location of its {@code pattern}. */
    private static final Map<String, String> PATTERNS = Map.of(
            "/$defs/name/pattern",
                    "is not allowed: letters, digits, '_', '.', '-', starting with a letter (it is the Temporal workflow type)",
            "/$defs/step/properties/id/pattern", "is not allowed: letters, digits, '_' or '-', starting with a letter",
            "/$defs/scheduleFields/properties/id/pattern", "is not a schedule id (letters, digits, '_', '.', '-')",
            "/$defs/duration/pattern", "is not a duration (write 500ms, 30s, 10m, 2h, 1h30m, 1d or ISO-8601 PT2H)",
            "/$defs/wait/oneOf/2/properties/until/pattern", "is not a time of day (write HH:mm, e.g. 06:30)",
            "/$defs/http/properties/method/pattern", "is not one of GET, POST, PUT, PATCH, DELETE, HEAD",
            "/$defs/http/properties/url/pattern",
                    "must be an http:// or https:// URL with its host written out (no placeholder, "
                            + "no user info before the path)");

    /** What a whole number stands for, by its key. */
    private static final Map<String, String> RANGE_HINTS = Map.of(
            "maximumAttempts", " (1 = no retry)",
            "after", " (consecutive failed runs before the first alert)",
            "timeoutSeconds", " of seconds");

    private final String file;
    private final DefinitionSchema.Document doc;
    private final String prefix;
    private final List<Problem> out = new ArrayList<>();
    private final Set<String> said = new HashSet<>();

    /** @param prefix the JSON pointer of the checked node in its file ("" for the whole document) */
    SchemaMessages(String file, DefinitionSchema.Document doc, String prefix) {
        this.file = file;
        this.doc = doc;
        this.prefix = prefix;
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
        List<ValidationMessage> best = List.of();
        int bestScore = Integer.MAX_VALUE;
        for (List<ValidationMessage> b : branches.values()) {
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

    /** A oneOf whose branches say which of some keys a mapping has: our own sentence. Returns false if generic. */
    private boolean oneOf(ValidationMessage m) {
        String at = fragment(m);
        JsonNode v = m.getInstanceNode();
        String path = path(m.getInstanceLocation().toString());
        Node node = node(m);
        switch (at) {
            case "/$defs/step/oneOf" -> {
                List<String> kinds = present(v, "agentTurn", "wait", "http", "wake");
                Set<String> all = Set.of("agentTurn", "wait", "http", "wake");
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
                                ? "a step needs exactly one of agentTurn, wait, http or wake"
                                : "a step has exactly one of agentTurn, wait, http or wake, not "
                                        + String.join(" and ", kinds));
                return true;
            }
            case "/$defs/alertAction/oneOf" -> {
                add(node, path, "an alert has exactly one of agentTurn or http");
                return true;
            }
            case "/$defs/scheduleFields/oneOf" -> {
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

    private static List<String> present(JsonNode v, String... keys) {
        return Stream.of(keys).filter(v::has).toList();
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
        String at = anyOfOf(m);
        String path = path(m.getInstanceLocation().toString());
        Node node = node(m);
        switch (at) {
            case "/$defs/agentTurn/anyOf" ->
                add(
                        node,
                        path + ".message",
                        "missing: what the agent should do (jobId alone is only for the legacy cron-fire gateway)");
            case "/$defs/agentTurn/properties/expect/anyOf" ->
                add(node, path, "declares no check: set contains, matches, json: true or reply: true");
            case "/$defs/alerts/oneOf/1/anyOf" ->
                add(
                        node,
                        path,
                        "needs onFailure (and optionally onRecovery): an agentTurn or http step that tells a person");
            default -> {
                Set<String> keys = new LinkedHashSet<>();
                group.forEach(g -> keys.add(g.getProperty()));
                add(node, path, "needs one of " + String.join(", ", keys));
            }
        }
    }

    private void one(ValidationMessage m) {
        String pointer = m.getInstanceLocation().toString();
        String path = path(pointer);
        Node node = node(m);
        JsonNode v = m.getInstanceNode();
        String at = fragment(m);
        switch (m.getType()) {
            case "additionalProperties" -> {
                String key = m.getProperty();
                Set<String> allowed = new LinkedHashSet<>();
                DefinitionSchema.RAW.at(parent(at) + "/properties").fieldNames().forEachRemaining(allowed::add);
                String hint = closest(key, allowed);
                add(
                        doc.keys.get(pointer + "/" + escape(key)),
                        join(path, key),
                        "unknown key" + (hint == null ? "" : " (did you mean '" + hint + "'?)") + "; allowed here: "
                                + String.join(", ", allowed));
            }
            case "required" -> {
                String key = m.getProperty();
                String def = at.startsWith("/$defs/") ? at.split("/")[2] : "";
                add(node, join(path, key), MISSING.getOrDefault(def + "." + key, "missing"));
            }
            case "type" ->
                add(
                        node,
                        path,
                        pointer.isEmpty() && prefix.isEmpty()
                                ? "must be a mapping of key: value lines (a definition starts with name:, steps:)"
                                : (at.equals("/$defs/scalar/type") && pointer.startsWith("/input/")
                                                ? "an input's default "
                                                : "")
                                        + "must be " + expected(DefinitionSchema.RAW.at(at)) + ", not " + found(v));
            case "enum" -> {
                List<String> options = new ArrayList<>();
                DefinitionSchema.RAW.at(at).forEach(o -> options.add(o.asText()));
                add(node, path, quote(v) + " is not one of " + String.join(", ", options));
            }
            case "pattern" ->
                add(node, path, quote(v) + " " + PATTERNS.getOrDefault(at, "does not have the expected form"));
            case "minimum", "maximum" -> {
                JsonNode s = DefinitionSchema.RAW.at(parent(at));
                String key = pointer.substring(pointer.lastIndexOf('/') + 1);
                String what = s.path("type").asText().equals("integer") ? "a whole number" : "a number";
                String range = s.has("minimum") && s.has("maximum")
                        ? " from " + s.get("minimum") + " to " + s.get("maximum")
                        : s.has("minimum") ? " of at least " + s.get("minimum") : " of at most " + s.get("maximum");
                add(
                        node,
                        path,
                        key.equals("expectStatus") || pointer.contains("/expectStatus/")
                                ? quote(v) + " is not an HTTP status (100-599)"
                                : quote(v) + " must be " + what + range + RANGE_HINTS.getOrDefault(key, ""));
            }
            case "minLength" -> add(node, path, "must not be empty");
            case "minItems" ->
                add(
                        node,
                        path,
                        pointer.equals("/steps")
                                ? "is empty: a workflow needs at least one step"
                                : "is empty: list at least one");
            case "maxItems" -> {
                if (!pointer.equals("/steps")) { // the loader's own cap says it better, at the first step too many
                    add(node, path, "has too many entries (at most " + DefinitionSchema.RAW.at(at) + ")");
                }
            }
            case "dependentRequired" ->
                add(
                        node,
                        path,
                        "channel".equals(m.getProperty()) || "to".equals(m.getProperty())
                                ? "channel and to go together: set both or neither"
                                : "'" + m.getProperty() + "' needs " + m.getArguments()[0]);
            case "not" -> not(m, at, node, path);
            default -> add(node, path, m.getMessage().replaceFirst("^[^:]*: ", ""));
        }
    }

    private void not(ValidationMessage m, String at, Node node, String path) {
        String pointer = m.getInstanceLocation().toString();
        switch (at) {
            case "/$defs/workflowFile/properties/schedule/not" -> {
                JsonNode name = doc.json.path("name");
                add(
                        doc.values.get(pointer + "/workflow"),
                        path + ".workflow",
                        "only a schedule-only file names a workflow; "
                                + "this schedule starts "
                                + (name.isTextual() ? name.asText() : "the workflow of this file")
                                + " (move it to a file of its own to start another workflow)");
            }
            case "/$defs/alertAction/properties/agentTurn/not" ->
                add(doc.values.get(pointer + "/expect"), path + ".expect", "an alert has no output check");
            case "/$defs/positiveDuration/not" -> add(node, path, "must be longer than zero");
            default -> add(node, path, "is not allowed here");
        }
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
        String full = prefix + pointer;
        String[] parts = full.isEmpty() ? new String[0] : full.substring(1).split("/", -1);
        String sofar = "";
        for (int i = 0; i < parts.length; i++) {
            String seg = parts[i].replace("~1", "/").replace("~0", "~");
            sofar += "/" + parts[i];
            if (seg.matches("\\d+") && i > 0) {
                p.append('[').append(seg).append(']');
                JsonNode id = doc.json.at(sofar.substring(prefix.length()) + "/id");
                boolean next = i + 1 < parts.length;
                if (parts[i - 1].equals("steps")
                        && prefix.isEmpty()
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
        String best = null;
        int bestDistance = 3;
        for (String a : allowed) {
            int d = distance(key.toLowerCase(), a.toLowerCase());
            if (d < bestDistance) {
                bestDistance = d;
                best = a;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
