package ai.clawfactory.core;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Addresses of pages in the Temporal Web UI. */
public final class WebUi {

    private WebUi() {}

    /** A run's page: {@code base/namespaces/NS/workflows/ID/RUN/history}, each part percent-encoded. */
    public static String runUrl(String base, String namespace, String workflowId, String runId) {
        return trim(base) + "/namespaces/" + enc(namespace) + "/workflows/" + enc(workflowId) + "/" + enc(runId)
                + "/history";
    }

    /** A schedule's page. */
    public static String scheduleUrl(String base, String namespace, String scheduleId) {
        return trim(base) + "/namespaces/" + enc(namespace) + "/schedules/" + enc(scheduleId);
    }

    private static String trim(String base) {
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
