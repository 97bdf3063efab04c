package ai.clawfactory.core.definition;

import java.util.List;
import java.util.Map;

/**
 * A plain HTTP call (a webhook, a health ping). URL, headers and body may hold templates.
 *
 * @param expectStatus statuses that count as success; empty means any 2xx
 */
public record HttpCallDefinition(
        String method, String url, Map<String, String> headers, String body, List<Integer> expectStatus)
        implements StepAction {

    @Override
    public StepKind kind() {
        return StepKind.HTTP;
    }
}
