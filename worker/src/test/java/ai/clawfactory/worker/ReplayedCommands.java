package ai.clawfactory.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.sdk.v1.UserMetadata;
import io.temporal.common.RetryOptions;
import io.temporal.common.SearchAttributeUpdate;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptorBase;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.TimerOptions;
import io.temporal.workflow.Workflow;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * What a replay cannot see: the options of the commands. Temporal's replay matches each command
 * to its event by kind and type only, so a refactor could change an activity's timeouts, retry
 * policy, summary or input, a timer's summary, or what an upsert writes, and every history would
 * still replay. This replays a committed history with an interceptor that writes down every command
 * the code issues, with those options, in the form {@link #recorded} reads them from the history's
 * events; the two lists must be equal. It also lists the {@code Workflow.getVersion} change ids the
 * code asked about, since a new one answered {@code DEFAULT_VERSION} on replay leaves no trace.
 * Payloads are compared as JSON less their null fields (records gain fields over time), with the
 * run's id written as the replayer's.
 */
public final class ReplayedCommands {

    private static final DataConverter JSON = DefaultDataConverter.newDefaultInstance();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The run id the replayer gives every run; the recorded one is written as this too. */
    private static final String REPLAY_RUN_ID = "run_id_in_replay";

    /** What one replay saw: the commands, and every change id {@code getVersion} was called with. */
    public record Replay(List<String> commands, Set<String> changeIds) {}

    private ReplayedCommands() {}

    /** The commands recorded in {@code history}, one line each, in order. */
    public static List<String> recorded(WorkflowExecutionHistory history) {
        String runId = history.getEvents()
                .get(0)
                .getWorkflowExecutionStartedEventAttributes()
                .getOriginalExecutionRunId();
        return recordedLines(history).stream()
                .map(line -> line.replace(runId, REPLAY_RUN_ID))
                .toList();
    }

    private static List<String> recordedLines(WorkflowExecutionHistory history) {
        List<String> lines = new ArrayList<>();
        for (HistoryEvent e : history.getEvents()) {
            String summary = e.hasUserMetadata() ? summary(e.getUserMetadata()) : null;
            switch (e.getEventType()) {
                case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> {
                    var a = e.getActivityTaskScheduledEventAttributes();
                    var r = a.getRetryPolicy();
                    lines.add(activity(
                            a.getActivityType().getName(),
                            seconds(a.getStartToCloseTimeout()),
                            seconds(a.getHeartbeatTimeout()),
                            retry(
                                    seconds(r.getInitialInterval()),
                                    r.getBackoffCoefficient(),
                                    seconds(r.getMaximumInterval()),
                                    r.getMaximumAttempts(),
                                    r.getNonRetryableErrorTypesList()),
                            summary,
                            text(a.getInput())));
                }
                case EVENT_TYPE_TIMER_STARTED ->
                    lines.add(timer(seconds(e.getTimerStartedEventAttributes().getStartToFireTimeout()), summary));
                case EVENT_TYPE_MARKER_RECORDED -> {
                    var m = e.getMarkerRecordedEventAttributes();
                    if (m.getMarkerName().equals("LocalActivity")) {
                        String type = JSON.fromPayloads(
                                0, Optional.of(m.getDetailsMap().get("type")), String.class, String.class);
                        lines.add(local(type, summary, text(m.getDetailsMap().get("input"))));
                    } else if (m.getMarkerName().equals("Version")) {
                        String id = JSON.fromPayloads(
                                0, Optional.of(m.getDetailsMap().get("changeId")), String.class, String.class);
                        Integer v = JSON.fromPayloads(
                                0, Optional.of(m.getDetailsMap().get("version")), Integer.class, Integer.class);
                        lines.add(version(id, v));
                    }
                }
                case EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED ->
                    lines.add(memo(new TreeMap<>(
                            e
                                    .getWorkflowPropertiesModifiedEventAttributes()
                                    .getUpsertedMemo()
                                    .getFieldsMap()
                                    .entrySet()
                                    .stream()
                                    .collect(Collectors.toMap(Map.Entry::getKey, x -> text(x.getValue()))))));
                case EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES ->
                    lines.add(searchAttributes(new TreeMap<>(e
                            .getUpsertWorkflowSearchAttributesEventAttributes()
                            .getSearchAttributes()
                            .getIndexedFieldsMap()
                            .entrySet()
                            .stream()
                            .collect(Collectors.toMap(Map.Entry::getKey, x -> text(x.getValue()))))));
                default -> {}
            }
        }
        return lines;
    }

    /** Replays {@code history} on {@code workflowClass}, writing down the commands it issues. */
    public static Replay replayed(WorkflowExecutionHistory history, Class<?> workflowClass) throws Exception {
        return replayed(history, workflowClass, UnaryOperator.identity());
    }

    /**
     * As {@link #replayed(WorkflowExecutionHistory, Class)}, with every activity's options passed
     * through {@code change} on their way to the server: to show that a change of options replays.
     */
    public static Replay replayed(
            WorkflowExecutionHistory history, Class<?> workflowClass, UnaryOperator<ActivityOptions> change)
            throws Exception {
        Capture capture = new Capture(change);
        TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
                .setWorkerFactoryOptions(WorkerFactoryOptions.newBuilder()
                        .setWorkerInterceptors(capture)
                        .build())
                .build());
        try {
            Worker w = env.newWorker("replay");
            w.registerWorkflowImplementationTypes(workflowClass);
            WorkflowReplayer.replayWorkflowExecution(history, w);
        } finally {
            env.close();
        }
        // A value an activity returned with the run id in it (an approval's link) replays as recorded.
        String runId = history.getEvents()
                .get(0)
                .getWorkflowExecutionStartedEventAttributes()
                .getOriginalExecutionRunId();
        synchronized (capture) {
            return new Replay(
                    capture.commands.stream()
                            .map(line -> line.replace(runId, REPLAY_RUN_ID))
                            .toList(),
                    Set.copyOf(capture.changeIds));
        }
    }

    /**
     * {@code lines} with the input of every {@code activityType} activity left out: for a payload
     * that changed on purpose after a history was recorded (the test says which and why).
     */
    public static List<String> withoutInputOf(String activityType, List<String> lines) {
        String prefix = "activity " + activityType + " ";
        return lines.stream()
                .map(l -> l.startsWith(prefix) ? l.substring(0, l.indexOf(" input=")) + " input=(not compared)" : l)
                .toList();
    }

    private static String activity(
            String type, Duration startToClose, Duration heartbeat, String retry, String summary, String input) {
        return "activity " + type + " startToClose=" + startToClose + " heartbeat=" + heartbeat + " retry=" + retry
                + " summary=" + summary + " input=" + input;
    }

    private static String retry(
            Duration initial, double coefficient, Duration maximum, int attempts, List<String> doNotRetry) {
        return "[" + initial + " ×" + coefficient + " ≤" + maximum + " attempts " + attempts + " not " + doNotRetry
                + "]";
    }

    private static String timer(Duration d, String summary) {
        return "timer " + d + " summary=" + summary;
    }

    private static String local(String type, String summary, String input) {
        return "local " + type + " summary=" + summary + " input=" + input;
    }

    private static String version(String changeId, int version) {
        return "version " + changeId + "=" + version;
    }

    private static String memo(Map<String, String> fields) {
        return "memo " + fields;
    }

    private static String searchAttributes(Map<String, String> fields) {
        return "search-attributes " + fields;
    }

    private static String summary(UserMetadata m) {
        return m.hasSummary() ? JSON.fromPayload(m.getSummary(), String.class, String.class) : null;
    }

    private static Duration seconds(com.google.protobuf.Duration d) {
        return Duration.ofSeconds(d.getSeconds(), d.getNanos());
    }

    private static String text(Payloads p) {
        return p.getPayloadsList().stream().map(ReplayedCommands::text).toList().toString();
    }

    /**
     * A payload's JSON as written, less its null fields: records only ever gain fields, so a
     * history written before a field existed lacks what the current code writes as null.
     */
    private static String text(Payload p) {
        String json = p.getData().toString(StandardCharsets.UTF_8);
        try {
            JsonNode tree = MAPPER.readTree(json);
            dropNulls(tree);
            return MAPPER.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            return json;
        }
    }

    private static void dropNulls(JsonNode node) {
        if (node instanceof ObjectNode o) {
            List<String> nulls = new ArrayList<>();
            o.fields().forEachRemaining(f -> {
                if (f.getValue().isNull()) {
                    nulls.add(f.getKey());
                } else {
                    dropNulls(f.getValue());
                }
            });
            o.remove(nulls);
        } else if (node.isArray()) {
            node.forEach(ReplayedCommands::dropNulls);
        }
    }

    private static String text(Object[] args) {
        return JSON.toPayloads(args).map(ReplayedCommands::text).orElse("[]");
    }

    /** The retry policy as the server records it: unset fields take the server's defaults. */
    private static String retry(RetryOptions r) {
        Duration initial = r == null || r.getInitialInterval() == null ? Duration.ofSeconds(1) : r.getInitialInterval();
        double coefficient = r == null || r.getBackoffCoefficient() == 0 ? 2.0 : r.getBackoffCoefficient();
        Duration maximum =
                r == null || r.getMaximumInterval() == null ? initial.multipliedBy(100) : r.getMaximumInterval();
        int attempts = r == null ? 0 : r.getMaximumAttempts();
        List<String> doNotRetry = r == null || r.getDoNotRetry() == null ? List.of() : Arrays.asList(r.getDoNotRetry());
        return retry(initial, coefficient, maximum, attempts, doNotRetry);
    }

    private static Duration orZero(Duration d) {
        return d == null ? Duration.ZERO : d;
    }

    /** Writes down every command of every workflow it intercepts (one replay at a time). */
    private static final class Capture extends WorkerInterceptorBase {

        final UnaryOperator<ActivityOptions> change;
        final List<String> commands = new ArrayList<>();
        final Set<String> changeIds = new LinkedHashSet<>();
        final Set<String> versioned = Collections.synchronizedSet(new LinkedHashSet<>());

        Capture(UnaryOperator<ActivityOptions> change) {
            this.change = change;
        }

        synchronized void add(String line) {
            commands.add(line);
        }

        @Override
        public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
            return new WorkflowInboundCallsInterceptorBase(next) {
                @Override
                public void init(WorkflowOutboundCallsInterceptor outbound) {
                    super.init(new Outbound(outbound));
                }
            };
        }

        private final class Outbound extends WorkflowOutboundCallsInterceptorBase {

            Outbound(WorkflowOutboundCallsInterceptor next) {
                super(next);
            }

            @Override
            public <R> ActivityOutput<R> executeActivity(ActivityInput<R> input) {
                ActivityOptions o = change.apply(input.getOptions());
                add(activity(
                        input.getActivityName(),
                        orZero(o.getStartToCloseTimeout()),
                        orZero(o.getHeartbeatTimeout()),
                        retry(o.getRetryOptions()),
                        o.getSummary(),
                        text(input.getArgs())));
                return super.executeActivity(new ActivityInput<>(
                        input.getActivityName(),
                        input.getResultClass(),
                        input.getResultType(),
                        input.getArgs(),
                        o,
                        input.getHeader()));
            }

            @Override
            public <R> LocalActivityOutput<R> executeLocalActivity(LocalActivityInput<R> input) {
                add(local(input.getActivityName(), input.getOptions().getSummary(), text(input.getArgs())));
                return super.executeLocalActivity(input);
            }

            @Override
            public Promise<Void> newTimer(Duration duration, TimerOptions options) {
                add(timer(duration, options == null ? null : options.getSummary()));
                return super.newTimer(duration, options);
            }

            @Override
            public Promise<Void> newTimer(Duration duration) {
                add(timer(duration, null));
                return super.newTimer(duration);
            }

            @Override
            public boolean await(Duration timeout, String reason, Supplier<Boolean> unblockCondition) {
                // Workflow.await with a timeout starts a timer of that length, without a summary.
                add(timer(timeout, null));
                return super.await(timeout, reason, unblockCondition);
            }

            @Override
            public void sleep(Duration duration) {
                add(timer(duration, null));
                super.sleep(duration);
            }

            @Override
            public int getVersion(String changeId, int minSupported, int maxSupported) {
                int v = super.getVersion(changeId, minSupported, maxSupported);
                synchronized (Capture.this) {
                    changeIds.add(changeId);
                }
                // A marker is written the first time a run asks about a change, unless replay answers DEFAULT_VERSION.
                if (v != Workflow.DEFAULT_VERSION
                        && versioned.add(Workflow.getInfo().getRunId() + " " + changeId)) {
                    add(version(changeId, v));
                }
                return v;
            }

            @Override
            public void upsertMemo(Map<String, Object> memo) {
                Map<String, String> fields = new TreeMap<>();
                memo.forEach((k, v) -> fields.put(k, text(new Object[] {v}).replaceAll("^\\[|\\]$", "")));
                add(memo(fields));
                super.upsertMemo(memo);
            }

            @Override
            public void upsertTypedSearchAttributes(SearchAttributeUpdate<?>... updates) {
                Map<String, String> fields = new TreeMap<>();
                for (SearchAttributeUpdate<?> u : updates) {
                    fields.put(
                            u.getKey().getName(),
                            text(new Object[] {u.getValue().orElse(null)}).replaceAll("^\\[|\\]$", ""));
                }
                add(searchAttributes(fields));
                super.upsertTypedSearchAttributes(updates);
            }
        }
    }
}
