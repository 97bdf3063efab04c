package ai.clawfactory.worker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * The worker's metrics, scraped from {@code /metrics}: the Temporal SDK's ({@code temporal_*},
 * bridged by {@code MicrometerClientStatsReporter}) and ours:
 * <ul>
 *   <li>{@code clawfactory_turn_attempts_total{workflow_type,step,kind,status}}: every attempt of a
 *       turn or HTTP step by its outcome (ok, skipped, agent_error, transient_error, …)</li>
 *   <li>{@code clawfactory_turn_duration_seconds{workflow_type,step,kind}}: how long attempts took</li>
 *   <li>{@code clawfactory_gateway_responses_total{kind,class}}: HTTP answers by class (2xx, 4xx,
 *       5xx; none when no answer came: timeout, reset)</li>
 *   <li>{@code clawfactory_ledger_write_failures_total}: ledger writes that failed</li>
 *   <li>{@code clawfactory_alerts_sent_total{workflow_type,notice}}: failure alerts and recovery
 *       notices delivered (an alert is the ledgered step {@code alerts.onFailure} / {@code alerts.onRecovery}
 *       of the type's alert workflow)</li>
 * </ul>
 */
@Singleton
public class Metrics {

    /** Ledger step id prefix of alert deliveries ({@code alerts.onFailure}, {@code alerts.onRecovery}). */
    static final String ALERT_STEP_PREFIX = "alerts.";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter ledgerWriteFailures;

    public Metrics() {
        ledgerWriteFailures = Counter.builder("clawfactory.ledger.write.failures")
                .description("Turn ledger writes that failed")
                .register(registry);
        for (String notice : new String[] {"onFailure", "onRecovery"}) {
            // Present at 0 from the start, so an alert rule on it has a series to read.
            Counter.builder("clawfactory.alerts.sent")
                    .description("Failure alerts and recovery notices delivered")
                    .tags("workflow_type", "", "notice", notice)
                    .register(registry);
        }
    }

    /** The registry (for the Temporal SDK's bridge). */
    public MeterRegistry registry() {
        return registry;
    }

    /** One finished attempt. */
    public void attempt(
            String workflowType, String step, String kind, String status, Integer httpStatus, Duration took) {
        Counter.builder("clawfactory.turn.attempts")
                .description("Attempts of turns and HTTP steps, by outcome")
                .tags("workflow_type", workflowType, "step", step, "kind", kind, "status", status)
                .register(registry)
                .increment();
        Timer.builder("clawfactory.turn.duration")
                .description("Duration of attempts of turns and HTTP steps")
                .tags("workflow_type", workflowType, "step", step, "kind", kind)
                .register(registry)
                .record(took);
        if (step.startsWith(ALERT_STEP_PREFIX) && ("ok".equals(status) || "skipped".equals(status))) {
            Counter.builder("clawfactory.alerts.sent")
                    .description("Failure alerts and recovery notices delivered")
                    .tags("workflow_type", workflowType, "notice", step.substring(ALERT_STEP_PREFIX.length()))
                    .register(registry)
                    .increment();
        }
        Counter.builder("clawfactory.gateway.responses")
                .description("HTTP answers of the gateway and HTTP steps, by class")
                .tags("kind", kind, "class", httpStatus == null ? "none" : (httpStatus / 100) + "xx")
                .register(registry)
                .increment();
    }

    public void ledgerWriteFailed() {
        ledgerWriteFailures.increment();
    }

    /** Prometheus text exposition of everything registered. */
    public String scrape() {
        return registry.scrape();
    }

    @PreDestroy
    void close() {
        registry.close();
    }
}
