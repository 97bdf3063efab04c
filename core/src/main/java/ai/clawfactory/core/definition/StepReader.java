package ai.clawfactory.core.definition;

import static ai.clawfactory.core.definition.DefinitionLoader.ordered;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Reads steps: their kinds (agentTurn, wait, http, wake), output checks, retries and templates. */
abstract class StepReader extends YamlReader {
    static final Pattern STEP_ID = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");

    StepReader(String file, String text, String defaultTimezone) {
        super(file, text, defaultTimezone);
    }

    /** True while reading an {@code alerts} block: templates may also read {@code failure.*}. */
    boolean inAlerts;

    /** An error for a {@code failure.*} reference (in an alerts block only), or null when it is fine. */
    String failureRef(String ref) {
        if (!inAlerts) {
            return "'" + ref + "': failure.* is only known in an alerts block";
        }
        String[] p = ref.split("\\.");
        if (p.length != 2 || !AlertsDefinition.FAILURE_FIELDS.contains(p[1])) {
            return "'" + ref + "' should be failure."
                    + String.join(
                            "|",
                            AlertsDefinition.FAILURE_FIELDS.stream().sorted().toList());
        }
        return null;
    }

    String stepId(Node n, String path) {
        if (!(n instanceof MappingNode m)) {
            return null;
        }
        for (NodeTuple t : m.getValue()) {
            if ("id".equals(scalarText(t.getKeyNode())) && t.getValueNode() instanceof ScalarNode s) {
                return s.getValue();
            }
        }
        return null;
    }

    StepDefinition step(
            Node n,
            String path,
            Map<String, String> input,
            List<String> earlier,
            List<String> all,
            Duration defaultTimeout,
            RetryDefinition defaultRetry) {
        MappingNode m = mapping(n, path);
        if (m == null) {
            return null;
        }
        String declaredId = stepId(n, path);
        String bare = path;
        if (declaredId != null && STEP_ID.matcher(declaredId).matches()) {
            path = path + "(" + declaredId + ")";
        }
        Map<String, Node> k = keys(
                m, path, "id", "when", "timeout", "retry", "continueOnFailure", "agentTurn", "wait", "http", "wake");
        int before = problems.size();
        String id = requiredString(k, "id", bare, STEP_ID);
        String when = optionalString(k, "when", path);
        if (when != null) {
            try {
                for (String ref : Expressions.conditionRefs(when)) {
                    String err = Expressions.checkRef(ref, input, earlier, all, true);
                    if (err != null) {
                        problem(k.get("when"), path + ".when", err);
                    }
                }
            } catch (IllegalArgumentException e) {
                problem(k.get("when"), path + ".when", e.getMessage());
            }
        }
        Duration timeout = positiveDuration(k, "timeout", path, defaultTimeout);
        RetryDefinition retry = retry(k.get("retry"), path + ".retry", defaultRetry);
        boolean continueOnFailure = bool(k, "continueOnFailure", path, false);

        List<String> kinds = Stream.of("agentTurn", "wait", "http", "wake")
                .filter(k::containsKey)
                .toList();
        if (kinds.size() != 1) {
            return null; // the schema says a step has exactly one kind
        }
        AgentTurnDefinition turn = null;
        WaitDefinition wait = null;
        HttpCallDefinition http = null;
        WakeDefinition wake = null;
        switch (kinds.get(0)) {
            case "agentTurn" -> turn = agentTurn(k.get("agentTurn"), path + ".agentTurn", input, earlier, all);
            case "wait" -> wait = waitStep(k.get("wait"), path + ".wait");
            case "wake" -> wake = wake(k.get("wake"), path + ".wake", input, earlier, all);
            default -> http = httpCall(k.get("http"), path + ".http", input, earlier, all);
        }
        if (problems.size() > before) {
            return null;
        }
        return new StepDefinition(id, when, timeout, retry, continueOnFailure, turn, wait, http, wake);
    }

    /** A wake of the main session ({@code POST /hooks/wake}): {@code text} (templated) and {@code mode}. */
    WakeDefinition wake(Node n, String path, Map<String, String> input, List<String> earlier, List<String> all) {
        MappingNode m = mapping(n, path);
        if (m == null) {
            return null;
        }
        Map<String, Node> k = keys(m, path, "text", "mode");
        String text = optionalString(k, "text", path);
        if (text != null) {
            templates(k.get("text"), path + ".text", text, input, earlier, all);
        }
        String mode = optionalString(k, "mode", path);
        return new WakeDefinition(text, mode);
    }

