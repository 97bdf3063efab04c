package ai.clawfactory.worker.gateway;

import java.time.Duration;

/**
 * One wake of the gateway's main session, ready to send: the text is already rendered.
 *
 * @param idempotencyKey stable per workflow run and step
 * @param mode           {@code now} or {@code next-heartbeat}
 * @param readTimeout    how long to wait for the answer
 */
public record WakeRequest(String idempotencyKey, String text, String mode, Duration readTimeout) {

    /** The {@code POST /hooks/wake} body: {@code {text, mode}}. */
    public java.util.Map<String, Object> body() {
        java.util.Map<String, Object> b = new java.util.LinkedHashMap<>();
        b.put("text", text);
        b.put("mode", mode == null ? "now" : mode);
        return b;
    }
}
