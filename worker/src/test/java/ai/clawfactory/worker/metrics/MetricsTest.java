package ai.clawfactory.worker.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void aDeliveredAlertCountsAsSentAndAFailedDeliveryDoesNot() {
        Metrics m = new Metrics();
        String before = m.scrape();
        assertTrue(
                before.contains("clawfactory_alerts_sent_total{notice=\"onFailure\",workflow_type=\"\"} 0.0"), before);
        m.attempt("DigestWorkflow", "alerts.onFailure", "openclaw-hooks", "transient_error", 503, Duration.ofMillis(5));
        m.attempt("DigestWorkflow", "alerts.onFailure", "openclaw-hooks", "ok", 200, Duration.ofMillis(5));
        m.attempt("DigestWorkflow", "alerts.onRecovery", "openclaw-hooks", "ok", 200, Duration.ofMillis(5));
        m.attempt("DigestWorkflow", "report", "openclaw-hooks", "ok", 200, Duration.ofMillis(5));
        String after = m.scrape();
        assertTrue(
                after.contains(
                        "clawfactory_alerts_sent_total{notice=\"onFailure\",workflow_type=\"DigestWorkflow\"} 1.0"),
                after);
        assertTrue(
                after.contains(
                        "clawfactory_alerts_sent_total{notice=\"onRecovery\",workflow_type=\"DigestWorkflow\"} 1.0"),
                after);
        assertFalse(after.contains("notice=\"report\""), after);
        assertTrue(
                after.contains("clawfactory_gateway_responses_total{class=\"5xx\",kind=\"openclaw-hooks\"} 1.0"),
                after);
        m.close();
    }
}