    AgentTurnDefinition agentTurn(
            Node n, String path, Map<String, String> input, List<String> earlier, List<String> all) {
        MappingNode m = mapping(n, path);
        if (m == null) {
            return null;
        }
        Map<String, Node> k = keys(
                m,
                path,
                "message",
                "name",
                "agentId",
                "sessionKey",
                "sessionMode",
                "model",
                "thinking",
                "timeoutSeconds",
                "deliver",
                "channel",
                "to",
                "wakeMode",
                "jobId",
                "expect");
        String message = optionalString(k, "message", path);
        String jobId = optionalString(k, "jobId", path);
        if (message != null) {
            templates(k.get("message"), path + ".message", message, input, earlier, all);
        }
        String sessionMode = optionalString(k, "sessionMode", path);
        String wakeMode = optionalString(k, "wakeMode", path);
        Integer timeoutSeconds = whole(optionalString(k, "timeoutSeconds", path));
        Boolean deliver = k.containsKey("deliver") ? bool(k, "deliver", path, true) : null;
        String channel = optionalString(k, "channel", path);
        String to = optionalString(k, "to", path);
        OutputCheck expect = k.containsKey("expect") ? expect(k.get("expect"), path + ".expect") : null;
        return new AgentTurnDefinition(
                message,
                optionalString(k, "name", path),
                optionalString(k, "agentId", path),
                optionalString(k, "sessionKey", path),
                sessionMode,
                optionalString(k, "model", path),
                optionalString(k, "thinking", path),
                timeoutSeconds,
                deliver,
                channel,
                to,
                wakeMode,
                jobId,
                expect);
    }

