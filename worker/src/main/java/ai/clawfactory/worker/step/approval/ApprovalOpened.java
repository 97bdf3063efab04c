package ai.clawfactory.worker.step.approval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An approval step as opened: what its {@code notify:} block reads as {@code {{approval.*}}}.
 * Written into history: it only gains components.
 *
 * @param prompt  the prompt as rendered
 * @param link    the run's page in the Web UI
 * @param command the {@code ./clawfactory approve} line that approves it
 */
public record ApprovalOpened(String prompt, String link, String command) {

    /** What {@code {{approval.link}}}, {@code {{approval.command}}} and {@code {{approval.prompt}}} read. */
    public Map<String, String> fields() {
        // In this order, always: the map is written into the notify call's input (history).
        Map<String, String> m = new LinkedHashMap<>();
        m.put("link", link);
        m.put("command", command);
        m.put("prompt", prompt);
        return m;
    }
}
