package ai.clawfactory.core.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The definition model is the history contract: a run pins its resolved definition into its
 * history, so the records' JSON (as Temporal's default converter writes it) must not change. The
 * typed view ({@link StepAction}, {@link StepKind}) is added without a getter-named method; these
 * tests fail if any record gains a property or loses one.
 */
class WireFormTest {

    private static final ObjectMapper MAPPER = JacksonJsonPayloadConverter.newDefaultObjectMapper();
    /** Reads payloads exactly: 60.000000000 stays that, as the converter wrote it (not 60.0). */
    private static final ObjectMapper EXACT = MAPPER.copy()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    private static final Path HISTORIES = Path.of("../worker/src/test/resources/histories");

    /** The records that travel in payloads, each by the names of its components. */
    private static final List<Class<? extends Record>> WIRE = List.of(
            WorkflowDefinition.class,
            StepDefinition.class,
            AgentTurnDefinition.class,
            WaitDefinition.class,
            HttpCallDefinition.class,
            WakeDefinition.class,
            ForEachDefinition.class,
            CommandDefinition.class,
            CommandEntry.class,
            OutputCheck.class,
            RetryDefinition.class,
            ScheduleDefinition.class,
            AlertsDefinition.class,
            AlertAction.class);

    static WorkflowDefinition everything() {
        OutputCheck check = new OutputCheck("done", "d.ne", true, true);
        AgentTurnDefinition turn = new AgentTurnDefinition(
                "m", "n", "a", "s", "isolated", "mo", "low", 30, true, "slack", "#x", "now", "job", check);
        WaitDefinition wait = new WaitDefinition(Duration.ofMinutes(2), "06:30", "UTC");
        HttpCallDefinition http =
                new HttpCallDefinition("POST", "https://example.org/x", Map.of("A", "b"), "{}", List.of(200));
        WakeDefinition wake = new WakeDefinition("hello", "now");
        CommandDefinition command = new CommandDefinition(
                "host-a",
                List.of(new CommandEntry(
                        List.of("/bin/echo", "{{input.a}}"),
                        "/srv/x",
                        Map.of("A", "b"),
                        Duration.ofMinutes(1),
                        List.of(0, 1),
                        true)),
                100);
        RetryDefinition retry = RetryDefinition.DEFAULT;
        List<StepDefinition> steps = List.of(
                StepDefinition.of("t", "true", Duration.ofMinutes(1), retry, true, turn),
                StepDefinition.of("w", null, Duration.ofMinutes(1), retry, false, wait),
                StepDefinition.of("h", null, Duration.ofMinutes(1), retry, false, http),
                StepDefinition.of("k", null, Duration.ofMinutes(1), retry, false, wake)
                        .withGraph(List.of("t", "w"), new ForEachDefinition(List.of("x"), "in", "item", 2)),
                StepDefinition.of("c", null, Duration.ofMinutes(1), retry, false, command));
        ScheduleDefinition schedule = new ScheduleDefinition(
                "s",
                List.of("0 4 * * *"),
                Duration.ofHours(1),
                Duration.ofMinutes(1),
                "UTC",
                "skip",
                Duration.ofHours(1),
                Duration.ofSeconds(5),
                true,
                true,
                "wid",
                Map.of("a", "b"),
                "note",
                "W",
                "w.yaml",
                Instant.parse("2027-01-01T09:00:00Z"),
                true,
                true);
        AlertsDefinition alerts =
                new AlertsDefinition(2, Duration.ofHours(1), AlertAction.of(turn), AlertAction.of(http), "w.yaml");
        return new WorkflowDefinition("W", "d", "w.yaml", "abc", Map.of("a", "b"), steps, schedule, alerts, 3);
    }

    @Test
    void everyRecordSerializesAsExactlyItsComponents() {
        JsonNode json = MAPPER.valueToTree(everything());
        Set<Class<?>> seen = new LinkedHashSet<>();
        compare(everything(), json, "", seen);
        assertEquals(new LinkedHashSet<>(WIRE), seen, "every wire record was walked with all its components set");
    }

    private static void compare(Object value, JsonNode json, String at, Set<Class<?>> seen) {
        if (value instanceof Record r) {
            seen.add(r.getClass());
            Set<String> components = new TreeSet<>();
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                components.add(c.getName());
            }
            Set<String> fields = new TreeSet<>();
            json.fieldNames().forEachRemaining(fields::add);
            assertEquals(
                    components, fields, r.getClass().getSimpleName() + " at " + at + " writes its components only");
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                try {
                    Object v = c.getAccessor().invoke(r);
                    compare(v, json.get(c.getName()), at + "." + c.getName(), seen);
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
        } else if (value instanceof Collection<?> list) {
            Iterator<JsonNode> items = json.elements();
            for (Object item : list) {
                compare(item, items.next(), at + "[]", seen);
            }
        }
    }