    /** {@code expect: {contains, matches, json, reply}}: at least one; a regex must compile. */
    OutputCheck expect(Node n, String path) {
        MappingNode m = mapping(n, path);
        if (m == null) {
            return null;
        }
        Map<String, Node> k = keys(m, path, "contains", "matches", "json", "reply");
        String contains = optionalString(k, "contains", path);
        String matches = optionalString(k, "matches", path);
        if (matches != null) {
            try {
                java.util.regex.Pattern.compile(matches);
            } catch (java.util.regex.PatternSyntaxException e) {
                problem(
                        k.get("matches"),
                        path + ".matches",
                        "'" + matches + "' is not a regular expression: " + e.getDescription()
                                + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""));
            }
        }
        Boolean json = k.containsKey("json") ? bool(k, "json", path, false) : null;
        Boolean reply = k.containsKey("reply") ? bool(k, "reply", path, false) : null;
        return new OutputCheck(contains, matches, json, reply);
    }

    WaitDefinition waitStep(Node n, String path) {
        if (n instanceof ScalarNode s) {
            try {
                Duration d = Durations.parse(s.getValue());
                if (d.isNegative() || d.isZero()) {
                    problem(n, path, "a wait must be longer than zero");
                    return null;
                }
                return new WaitDefinition(d, null, null);
            } catch (IllegalArgumentException e) {
                problem(n, path, e.getMessage());
                return null;
            }
        }
        MappingNode m = mapping(n, path);
        if (m == null) {
            return null;
        }
        Map<String, Node> k = keys(m, path, "duration", "until", "timezone");
        if (k.containsKey("duration") == k.containsKey("until")) {
            return null; // the schema says a wait has one or the other
        }
        if (k.containsKey("duration")) {
            return new WaitDefinition(positiveDuration(k, "duration", path, null), null, null);
        }
        String until = optionalString(k, "until", path); // HH:mm, as the schema's pattern says
        String tz = optionalString(k, "timezone", path);
        if (tz != null) {
            zone(k.get("timezone"), path + ".timezone", tz);
        }
        return new WaitDefinition(null, until, tz);
    }

    HttpCallDefinition httpCall(
            Node n, String path, Map<String, String> input, List<String> earlier, List<String> all) {
        MappingNode m = mapping(n, path);
        if (m == null) {
            return null;
        }
        Map<String, Node> k = keys(m, path, "method", "url", "headers", "body", "expectStatus");
        String method = optionalString(k, "method", path);
        method = method == null ? "POST" : method.toUpperCase();
        String url = optionalString(k, "url", path);
        if (url != null) {
            httpTemplates(k.get("url"), path + ".url", url, input, earlier, all);
            for (HttpTemplates.Issue issue : HttpTemplates.checkUrl(url)) {
                problemAt(k.get("url"), issue.offset(), path + ".url", issue.message());
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (k.containsKey("headers")) {
            MappingNode hm = mapping(k.get("headers"), path + ".headers");
            if (hm != null) {
                for (NodeTuple t : hm.getValue()) {
                    String hk = scalarText(t.getKeyNode());
                    String hv = scalar(t.getValueNode(), path + ".headers." + hk);
                    if (hk != null && hv != null) {
                        httpTemplates(t.getValueNode(), path + ".headers." + hk, hv, input, earlier, all);
                        for (HttpTemplates.Issue issue : HttpTemplates.checkHeader(hk, hv)) {
                            problemAt(t.getValueNode(), issue.offset(), path + ".headers." + hk, issue.message());
                        }
                        headers.put(hk, hv);
                    }
                }
            }
        }
        String body = optionalString(k, "body", path);
        if (body != null) {
            httpTemplates(k.get("body"), path + ".body", body, input, earlier, all);
            for (HttpTemplates.Issue issue : HttpTemplates.checkBody(body)) {
                problemAt(k.get("body"), issue.offset(), path + ".body", issue.message());
            }
        }
        List<Integer> expect = new ArrayList<>();
        if (k.containsKey("expectStatus")) {
            Node e = k.get("expectStatus");
            List<Node> items = e instanceof SequenceNode seq ? seq.getValue() : List.of(e);
            for (Node item : items) {
                Integer code = whole(scalar(item, path + ".expectStatus"));
                if (code != null) {
                    expect.add(code);
                }
            }
        }
        return new HttpCallDefinition(method, url, ordered(headers), body, List.copyOf(expect));
    }

    /** An http step's template: like any other, and {@code secret.NAME} references are allowed. */
    void httpTemplates(
            Node at, String path, String template, Map<String, String> input, List<String> earlier, List<String> all) {
        if (template.contains("{{") && Expressions.templateRefs(template).isEmpty()) {
            problem(at, path, "has '{{' without a matching '}}'");
        }
        for (Expressions.Placeholder p : Expressions.placeholders(template)) {
            String err = HttpTemplates.isSecretRef(p.ref())
                    ? HttpTemplates.checkSecretRef(p.ref())
                    : p.ref().startsWith("failure.")
                            ? failureRef(p.ref())
                            : Expressions.checkRef(p.ref(), input, earlier, all, false);
            if (err != null) {
                problemAt(at, p.start(), path, err);
            }
        }
    }

    RetryDefinition retry(Node n, String path, RetryDefinition fallback) {
        if (n == null) {
            return fallback;
        }
        MappingNode m = mapping(n, path);
        if (m == null) {
            return fallback;
        }
        Map<String, Node> k =
                keys(m, path, "initialInterval", "backoffCoefficient", "maximumInterval", "maximumAttempts");
        Duration initial = positiveDuration(k, "initialInterval", path, fallback.initialInterval());
        Duration max = positiveDuration(k, "maximumInterval", path, fallback.maximumInterval());
        double coefficient = fallback.backoffCoefficient();
        if (k.containsKey("backoffCoefficient")) {
            String v = scalar(k.get("backoffCoefficient"), path + ".backoffCoefficient");
            try {
                coefficient = v == null ? coefficient : Double.parseDouble(v); // 1.0 to 100, as the schema says
            } catch (NumberFormatException e) {
                // the schema says it must be a number
            }
        }
        int attempts = fallback.maximumAttempts();
        if (k.containsKey("maximumAttempts")) {
            Integer v =
                    whole(scalar(k.get("maximumAttempts"), path + ".maximumAttempts")); // 1 to 100, as the schema says
            attempts = v == null ? attempts : v;
        }
        if (initial != null && max != null && max.compareTo(initial) < 0) {
            problem(m, path + ".maximumInterval", "must not be shorter than initialInterval");
        }
        return new RetryDefinition(initial, coefficient, max, attempts);
    }

    void templates(
            Node at, String path, String template, Map<String, String> input, List<String> earlier, List<String> all) {
        if (template.contains("{{") && Expressions.templateRefs(template).isEmpty()) {
            problem(at, path, "has '{{' without a matching '}}'");
        }
        for (String ref : Expressions.templateRefs(template)) {
            String err = ref.startsWith("failure.") || (inAlerts && ref.equals("failure"))
                    ? failureRef(ref)
                    : Expressions.checkRef(ref, input, earlier, all, false);
            if (err != null) {
                problem(at, path, err);
            }
        }
    }
}
