package ai.clawfactory.worker.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.worker.alert.AlertsConfig;
import ai.clawfactory.worker.config.TemporalConfig.WorkerSizing;
import ai.clawfactory.worker.observe.ObserveConfig;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/** The checks in the config records' constructors: one bad value each, and the line it gives. */
class SettingsTest {

    private static final Duration D = Duration.ofSeconds(10);
    private static final Pattern NAMED = Pattern.compile("^([a-z.-]+) \\(([A-Z_]+)\\) ");

    static WorkerSizing sizing(
            int activities, int tasks, int local, int wfPollers, int actPollers, int cache, int threads) {
        return new WorkerSizing(activities, tasks, local, wfPollers, actPollers, cache, threads);
    }

    static TemporalConfig temporal(String address, String namespace, String queue, Duration connect, Duration drain) {
        return new TemporalConfig(address, namespace, queue, connect, drain, sizing(16, 4, 4, 2, 2, 200, 400));
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                bad(
                        () -> sizing(0, 4, 4, 2, 2, 200, 400),
                        "temporal.worker.max-concurrent-activities (WORKER_MAX_ACTIVITIES) must be at least 1, got 0"),
                bad(
                        () -> sizing(16, 0, 4, 2, 2, 200, 400),
                        "temporal.worker.max-concurrent-workflow-tasks (WORKER_MAX_WORKFLOW_TASKS) must be at least 1, got 0"),
                bad(
                        () -> sizing(16, 4, -3, 2, 2, 200, 400),
                        "temporal.worker.max-concurrent-local-activities (WORKER_MAX_LOCAL_ACTIVITIES) must be at least 1, got -3"),
                bad(
                        () -> sizing(16, 4, 4, 0, 2, 200, 400),
                        "temporal.worker.workflow-pollers (WORKER_WORKFLOW_POLLERS) must be at least 1, got 0"),
                bad(
                        () -> sizing(16, 4, 4, 2, 0, 200, 400),
                        "temporal.worker.activity-pollers (WORKER_ACTIVITY_POLLERS) must be at least 1, got 0"),
                bad(
                        () -> sizing(16, 4, 4, 2, 2, 0, 400),
                        "temporal.worker.workflow-cache-size (WORKER_WORKFLOW_CACHE) must be at least 1, got 0"),
                bad(
                        () -> sizing(16, 4, 4, 2, 2, 200, 1),
                        "temporal.worker.max-workflow-threads (WORKER_MAX_WORKFLOW_THREADS) must be at least 2, got 1"),
                bad(
                        () -> temporal(" ", "default", "clawfactory", D, D),
                        "temporal.address (TEMPORAL_ADDRESS) must not be blank, got ' '; unset it for the default"),
                bad(
                        () -> temporal("127.0.0.1:7233", "", "clawfactory", D, D),
                        "temporal.namespace (TEMPORAL_NAMESPACE) must not be blank, got ''; unset it for the default"),
                bad(
                        () -> temporal("127.0.0.1:7233", "default", null, D, D),
                        "temporal.task-queue (TEMPORAL_TASK_QUEUE) must not be blank, got nothing; unset it for the default"),
                bad(
                        () -> temporal("127.0.0.1:7233", "default", "clawfactory", null, D),
                        "temporal.connect-timeout (TEMPORAL_CONNECT_TIMEOUT) must be set"),
                bad(
                        () -> temporal("127.0.0.1:7233", "default", "clawfactory", D, null),
                        "temporal.drain-timeout (WORKER_DRAIN_TIMEOUT) must be set"),
                bad(
                        () -> new GatewayConfig(null, null, null, null, D),
                        "gateway.connect-timeout (GATEWAY_CONNECT_TIMEOUT) must be set"),
                bad(
                        () -> new GatewayConfig(null, null, null, D, null),
                        "gateway.heartbeat (GATEWAY_HEARTBEAT) must be set"),
                bad(
                        () -> new DefinitionsConfig("  ", null),
                        "definitions.dir (DEFINITIONS_DIR) must not be blank, got '  '; unset it for the default"),
                bad(() -> new LedgerConfig(null, D, D), "ledger.retention (LEDGER_RETENTION) must be set"),
                bad(() -> new LedgerConfig(D, null, D), "ledger.abandon-after (LEDGER_ABANDON_AFTER) must be set"),
                bad(() -> new LedgerConfig(D, D, null), "ledger.fault-retry (LEDGER_FAULT_RETRY) must be set"),
                bad(
                        () -> new ObserveConfig("", 9464),
                        "observe.host (WORKER_HTTP_HOST) must not be blank, got ''; unset it for the default"),
                bad(
                        () -> new ObserveConfig("127.0.0.1", -2),
                        "observe.port (WORKER_HTTP_PORT) must be between -1 and 65535, got -2"),
                bad(
                        () -> new ObserveConfig("127.0.0.1", 65536),
                        "observe.port (WORKER_HTTP_PORT) must be between -1 and 65535, got 65536"),
                bad(
                        () -> new AlertsConfig(null, ""),
                        "alerts.ui-url (ALERTS_UI_URL) must not be blank, got ''; unset it for the default"),
                bad(
                        () -> new SecretsConfig(null, "hook-token, gateway-token"),
                        "secrets.names (STEP_SECRETS) lists 'gateway-token', one of the worker's own credentials"
                                + " [gateway-token, ledger-db-password, temporal-api-key, temporal-tls-client-key],"
                                + " which are never step secrets; give the step a secret of its own"),
                bad(
                        () -> new HttpStepsConfig("example.org, :8080"),
                        "http-steps.allow-hosts (HTTP_ALLOW_HOSTS) lists ':8080', which is not a host, *.domain or"
                                + " [IPv6 address], with an optional :port"),
                bad(
                        () -> new HttpStepsConfig(null, "http", null),
                        "http-steps.temporal-http-port (TEMPORAL_HTTP_PORT) must be a port number, got 'http'"),
                bad(
                        () -> new HttpStepsConfig(null, null, "0"),
                        "http-steps.temporal-ui-port (TEMPORAL_UI_PORT) must be between 1 and 65535, got 0"));
    }

    private static Arguments bad(Executable construct, String message) {
        return Arguments.of(construct, message);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badValues")
    void aBadValueIsRefusedWithOneLineNamingTheSettingAndItsVariable(Executable construct, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construct);
        assertEquals(message, e.getMessage());
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badValues")
    void theVariableNamedIsTheOneApplicationYmlReadsForThatSetting(Executable construct, String message)
            throws IOException {
        Matcher m = NAMED.matcher(message);
        assertTrue(m.find(), "no 'setting (VARIABLE)' at the start of: " + message);
        Object node = applicationYml();
        for (String key : m.group(1).split("\\.")) {
            assertTrue(node instanceof Map<?, ?>, m.group(1) + " is not in application.yml");
            node = ((Map<?, ?>) node).get(key);
        }
        assertTrue(
                String.valueOf(node).startsWith("${" + m.group(2) + ":"),
                m.group(1) + " reads " + node + " in application.yml, not " + m.group(2));
    }

    @Test
    void theBoundsThemselvesAreAllowed() {
        assertDoesNotThrow(() -> sizing(1, 1, 1, 1, 1, 1, 2));
        assertDoesNotThrow(() -> new ObserveConfig("127.0.0.1", -1));
        assertDoesNotThrow(() -> new ObserveConfig("127.0.0.1", 0));
        assertDoesNotThrow(() -> new ObserveConfig("127.0.0.1", 65535));
        assertDoesNotThrow(() -> new AlertsConfig(null, "http://localhost:8233"));
        assertDoesNotThrow(() -> new DefinitionsConfig("definitions", null));
    }

    @Test
    void noWorkerSizingIsRefused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> new TemporalConfig("a:1", "default", "q", D, D, null));
        assertEquals("temporal.worker (WORKER_*) must be set", e.getMessage());
    }

    static Object applicationYml() throws IOException {
        try (InputStream in = SettingsTest.class.getResourceAsStream("/application.yml")) {
            return new Yaml().load(in);
        }
    }
}