    @Test
    void committedHistoriesPayloadsRoundTripUnchanged() throws IOException {
        Map<Class<?>, Integer> found = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(HISTORIES)) {
            files = walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertTrue(files.size() > 10, "histories under " + HISTORIES.toAbsolutePath());
        for (Path f : files) {
            for (JsonNode payload : payloads(EXACT.readTree(f.toFile()))) {
                roundTrip(payload, f, found);
            }
        }
        for (Class<?> c : List.of(
                WorkflowDefinition.class,
                StepDefinition.class,
                WaitDefinition.class,
                HttpCallDefinition.class,
                AgentTurnDefinition.class,
                CommandDefinition.class,
                CommandEntry.class,
                AlertsDefinition.class,
                AlertAction.class)) {
            assertTrue(found.getOrDefault(c, 0) > 0, "the histories hold a " + c.getSimpleName() + ": " + found);
        }
    }

    /** Every JSON payload of a history, decoded. */
    private static List<JsonNode> payloads(JsonNode history) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        List<JsonNode> stack = new ArrayList<>(List.of(history));
        while (!stack.isEmpty()) {
            JsonNode n = stack.remove(stack.size() - 1);
            if (n.isObject() && n.path("data").isTextual() && n.has("metadata")) {
                String encoding = new String(
                        Base64.getDecoder()
                                .decode(n.path("metadata").path("encoding").asText()),
                        StandardCharsets.UTF_8);
                if (encoding.equals("json/plain")) {
                    out.add(EXACT.readTree(
                            Base64.getDecoder().decode(n.get("data").asText())));
                }
            }
            n.elements().forEachRemaining(stack::add);
        }
        return out;
    }

    /** Each object shaped like a wire record is read as one and written again: the same text comes out. */
    private static void roundTrip(JsonNode n, Path file, Map<Class<?>, Integer> found) throws IOException {
        if (n.isObject()) {
            Set<String> fields = new TreeSet<>();
            n.fieldNames().forEachRemaining(fields::add);
            for (Class<? extends Record> type : WIRE) {
                List<String> appended = appendedSince(type, fields);
                if (appended != null) {
                    Object read = MAPPER.treeToValue(n, type);
                    assertEquals(
                            MAPPER.writeValueAsString(n),
                            MAPPER.writeValueAsString(asOld(EXACT.readTree(MAPPER.writeValueAsString(read)), n)),
                            type.getSimpleName() + " in " + file + " round-trips unchanged");
                    found.merge(type, 1, Integer::sum);
                }
            }
        }
        for (JsonNode child : n) {
            roundTrip(child, file, found);
        }
    }

    /**
     * The components {@code type} gained after a payload with {@code fields} was written (its last
     * ones, all absent there), or null when the payload is not of that type: a record only gains
     * components at its end, so an old payload is the record without them.
     */
    private static List<String> appendedSince(Class<? extends Record> type, Set<String> fields) {
        RecordComponent[] all = type.getRecordComponents();
        int known = 0;
        while (known < all.length && fields.contains(all[known].getName())) {
            known++;
        }
        if (known != fields.size() || known == 0) {
            return null;
        }
        List<String> appended = new ArrayList<>();
        for (int i = known; i < all.length; i++) {
            appended.add(all[i].getName());
        }
        return appended;
    }

    /**
     * {@code written} as the {@code old} payload had it: without the components appended since,
     * at any depth, each of which must be null there (a record only gains components, and an old
     * payload reads them as null).
     */
    private static JsonNode asOld(JsonNode written, JsonNode old) {
        if (written.isObject() && old.isObject()) {
            List<String> added = new ArrayList<>();
            written.fieldNames().forEachRemaining(f -> {
                if (!old.has(f)) {
                    added.add(f);
                }
            });
            for (String f : added) {
                assertTrue(written.get(f).isNull(), f + ", appended since, reads as null from an old payload");
                ((com.fasterxml.jackson.databind.node.ObjectNode) written).remove(f);
            }
            written.fieldNames().forEachRemaining(f -> asOld(written.get(f), old.get(f)));
        } else if (written.isArray() && old.isArray()) {
            for (int i = 0; i < Math.min(written.size(), old.size()); i++) {
                asOld(written.get(i), old.get(i));
            }
        }
        return written;
    }

    @Test
    void aStepsActionIsItsOneKindAndKindKeepsItsWireString() {
        WorkflowDefinition d = everything();
        assertEquals(
                List.of("agentTurn", "wait", "http", "wake", "command"),
                d.steps().stream().map(StepDefinition::kind).toList());
        assertEquals(
                List.of(StepKind.AGENT_TURN, StepKind.WAIT, StepKind.HTTP, StepKind.WAKE, StepKind.COMMAND),
                d.steps().stream().map(s -> s.action().kind()).toList());
        assertSame(d.steps().get(2).http(), d.steps().get(2).action());
        assertNull(d.steps().get(2).agentTurn());
        assertInstanceOf(AgentTurnDefinition.class, d.alerts().onFailure().action());
        assertEquals("http", d.alerts().onRecovery().kind());
        for (StepKind k : StepKind.values()) {
            assertSame(k, StepKind.ofKey(k.key()));
        }
    }

    @Test
    void aStepKindIsWrittenAsItsWireString() throws IOException {
        assertEquals("\"agentTurn\"", MAPPER.writeValueAsString(StepKind.AGENT_TURN));
        assertSame(StepKind.WAKE, MAPPER.readValue("\"wake\"", StepKind.class));
    }
}
